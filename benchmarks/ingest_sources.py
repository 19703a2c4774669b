"""How fast the source readers turn inputs into Article records (ingest only: no cleaning, no coding).

Writes N synthetic articles as JSONL, CSV and Parquet (plain and .gz) into a temporary folder, serves M pages
from a local HTTP server, and prints records per second and the peak of Python memory while reading each. Usage:

    PYTHONPATH=. python benchmarks/ingest_sources.py [--rows 50000] [--pages 300]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from newsserver import NewsServer, Route  # noqa: E402

from eventscope.ingest import iter_articles  # noqa: E402
from eventscope.ingest.web import Fetcher, FetchSettings  # noqa: E402

SENTENCE = "Officials in {city} said the foreign minister met his counterpart on Tuesday to discuss trade. "
CITIES = ["Nairobi", "Tehran", "Berlin", "Manila", "Tallinn", "Lima", "Hanoi", "Accra"]


def rows(n: int) -> list[dict]:
    return [{"text": (SENTENCE.format(city=CITIES[i % len(CITIES)]) * 8) + f"Story {i}.",
             "title": f"Story {i}", "url": f"https://example.org/story/{i}", "date": "2025-05-02",
             "outlet": "Example Wire"} for i in range(n)]


def timed(label: str, inputs: list, fetcher: Fetcher | None = None) -> None:
    def read() -> tuple[int, int]:
        n = ok = 0
        for article in iter_articles([str(i) for i in inputs], fetcher=fetcher):
            n += 1
            ok += article.ok
        return n, ok

    started = time.perf_counter()
    n, ok = read()
    elapsed = time.perf_counter() - started
    tracemalloc.start()  # a second pass for memory: Python's allocations at their peak while reading
    read()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"{label:<20} {n:>7} records ({ok} ok) {elapsed:6.2f} s {n / elapsed:>8.0f} records/s  "
          f"peak {peak:5.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    data = rows(args.rows)
    folder = Path(tempfile.mkdtemp(prefix="eventscope-bench-"))
    try:
        jsonl = folder / "dump.jsonl"
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in data), encoding="utf-8")
        with (folder / "dump.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(data[0]))
            writer.writeheader()
            writer.writerows(data)
        pq.write_table(pa.Table.from_pylist(data), folder / "dump.parquet")
        for name in ("dump.jsonl", "dump.csv"):
            (folder / (name + ".gz")).write_bytes(gzip.compress((folder / name).read_bytes(), compresslevel=6))
        size = jsonl.stat().st_size / 1e6
        print(f"{args.rows} articles, {size:.1f} MB as JSONL")
        for name in ("dump.jsonl", "dump.jsonl.gz", "dump.csv", "dump.csv.gz", "dump.parquet"):
            timed(name, [folder / name])

        page = ("<html><head><title>Story</title><meta property='article:published_time' content='2025-05-02'>"
                "</head><body><article>" + "".join(f"<p>{SENTENCE.format(city=c)}</p>" for c in CITIES)
                + "</article></body></html>").encode()
        with NewsServer() as server:
            for i in range(args.pages):
                server.routes[f"/story/{i}"] = Route(page)
            urls = [server.url(f"/story/{i}") for i in range(args.pages)]
            timed("pages by URL", urls, Fetcher(FetchSettings(min_interval=0)))
            (folder / "pages").mkdir()
            for i in range(args.pages):
                (folder / "pages" / f"{i}.html").write_bytes(page)
            timed("same pages as files", [folder / "pages"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
