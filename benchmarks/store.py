"""The event store at scale: 10 million synthetic events in DuckDB, the load rate, and the two queries analysts
run most, each timed.

    python benchmarks/store.py [--events 10000000] [--db PATH] [--json OUT]

The store is the project's synthetic store (``eventscope.store.synthetic``, the one the API and export
benchmarks use): events with realistic skew (a few hundred actor codes drawn from a Zipf-like law, eleven years
of dates, every CAMEO code), stories reported by one to six articles with their ``event_mentions`` rows (about
two an event) and articles, loaded through Arrow. The load rate counts events a second, their mentions and
articles included. Then, each timed cold (first run) and warm (median of five):

- a dyad-by-month series: events, mentions and mean Goldstein per month for one dyad (IRN -> SYR, both ways);
- the top dyads: the 20 most active source-target pairs over a year, with their mentions;
- ``eventscope.query.query_events`` for one dyad and year, first page of 100 (what the CLI and the API run).

Also ``DuckDBStore.write`` (the pipeline's path: one transaction a batch, with event mentions and counts) on a
smaller sample, in events a second. Target: under 0.2 s a query.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventscope.model import Actor, Article, CodedArticle, Event, EventDate  # noqa: E402
from eventscope.query import EventFilter, query_events  # noqa: E402
from eventscope.store import open_store  # noqa: E402
from eventscope.store.synthetic import build_synthetic_store  # noqa: E402


def _timed(fn, repeat: int = 5) -> tuple[float, float, object]:
    t = time.perf_counter()
    result = fn()
    cold = time.perf_counter() - t
    warm = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - t)
    return cold, statistics.median(warm), result


def _write_rate(tmp: Path, n_articles: int = 2000, per_article: int = 10) -> float:
    """Events a second through DuckDBStore.write, batches of 32 articles as the pipeline writes them."""
    irn, syr = Actor("IRNGOV", "IRN", ("GOV",)), Actor("SYRGOV", "SYR", ("GOV",))
    batches, batch = [], []
    for i in range(n_articles):
        art = Article(id=f"bench-{i}", text="x" * 200, story_id=f"story-{i // 3}", outlet=f"outlet {i % 7}",
                      published=date(2024, 1, 1) + timedelta(days=i % 365))
        c = CodedArticle(art, sentences=[(0, 10)] * per_article)
        for s in range(per_article):
            c.events.append(Event(art.id, s, 0, 10, "evidence", irn, syr, f"0{s % 9 + 1}0", rule="bench",
                                  quad_class=1, goldstein=1.0, date=EventDate(art.published, "day", "x")))
        batch.append(c)
        if len(batch) == 32:
            batches.append(batch)
            batch = []
    batches.append(batch)
    with open_store(tmp / "write.duckdb") as store:
        run_id = store.start_run({})
        t = time.perf_counter()
        for b in batches:
            store.write(run_id, b)
        elapsed = time.perf_counter() - t
    return n_articles * per_article / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--db", type=Path, help="store file (default: a temporary one, removed afterwards)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "store.duckdb"
        if db.exists():
            db.unlink()  # a fresh store: the load is timed from empty
        t = time.perf_counter()
        loaded = build_synthetic_store(db, args.events)
        load_s = time.perf_counter() - t
        with open_store(db) as store:
            con = store.connection
            con.execute("CHECKPOINT").fetchall()
            n_mentions = con.execute("SELECT count(*) FROM event_mentions").fetchone()[0]
            print(f"loaded {loaded:,} events ({n_mentions:,} mentions) in {load_s:.1f} s: "
                  f"{loaded / load_s:,.0f} events/s ({db.stat().st_size / 1e6:,.0f} MB on disk)")
            dyad_sql = """SELECT date_trunc('month', event_date) AS month, count(*) AS events,
                                 sum(num_mentions) AS mentions, avg(goldstein) AS goldstein
                          FROM events WHERE asserted AND ((source_country = ? AND target_country = ?)
                                                          OR (source_country = ? AND target_country = ?))
                          GROUP BY month ORDER BY month"""
            top_sql = """SELECT source_code, target_code, count(*) AS events, sum(num_mentions) AS mentions
                         FROM events WHERE asserted AND event_date BETWEEN ? AND ?
                         GROUP BY source_code, target_code ORDER BY events DESC LIMIT 20"""
            cold_d, warm_d, series = _timed(lambda: store.fetch(dyad_sql, ["IRN", "SYR", "SYR", "IRN"]))
            cold_t, warm_t, top = _timed(lambda: store.fetch(top_sql, [date(2023, 1, 1), date(2023, 12, 31)]))
            flt = EventFilter(source="IRN", target="SYR", since=date(2023, 1, 1), until=date(2023, 12, 31), limit=100)
            cold_q, warm_q, page = _timed(lambda: query_events(store, flt))
            print(f"dyad-by-month series (IRN<->SYR, {len(series)} months): cold {cold_d:.3f} s, warm {warm_d:.3f} s")
            print(f"top 20 dyads of 2023 (first: {top[0]['source_code']}->{top[0]['target_code']}, "
                  f"{top[0]['events']:,} events): cold {cold_t:.3f} s, warm {warm_t:.3f} s")
            print(f"query_events IRN->SYR 2023, first 100: cold {cold_q:.3f} s, warm {warm_q:.3f} s")
        write_rate = _write_rate(Path(tmp))
        print(f"DuckDBStore.write (pipeline path, batches of 32 articles): {write_rate:,.0f} events/s")
    figures = {
        "events": loaded, "event_mentions": n_mentions, "cores": os.cpu_count(),
        "load_events_per_s": round(loaded / load_s),
        "dyad_month_series_s": {"cold": round(cold_d, 4), "warm": round(warm_d, 4)},
        "top_dyads_s": {"cold": round(cold_t, 4), "warm": round(warm_t, 4)},
        "query_events_page_s": {"cold": round(cold_q, 4), "warm": round(warm_q, 4)},
        "write_events_per_s": round(write_rate), "target_query_s": 0.2,
    }
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
