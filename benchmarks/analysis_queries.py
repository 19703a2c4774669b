"""How long the analyses take on a big store: builds (once) a synthetic store of N events and times each analysis.

    PYTHONPATH=. python benchmarks/analysis_queries.py [--events 10000000] [--db /tmp/bench_analysis.duckdb]

The events are generated in DuckDB (skewed actor popularity: a few countries in most events, as in news;
CAMEO codes with their quad class and Goldstein; ten years of dates; 2% negated, 2% hypothetical), written
into a store with the real schema. Prints one line per analysis: best of ``--repeat`` runs, and the rows it gave.
"""

from __future__ import annotations

import argparse
import sys
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

# the busiest actors first: the generator picks low indexes most often
BUSY = ["USA", "RUS", "UKR", "CHN", "ISR", "IRN", "PSE", "SYR", "TUR", "GBR", "FRA", "DEU", "IND", "PAK", "SAU",
        "IRQ", "LBN", "EGY", "JPN", "KOR", "PRK", "AFG", "YEM", "SDN", "NGA", "KEN", "ETH", "BRA", "MEX", "VEN"]


def build(path: Path, n: int) -> None:
    import pycountry

    from eventscope.ontology import Ontology

    countries = BUSY + sorted({c.alpha_3 for c in pycountry.countries} - set(BUSY))
    codes = [t for t in Ontology.load().event_types() if t.quad_class and t.goldstein is not None]
    started = time.perf_counter()
    with open_store(path) as store:
        con = store.connection
        con.execute("CREATE TEMP TABLE bench_countries (idx INTEGER, code VARCHAR)")
        con.executemany("INSERT INTO bench_countries VALUES (?, ?)", list(enumerate(countries)))
        con.execute(
            "CREATE TEMP TABLE bench_codes (idx INTEGER, code VARCHAR, root VARCHAR, quad INTEGER, goldstein DOUBLE)"
        )
        con.executemany("INSERT INTO bench_codes VALUES (?, ?, ?, ?, ?)",
                        [(i, t.code, t.root, t.quad_class, t.goldstein) for i, t in enumerate(codes)])
        con.execute("SELECT setseed(0.42)")
        con.execute(
            """
            INSERT INTO events (id, article_id, sentence_index, start_char, end_char, evidence, source_code,
                                source_country, target_code, target_country, code, root, quad_class, goldstein,
                                event_date, date_precision, rule, negated, reported, hypothetical, intent, asserted,
                                confidence)
            WITH r AS (
                SELECT i, floor(pow(random(), 3) * ?)::INTEGER AS si, floor(pow(random(), 3) * ?)::INTEGER AS ti,
                       floor(random() * ?)::INTEGER AS ci, floor(random() * 3652)::INTEGER AS d,
                       random() AS f, random() AS g
                FROM range(?) t(i)
            )
            SELECT printf('%016x', i), printf('a%015x', i // 4), (i % 4)::INTEGER, 0, 40, 'synthetic sentence',
                   s.code || CASE WHEN f < 0.3 THEN 'GOV' WHEN f < 0.45 THEN 'MIL' ELSE '' END, s.code,
                   t.code || CASE WHEN g < 0.25 THEN 'GOV' WHEN g < 0.35 THEN 'CVL' ELSE '' END, t.code,
                   c.code, c.root, c.quad, c.goldstein, DATE '2015-01-01' + d, 'day', 'bench',
                   g > 0.98, f > 0.8, g BETWEEN 0.96 AND 0.98, false, g <= 0.96, 1.0
            FROM r
            JOIN bench_countries s ON s.idx = r.si
            JOIN bench_countries t ON t.idx = r.ti
            JOIN bench_codes c ON c.idx = r.ci
            """,
            [len(countries), len(countries), len(codes), n],
        )
        con.execute("CHECKPOINT")
    print(f"built {n:,} events into {path} in {time.perf_counter() - started:.1f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)")


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
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench_analysis.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.events)
    with open_store(args.db, read_only=True) as store:
        n = count_events(store, EventFilter(include_negated=True, include_hypothetical=True))
        print(f"{n:,} events in {args.db}; best of {args.repeat} runs, Python {sys.version.split()[0]}")
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
