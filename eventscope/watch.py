"""`eventscope watch`: poll a list of feeds, code each new item once, remember per feed what the last poll saw.

Each poll asks every feed with a conditional request (If-None-Match with the ETag, If-Modified-Since with the
Last-Modified the feed sent last time), so a feed that has not changed answers 304 and costs nothing. Items
already in the store (by article id: the hash of the item's link) are not coded again; the new ones go through
the pipeline (``eventscope.pipeline.run``) in one batch run per poll. A feed that fails (HTTP error, timeout,
not a feed) is logged, counted and asked again at the next poll; the others go on. Per-feed state lives in the
store's ``feeds`` table, written after the poll's items are stored, so a crash mid-poll loses nothing: the next
poll finds the same items still new.

The store is opened for each poll and closed between polls, so that ``eventscope events`` and friends can read
it while a watch waits.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from eventscope.coder import Coder, CoderConfig
from eventscope.ingest import DEFAULT_MAX_BYTES
from eventscope.ingest.decode import READ_ERRORS, read_error
from eventscope.ingest.urllist import url_lines
from eventscope.ingest.web import ACCEPT_FEED, Fetcher, FetchSettings, read_feed_result, with_linked_pages
from eventscope.model import STATUS_EMPTY, Article
from eventscope.pipeline import RunSummary
from eventscope.pipeline import run as run_pipeline
from eventscope.store import StoreError, open_store
from eventscope.store.duckdb import DuckDBStore

log = logging.getLogger(__name__)

_INTERVAL_PART_RE = re.compile(r"(\d+(?:\.\d+)?)([smh])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


def parse_interval(text: str) -> float:
    """``30s``, ``15m``, ``1h``, ``1h30m`` (or a bare number of seconds) -> seconds; ValueError if not one."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    elif value and re.fullmatch(r"(?:\d+(?:\.\d+)?[smh])+", value):
        seconds = sum(float(n) * _UNIT_SECONDS[unit] for n, unit in _INTERVAL_PART_RE.findall(value))
    else:
        raise ValueError(f"{text!r} is not an interval: write it as 30s, 15m, 1h or 1h30m")
    if seconds <= 0:
        raise ValueError(f"the interval must be longer than 0 s, not {text!r}")
    return seconds


def read_feed_list(path: Path) -> tuple[list[str], list[str]]:
    """(feed URLs in order, without repeats; problems with the other lines). The format of ``.urls`` lists:
    one URL a line, blank lines and ``#`` comments skipped. Raises OSError if the file cannot be read."""
    urls: list[str] = []
    problems: list[str] = []
    try:
        for line in url_lines(path):
            if line.problem:
                problems.append(line.problem)
            elif line.url not in urls:
                urls.append(line.url)
    except READ_ERRORS as exc:
        raise OSError(f"{path}: {read_error(exc)}") from exc
    return urls, problems


@dataclass
class FeedReport:
    """One feed in one poll."""

    url: str
    status: str  # ok | not_modified | failed
    reason: str | None = None
    items: int = 0  # items in the feed as fetched
    new: int = 0  # of them, not seen before (coded in this poll)


@dataclass
class PollReport:
    number: int
    started_at: datetime
    feeds: list[FeedReport] = field(default_factory=list)
    run: RunSummary | None = None  # the pipeline run that coded the new items (None: nothing new)
    elapsed: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for f in self.feeds if f.status == status)

    @property
    def new_items(self) -> int:
        return sum(f.new for f in self.feeds)


@dataclass
class WatchSummary:
    polls: int = 0
    new_items: int = 0
    coded: int = 0
    events: int = 0
    not_modified: int = 0  # feed polls answered 304
    failures: int = 0  # feed polls that failed
    store_errors: int = 0  # polls lost because the store could not be used
    stopped_by: str = ""  # max-polls | interrupt

    def add(self, report: PollReport) -> None:
        self.polls += 1
        self.new_items += report.new_items
        self.not_modified += report.count("not_modified")
        self.failures += report.count("failed")
        if report.run is not None:
            self.coded += report.run.coded
            self.events += report.run.events


