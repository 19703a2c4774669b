"""The run: files and URLs in, events stored. ingest -> clean -> code -> store, in batches.

Idempotent and resumable: article ids are content hashes, articles already in the store are not coded
again, and each batch is written in one transaction. A crash or Ctrl-C loses at most the batch being
written, never leaves half of one; running the same command again finishes the work.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path

from eventscope.clean import clean_article
from eventscope.coder import Coder, CoderConfig
from eventscope.dates import publication_date_from_text
from eventscope.ingest import DEFAULT_MAX_BYTES, Fetcher, iter_articles
from eventscope.model import STATUS_DUPLICATE, STATUS_OK, Article, CodedArticle
from eventscope.store import EventStore, open_store


@dataclass
class RunSummary:
    run_id: str = ""
    status: str = "running"
    articles: int = 0  # records read (files, lines, feed items)
    coded: int = 0  # articles coded in this run
    already_stored: int = 0  # skipped because an earlier run stored them (resume)
    events: int = 0  # events added to the store
    mentions: int = 0
    by_status: Counter = field(default_factory=Counter)  # status of every record read this run
    reasons: Counter = field(default_factory=Counter)  # (status, reason) for records not coded
    elapsed: float = 0.0

    @property
    def skipped(self) -> int:
        return sum(n for s, n in self.by_status.items() if s != STATUS_OK)

    def to_dict(self) -> dict:
        return {
            "run_id": self.run_id, "status": self.status, "articles": self.articles, "coded": self.coded,
            "already_stored": self.already_stored, "events": self.events, "mentions": self.mentions,
            "skipped": self.skipped, "by_status": dict(self.by_status),
            "reasons": [{"status": s, "reason": r, "count": n} for (s, r), n in self.reasons.most_common()],
            "elapsed_s": round(self.elapsed, 2),
        }


Progress = Callable[[RunSummary], None]


def prepared_articles(
    paths: Iterable[str | Path],
    default_date: date | None,
    max_bytes: int,
    fetcher: Fetcher | None = None,
    ingested: Iterable[Article] = (),
) -> Iterator[Article]:
    """Ingested and cleaned articles (bad inputs come through with their status and reason).

    ``paths`` are files, folders and URLs (fetched with ``fetcher``); ``ingested`` are articles already read
    (new feed items from ``eventscope watch``), cleaned after them.
    The publication date is the source's own (page metadata, feed item, JSONL ``date``), else a full date in
    the article's dateline ("BERLIN, June 17, 2025 -"), else ``default_date`` (``--date``), else unknown."""
    for art in chain(iter_articles(paths, default_date=None, max_bytes=max_bytes, fetcher=fetcher), ingested):
        if art.status != STATUS_OK:
            yield art
            continue
        art = clean_article(art)
        if art.published is None:
            art.published = publication_date_from_text(art.text) or default_date
        yield art


def run(
    paths: Iterable[str | Path],
    db: str | Path = "eventscope.duckdb",
    *,
    default_date: date | None = None,
    config: CoderConfig | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = 32,
    progress: Progress | None = None,
    store: EventStore | None = None,
    coder: Coder | None = None,
    fetcher: Fetcher | None = None,
    ingested: Iterable[Article] = (),
) -> RunSummary:
    """Code every article under ``paths`` (files, folders, URLs) and in ``ingested`` (articles already read)
    into the store at ``db``; returns what happened. ``fetcher`` fetches the URLs (default: default settings)."""
    paths = [str(p) for p in paths]
    config = config or CoderConfig()
    own_store = store is None
    store = store or open_store(db)
    summary = RunSummary()
    started = time.monotonic()
    args = {"paths": paths, "date": default_date.isoformat() if default_date else None,
            "dictionaries": config.dictionaries, "add_dictionaries": list(config.add_dictionaries),
            "max_bytes": max_bytes}
    summary.run_id = store.start_run(args)
    try:
        coder = coder or Coder.from_config(config)
        seen_ids: set[str] = set()
        batch: list[Article] = []
        for art in prepared_articles(paths, default_date, max_bytes, fetcher, ingested):
            summary.articles += 1
            if art.id in seen_ids:
                summary.by_status[STATUS_DUPLICATE] += 1
                summary.reasons[(STATUS_DUPLICATE, "same text or URL as an earlier input of this run")] += 1
                continue
            seen_ids.add(art.id)
            batch.append(art)
            if len(batch) >= batch_size:
                _process(batch, store, coder, summary)
                batch = []
                summary.elapsed = time.monotonic() - started
                if progress:
                    progress(summary)
        if batch:
            _process(batch, store, coder, summary)
        summary.status = "done"
    except KeyboardInterrupt:
        summary.status = "interrupted"
        raise
    except BaseException:
        summary.status = "failed"
        raise
    finally:
        summary.elapsed = time.monotonic() - started
        try:
            store.finish_run(summary.run_id, summary.status, summary.to_dict())
        finally:
            if own_store:
                store.close()
        if progress:
            progress(summary)
    return summary


def _process(batch: list[Article], store: EventStore, coder: Coder, summary: RunSummary) -> None:
    stored = store.coded_article_ids(a.id for a in batch)
    todo = [a for a in batch if a.id not in stored]
    summary.already_stored += len(batch) - len(todo)
    coded: list[CodedArticle] = list(coder.code_articles(todo))
    result = store.write(summary.run_id, coded)
    summary.events += result.events_added
    summary.mentions += result.mentions_added
    for c in coded:
        summary.by_status[c.article.status] += 1
        if c.article.status == STATUS_OK:
            summary.coded += 1
        else:
            summary.reasons[(c.article.status, _short(c.article.reason))] += 1


def _short(reason: str | None, limit: int = 90) -> str:
    text = (reason or "no reason given").strip()
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
