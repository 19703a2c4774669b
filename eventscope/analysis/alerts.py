"""Escalation alerts: dyads whose conflict share or mean Goldstein score in a period moved more than ``k``
standard deviations away from their own trailing baseline.

For each directed dyad and period (day, week or month) with at least ``min_events`` events, the baseline is the
mean and standard deviation of the same measure over the dyad's periods in the ``window`` periods before it
(quiet periods, with fewer events, are not evidence either way and are skipped). A period is flagged when
``|value - baseline mean| > k * max(baseline sd, floor)``; the floor keeps a perfectly flat baseline from turning
the smallest change into an alert. Everything is computed in DuckDB with window functions.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eventscope.analysis.grouping import (
    CONFLICT_SHARE,
    actor_key,
    check_count,
    check_level,
    check_number,
    period_number,
    period_start,
    period_step,
    where_clause,
)
from eventscope.query import EventFilter, as_date, fetch_arrow
from eventscope.results import Frame

ALERT_COLUMNS = (
    "source", "target", "period", "metric", "value", "baseline_mean", "baseline_sd", "z", "direction", "events",
    "baseline_periods",
)  # fmt: skip


def escalation_alerts(
    store: Any,
    flt: EventFilter | None = None,
    by: str = "week",
    window: int = 8,
    k: float = 3.0,
    min_events: int = 3,
    min_periods: int = 4,
    level: str = "country",
    min_sd_share: float = 0.05,
    min_sd_goldstein: float = 0.5,
) -> Frame:
    """Alerts, newest period first, then the largest moves.

    One row per dyad, period and measure that moved: ``source``, ``target`` (at ``level``), ``period`` (first
    day), ``metric`` (``conflict_share`` or ``goldstein_mean``), ``value``, ``baseline_mean``, ``baseline_sd``,
    ``z`` (the move in floored standard deviations, signed), ``direction`` (``escalation``: more conflict or a
    lower Goldstein mean; else ``de-escalation``), ``events`` in the period and ``baseline_periods`` (how many
    periods the baseline has; at least ``min_periods``).

    ``flt.since`` and ``flt.until`` choose the periods reported; the baseline before ``since`` is still read.
    """
    check_level(level)
    start, number = period_start(by), period_number(by)
    check_count(window, "window", 1)
    check_count(min_events, "min_events", 1)
    check_count(min_periods, "min_periods", 2)  # a standard deviation needs two values
    k = check_number(k, "k")
    floors = [check_number(min_sd_share, "min_sd_share"), check_number(min_sd_goldstein, "min_sd_goldstein")]
    flt = flt or EventFilter()
    report_since = as_date(flt.since, "since")
    src, tgt = actor_key(level, "source"), actor_key(level, "target")
    # events before the baselines of the first reported period cannot matter: they are not read
    first_needed = ("", [])
    if report_since is not None:
        first_needed = (f"event_date >= date_trunc(?, CAST(? AS DATE)) - ? * {period_step(by)}",
                        [by, report_since, window])
    where, params = where_clause(
        replace(flt, since=None),
        ("source_code IS NOT NULL AND target_code IS NOT NULL AND event_date IS NOT NULL", []),
        first_needed,
    )
    sql = f"""
        WITH per_period AS (
            SELECT {src} AS source, {tgt} AS target, {start} AS period, count(*) AS events,
                   avg(goldstein) AS goldstein_mean, {CONFLICT_SHARE} AS conflict_share
            FROM events {where}
            GROUP BY ALL
            HAVING count(*) >= ?
        ), baselines AS (
            SELECT *,
                   avg(conflict_share) OVER baseline AS share_mean,
                   stddev_samp(conflict_share) OVER baseline AS share_sd,
                   count(conflict_share) OVER baseline AS share_periods,
                   avg(goldstein_mean) OVER baseline AS goldstein_base,
                   stddev_samp(goldstein_mean) OVER baseline AS goldstein_sd,
                   count(goldstein_mean) OVER baseline AS goldstein_periods
            FROM (SELECT *, {number} AS n FROM per_period)
            WINDOW baseline AS (PARTITION BY source, target ORDER BY n RANGE BETWEEN ? PRECEDING AND 1 PRECEDING)
        ), measures AS (
            SELECT source, target, period, events, 'conflict_share' AS metric, conflict_share AS value,
                   share_mean AS baseline_mean, share_sd AS baseline_sd, share_periods AS baseline_periods,
                   greatest(coalesce(share_sd, 0), ?) AS scale
            FROM baselines
            UNION ALL
            SELECT source, target, period, events, 'goldstein_mean', goldstein_mean,
                   goldstein_base, goldstein_sd, goldstein_periods, greatest(coalesce(goldstein_sd, 0), ?)
            FROM baselines
        )
        SELECT source, target, period, metric, value, baseline_mean, baseline_sd,
               (value - baseline_mean) / scale AS z,
               CASE WHEN (metric = 'conflict_share') = (value > baseline_mean) THEN 'escalation'
                    ELSE 'de-escalation' END AS direction,
               events, baseline_periods
        FROM measures
        WHERE value IS NOT NULL AND baseline_periods >= ? AND abs(value - baseline_mean) > ? * scale
          AND (CAST(? AS DATE) IS NULL OR period >= date_trunc(?, CAST(? AS DATE)))
        ORDER BY period DESC, abs(z) DESC, source, target, metric
    """
    params += [min_events, window, *floors, min_periods, k, report_since, by, report_since]
    return Frame(fetch_arrow(store, sql, params))
