"""Export time on a large store: every `eventscope export` format over a synthetic store of N events.

    PYTHONPATH=. python benchmarks/export.py [--events 1000000] [--db PATH] [--out DIR]

Reuses the store benchmarks/api.py builds (same default path). Prints, per format, the seconds taken, rows
written, file size and rows per second.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eventscope.export import EXPORT_FORMATS, export_events  # noqa: E402
from eventscope.store import open_store  # noqa: E402
from eventscope.store.synthetic import ensure_synthetic_store  # noqa: E402

SUFFIX = {"gdelt": "export.CSV", "gdelt-mentions": "mentions.CSV", "icews": "tab", "plover": "jsonl",
          "parquet": "parquet", "csv": "csv"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None, help="folder for the exported files (default: a temp dir)")
    args = ap.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / "eventscope-bench" / f"synthetic-{args.events}.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    if ensure_synthetic_store(db, args.events):
        print(f"store: built {db} with {args.events:,} events in {time.perf_counter() - t:.1f} s")
    else:
        print(f"store: reusing {db} ({args.events:,} events)")
    with tempfile.TemporaryDirectory() as tmp, open_store(db, read_only=True) as store:
        out_dir = args.out or Path(tmp)
        print(f"\n{'format':<16}{'seconds':>9}{'rows':>11}{'MB':>8}{'rows/s':>11}")
        for fmt in EXPORT_FORMATS:
            out = out_dir / f"events.{SUFFIX[fmt]}"
            t = time.perf_counter()
            result = export_events(store, fmt, out)
            dt = time.perf_counter() - t
            print(f"{fmt:<16}{dt:>9.1f}{result.rows:>11,}{out.stat().st_size / 1e6:>8.0f}{result.rows / dt:>11,.0f}")


if __name__ == "__main__":
    main()
