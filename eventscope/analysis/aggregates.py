"""Aggregates over stored events, computed in SQL: dyad time series, the actor network, escalation alerts
and top counts. The HTTP API serves them; each takes an ``EventFilter`` so that the flags rule
(negated and merely possible events left out unless asked for) and every other filter apply.

All values are bound parameters; the only text put into SQL is chosen from fixed tables here
(the period unit) or is an integer checked first (the alert window).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from eventscope.query import EventFilter, _fetch, _iso, event_name, event_where

# period unit -> (date_trunc part, interval of one step)
PERIODS = {"day": ("day", "1 DAY"), "week": ("week", "7 DAY"), "month": ("month", "1 MONTH"),
           "year": ("year", "1 YEAR")}

_QUADS = ", ".join(f"count(*) FILTER (WHERE quad_class = {q}) AS quad{q}" for q in (1, 2, 3, 4))


def _period(by: str) -> tuple[str, str]:
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    return PERIODS[by]


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f"WHERE {clause}"


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


def dyad_series(store: Any, source: str | None, target: str | None, by: str = "month",
                flt: EventFilter | None = None) -> list[dict]:
    """Events per period from ``source`` to ``target`` (actor code prefixes; None = any actor), with the
    Goldstein sum and mean and the count per quad class. Periods without events between the first and the
    last one are listed with zeros; undated events are left out."""
    part, step = _period(by)
    flt = replace(flt or EventFilter(), limit=None, offset=0)
    if source is not None:
        flt.source = source
    if target is not None:
        flt.target = target
    where, params = event_where(flt)
    where = _and(where, "event_date IS NOT NULL")
    sql = f"""
        WITH counts AS (
            SELECT CAST(date_trunc('{part}', event_date) AS DATE) AS period, count(*) AS events,
                   sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean, {_QUADS}
            FROM events {where} GROUP BY 1),
        periods AS (
            SELECT CAST(unnest(generate_series(min(period), max(period), INTERVAL {step})) AS DATE) AS period
            FROM counts)
        SELECT p.period, coalesce(c.events, 0) AS events, coalesce(c.goldstein_sum, 0) AS goldstein_sum,
               c.goldstein_mean, coalesce(c.quad1, 0) AS quad1, coalesce(c.quad2, 0) AS quad2,
               coalesce(c.quad3, 0) AS quad3, coalesce(c.quad4, 0) AS quad4
        FROM periods p LEFT JOIN counts c USING (period) ORDER BY p.period"""
    return [
        {"period": _iso(r["period"]), "events": int(r["events"]), "goldstein_sum": _round(r["goldstein_sum"]),
         "goldstein_mean": _round(r["goldstein_mean"]),
         **{f"quad{q}": int(r[f"quad{q}"]) for q in (1, 2, 3, 4)}}
        for r in _fetch(store, sql, params)
    ]


def actor_network(store: Any, flt: EventFilter | None = None, min_events: int = 1, limit: int = 500) -> dict:
    """The directed actor network: an edge per (source, target) pair with at least ``min_events`` events
    (the ``limit`` heaviest), and a node per actor on those edges with its events sent and received."""
    if min_events < 1 or limit < 1:
        raise ValueError("min_events and limit must be at least 1")
    flt = replace(flt or EventFilter(), limit=None, offset=0)
    where, params = event_where(flt)
    where = _and(where, "source_code IS NOT NULL AND target_code IS NOT NULL")
    edges = _fetch(
        store,
        f"""SELECT source_code AS source, target_code AS target, count(*) AS events,
                   avg(goldstein) AS goldstein_mean, count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
                   count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict
            FROM events {where} GROUP BY 1, 2 HAVING count(*) >= ?
            ORDER BY events DESC, source, target LIMIT ?""",
        [*params, min_events, limit],
    )
    nodes: dict[str, dict] = {}
    for e in edges:
        for code, direction in ((e["source"], "sent"), (e["target"], "received")):
            node = nodes.setdefault(code, {"id": code, "sent": 0, "received": 0})
            node[direction] += int(e["events"])
    return {
        "nodes": sorted(nodes.values(), key=lambda n: (-(n["sent"] + n["received"]), n["id"])),
        "edges": [{"source": e["source"], "target": e["target"], "events": int(e["events"]),
                   "goldstein_mean": _round(e["goldstein_mean"]), "cooperation": int(e["cooperation"]),
                   "conflict": int(e["conflict"])} for e in edges],
    }


def escalation_alerts(store: Any, k: float = 2.0, window: int = 6, by: str = "month",
                      flt: EventFilter | None = None, min_events: int = 3, limit: int = 100) -> list[dict]:
    """Periods in which a dyad's conflict events (quad classes 3 and 4) jumped: at least ``min_events`` and
    more than the mean of its previous ``window`` periods plus ``k`` standard deviations (the deviation
    floored at 1 event, so that a quiet dyad needs k events more than usual). Periods without events
    count as zero. Newest first, then by score ((count - mean) / deviation)."""
    part, step = _period(by)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 366:
        raise ValueError(f"window must be a whole number of periods from 1 to 366, not {window!r}")
    if k < 0 or min_events < 1 or limit < 1:
        raise ValueError("k must be >= 0, min_events and limit >= 1")
    flt = replace(flt or EventFilter(), limit=None, offset=0)
    where, params = event_where(flt)
    where = _and(where, "event_date IS NOT NULL AND source_code IS NOT NULL AND target_code IS NOT NULL")
    sql = f"""
        WITH counts AS (
            SELECT source_code AS source, target_code AS target,
                   CAST(date_trunc('{part}', event_date) AS DATE) AS period, count(*) AS events,
                   count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict, avg(goldstein) AS goldstein
            FROM events {where} GROUP BY 1, 2, 3),
        -- only a dyad that reaches min_events conflict events in some period can raise an alert
        candidates AS (SELECT source, target FROM counts GROUP BY 1, 2 HAVING max(conflict) >= ?),
        periods AS (
            SELECT CAST(unnest(generate_series(min(period), max(period), INTERVAL {step})) AS DATE) AS period
            FROM counts),
        filled AS (
            SELECT d.source, d.target, p.period, coalesce(c.events, 0) AS events,
                   coalesce(c.conflict, 0) AS conflict, c.goldstein
            FROM candidates d CROSS JOIN periods p
            LEFT JOIN counts c ON c.source = d.source AND c.target = d.target AND c.period = p.period),
        scored AS (
            SELECT *, avg(conflict) OVER w AS baseline, stddev_pop(conflict) OVER w AS spread,
                   count(*) OVER w AS history, avg(goldstein) OVER w AS baseline_goldstein
            FROM filled
            WINDOW w AS (PARTITION BY source, target ORDER BY period
                         ROWS BETWEEN {int(window)} PRECEDING AND 1 PRECEDING))
        SELECT source, target, period, events, conflict, baseline, spread, goldstein, baseline_goldstein,
               (conflict - baseline) / greatest(spread, 1.0) AS score
        FROM scored
        WHERE history = ? AND conflict >= ? AND conflict > baseline + ? * greatest(spread, 1.0)
        ORDER BY period DESC, score DESC, source, target LIMIT ?"""
    rows = _fetch(store, sql, [*params, min_events, window, min_events, float(k), limit])
    return [
        {"source": r["source"], "target": r["target"], "period": _iso(r["period"]), "by": by,
         "conflict_events": int(r["conflict"]), "events": int(r["events"]),
         "baseline_mean": _round(r["baseline"]), "baseline_sd": _round(r["spread"]), "score": _round(r["score"]),
         "goldstein_mean": _round(r["goldstein"]), "baseline_goldstein_mean": _round(r["baseline_goldstein"])}
        for r in rows
    ]


TOP_COUNTS = ("totals", "actors", "dyads", "codes", "roots", "quad_classes", "flags")


def top_counts(store: Any, flt: EventFilter | None = None, limit: int = 20,
               what: Sequence[str] = TOP_COUNTS) -> dict:
    """Counts of the events ``flt`` selects: ``totals`` (events, first and last date, distinct actors),
    the ``limit`` most frequent ``actors`` (as source and as target), ``dyads`` and event ``codes``, every
    CAMEO root and quad class, and ``flags`` (negated, hypothetical, intent, reported; negated and
    hypothetical counted whatever the filter's include_* say)."""
    unknown = [w for w in what if w not in TOP_COUNTS]
    if unknown:
        raise ValueError(f"unknown count {unknown[0]!r}; choose from {', '.join(TOP_COUNTS)}")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    flt = replace(flt or EventFilter(), limit=None, offset=0)
    where, params = event_where(flt)
    out: dict[str, Any] = {}
    if "totals" in what:
        r = _fetch(store, f"""SELECT count(*) AS events, min(event_date) AS first_date, max(event_date) AS last_date,
                                     count(DISTINCT source_code) AS sources, count(DISTINCT target_code) AS targets,
                                     count(DISTINCT article_id) AS articles
                              FROM events {where}""", params)[0]
        out["totals"] = {"events": int(r["events"]), "articles": int(r["articles"]),
                         "first_date": _iso(r["first_date"]), "last_date": _iso(r["last_date"]),
                         "source_actors": int(r["sources"]), "target_actors": int(r["targets"])}
    if "actors" in what:
        rows = _fetch(store, f"""
            WITH sides AS (
                SELECT source_code AS code, source_name AS name, 1 AS as_source, 0 AS as_target
                FROM events {_and(where, 'source_code IS NOT NULL')}
                UNION ALL
                SELECT target_code, target_name, 0, 1 FROM events {_and(where, 'target_code IS NOT NULL')})
            SELECT code, mode(name) AS name, sum(as_source) AS as_source, sum(as_target) AS as_target,
                   count(*) AS events
            FROM sides GROUP BY code ORDER BY events DESC, code LIMIT ?""", [*params, *params, limit])
        out["actors"] = [{"code": r["code"], "name": r["name"], "events": int(r["events"]),
                          "as_source": int(r["as_source"]), "as_target": int(r["as_target"])} for r in rows]
    if "dyads" in what:
        rows = _fetch(store, f"""
            SELECT source_code AS source, target_code AS target, count(*) AS events,
                   avg(goldstein) AS goldstein_mean, min(event_date) AS first_date, max(event_date) AS last_date
            FROM events {_and(where, 'source_code IS NOT NULL AND target_code IS NOT NULL')}
            GROUP BY 1, 2 ORDER BY events DESC, source, target LIMIT ?""", [*params, limit])
        out["dyads"] = [{"source": r["source"], "target": r["target"], "events": int(r["events"]),
                         "goldstein_mean": _round(r["goldstein_mean"]), "first_date": _iso(r["first_date"]),
                         "last_date": _iso(r["last_date"])} for r in rows]
    if "codes" in what:
        rows = _fetch(store, f"""SELECT code, count(*) AS events FROM events {where}
                                 GROUP BY code ORDER BY events DESC, code LIMIT ?""", [*params, limit])
        out["codes"] = [{"code": r["code"], "name": event_name(r["code"]), "events": int(r["events"])}
                        for r in rows]
    if "roots" in what:
        rows = _fetch(store, f"SELECT root, count(*) AS events FROM events {where} GROUP BY root ORDER BY root",
                      params)
        out["roots"] = [{"root": r["root"], "name": event_name(r["root"]), "events": int(r["events"])}
                        for r in rows]
    if "quad_classes" in what:
        rows = _fetch(store, f"""SELECT quad_class, count(*) AS events FROM events {where}
                                 GROUP BY quad_class ORDER BY quad_class""", params)
        out["quad_classes"] = [{"quad_class": r["quad_class"], "events": int(r["events"])} for r in rows]
    if "flags" in what:
        all_where, all_params = event_where(replace(flt, include_negated=True, include_hypothetical=True))
        r = _fetch(store, f"""SELECT count(*) FILTER (WHERE negated) AS negated,
                                     count(*) FILTER (WHERE hypothetical) AS hypothetical,
                                     count(*) FILTER (WHERE intent AND NOT coalesce(negated OR hypothetical, false))
                                         AS intent,
                                     count(*) FILTER (WHERE reported AND NOT coalesce(negated OR hypothetical, false))
                                         AS reported
                              FROM events {all_where}""", all_params)[0]
        out["flags"] = {k: int(r[k] or 0) for k in ("negated", "hypothetical", "intent", "reported")}
    return out
