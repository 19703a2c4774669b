"""Escalation alerts: dyads whose conflict share, number of conflict events or mean Goldstein score in a period
moved more than ``k`` standard deviations away from their own trailing baseline.

For each directed dyad and period (day, week or month) with at least ``min_events`` events, the baseline is the
mean and standard deviation of the same measure over the ``window`` periods before it. For the conflict share and
the mean Goldstein score, quiet periods (fewer events) are not evidence either way and are skipped. For the number
of conflict events (quad classes 3 and 4) every period counts, quiet ones and those without events as the few or
none they had, from the first period of the events read on: a dyad that attacks once a month and then eight times
in one month is an escalation even though its conflict share stays 100%. A period is flagged when
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
METRICS = ("conflict_share", "conflict_events", "goldstein_mean")


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
    min_sd_events: float = 1.0,
) -> Frame:
    """Alerts, newest period first, then the largest moves.

    One row per dyad, period and measure that moved: ``source``, ``target`` (at ``level``), ``period`` (first
    day), ``metric`` (``conflict_share``, ``conflict_events`` or ``goldstein_mean``), ``value``, ``baseline_mean``,
    ``baseline_sd``, ``z`` (the move in floored standard deviations, signed), ``direction`` (``escalation``: more
    conflict or a lower Goldstein mean; else ``de-escalation``), ``events`` in the period and ``baseline_periods``
    (how many periods the baseline has; at least ``min_periods``). The floors of the standard deviation are
    ``min_sd_share``, ``min_sd_events`` and ``min_sd_goldstein``.

    ``flt.since`` and ``flt.until`` choose the periods reported; the baseline before ``since`` is still read.
    """
    check_level(level)
    start, number, step = period_start(by), period_number(by), period_step(by)
    check_count(window, "window", 1)
    check_count(min_events, "min_events", 1)
    check_count(min_periods, "min_periods", 2)  # a standard deviation needs two values
    k = check_number(k, "k")
    floors = [check_number(min_sd_share, "min_sd_share"), check_number(min_sd_events, "min_sd_events"),
              check_number(min_sd_goldstein, "min_sd_goldstein")]
    flt = flt or EventFilter()
    report_since = as_date(flt.since, "since")
    src, tgt = actor_key(level, "source"), actor_key(level, "target")
    dyads = ("source_code IS NOT NULL AND target_code IS NOT NULL AND event_date IS NOT NULL", [])
    # the first period of the events (before since, too): counts before it are unknown, not zero
    where, params = where_clause(replace(flt, since=None), dyads)
    first_day = fetch_arrow(store, f"SELECT min(event_date) AS first_day FROM events {where}", params)
    first_day = first_day["first_day"][0].as_py()
    # events before the baselines of the first reported period cannot matter: they are not read
    first_needed = ("", [])
    if report_since is not None:
        first_needed = (f"event_date >= date_trunc(?, CAST(? AS DATE)) - ? * {step}", [by, report_since, window])
    where, params = where_clause(replace(flt, since=None), dyads, first_needed)
    sql = f"""
        WITH per_period AS (
            SELECT {src} AS source, {tgt} AS target, {start} AS period, count(*) AS events,
                   avg(goldstein) AS goldstein_mean, {CONFLICT_SHARE} AS conflict_share,
                   count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict_events
            FROM events {where}
            GROUP BY ALL
        ), numbered AS (
            SELECT *, {number} AS n FROM per_period
        ), counted AS (  -- the periods that are reported, and the only ones the share and Goldstein baselines read
            SELECT * FROM numbered WHERE events >= ?
        ), baselines AS (
            SELECT *,
                   avg(conflict_share) OVER baseline AS share_mean,
                   stddev_samp(conflict_share) OVER baseline AS share_sd,
                   count(conflict_share) OVER baseline AS share_periods,
                   avg(goldstein_mean) OVER baseline AS goldstein_base,
                   stddev_samp(goldstein_mean) OVER baseline AS goldstein_sd,
                   count(goldstein_mean) OVER baseline AS goldstein_periods
            FROM counted
            WINDOW baseline AS (PARTITION BY source, target ORDER BY n RANGE BETWEEN ? PRECEDING AND 1 PRECEDING)
        ), first_period AS (
            SELECT {number} AS first_n FROM (SELECT {start} AS period FROM (SELECT CAST(? AS DATE) AS event_date))
        ), count_sums AS (  -- conflict events over every period of the window, quiet ones too (of dyads reported)
            SELECT source, target, period, events, conflict_events,
                   coalesce(sum(conflict_events) OVER baseline, 0) AS conflict_sum,
                   coalesce(sum(conflict_events * conflict_events) OVER baseline, 0) AS conflict_squares,
                   least(?, n - (SELECT first_n FROM first_period)) AS count_periods
            FROM numbered SEMI JOIN (SELECT DISTINCT source, target FROM counted) USING (source, target)
            WINDOW baseline AS (PARTITION BY source, target ORDER BY n RANGE BETWEEN ? PRECEDING AND 1 PRECEDING)
        ), counts AS (  -- their mean and sample deviation over count_periods periods
            SELECT *, conflict_sum / count_periods AS count_mean,
                   sqrt(greatest(conflict_squares - conflict_sum * conflict_sum / count_periods, 0)
                        / (count_periods - 1)) AS count_sd
            FROM count_sums WHERE events >= ? AND count_periods >= 2
        ), measures AS (
            SELECT source, target, period, events, 'conflict_share' AS metric, conflict_share AS value,
                   share_mean AS baseline_mean, share_sd AS baseline_sd, share_periods AS baseline_periods,
                   greatest(coalesce(share_sd, 0), ?) AS scale
            FROM baselines
            UNION ALL
            SELECT source, target, period, events, 'conflict_events', conflict_events, count_mean, count_sd,
                   count_periods, greatest(count_sd, ?)
            FROM counts
            UNION ALL
            SELECT source, target, period, events, 'goldstein_mean', goldstein_mean,
                   goldstein_base, goldstein_sd, goldstein_periods, greatest(coalesce(goldstein_sd, 0), ?)
            FROM baselines
        )
        SELECT source, target, period, metric, value::DOUBLE AS value, baseline_mean, baseline_sd,
               (value - baseline_mean) / scale AS z,
               CASE WHEN (metric = 'goldstein_mean') = (value < baseline_mean) THEN 'escalation'
                    ELSE 'de-escalation' END AS direction,
               events, baseline_periods
        FROM measures
        WHERE value IS NOT NULL AND baseline_periods >= ? AND abs(value - baseline_mean) > ? * scale
          AND (CAST(? AS DATE) IS NULL OR period >= date_trunc(?, CAST(? AS DATE)))
        ORDER BY period DESC, abs(z) DESC, source, target, metric
    """
    params += [min_events, window, first_day, window, window, min_events, *floors, min_periods, k, report_since, by,
               report_since]
    return Frame(fetch_arrow(store, sql, params))
