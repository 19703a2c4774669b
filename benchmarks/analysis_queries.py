"""How long the analyses take on a big store: builds (once) a synthetic store of N events and times each analysis.

    PYTHONPATH=. python benchmarks/analysis_queries.py [--events 10000000] [--db PATH]

The store is ``eventscope.store.synthetic``'s (the one benchmarks/api.py and benchmarks/export.py use; reused
when the file at --db already holds N events): skewed actor popularity (a few countries in most events, as in
news), real CAMEO codes with their quad class and Goldstein score, eleven years of dates, 3% undated, 3% negated,
2% hypothetical. Prints one line per analysis: best of ``--repeat`` runs, and the rows it gave.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from eventscope.analysis import (
    actor_network,
    dyad_series,
    escalation_alerts,
    overview,
    top_actors,
    top_dyads,
    top_event_types,
)
from eventscope.query import EventFilter, count_events, events_arrow
from eventscope.store import open_store
from eventscope.store.synthetic import ensure_synthetic_store


def timed(name: str, fn, repeat: int) -> None:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    size = result if isinstance(result, int) else len(result)
    print(f"{name:<58} {best * 1000:9.0f} ms  {size:>9,} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--db", type=Path, default=None, help="store to build or reuse")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / "eventscope-bench" / f"synthetic-{args.events}.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if ensure_synthetic_store(db, args.events):
        print(f"built {args.events:,} events into {db} in {time.perf_counter() - started:.1f} s "
              f"({db.stat().st_size / 1e6:.0f} MB)")
    with open_store(db, read_only=True) as store:
        n = count_events(store, EventFilter(include_negated=True, include_hypothetical=True))
        print(f"{n:,} events in {db}; best of {args.repeat} runs, Python {sys.version.split()[0]}")
        year = EventFilter(since="2024-01-01", until="2024-12-31")
        runs = [
            ("dyad_series IRN->ISR by month", lambda: dyad_series(store, "IRN", "ISR", by="month")),
            ("dyad_series IRN<->ISR by week, both directions",
             lambda: dyad_series(store, "IRN", "ISR", by="week", both_directions=True)),
            ("dyad_series USA->CHN by day", lambda: dyad_series(store, "USA", "CHN", by="day")),
            ("top_dyads 20 (country)", lambda: top_dyads(store, n=20)),
            ("top_dyads 20 (full codes)", lambda: top_dyads(store, n=20, level="code")),
            ("top_actors 20", lambda: top_actors(store, n=20)),
            ("top_event_types 20 by code", lambda: top_event_types(store, n=20)),
            ("actor_network (country, all dyads)", lambda: actor_network(store).edges),
            ("actor_network 2024, min 50 events", lambda: actor_network(store, year, min_events=50).edges),
            ("escalation_alerts weekly, window 8, k 3 (all dyads)", lambda: escalation_alerts(store)),
            ("escalation_alerts monthly, window 6", lambda: escalation_alerts(store, by="month", window=6)),
            ("escalation_alerts weekly, periods since 2024-10-01",
             lambda: escalation_alerts(store, EventFilter(since="2024-10-01"))),
            ("overview (stats), top 10", lambda: overview(store)["top_actors"]),
            ("events IRN->ISR 2024 to Arrow",
             lambda: events_arrow(store, EventFilter(source="IRN", target="ISR", since="2024-01-01"))),
            ("count_events (all asserted)", lambda: count_events(store)),
        ]
        for name, fn in runs:
            timed(name, fn, args.repeat)


if __name__ == "__main__":
    main()
