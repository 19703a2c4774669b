"""Exports of stored events to the formats other tools read: GDELT 2.0 events and mentions, ICEWS coded
events, PLOVER JSON records, CSV and Parquet. Every export takes an ``EventFilter`` (by default: the
asserted events, i.e. not negated and not merely possible) and writes in the stable event order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventscope.export.selection import ExportResult
from eventscope.query import EventFilter

__all__ = ["EXPORT_FORMATS", "ExportResult", "export_events"]

EXPORT_FORMATS = ("gdelt", "gdelt-mentions", "icews", "plover", "parquet", "csv")


def export_events(store: Any, fmt: str, out: str | Path, flt: EventFilter | None = None) -> ExportResult:
    """Write the events ``flt`` selects from ``store`` (a DuckDB store) to ``out`` in format ``fmt``."""
    if fmt == "gdelt":
        from eventscope.export.gdelt import export_gdelt_events

        return export_gdelt_events(store, out, flt)
    if fmt == "gdelt-mentions":
        from eventscope.export.gdelt import export_gdelt_mentions

        return export_gdelt_mentions(store, out, flt)
    if fmt == "icews":
        from eventscope.export.icews import export_icews

        return export_icews(store, out, flt)
    if fmt == "plover":
        from eventscope.export.plover import export_plover

        return export_plover(store, out, flt)
    if fmt in ("csv", "parquet"):
        from eventscope.export.tables import export_table

        return export_table(store, out, flt, fmt)
    raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