class FeedWatcher:
    """Polls feeds into the store at ``db``. ``feeds`` is a list of URLs, or a FEEDLIST file read again at
    every poll (so that feeds can be added while it runs)."""

    def __init__(
        self,
        feeds: Sequence[str] | Path,
        db: str | Path = "eventscope.duckdb",
        *,
        fetcher: Fetcher | None = None,
        config: CoderConfig | None = None,
        coder: Coder | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        store: DuckDBStore | None = None,
    ) -> None:
        self.feeds = feeds
        self.db = db
        self.max_bytes = max_bytes
        self.fetcher = fetcher or Fetcher(FetchSettings(max_bytes=max_bytes))
        self.config = config or CoderConfig()
        self.coder = coder or Coder.from_config(self.config)
        self._store = store  # given: used as is and left open (tests, an embedding application)
        self._last_urls: list[str] = []
        self._warned: set[str] = set()
        self.polls = 0

    def feed_urls(self) -> list[str]:
        if not isinstance(self.feeds, Path):
            return list(dict.fromkeys(u.strip() for u in self.feeds if u.strip()))
        try:
            urls, problems = read_feed_list(self.feeds)
        except OSError as exc:
            log.warning("cannot read the feed list (%s); polling the %d feeds read before", exc, len(self._last_urls))
            return self._last_urls
        for problem in problems:
            if problem not in self._warned:  # once, not at every poll
                self._warned.add(problem)
                log.warning("%s %s (skipped)", self.feeds, problem)
        self._last_urls = urls
        return urls

    def poll(self) -> PollReport:
        """Ask every feed once, code the new items, record each feed's state."""
        self.polls += 1
        report = PollReport(number=self.polls, started_at=datetime.now(UTC))
        started = time.monotonic()
        urls = self.feed_urls()
        store = self._store or open_store(self.db)
        try:
            states = store.feed_states(urls)
            new_articles: list[Article] = []
            answers: dict[str, tuple[str | None, str | None]] = {}
            seen: set[str] = set()  # ids of items already taken in this poll (a story in two feeds)
            for url in urls:
                feed, items, validators = self._poll_feed(url, states.get(url), store, seen)
                report.feeds.append(feed)
                answers[url] = validators
                new_articles.extend(items)
            if new_articles:
                report.run = run_pipeline([], self.db, config=self.config, max_bytes=self.max_bytes, store=store,
                                          coder=self.coder, fetcher=self.fetcher, ingested=new_articles)
            # only now that the items are stored: a poll cut short finds them still new next time
            for feed in report.feeds:
                etag, modified = answers[feed.url]
                store.save_feed_state(feed.url, status=feed.status, polled_at=report.started_at, etag=etag,
                                      last_modified=modified, error=feed.reason,
                                      items=feed.items if feed.status == "ok" else None, new_items=feed.new)
        finally:
            if self._store is None:
                store.close()
        report.elapsed = time.monotonic() - started
        return report

    def _poll_feed(
        self, url: str, state: dict | None, store: DuckDBStore, seen: set[str]
    ) -> tuple[FeedReport, list[Article], tuple[str | None, str | None]]:
        headers = {}
        if state and state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state and state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        result = self.fetcher.fetch(url, accept=ACCEPT_FEED, headers=headers)
        validators = (result.etag, result.last_modified)
        if result.not_modified:
            return FeedReport(url, "not_modified"), [], validators
        if not result.ok:
            log.warning("feed %s failed: %s", url, result.reason)
            return FeedReport(url, "failed", result.reason), [], (None, None)
        feed = read_feed_result(result, source=url)
        if not feed.items and feed.problem is not None and feed.problem.status != STATUS_EMPTY:
            log.warning("feed %s failed: %s", url, feed.problem.reason)
            return FeedReport(url, "failed", feed.problem.reason), [], (None, None)
        stored = store.coded_article_ids(a.id for a in feed.items)
        new = [a for a in feed.items if a.id not in stored and a.id not in seen]
        seen.update(a.id for a in new)
        new = list(with_linked_pages(new, self.fetcher))  # only when the fetcher's fetch_linked is on
        return FeedReport(url, "ok", items=len(feed.items), new=len(new)), new, validators

    def watch(
        self,
        every: float,
        *,
        max_polls: int | None = None,
        stop: threading.Event | None = None,
        on_poll: Callable[[PollReport], None] | None = None,
    ) -> WatchSummary:
        """Poll every ``every`` seconds (from the start of one poll to the next) until ``max_polls`` polls are done
        or ``stop`` is set (at once while waiting; after the poll in progress otherwise)."""
        stop = stop or threading.Event()
        summary = WatchSummary()
        while True:
            started = time.monotonic()
            try:
                report = self.poll()
            except StoreError as exc:  # the store is busy or broken: this poll is lost, the next one may work
                log.error("poll %d not done: %s", self.polls, exc)
                summary.polls += 1
                summary.store_errors += 1
            else:
                summary.add(report)
                if on_poll:
                    on_poll(report)
            if max_polls is not None and summary.polls >= max_polls:
                summary.stopped_by = "max-polls"
                break
            if stop.is_set() or stop.wait(max(0.0, every - (time.monotonic() - started))):
                summary.stopped_by = "interrupt"
                break
        return summary
