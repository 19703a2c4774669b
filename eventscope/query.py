"""Reading events and articles back: the functions the CLI, the HTTP API and the Python API share.

Every function takes an open store (anything with ``fetch(sql, params)``, such as ``DuckDBStore``)
or a raw DuckDB connection. Values are always bound parameters, never formatted into SQL.
The dicts returned are JSON-ready (dates as ISO strings) and their keys are a public format:
``eventscope events --format json`` prints them as they are.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

# The stable order of events: date (undated last), article, sentence, id. Written as non-null expressions
# so that a page boundary (a cursor) can be compared with one row comparison: see query_event_page.
_ORDER_KEY = (
    "event_date IS NULL",
    "coalesce(event_date, DATE '0001-01-01')",
    "coalesce(article_id, '')",
    "coalesce(sentence_index, -1)",
    "id",
)
EVENT_ORDER = "ORDER BY " + ", ".join(_ORDER_KEY)


@dataclass
class EventFilter:
    """Which events to return. Unset fields do not filter."""

    source: str | None = None  # prefix of the source actor code, any case: "IRN" matches IRNGOVMIL
    target: str | None = None  # prefix of the target actor code
    code: str | None = None  # exact CAMEO code
    root: str | None = None  # CAMEO root (2 digits; "3" means "03")
    since: date | None = None  # event_date >= since (events without a date are then left out)
    until: date | None = None  # event_date <= until
    article_id: str | None = None  # the article of the event's first mention
    story_id: str | None = None
    plover: str | None = None  # PLOVER event type, any case
    quad_class: int | None = None
    reported: bool | None = None  # only events in reported speech (True) or only direct ones (False)
    intent: bool | None = None  # only expressed intents, threats, refusals and appeals (True) or only acts (False)
    include_negated: bool = False  # "did not attack": kept in the store, flagged, left out unless asked for
    include_hypothetical: bool = False  # "could attack": likewise
    limit: int | None = None
    offset: int = 0


def _fetch(store: Any, sql: str, params: Sequence[Any] = ()) -> list[dict]:
    if hasattr(store, "fetch"):
        return store.fetch(sql, params)
    # a raw DB-API style connection (duckdb.connect(...))
    cur = store.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # the store keeps timestamps as naive UTC
    return value.isoformat()


def as_date(value: Any, name: str) -> date | None:
    """A date from a date, a datetime or an ISO string (None and "" stay None); ValueError naming ``name``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date (YYYY-MM-DD), not {value!r}")


