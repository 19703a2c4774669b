"""The biggest: actors, dyads and event types by number of events, and an overview of a store (``stats``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pyarrow as pa

from eventscope.analysis.grouping import (
    CONFLICT_SHARE,
    QUAD_CLASS_NAMES,
    actor_key,
    actor_names,
    check_count,
    check_level,
    where_clause,
)
from eventscope.analysis.network import dyad_totals
from eventscope.query import EventFilter, event_name, fetch_arrow
from eventscope.results import Frame, json_value

EVENT_TYPE_KEYS = ("code", "root", "plover")


def top_actors(store: Any, flt: EventFilter | None = None, n: int = 10, level: str = "country") -> Frame:
    """The ``n`` actors in most events, as source or target (an event of an actor with itself counts once).

    Columns: ``actor``, ``name`` (for country codes), ``events``, ``as_source``, ``as_target``,
    ``goldstein_mean``, ``conflict_share``.
    """
    check_level(level)
    check_count(n, "n")
    src, tgt = actor_key(level, "source"), actor_key(level, "target")
    where, params = where_clause(flt)
    sql = f"""
        WITH e AS (SELECT {src} AS s, {tgt} AS t, goldstein, quad_class FROM events {where}),
        ends AS (
            SELECT s AS actor, 1 AS as_source, CASE WHEN t = s THEN 1 ELSE 0 END AS as_target, goldstein, quad_class
            FROM e WHERE s IS NOT NULL
            UNION ALL
            SELECT t, 0, 1, goldstein, quad_class FROM e WHERE t IS NOT NULL AND t IS DISTINCT FROM s
        )
        SELECT actor, count(*) AS events, sum(as_source)::BIGINT AS as_source, sum(as_target)::BIGINT AS as_target,
               avg(goldstein) AS goldstein_mean, {CONFLICT_SHARE} AS conflict_share
        FROM ends GROUP BY actor ORDER BY events DESC, actor LIMIT ?
    """
    table = fetch_arrow(store, sql, [*params, n])
    return Frame(table.add_column(1, "name", actor_names(table["actor"].to_pylist())))


def top_dyads(store: Any, flt: EventFilter | None = None, n: int = 10, level: str = "country") -> Frame:
    """The ``n`` directed dyads with most events: ``source``, ``target``, ``events``, ``goldstein_mean``,
    ``conflict_share``, ``first_date``, ``last_date`` (the edges of ``actor_network``, biggest first)."""
    check_count(n, "n")
    table = dyad_totals(store, flt, level=level, limit=n).to_arrow()
    return Frame(table.select(["source", "target", "events", "goldstein_mean", "conflict_share", "first_date",
                               "last_date"]))


def top_event_types(store: Any, flt: EventFilter | None = None, n: int = 10, by: str = "code") -> Frame:
    """The ``n`` most frequent event types, by CAMEO ``code``, CAMEO ``root`` or ``plover`` type.

    Columns: the key (named after ``by``), ``name`` (CAMEO name; none for PLOVER), ``events``, ``share`` (of all
    matching events), ``goldstein_mean``.
    """
    if by not in EVENT_TYPE_KEYS:
        raise ValueError(f"by must be one of {', '.join(EVENT_TYPE_KEYS)}, not {by!r}")
    check_count(n, "n")
    where, params = where_clause(flt)
    sql = f"""
        SELECT {by}, count(*) AS events, count(*) / sum(count(*)) OVER () AS share, avg(goldstein) AS goldstein_mean
        FROM events {where} GROUP BY {by} ORDER BY events DESC, {by} NULLS LAST LIMIT ?
    """
    table = fetch_arrow(store, sql, [*params, n])
    names = [event_name(k) if by != "plover" and k else None for k in table[by].to_pylist()]
    return Frame(table.add_column(1, "name", pa.array(names, type=pa.string())))


def overview(store: Any, flt: EventFilter | None = None, n: int = 10, level: str = "country") -> dict:
    """A store (or the events matching ``flt``) at a glance, JSON-ready: totals, dates, quad classes, how many are
    intents and how many reported speech, the flagged events left out, and the top ``n`` actors, dyads, event codes
    and roots."""
    check_level(level)
    flt = flt or EventFilter()
    where, params = where_clause(flt)
    totals = fetch_arrow(store, f"""
        SELECT count(*) AS events, count(event_date) AS dated, min(event_date) AS first_date,
               max(event_date) AS last_date, avg(goldstein) AS goldstein_mean, {CONFLICT_SHARE} AS conflict_share,
               count(*) FILTER (WHERE coalesce(intent, false)) AS intent,
               count(*) FILTER (WHERE coalesce(reported, false)) AS reported
        FROM events {where}""", params).to_pylist()[0]
    by_quad = fetch_arrow(store, f"""
        SELECT quad_class, count(*) AS events, count(*) / sum(count(*)) OVER () AS share,
               avg(goldstein) AS goldstein_mean
        FROM events {where} GROUP BY quad_class ORDER BY quad_class NULLS LAST""", params).to_pylist()
    # the flagged events the filter keeps out of every count above (shown so nobody wonders where they went)
    all_where, all_params = where_clause(replace(flt, include_negated=True, include_hypothetical=True))
    flagged = fetch_arrow(store, f"""
        SELECT count(*) FILTER (WHERE coalesce(negated, false) AND NOT ?) AS negated,
               count(*) FILTER (WHERE coalesce(hypothetical, false) AND NOT ?) AS hypothetical
        FROM events {all_where}""", [flt.include_negated, flt.include_hypothetical, *all_params]).to_pylist()[0]
    out: dict[str, Any] = {k: json_value(v) for k, v in totals.items()}
    out["by_quad_class"] = [
        {**{k: json_value(v) for k, v in r.items()}, "name": QUAD_CLASS_NAMES.get(r["quad_class"])} for r in by_quad
    ]
    out["left_out"] = {k: int(v) for k, v in flagged.items()}
    out["top_actors"] = top_actors(store, flt, n, level).records()
    out["top_dyads"] = top_dyads(store, flt, n, level).records()
    out["top_codes"] = top_event_types(store, flt, n, "code").records()
    out["top_roots"] = top_event_types(store, flt, n, "root").records()
    return out
