"""The Python API: an open event store with its queries and analyses as methods, and coding text on the fly.

    import eventscope
    es = eventscope.open("events.duckdb")
    df = es.events(source="IRN", target="ISR", since="2024-01-01").to_pandas()
    monthly = es.dyad("IRN", "ISR", by="month").to_pandas()
    coded = eventscope.code_text("Iran condemned Israel on Monday.", date="2024-04-15")

Filters are keyword arguments, the fields of ``eventscope.query.EventFilter`` (``source``, ``target``, ``code``,
``root``, ``since``, ``until``, ``plover``, ``quad_class``, ``reported``, ``intent``, ``include_negated``,
``include_hypothetical``); dates may be ``date`` objects or ISO strings. Only asserted events are counted unless
``include_negated`` / ``include_hypothetical`` ask for the others. The command line is built on this class.
"""

from __future__ import annotations

import threading
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventscope.analysis.grouping import check_count
from eventscope.query import (
    EventFilter,
    EventPage,
    as_date,
    count_events,
    event_where,
    get_article,
    get_event,
    query_articles,
    query_event_page,
    query_runs,
    summary_counts,
)
from eventscope.results import Events, Frame

if TYPE_CHECKING:
    from eventscope.analysis.network import Network
    from eventscope.coder import Coder
    from eventscope.export import ExportResult
    from eventscope.model import CodedArticle
    from eventscope.store.duckdb import DuckDBStore

_FILTER_FIELDS = tuple(f.name for f in fields(EventFilter))


def event_filter(**filters: Any) -> EventFilter:
    """An EventFilter from keyword arguments, with a clear error for a name that is not a filter."""
    unknown = sorted(set(filters) - set(_FILTER_FIELDS))
    if unknown:
        raise TypeError(f"unknown filter {', '.join(unknown)}; filters are: {', '.join(_FILTER_FIELDS)}")
    return EventFilter(**filters)


def default_db() -> Path:
    """The config file's ``db``, else ./eventscope.duckdb."""
    from eventscope.config import load_settings

    settings = load_settings()
    return Path(settings.db) if settings.db else Path("eventscope.duckdb")


