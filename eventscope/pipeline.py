"""The run: files and URLs in, events stored. ingest -> clean -> dedup -> code -> store, in batches.

Idempotent and resumable: article ids are content hashes, articles already in the store are not coded
again, and each batch is written in one transaction. A crash, ``kill -9`` or Ctrl-C loses at most the batches
not yet written, never half of one; running the same command again finishes the work and ends with exactly the
rows of an uninterrupted run.

Everything whose result depends on order happens in the main process, in input order: reading, cleaning, story
detection (eventscope.dedup) and writing. Coding, the costly part, runs in ``workers`` processes
(eventscope.workers) fed batches of articles; their results are written in input order, so the store gets the
same rows with one worker or many.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path

from datasketch import MinHash

from eventscope.clean import clean_article
from eventscope.coder import Coder, CoderConfig
from eventscope.dates import publication_date_from_text
from eventscope.dedup import DEFAULT_THRESHOLD, StoryIndex, signature
from eventscope.ingest import DEFAULT_MAX_BYTES, SUPPORTED, Fetcher, iter_articles
from eventscope.ingest.dumps import parquet_rows
from eventscope.model import STATUS_DUPLICATE, STATUS_OK, Article, CodedArticle
from eventscope.store import EventStore, open_store
from eventscope.workers import CodingWorkers, code_safely, peak_rss_mb

DEFAULT_BATCH_SIZE = 32


@dataclass
class RunSummary:
    run_id: str = ""
    status: str = "running"
    articles: int = 0  # records read (files, lines, feed items)
    coded: int = 0  # articles coded in this run
    already_stored: int = 0  # skipped because an earlier run stored them (resume)
    near_duplicates: int = 0  # coded articles that joined the story of an earlier one
    events: int = 0  # event keys added to the store (a story's event reported again only gets new counts)
    event_mentions: int = 0  # (event, article, sentence) reports added
    mentions: int = 0  # actor mentions added
    by_status: Counter = field(default_factory=Counter)  # status of every record read this run
    reasons: Counter = field(default_factory=Counter)  # (status, reason) for records not coded
    elapsed: float = 0.0
    workers: int = 1
    total: int | None = None  # records expected (an estimate, for progress displays), if known
    peak_rss_mb: float | None = None  # main process and workers, summed (Linux)

    @property
    def skipped(self) -> int:
        return sum(n for s, n in self.by_status.items() if s != STATUS_OK)

    def to_dict(self) -> dict:
        return {
            "run_id": self.run_id, "status": self.status, "articles": self.articles, "coded": self.coded,
            "already_stored": self.already_stored, "near_duplicates": self.near_duplicates,
            "events": self.events, "event_mentions": self.event_mentions, "mentions": self.mentions,
            "skipped": self.skipped, "by_status": dict(self.by_status),
            "reasons": [{"status": s, "reason": r, "count": n} for (s, r), n in self.reasons.most_common()],
            "elapsed_s": round(self.elapsed, 2), "workers": self.workers,
            "peak_rss_mb": round(self.peak_rss_mb, 1) if self.peak_rss_mb is not None else None,
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
        yield prepare_article(art, default_date)


def prepare_article(art: Article, default_date: date | None) -> Article:
    """One ingested article cleaned and dated (see ``prepared_articles``); bad records come back as they are."""
    if art.status != STATUS_OK:
        return art
    art = clean_article(art)
    if art.published is None:
        art.published = publication_date_from_text(art.text) or default_date
    return art


def run(
    paths: Iterable[str | Path],
    db: str | Path = "eventscope.duckdb",
    *,
    default_date: date | None = None,
    config: CoderConfig | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    dedup_threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
    total: int | None = None,
    store: EventStore | None = None,
    coder: Coder | None = None,
    start_method: str | None = None,
    fetcher: Fetcher | None = None,
    ingested: Iterable[Article] = (),
    stop: threading.Event | None = None,
) -> RunSummary:
    """Code every article under ``paths`` (files, folders, URLs) and in ``ingested`` (articles already read)
    into the store at ``db``; returns what happened.

    ``workers``: coding processes (default: all cores; 1 codes in this process, with ``coder`` if given).
    ``dedup_threshold``: estimated word-shingle similarity above which an article joins an earlier one's story.
    ``total``: the number of records expected, passed on to ``progress`` (see ``estimate_records``).
    ``fetcher`` fetches the URLs (default: default settings). ``stop``: once set (``stop_on_interrupt`` sets it
    on Ctrl-C), the run ends after the batch being written, as interrupted (KeyboardInterrupt), so that no
    interrupt lands inside a store write."""
    paths = [str(p) for p in paths]
    config = config or CoderConfig()
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, not {batch_size}")
    index = StoryIndex(dedup_threshold)  # checks the threshold before anything is opened
    own_store = store is None
    store = store or open_store(db)
    summary = RunSummary(workers=workers, total=total)
    started = time.monotonic()
    args = {"paths": paths, "date": default_date.isoformat() if default_date else None,
            "dictionaries": config.dictionaries, "add_dictionaries": list(config.add_dictionaries),
            "max_bytes": max_bytes, "workers": workers, "batch_size": batch_size,
            "dedup_threshold": dedup_threshold, "prefilter": config.prefilter, "ner": config.ner}
    summary.run_id = store.start_run(args)
    pool: CodingWorkers | None = None
    try:
        index.load(store.stored_stories())
        seq = store.next_story_seq()
        articles = prepared_articles(paths, default_date, max_bytes, fetcher, ingested)
        batches = _batches(articles, batch_size, index, seq, summary)

        def write(coded: list[CodedArticle], signatures) -> None:
            write_batch(store, summary, coded, signatures, started, progress)
            if stop is not None and stop.is_set():
                raise KeyboardInterrupt

        if workers == 1:
            for articles, signatures in batches:
                coder = coder or Coder.from_config(config)
                write(code_safely(coder, articles), signatures)
        else:
            waiting: deque[tuple[int, dict]] = deque()
            for number, (articles, signatures) in enumerate(batches):
                pool = pool or CodingWorkers(config, workers, start_method)  # started once there is work
                pool.submit(number, articles)
                waiting.append((number, signatures))
                while len(waiting) >= 4 * workers:  # enough queued that no worker waits for the slowest batch
                    first, sigs = waiting.popleft()
                    write(pool.result(first), sigs)
            while waiting:
                first, sigs = waiting.popleft()
                write(pool.result(first), sigs)
        summary.status = "done"
    except KeyboardInterrupt:
        summary.status = "interrupted"
        raise
    except BaseException:
        summary.status = "failed"
        raise
    finally:
        summary.elapsed = time.monotonic() - started
        summary.peak_rss_mb = _peak_rss(pool)
        if pool is not None:
            pool.close()
        try:
            store.finish_run(summary.run_id, summary.status, summary.to_dict())
        finally:
            if own_store:
                store.close()
        if progress:
            progress(summary)
    return summary


class InputOrder:
    """What is decided in input order, record by record, before coding: exact duplicates of this run and articles
    an earlier run stored (resume) are counted and left out; each new ok article gets its story (eventscope.dedup)
    and its place in input order. ``run`` and ``eventscope.spark`` both decide through it, so that they give the
    same stories and event ids."""

    def __init__(self, index: StoryIndex, seq: int, summary: RunSummary) -> None:
        self.index = index
        self.seq = seq  # the input-order position of the next new ok article (see EventStore.next_story_seq)
        self.summary = summary
        self._seen: set[str] = set()

    def admit(self, article_id: str) -> bool:
        """Count a record read; whether it is to be coded (not a duplicate, not stored already)."""
        self.summary.articles += 1
        if article_id in self._seen:
            self.summary.by_status[STATUS_DUPLICATE] += 1
            self.summary.reasons[(STATUS_DUPLICATE, "same text or URL as an earlier input of this run")] += 1
            return False
        self._seen.add(article_id)
        if article_id in self.index:  # stored by an earlier run (this run's own are caught above): nothing to do
            self.summary.already_stored += 1
            return False
        return True

    def assign(self, article_id: str, sig: MinHash | bytes | None) -> tuple[str, tuple[int, bytes | None]]:
        """The story of an admitted ok article, and its (input-order position, signature) for the store."""
        match = self.index.assign_signature(article_id, sig)
        signed = (self.seq, match.signature)
        self.seq += 1
        if match.duplicate_of is not None:
            self.summary.near_duplicates += 1
        return match.story_id, signed


def _batches(articles: Iterable[Article], batch_size: int, index: StoryIndex, seq: int,
             summary: RunSummary) -> Iterator[tuple[list[Article], dict[str, tuple[int, bytes | None]]]]:
    """Batches of new articles in input order, each with the signatures of its articles (for the store)."""
    order = InputOrder(index, seq, summary)
    batch: list[Article] = []
    signatures: dict[str, tuple[int, bytes | None]] = {}
    for art in articles:
        if not order.admit(art.id):
            continue
        if art.status == STATUS_OK:
            art.story_id, signatures[art.id] = order.assign(art.id, signature(art.text))
        batch.append(art)
        if len(batch) >= batch_size:
            yield batch, signatures
            batch, signatures = [], {}
    if batch:
        yield batch, signatures


def write_batch(store: EventStore, summary: RunSummary, coded: list[CodedArticle],
                signatures: dict[str, tuple[int, bytes | None]], started: float, progress: Progress | None) -> None:
    """Store a batch of coded articles (input order) and count it into ``summary``: articles the store already
    held (``write`` skips them, in its transaction) count as already stored, the others by their status."""
    result = store.write(summary.run_id, coded, signatures)
    todo = [c for c in coded if c.article.id not in result.already_stored]
    summary.already_stored += len(coded) - len(todo)
    summary.events += result.events_added
    summary.event_mentions += result.event_mentions_added
    summary.mentions += result.mentions_added
    for c in todo:
        count_outcome(summary, c.article.status, c.article.reason)
    summary.elapsed = time.monotonic() - started
    if progress:
        progress(summary)


def _peak_rss(pool: CodingWorkers | None) -> float | None:
    main = peak_rss_mb()
    if main is None:
        return None
    if pool is None:
        return main
    workers = pool.peak_rss_mb()
    return main + workers if workers is not None else None


def estimate_records(paths: Iterable[str | Path]) -> int | None:
    """About how many records ``paths`` hold (JSON Lines lines, Parquet rows, feed items, one per other file), for
    a progress display's ETA; None when a path is not a local file or folder. Cheap: a byte count or a Parquet
    footer, no parsing."""
    total = 0
    for p in paths:
        path = Path(p)
        if path.is_file():
            total += _records_in(path)
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                total += sum(_records_in(Path(root) / f) for f in files if not f.startswith("."))
        else:
            return None
    return total


def _records_in(path: Path) -> int:
    kind = SUPPORTED.get(path.suffix.lower())
    if kind == "parquet":
        return max(parquet_rows(path) or 1, 1)  # from the footer
    if kind not in ("jsonl", "feed"):
        return 1
    n = 0
    try:
        with open(path, "rb") as fh:
            if kind == "feed":  # feeds are small: one read
                data = fh.read()
                return max(1, data.count(b"<item") + data.count(b"<entry"))
            while chunk := fh.read(1 << 20):
                n += chunk.count(b"\n")
    except OSError:
        return 1
    return max(n, 1)


def count_outcome(summary: RunSummary, status: str, reason: str | None, n: int = 1) -> None:
    """Count ``n`` articles that came out of the coder with this status (and reason, when not ok)."""
    summary.by_status[status] += n
    if status == STATUS_OK:
        summary.coded += n
    else:
        summary.reasons[(status, short_reason(reason))] += n


def short_reason(reason: str | None, limit: int = 90) -> str:
    """A reason cut to one summary line (so that reasons that differ only in their details count together)."""
    text = (reason or "no reason given").strip()
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


@contextmanager
def stop_on_interrupt(stop: threading.Event, notify: Callable[[], None] | None = None) -> Iterator[threading.Event]:
    """Ctrl-C sets ``stop`` instead of raising where it lands (a run then ends after the batch being written, a
    watch after the poll in progress or at once while it waits: DuckDB turns an interrupt inside a query into
    an error); a second Ctrl-C raises KeyboardInterrupt as usual. For the main thread only (where signal
    handlers run)."""

    def handler(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if notify:
            notify()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
