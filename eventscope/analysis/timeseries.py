"""Dyad time series: per day, week or month, how many events, their mean Goldstein score and quad-class shares."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eventscope.analysis.grouping import (
    CONFLICT_SHARE,
    dyad_condition,
    period_start,
    period_step,
    where_clause,
)
from eventscope.query import EventFilter, fetch_arrow
from eventscope.results import Frame

SERIES_COLUMNS = (
    "period", "events", "goldstein_mean", "verbal_cooperation_share", "material_cooperation_share",
    "verbal_conflict_share", "material_conflict_share", "conflict_share",
)  # fmt: skip


def dyad_series(
    store: Any,
    source: str | None = None,
    target: str | None = None,
    by: str = "month",
    flt: EventFilter | None = None,
    both_directions: bool = False,
) -> Frame:
    """Events from ``source`` to ``target`` (actor code prefixes; None is any actor; with ``both_directions``
    either way) per period, one row per period from the first to the last (or from ``flt.since`` to
    ``flt.until``), periods without events included with 0 events.

    Columns: ``period`` (its first day: the Monday for weeks), ``events``, ``goldstein_mean``, the share of
    each quad class among events with one (``verbal_cooperation_share`` ... ``material_conflict_share``) and
    ``conflict_share`` (quad classes 3 and 4). Means and shares are null in periods without events.
    Events without a date are left out; other fields of ``flt`` filter as in ``query_events`` (its source
    and target are used when ``source`` and ``target`` are not given).
    """
    flt = flt or EventFilter()
    source = source if source is not None else flt.source
    target = target if target is not None else flt.target
    flt = replace(flt, source=None, target=None)
    start, step = period_start(by), period_step(by)
    where, params = where_clause(flt, dyad_condition(source, target, both_directions), ("event_date IS NOT NULL", []))
    shares = ",\n".join(
        f"count(*) FILTER (WHERE quad_class = {q}) / nullif(count(quad_class), 0) AS {name}"
        for q, name in enumerate(SERIES_COLUMNS[3:7], start=1)
    )
    sql = f"""
        WITH per_period AS (
            SELECT {start} AS period, count(*) AS events, avg(goldstein) AS goldstein_mean,
                   {shares},
                   {CONFLICT_SHARE} AS conflict_share
            FROM events {where}
            GROUP BY period
        ), bounds AS (
            SELECT coalesce(date_trunc(?, CAST(? AS DATE))::DATE, min(period)) AS first,
                   coalesce(date_trunc(?, CAST(? AS DATE))::DATE, max(period)) AS last
            FROM per_period
        ), periods AS (
            SELECT unnest(generate_series(first, last, {step}))::DATE AS period
            FROM bounds WHERE first IS NOT NULL AND last IS NOT NULL AND first <= last
        )
        SELECT p.period, coalesce(s.events, 0) AS events,
               {", ".join(f"s.{c}" for c in SERIES_COLUMNS[2:])}
        FROM periods p LEFT JOIN per_period s USING (period)
        ORDER BY p.period
    """
    params += [by, flt.since, by, flt.until]
    return Frame(fetch_arrow(store, sql, params))