class EventScope:
    """An event store opened for reading (by default) and analysis. Close it, or use it in a ``with`` block."""

    def __init__(self, store: DuckDBStore) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | Path | None = None, read_only: bool = True) -> EventScope:
        """Open the store at ``path`` (default: the config file's db, else ./eventscope.duckdb).

        Read-only by default, so that several readers can share a file; StoreError if it cannot be opened.
        """
        from eventscope.store import open_store

        return cls(open_store(default_db() if path is None else path, read_only=read_only))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> EventScope:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<EventScope {self.store!r}>"

    # ---- events and articles --------------------------------------------------------------------------

    def events(self, *, limit: int | None = None, offset: int = 0, **filters: Any) -> Events:
        """The events matching the filters (oldest first), read when converted or iterated."""
        flt = event_filter(**filters, limit=limit, offset=offset)
        # bad values fail here, not at the first conversion
        event_where(flt)
        check_count(offset, "offset")
        if limit is not None:
            check_count(limit, "limit")
        return Events(self.store, flt)

    def event_page(self, cursor: str | None = None, *, limit: int = 100, **filters: Any) -> EventPage:
        """One page of the matching events after ``cursor`` (the ``next_cursor`` of the page before; None for the
        first): paging to the end gives every event once, even while events are being added. A cursor this store
        did not hand out raises ``eventscope.query.CursorError`` (a ValueError)."""
        return query_event_page(self.store, event_filter(**filters), cursor, limit)

    def count(self, **filters: Any) -> int:
        return count_events(self.store, event_filter(**filters))

    def event(self, event_id: str) -> dict | None:
        """One event with its article and the actor mentions of its sentence; None if there is none."""
        return get_event(self.store, event_id)

    def find_event_id(self, prefix: str) -> str:
        """The one event id starting with ``prefix``; KeyError if none or several do."""
        rows = self.store.fetch("SELECT id FROM events WHERE starts_with(id, ?) ORDER BY id LIMIT 2", [prefix])
        if not rows:
            raise KeyError(f"no event {prefix!r}")
        if len(rows) > 1 and rows[0]["id"] != prefix:
            raise KeyError(f"{prefix!r} matches several events; give more of the id")
        return rows[0]["id"]

    def explain(self, event_id: str) -> dict | None:
        """Why an event was coded: its sentence re-parsed, the actor resolutions, the pattern (loads the coder)."""
        from eventscope.explain import explain_event

        return explain_event(self.store, event_id)

    def articles(self, status: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[dict]:
        return query_articles(self.store, status=status, limit=limit, offset=offset)

    def article(self, article_id: str) -> dict | None:
        return get_article(self.store, article_id)

    def runs(self, limit: int | None = None) -> list[dict]:
        return query_runs(self.store, limit=limit)

    def summary(self, run_id: str | None = None) -> dict:
        """Articles by status (with reasons), events and mentions; of one run if given."""
        return summary_counts(self.store, run_id=run_id)

    def export(self, path: str | Path, format: str, *, limit: int | None = None,  # noqa: A002 - as in the CLI
               **filters: Any) -> ExportResult:
        """Write the matching events to ``path`` as ``gdelt``, ``gdelt-mentions``, ``icews``, ``plover``,
        ``parquet`` or ``csv`` (see ``eventscope.export``); the result counts the rows written."""
        from eventscope.export import export_events

        return export_events(self.store, format, path, event_filter(**filters, limit=limit))

    # ---- analyses (eventscope.analysis) ---------------------------------------------------------------

    def dyad(self, source: str | None = None, target: str | None = None, *, by: str = "month",
             both_directions: bool = False, **filters: Any) -> Frame:
        """Events from ``source`` to ``target`` per day, week or month: count, mean Goldstein, quad-class shares."""
        from eventscope.analysis import dyad_series

        return dyad_series(self.store, source, target, by=by, flt=event_filter(**filters),
                           both_directions=both_directions)

    def network(self, *, level: str = "country", min_events: int = 1, max_edges: int | None = None,
                **filters: Any) -> Network:
        """The actor network: ``.to_networkx()``, ``.to_dict()`` (JSON), ``.write_graphml(path)``."""
        from eventscope.analysis import actor_network

        return actor_network(self.store, event_filter(**filters), level=level, min_events=min_events,
                             max_edges=max_edges)

    def alerts(self, *, by: str = "week", window: int = 8, k: float = 3.0, min_events: int = 3, min_periods: int = 4,
               level: str = "country", **filters: Any) -> Frame:
        """Dyads whose conflict share, number of conflict events or mean Goldstein moved more than ``k`` standard
        deviations from their trailing ``window``-period baseline (see ``eventscope.analysis.alerts``)."""
        from eventscope.analysis import escalation_alerts

        return escalation_alerts(self.store, event_filter(**filters), by=by, window=window, k=k,
                                 min_events=min_events, min_periods=min_periods, level=level)

    def top_actors(self, n: int = 10, *, level: str = "country", **filters: Any) -> Frame:
        from eventscope.analysis import top_actors

        return top_actors(self.store, event_filter(**filters), n=n, level=level)

    def top_dyads(self, n: int = 10, *, level: str = "country", **filters: Any) -> Frame:
        from eventscope.analysis import top_dyads

        return top_dyads(self.store, event_filter(**filters), n=n, level=level)

    def top_event_types(self, n: int = 10, *, by: str = "code", **filters: Any) -> Frame:
        from eventscope.analysis import top_event_types

        return top_event_types(self.store, event_filter(**filters), n=n, by=by)

    def stats(self, n: int = 10, *, level: str = "country", **filters: Any) -> dict:
        """Totals, date range, quad classes, flagged events left out, and the top actors, dyads and event types."""
        from eventscope.analysis import overview

        return overview(self.store, event_filter(**filters), n=n, level=level)


# ---- coding text without a store -------------------------------------------------------------------------

_coder_lock = threading.Lock()
_coder: Coder | None = None


def default_coder() -> Coder:
    """The coder for the config file's dictionaries (and the user knowledge base), built once per process."""
    global _coder
    with _coder_lock:
        if _coder is None:
            from eventscope.coder import Coder, CoderConfig

            _coder = Coder.from_config(CoderConfig.from_settings())
        return _coder


def code_text(text: str, date: date | str | None = None, title: str | None = None) -> CodedArticle:
    """Code ``text`` as one article published on ``date`` (resolving "on Tuesday" and the like), without storing
    it. The result's ``events`` carry their evidence (sentence, span, rule); ``asserted_events`` leaves out the
    negated and merely possible ones."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    return default_coder().code_text(text, published=as_date(date, "date"), title=title)
