"""Where coded articles are kept: the EventStore protocol and the default DuckDB store.

The pipeline hands batches of ``CodedArticle`` to ``write``; the query layer (``eventscope.query``)
reads through ``fetch``. A PostgreSQL store implements the same protocol (``fetch`` takes SQL with
``?`` placeholders, which such a store translates to its own).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from eventscope.model import CodedArticle

if TYPE_CHECKING:
    from eventscope.store.duckdb import DuckDBStore

__all__ = ["DuckDBStore", "EventStore", "StoreError", "WriteResult", "new_run_id", "open_store"]


class StoreError(RuntimeError):
    """The store cannot be opened or used: the message says why, in words fit for a user."""


@dataclass
class WriteResult:
    """How many rows one ``write`` call added (rows already stored are not counted)."""

    articles_added: int = 0
    events_added: int = 0  # new event keys (a story's event already stored only gets its counts updated)
    mentions_added: int = 0  # actor mentions
    event_mentions_added: int = 0  # (event, article, sentence) reports
    already_stored: frozenset[str] = frozenset()  # ids of the batch's articles the store held before (skipped whole)

    def __add__(self, other: WriteResult) -> WriteResult:
        return WriteResult(
            self.articles_added + other.articles_added,
            self.events_added + other.events_added,
            self.mentions_added + other.mentions_added,
            self.event_mentions_added + other.event_mentions_added,
            self.already_stored | other.already_stored,
        )


@runtime_checkable
class EventStore(Protocol):
    def start_run(self, args: dict) -> str:
        """Record a new run (status 'running') and return its id. Runs still marked 'running' were killed
        (one writer at a time): they are marked 'interrupted'."""
        ...

    def finish_run(self, run_id: str, status: str, counts: dict) -> None:
        """Close a run: status is 'done', 'interrupted' or 'failed'."""
        ...

    def coded_article_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are already stored (whatever their status)."""
        ...

    def write(self, run_id: str, coded: list[CodedArticle],
              signatures: dict[str, tuple[int, bytes | None]] | None = None) -> WriteResult:
        """Store a batch in one transaction: all of it or none of it. Events are stored by event key (story,
        dyad, code, flags) with their counts; ``signatures`` are the articles' dedup signatures. Articles the store
        already holds are skipped whole, and their ids returned in ``already_stored``."""
        ...

    def stored_stories(self) -> list[tuple[str, str | None, bytes | None, str | None]]:
        """Stored articles in input order, for eventscope.dedup: (id, story id, signature, text to re-sign)."""
        ...

    def next_story_seq(self) -> int:
        """The input-order position of the next new article."""
        ...

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict]:
        """Run a read query (``?`` placeholders) and return rows as dicts."""
        ...

    def close(self) -> None: ...


def new_run_id(started: datetime) -> str:
    """A run's id: sortable by start time, unique even for runs started in the same second."""
    return f"{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def open_store(path: str | Path = "eventscope.duckdb", read_only: bool = False) -> DuckDBStore:
    """Open (and, unless read-only, create) the DuckDB event store at ``path``."""
    from eventscope.store.duckdb import DuckDBStore

    return DuckDBStore(path, read_only=read_only)


def __getattr__(name: str) -> Any:
    # DuckDBStore is imported on demand so that `eventscope.store` stays cheap to import
    if name == "DuckDBStore":
        from eventscope.store.duckdb import DuckDBStore

        return DuckDBStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
