"""What every export reads: the selected events (an ``EventFilter``, in the stable order), the story-level
columns, and lookup tables (actor code parts, place codes) registered with DuckDB
so that a whole export is one SQL statement over the store.

Events are story-level (schema version 3, eventscope.dedup): ``events.story_id``, ``num_mentions``,
``num_sources`` and ``num_articles`` are the story counts, and ``event_mentions`` has one row per report of an
event (article and sentence). ``open_store`` opens only such stores (it migrates older ones when it may write,
and refuses them read-only); a store of an older version read through a raw DuckDB connection has neither, and
each of its events is exported as its own story with one mention.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from eventscope.export.codes import (
    admin1_name,
    country_name,
    fips_adm1,
    fips_country,
    split_actor_code,
)
from eventscope.query import EVENT_ORDER, EventFilter, event_name, event_where


@dataclass
class ExportResult:
    format: str
    path: str
    rows: int  # rows written (events, mentions or records)
    skipped: int = 0  # selected events the format cannot hold (PLOVER: CAMEO 01/02 have no PLOVER category)
    notes: list[str] = field(default_factory=list)


def connection(store: Any) -> duckdb.DuckDBPyConnection:
    """A DuckDB cursor on the store (exports are DuckDB SQL)."""
    con = getattr(store, "connection", store)
    if not isinstance(con, duckdb.DuckDBPyConnection):
        raise TypeError("exports read a DuckDB event store (open_store(...)) or a DuckDB connection")
    return con.cursor()


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?",
        [table],
    ).fetchall()
    return {r[0] for r in rows}


STORY_COLUMNS = ("story_id", "num_mentions", "num_sources", "num_articles")


def has_stories(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has the story columns and the ``event_mentions`` table (schema version 3)."""
    return set(STORY_COLUMNS) <= table_columns(con, "events") and bool(table_columns(con, "event_mentions"))


def story_sql(con: duckdb.DuckDBPyConnection, alias: str = "ev") -> dict[str, str]:
    """SQL for the story-level fields of event rows ``alias``: the store's columns, else (a store from before
    schema version 3) each event its own story with one mention."""
    if has_stories(con):
        return {name: f"{alias}.{name}" for name in STORY_COLUMNS}
    return {"story_id": f"{alias}.article_id", "num_mentions": "1", "num_sources": "1", "num_articles": "1"}


def selected_events(flt: EventFilter | None) -> tuple[str, list[Any]]:
    """A ``WITH`` clause defining ``ev``: the events ``flt`` selects, with ``_rank`` = their stable order."""
    flt = replace(flt or EventFilter(), offset=0)
    where, params = event_where(flt)
    limit = ""
    if flt.limit is not None:
        if isinstance(flt.limit, bool) or not isinstance(flt.limit, int) or flt.limit < 0:
            raise ValueError(f"limit must be a whole number >= 0, not {flt.limit!r}")
        limit = " LIMIT ?"
        params = [*params, flt.limit]
    sql = f"WITH ev AS (SELECT *, row_number() OVER ({EVENT_ORDER}) AS _rank FROM events {where}{limit})"
    return sql, params


def one_line(expr: str) -> str:
    """SQL turning a text value into one line (tabs and line breaks to spaces): for unquoted TSV formats."""
    return f"regexp_replace({expr}, '[\\t\\r\\n]+', ' ', 'g')"


def select_list(exprs: list[str], columns: tuple[str, ...] | list[str]) -> str:
    """A SELECT list naming each expression after its format column, in the format's order."""
    return ",\n".join(f'{e} AS "{name}"' for e, name in zip(exprs, columns, strict=True))


def event_day(alias: str = "ev", article: str = "a") -> str:
    """The event's date, else its article's publication date, else the day it was stored: GDELT, ICEWS and
    PLOVER records all need a date."""
    return f"coalesce({alias}.event_date, {article}.published, CAST({alias}.created_at AS DATE))"


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, table: pa.Table) -> Iterator[str]:
    """``table`` visible to SQL on ``con`` under a fresh name while the block runs."""
    name = f"_export_{uuid.uuid4().hex}"
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


def actor_lookup(con: duckdb.DuckDBPyConnection, with_clause: str, params: list[Any]) -> pa.Table:
    """One row per actor code among the selected events: GDELT's split of it, its country's name and its
    type names (the sector names ICEWS lists)."""
    from eventscope.ontology import Ontology

    ontology = Ontology.load()
    rows = con.execute(
        f"{with_clause} SELECT DISTINCT code FROM (SELECT source_code AS code FROM ev UNION "
        "SELECT target_code FROM ev) WHERE code IS NOT NULL",
        params,
    ).fetchall()
    cols: dict[str, list] = {k: [] for k in (
        "code", "country", "known_group", "ethnic", "religion1", "religion2", "type1", "type2", "type3",
        "country_name", "sector_names")}
    for (code,) in rows:
        parts = split_actor_code(code)
        cols["code"].append(code)
        for k in ("country", "known_group", "ethnic", "religion1", "religion2", "type1", "type2", "type3"):
            cols[k].append(getattr(parts, k))
        cols["country_name"].append(country_name(parts.country) if parts.country else None)
        names = [ontology.actor_type(p) for p in (*parts.types, parts.known_group, parts.religion1) if p]
        cols["sector_names"].append(",".join(n for n in names if n) or None)
    return pa.table({k: pa.array(v, pa.string()) for k, v in cols.items()})


def place_lookup(con: duckdb.DuckDBPyConnection, with_clause: str, params: list[Any]) -> pa.Table:
    """One row per (country, admin1) among the selected events' locations: FIPS codes and names."""
    rows = con.execute(
        f"{with_clause} SELECT DISTINCT location_country, location_admin1 FROM ev "
        "WHERE location_country IS NOT NULL",
        params,
    ).fetchall()
    cols: dict[str, list] = {k: [] for k in ("country", "admin1", "fips", "fips_adm1", "country_name",
                                             "admin1_name")}
    for country, admin1 in rows:
        cols["country"].append(country)
        cols["admin1"].append(admin1)
        cols["fips"].append("GZ" if admin1 == "PS.GZ" else "WE" if admin1 == "PS.WE" else fips_country(country))
        cols["fips_adm1"].append(fips_adm1(country, admin1))
        cols["country_name"].append(country_name(country))
        cols["admin1_name"].append(admin1_name(admin1))
    return pa.table({k: pa.array(v, pa.string()) for k, v in cols.items()})


def code_lookup(con: duckdb.DuckDBPyConnection, with_clause: str, params: list[Any]) -> pa.Table:
    """One row per CAMEO event code among the selected events, with its name."""
    rows = con.execute(f"{with_clause} SELECT DISTINCT code FROM ev WHERE code IS NOT NULL", params).fetchall()
    codes = [r[0] for r in rows]
    return pa.table({"code": pa.array(codes, pa.string()),
                     "name": pa.array([event_name(c) for c in codes], pa.string())})


def copy_to(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], out: str | Path, options: str) -> int:
    """``COPY (sql) TO out (options)``; returns the number of rows written."""
    path = str(out)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    row = con.execute(f"COPY ({sql}) TO '{_quoted_path(path)}' ({options})", params).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _quoted_path(path: str) -> str:
    # COPY takes its file name as a literal, not a parameter: quotes doubled, nothing else allowed in
    if "\x00" in path:
        raise ValueError("output path contains a NUL character")
    return path.replace("'", "''")