def _count(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0, not {value!r}")
    return value


@lru_cache(maxsize=1)
def _event_namer() -> Callable[[str], Any] | None:
    """The ontology's code -> name lookup, if the ontology module is there and loads."""
    try:
        from eventscope.ontology import Ontology

        ontology = Ontology.load()
    except Exception:  # a missing or broken ontology only costs the names
        return None
    return lambda code: ontology.event_type(code).name


def event_name(code: str | None) -> str | None:
    """The CAMEO name of ``code`` ("Make an appeal or request"), or None when the code is unknown."""
    namer = _event_namer()
    if namer is None or not code:
        return None
    try:
        name = namer(code)
    except Exception:  # an unknown code has no name; that is not an error here
        return None
    if not isinstance(name, str) or name.startswith("(unknown"):
        return None
    return name


def _event_dict(r: dict) -> dict:
    location = None
    if r["location_name"] is not None:
        location = {
            "name": r["location_name"],
            "country": r["location_country"],
            "admin1": r["location_admin1"],
            "lat": r["lat"],
            "lon": r["lon"],
            "geo_type": r["geo_type"],
            "rule": r["location_rule"],
        }
    return {
        "id": r["id"],
        "article_id": r["article_id"],
        "sentence_index": r["sentence_index"],
        "start": r["start_char"],
        "end": r["end_char"],
        "evidence": r["evidence"],
        "source": r["source_code"],
        "source_name": r["source_name"],
        "target": r["target_code"],
        "target_name": r["target_name"],
        "code": r["code"],
        "event_name": event_name(r["code"]),
        "root": r["root"],
        "quad_class": r["quad_class"],
        "goldstein": r["goldstein"],
        "plover": r["plover"],
        "plover_mode": r["plover_mode"],
        "date": _iso(r["event_date"]),
        "date_precision": r["date_precision"],
        "location": location,
        "rule": r["rule"],
        "negated": r["negated"],
        "reported": r["reported"],
        "reporter": r["reporter"],
        "hypothetical": r["hypothetical"],
        "intent": r.get("intent"),
        "asserted": r.get("asserted"),
        "verb_text": r["verb_text"],
        "confidence": r["confidence"],
        # GDELT-style story counts: the same event in every article and sentence of its story
        "story_id": r.get("story_id"),
        "num_mentions": r.get("num_mentions"),
        "num_sources": r.get("num_sources"),
        "num_articles": r.get("num_articles"),
    }


def event_where(flt: EventFilter) -> tuple[str, list[Any]]:
    """The ``WHERE ...`` clause (empty when nothing filters) and its bound parameters for ``flt`` over ``events``:
    for every module that reads, aggregates or exports events with its own SQL.

    Limit and offset are not part of it. Analyses add their own conditions after it.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if flt.source:
        clauses.append("starts_with(upper(source_code), ?)")
        params.append(flt.source.strip().upper())
    if flt.target:
        clauses.append("starts_with(upper(target_code), ?)")
        params.append(flt.target.strip().upper())
    if flt.code:
        clauses.append("code = ?")
        params.append(flt.code.strip())
    if flt.root:
        root = flt.root.strip()
        clauses.append("root = ?")
        params.append(root.zfill(2) if root.isdigit() else root)
    since = as_date(flt.since, "since")
    if since is not None:
        clauses.append("event_date >= ?")
        params.append(since)
    until = as_date(flt.until, "until")
    if until is not None:
        clauses.append("event_date <= ?")
        params.append(until)
    if flt.article_id:
        clauses.append("article_id = ?")
        params.append(flt.article_id)
    if flt.story_id:
        clauses.append("story_id = ?")
        params.append(flt.story_id)
    if flt.plover:
        clauses.append("upper(plover) = ?")
        params.append(flt.plover.strip().upper())
    if flt.quad_class is not None:
        clauses.append("quad_class = ?")
        params.append(int(flt.quad_class))
    for flag in ("reported", "intent"):
        value = getattr(flt, flag)
        if value is not None:
            clauses.append(f"coalesce({flag}, false) = ?")
            params.append(bool(value))
    if not flt.include_negated:
        clauses.append("NOT coalesce(negated, false)")
    if not flt.include_hypothetical:
        clauses.append("NOT coalesce(hypothetical, false)")
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return where, params


def _events_sql(flt: EventFilter | None, columns: str = "*") -> tuple[str, list[Any]]:
    """SELECT ``columns`` of the events matching ``flt``, in the stable order, with limit and offset."""
    flt = flt or EventFilter()
    limit = _count(flt.limit, "limit")
    offset = _count(flt.offset or 0, "offset")
    where, params = event_where(flt)
    sql = f"SELECT {columns} FROM events {where} {EVENT_ORDER}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    if offset:
        sql += " OFFSET ?"
        params.append(offset)
    return sql, params


def query_events(store: Any, flt: EventFilter | None = None) -> list[dict]:
    """Events matching ``flt``, in a stable order (date, article, sentence, id)."""
    sql, params = _events_sql(flt)
    return [_event_dict(r) for r in _fetch(store, sql, params)]


def iter_events(store: Any, flt: EventFilter | None = None, batch_size: int = 10_000) -> Iterator[dict]:
    """The events of ``query_events``, one at a time, read in batches: for results too big to hold as dicts."""
    sql, params = _events_sql(flt)
    con = _duckdb_connection(store)
    if con is None:
        yield from (_event_dict(r) for r in _fetch(store, sql, params))
        return
    with con.cursor() as cur:
        for batch in cur.sql(sql, params=params).to_arrow_reader(batch_size):
            for r in batch.to_pylist():
                yield _event_dict(r)


class CursorError(ValueError):
    """A page cursor this store did not hand out (garbled, truncated or made up)."""


@dataclass
class EventPage:
    events: list[dict]
    next_cursor: str | None  # None: no more events (at the time of the query)


def _cursor_key(r: dict) -> list[Any]:
    day = r["event_date"]
    return [
        day is None,
        day.isoformat() if day is not None else None,
        r["article_id"] or "",
        r["sentence_index"] if r["sentence_index"] is not None else -1,
        r["id"],
    ]


def encode_cursor(row: dict) -> str:
    """The opaque cursor of a stored event row: its place in the stable order."""
    raw = json.dumps(_cursor_key(row), separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    """Bound values for the row comparison with the order key; CursorError when ``cursor`` is not ours."""
    bad = CursorError("cursor is not one this server handed out (pass next_cursor back unchanged)")
    if not isinstance(cursor, str) or not cursor or len(cursor) > 1000:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not (isinstance(key, list) and len(key) == 5):
        raise bad
    undated, day, article, sentence, event_id = key
    if not isinstance(undated, bool) or not isinstance(article, str) or not isinstance(event_id, str):
        raise bad
    if isinstance(sentence, bool) or not isinstance(sentence, int):
        raise bad
    if undated:
        if day is not None:
            raise bad
        when = date(1, 1, 1)
    else:
        try:
            when = date.fromisoformat(day) if isinstance(day, str) else None
        except ValueError:
            when = None
        if when is None:
            raise bad
    return [undated, when, article, sentence, event_id]


def query_event_page(store: Any, flt: EventFilter | None = None, cursor: str | None = None,
                     limit: int = 100) -> EventPage:
    """One page of the events ``query_events`` lists, after ``cursor`` (keyset pagination).

    Paging to the end returns every event that was stored when paging began exactly once, even while
    events are being added: a page starts strictly after the last row of the previous one in the stable
    order, whatever was inserted meanwhile (an event inserted behind the cursor is simply not seen by this
    walk). ``flt.limit`` and ``flt.offset`` are not used.
    """
    flt = flt or EventFilter()
    limit = _count(limit, "limit")
    if not limit:
        raise ValueError("limit must be at least 1")
    where, params = event_where(flt)
    if cursor is not None:
        after = decode_cursor(cursor)
        where = f"{where} AND " if where else "WHERE "
        where += f"({', '.join(_ORDER_KEY)}) > ({', '.join('?' * len(after))})"
        params.extend(after)
    # Two steps: the page's ids (a top-N sort over narrow columns), then their rows by primary key. Sorting
    # whole rows, evidence text and all, takes two to three times as long on a large store.
    ids = [r["id"] for r in _fetch(store, f"SELECT id FROM events {where} {EVENT_ORDER} LIMIT ?",
                                   [*params, limit + 1])]
    more = len(ids) > limit
    ids = ids[:limit]
    by_id = {}
    if ids:
        marks = ", ".join("?" * len(ids))
        by_id = {r["id"]: r for r in _fetch(store, f"SELECT * FROM events WHERE id IN ({marks})", ids)}
    rows = [by_id[i] for i in ids if i in by_id]  # events are never deleted; a vanished id is skipped
    return EventPage([_event_dict(r) for r in rows], encode_cursor(rows[-1]) if more and rows else None)


_LOCATION_FIELDS = ("name", "country", "admin1", "lat", "lon", "geo_type", "rule")


def flat_event(event: dict) -> dict:
    """An event dict with its ``location`` object spread into ``location_*`` columns: one CSV row."""
    loc = event.get("location") or {}
    out = {k: v for k, v in event.items() if k not in ("location", "article", "mentions")}
    out.update({f"location_{k}": loc.get(k) for k in _LOCATION_FIELDS})
    return out


def count_events(store: Any, flt: EventFilter | None = None) -> int:
    """How many events match ``flt`` (limit and offset ignored): for paging."""
    where, params = event_where(flt or EventFilter())
    return int(_fetch(store, f"SELECT count(*) AS n FROM events {where}", params)[0]["n"])


def _mention_dict(r: dict) -> dict:
    return {
        "id": r["id"],
        "sentence_index": r["sentence_index"],
        "start": r["start_char"],
        "end": r["end_char"],
        "text": r["text"],
        "kind": r["kind"],
        "actor": r["actor_code"],
        "actor_name": r["actor_name"],
        "kb_id": r["kb_id"],
        "why": r["why"],
    }


def _event_mention_dict(r: dict) -> dict:
    return {
        "article_id": r["article_id"],
        "sentence_index": r["sentence_index"],
        "start": r["start_char"],
        "end": r["end_char"],
        "evidence": r["evidence"],
        "verb_start": r["verb_start"],
        "verb_end": r["verb_end"],
        "rule": r["rule"],
        "confidence": r["confidence"],
        "outlet": r["outlet"],
        "url": r["url"],
        "published": _iso(r["published"]),
        "title": r.get("title"),
    }


def event_mentions(store: Any, event_id: str) -> list[dict]:
    """Every report of an event (article and sentence), first mention first (input order)."""
    rows = _fetch(
        store,
        "SELECT m.*, a.title FROM event_mentions m LEFT JOIN articles a ON a.id = m.article_id "
        "LEFT JOIN article_signatures s ON s.article_id = m.article_id WHERE m.event_id = ? "
        "ORDER BY s.seq IS NOT NULL, s.seq, a.ingested_at, m.article_id, m.sentence_index",
        [event_id],
    )
    return [_event_mention_dict(r) for r in rows]


def get_event(store: Any, event_id: str) -> dict | None:
    """One event, with its article (id, title, url, published, source), the actor mentions of its sentence
    (``mentions``) and every report of it in its story (``event_mentions``, first mention first)."""
    rows = _fetch(store, "SELECT * FROM events WHERE id = ?", [event_id])
    if not rows:
        return None
    row = rows[0]
    out = _event_dict(row)
    art = _fetch(
        store, "SELECT id, title, url, published, source FROM articles WHERE id = ?", [row["article_id"]]
    )
    out["article"] = (
        {**art[0], "published": _iso(art[0]["published"])}
        if art
        else {"id": row["article_id"], "title": None, "url": None, "published": None, "source": None}
    )
    mentions = _fetch(
        store,
        "SELECT * FROM mentions WHERE article_id = ? AND sentence_index = ? "
        "ORDER BY start_char, end_char, id",
        [row["article_id"], row["sentence_index"]],
    )
    out["mentions"] = [_mention_dict(m) for m in mentions]
    out["event_mentions"] = event_mentions(store, event_id)
    return out


_ARTICLE_COLUMNS = (
    "id, status, reason, title, source, kind, url, outlet, published, language, n_events, n_sentences, "
    "ingested_at"
)


def _article_dict(r: dict) -> dict:
    return {
        "id": r["id"],
        "status": r["status"],
        "reason": r["reason"],
        "title": r["title"],
        "source": r["source"],
        "kind": r["kind"],
        "url": r["url"],
        "outlet": r["outlet"],
        "published": _iso(r["published"]),
        "language": r["language"],
        "events": r["n_events"] or 0,
        "n_sentences": r["n_sentences"],
        "ingested_at": _iso(r["ingested_at"]),
    }


def query_articles(
    store: Any, status: str | None = None, limit: int | None = None, offset: int = 0
) -> list[dict]:
    """Stored articles (of one status, if given), in the order they were ingested."""
    limit = _count(limit, "limit")
    offset = _count(offset or 0, "offset")
    sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
    params: list[Any] = []
    if status:
        sql += " WHERE status = ?"
        params.append(status)
    sql += " ORDER BY ingested_at, id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    if offset:
        sql += " OFFSET ?"
        params.append(offset)
    return [_article_dict(r) for r in _fetch(store, sql, params)]


def get_article(store: Any, article_id: str) -> dict | None:
    """One article as ``query_articles`` gives it, plus its cleaned ``text`` and ``story_id``."""
    sql = f"SELECT {_ARTICLE_COLUMNS}, text, story_id FROM articles WHERE id = ?"
    rows = _fetch(store, sql, [article_id])
    if not rows:
        return None
    return {**_article_dict(rows[0]), "text": rows[0]["text"], "story_id": rows[0]["story_id"]}


def _run_dict(r: dict) -> dict:
    return {
        "run_id": r["run_id"],
        "status": r["status"],
        "started_at": _iso(r["started_at"]),
        "finished_at": _iso(r["finished_at"]),
        "args": json.loads(r["args"]) if r["args"] else {},
        "counts": json.loads(r["counts"]) if r["counts"] else {},
    }


def query_runs(store: Any, limit: int | None = None) -> list[dict]:
    """Runs, newest first."""
    limit = _count(limit, "limit")
    sql = "SELECT * FROM runs ORDER BY started_at DESC, run_id DESC"
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_run_dict(r) for r in _fetch(store, sql, params)]


def summary_counts(store: Any, run_id: str | None = None, max_reasons: int = 10) -> dict:
    """Counts of articles by status (with their most common reasons), events and mentions.

    With ``run_id``, only what that run stored (an article belongs to the run that first stored it).
    """
    params: list[Any] = [run_id] if run_id else []
    art_where = "WHERE run_id = ?" if run_id else ""
    by_status = {
        r["status"]: int(r["n"])
        for r in _fetch(
            store,
            f"SELECT status, count(*) AS n FROM articles {art_where} GROUP BY status ORDER BY n DESC, status",
            params,
        )
    }
    reasons: dict[str, dict[str, int]] = {}
    reason_where = f"{art_where} {'AND' if run_id else 'WHERE'} reason IS NOT NULL"
    for r in _fetch(
        store,
        f"SELECT status, reason, count(*) AS n FROM articles {reason_where} "
        "GROUP BY status, reason ORDER BY status, n DESC, reason",
        params,
    ):
        per_status = reasons.setdefault(r["status"], {})
        if len(per_status) < max_reasons:
            per_status[r["reason"]] = int(r["n"])
    n_events = _fetch(store, f"SELECT count(*) AS n FROM events {art_where}", params)[0]["n"]
    if run_id:
        mention_sql = (
            "SELECT count(*) AS n FROM mentions m JOIN articles a ON a.id = m.article_id WHERE a.run_id = ?"
        )
    else:
        mention_sql = "SELECT count(*) AS n FROM mentions"
    n_mentions = _fetch(store, mention_sql, params)[0]["n"]
    out: dict[str, Any] = {
        "run_id": run_id,
        "articles": sum(by_status.values()),
        "articles_by_status": by_status,
        "reasons": reasons,
        "events": int(n_events),
        "mentions": int(n_mentions),
    }
    if run_id:
        runs = _fetch(store, "SELECT * FROM runs WHERE run_id = ?", [run_id])
        out["run"] = _run_dict(runs[0]) if runs else None
    return out


# ---- Arrow: whole results as columns, for frames (pandas, polars) and analyses ------------------------

# the columns of an events frame: the keys of ``query_events`` with the location flattened (as in CSV output)
_EVENT_FRAME_COLUMNS = (
    "id, article_id, sentence_index, start_char AS start, end_char AS \"end\", evidence, "
    "source_code AS source, source_name, target_code AS target, target_name, code, root, quad_class, goldstein, "
    "plover, plover_mode, event_date AS date, date_precision, location_name, location_country, location_admin1, "
    "lat AS location_lat, lon AS location_lon, geo_type AS location_geo_type, location_rule, rule, negated, "
    "reported, reporter, hypothetical, intent, asserted, verb_text, confidence"
)


def _duckdb_connection(store: Any) -> Any:
    """The DuckDB connection behind ``store`` (a DuckDBStore or a raw connection), else None."""
    con = getattr(store, "connection", None)
    if con is None and hasattr(store, "cursor") and hasattr(store, "sql"):
        con = store
    return con


def fetch_arrow(store: Any, sql: str, params: Sequence[Any] = ()) -> pa.Table:
    """A read query's result as an Arrow table: straight from DuckDB's columns, no Python rows in between."""
    import pyarrow as pa

    con = _duckdb_connection(store)
    if con is None:  # another EventStore: rows through fetch (column types then come from the values)
        return pa.Table.from_pylist(_fetch(store, sql, params))
    with con.cursor() as cur:  # a cursor per call, as DuckDBStore.fetch does (thread safety)
        return cur.sql(sql, params=list(params)).to_arrow_table()


def events_arrow(store: Any, flt: EventFilter | None = None) -> pa.Table:
    """Events matching ``flt`` as one flat Arrow table (``query_events``' order and keys; location flattened
    to ``location_*``; ``date`` a date column), with ``event_name`` looked up once per distinct code."""
    import pyarrow as pa
    import pyarrow.compute as pc

    sql, params = _events_sql(flt, _EVENT_FRAME_COLUMNS)
    table = fetch_arrow(store, sql, params)
    codes = table["code"]
    distinct = pc.unique(codes)
    names = pa.array([event_name(c) for c in distinct.to_pylist()], type=pa.string())
    named = names.take(pc.index_in(codes, value_set=distinct))
    return table.add_column(table.column_names.index("code") + 1, "event_name", named)
