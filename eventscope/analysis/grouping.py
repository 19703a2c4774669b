"""The SQL pieces every analysis shares: periods, actor levels, dyad conditions and filters.

Only fixed fragments chosen from these tables go into SQL text; every value a caller gives is a bound parameter.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pyarrow as pa

from eventscope.query import EventFilter, event_where

# by -> (first day of the period of event_date, step between periods, a whole number that counts periods)
_PERIODS = {
    "day": ("event_date", "INTERVAL 1 DAY", "(period - DATE '1970-01-01')"),
    # ISO weeks, starting on Monday; 1970-01-05 was a Monday
    "week": ("date_trunc('week', event_date)::DATE", "INTERVAL 7 DAY", "((period - DATE '1970-01-05') // 7)"),
    "month": ("date_trunc('month', event_date)::DATE", "INTERVAL 1 MONTH", "(year(period) * 12 + month(period))"),
}
PERIODS = tuple(_PERIODS)

# level -> how an actor is named: its whole code (IRNGOVMIL), or its country (IRN) where it has one
# (international organisations and groups without a country keep their code: IGOUNO, KURREB)
_LEVELS = {
    "country": "coalesce({role}_country, {role}_code)",
    "code": "{role}_code",
}
LEVELS = tuple(_LEVELS)

QUAD_CLASS_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}

# share of events (with a quad class) that are conflict, verbal or material: quad classes 3 and 4
CONFLICT_SHARE = "count(*) FILTER (WHERE quad_class IN (3, 4)) / nullif(count(quad_class), 0)"


def check_period(by: str) -> str:
    if by not in _PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    return by


def check_level(level: str) -> str:
    if level not in _LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    return level


def period_start(by: str) -> str:
    """SQL for the first day of the period ``event_date`` falls in."""
    return _PERIODS[check_period(by)][0]


def period_step(by: str) -> str:
    return _PERIODS[check_period(by)][1]


def period_number(by: str) -> str:
    """SQL for a whole number that grows by one from a period (column ``period``) to the next."""
    return _PERIODS[check_period(by)][2]


def actor_key(level: str, role: str) -> str:
    """SQL naming the source or target actor of an event at ``level``."""
    if role not in ("source", "target"):
        raise ValueError(f"role must be source or target, not {role!r}")
    return _LEVELS[check_level(level)].format(role=role)


def check_count(value: Any, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, not {value!r}")
    return value


def check_number(value: Any, name: str, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= minimum:
        raise ValueError(f"{name} must be a number >= {minimum}, not {value!r}")
    return float(value)


def whole_filter(flt: EventFilter | None) -> EventFilter:
    """The filter without paging: analyses read every matching event."""
    return replace(flt or EventFilter(), limit=None, offset=0)


def dyad_condition(source: str | None, target: str | None, both_directions: bool = False) -> tuple[str, list]:
    """SQL (and its parameters) for events from ``source`` to ``target`` (code prefixes, any case; None is any
    actor), or, with ``both_directions``, between them either way."""

    def one_way(a: str | None, b: str | None) -> tuple[list[str], list[str]]:
        parts, params = [], []
        if a:
            parts.append("starts_with(upper(source_code), ?)")
            params.append(a.strip().upper())
        if b:
            parts.append("starts_with(upper(target_code), ?)")
            params.append(b.strip().upper())
        return parts, params

    parts, params = one_way(source, target)
    if not parts:
        return "", []
    sql = " AND ".join(parts)
    if both_directions:
        back, back_params = one_way(target, source)
        sql = f"(({sql}) OR ({' AND '.join(back)}))"
        params += back_params
    return sql, params


def where_clause(flt: EventFilter | None, *conditions: tuple[str, list]) -> tuple[str, list[Any]]:
    """``WHERE`` for the filter (without paging) and further conditions, all ANDed, with their parameters."""
    where, params = event_where(whole_filter(flt))
    clauses = [where[len("WHERE "):]] if where else []
    for sql, extra in conditions:
        if sql:
            clauses.append(sql)
            params += extra
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def actor_names(codes: list[str]) -> pa.Array:
    """Country names for 3-letter country codes (IRN: Iran), None for other codes."""
    try:
        from eventscope.ontology import Ontology

        ontology = Ontology.load()
    except Exception:  # a broken ontology costs only the names
        return pa.array([None] * len(codes), type=pa.string())
    return pa.array([ontology.country_name(c) if c and len(c) == 3 else None for c in codes], type=pa.string())

