"""HTTP API latency on a large store: /events (first page, filtered page, deep cursor page, CSV page) and
/timeseries (all events, one dyad by day), plus the other aggregate endpoints, through a real uvicorn.

    PYTHONPATH=. python benchmarks/api.py [--events 1000000] [--db PATH] [--repeat 30]

The synthetic store (eventscope.store.synthetic, loaded through Arrow) is built once and reused when a store
with that many events is already at --db. Prints the build (or reuse) time, the store size, and per request
the median, 95th percentile, min and max latency over --repeat timed requests (after 3 warm-up requests),
with the items returned.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eventscope.query import EVENT_ORDER, encode_cursor  # noqa: E402
from eventscope.store.synthetic import ensure_synthetic_store  # noqa: E402


def deep_cursor(path: Path, fraction: float) -> str:
    """The cursor a client holds after paging through ``fraction`` of the asserted events."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        where = "WHERE NOT coalesce(negated, false) AND NOT coalesce(hypothetical, false)"
        n = con.execute(f"SELECT count(*) FROM events {where}").fetchone()[0]
        cur = con.execute(f"SELECT * FROM events {where} {EVENT_ORDER} LIMIT 1 OFFSET ?", [int(n * fraction)])
        names = [d[0] for d in cur.description]
        return encode_cursor(dict(zip(names, cur.fetchone(), strict=True)))
    finally:
        con.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "eventscope.cli", "serve", "--db", str(db), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not answer /health within 60 s")


def time_request(client: httpx.Client, path: str, params: dict, repeat: int) -> tuple[list[float], int, int]:
    for _ in range(3):
        client.get(path, params=params).raise_for_status()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(path, params=params)
        times.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
    body = r.json() if r.headers["content-type"].startswith("application/json") else None
    # items: the longest list in the answer (the edges rather than the nodes of a network), or CSV rows
    items = max((len(v) for v in body.values() if isinstance(v, list)), default=0) if body else r.text.count("\n") - 1
    return times, items, len(r.content)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=None, help="store to build or reuse")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / "eventscope-bench" / f"synthetic-{args.events}.duckdb"

    db.parent.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    if ensure_synthetic_store(db, args.events):
        print(f"store: built {db} with {args.events:,} events in {time.perf_counter() - t:.1f} s (Arrow load)")
    else:
        print(f"store: reusing {db} ({args.events:,} events)")
    print(f"store size: {db.stat().st_size / 1e6:.0f} MB")
    deep = deep_cursor(db, 0.9)

    port = free_port()
    t = time.perf_counter()
    proc = start_server(db, port)
    print(f"server: up in {time.perf_counter() - t:.1f} s on 127.0.0.1:{port}")
    cases = [
        ("/events first page (100)", "/events", {"limit": 100}),
        ("/events first page (1000)", "/events", {"limit": 1000}),
        ("/events filtered (source=IRN root=19)", "/events", {"source": "IRN", "root": "19", "limit": 100}),
        ("/events filtered (dyad, 2020, quad 4)", "/events",
         {"source": "USA", "target": "RUS", "since": "2020-01-01", "until": "2020-12-31", "quad_class": 4,
          "limit": 100}),
        ("/events deep cursor (90%)", "/events", {"cursor": deep, "limit": 100}),
        ("/events deep cursor, filtered", "/events", {"cursor": deep, "source": "USA", "limit": 100}),
        ("/events CSV page (1000)", "/events", {"format": "csv", "limit": 1000}),
        ("/timeseries all, by month", "/timeseries", {"by": "month"}),
        ("/timeseries USA<->RUS both directions, by week", "/timeseries",
         {"source": "USA", "target": "RUS", "by": "week", "both_directions": "true"}),
        ("/timeseries all, by day", "/timeseries", {"by": "day"}),
        ("/timeseries dyad USA->RUS, by day", "/timeseries", {"source": "USA", "target": "RUS", "by": "day"}),
        ("/timeseries IRN source, by week", "/timeseries", {"source": "IRN", "by": "week"}),
        ("/actors (50, country)", "/actors", {"n": 50}),
        ("/dyads (50, full codes)", "/dyads", {"n": 50, "level": "code"}),
        ("/network (country, 500 edges)", "/network", {"max_edges": 500}),
        ("/network (full codes, 500 edges)", "/network", {"max_edges": 500, "level": "code"}),
        ("/alerts (week, window 8, k 3)", "/alerts", {}),
        ("/alerts (month, window 6, k 2)", "/alerts", {"by": "month", "window": 6, "k": 2}),
        ("/stats", "/stats", {}),
    ]
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            print(f"\n{'request':<48}{'median ms':>10}{'p95 ms':>9}{'min ms':>9}{'max ms':>9}{'items':>8}{'bytes':>10}")
            for label, path, params in cases:
                times, items, size = time_request(client, path, params, args.repeat)
                q = statistics.quantiles(times, n=20)
                print(f"{label:<48}{statistics.median(times):>10.1f}{q[18]:>9.1f}{min(times):>9.1f}"
                      f"{max(times):>9.1f}{items:>8}{size:>10,}")
            # a client walking 50 pages from the deep cursor
            t = time.perf_counter()
            cursor, pages, seen = deep, 0, 0
            while cursor and pages < 50:
                r = client.get("/events", params={"cursor": cursor, "limit": 100}).json()
                cursor, pages, seen = r["next_cursor"], pages + 1, seen + r["count"]
            walk = time.perf_counter() - t
            print(f"\nwalk: {pages} consecutive pages of 100 from the 90% cursor in {walk:.2f} s "
                  f"({walk / pages * 1000:.1f} ms a page, {seen} events)")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
