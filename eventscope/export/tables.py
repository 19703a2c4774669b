"""CSV and Parquet exports: every stored column of the selected events (flags, location, story id and
counts), plus the CAMEO event name and the article's URL, outlet and publication date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventscope.export.selection import (
    ExportResult,
    code_lookup,
    connection,
    copy_to,
    registered,
    selected_events,
)
from eventscope.query import EventFilter

_OPTIONS = {"csv": "FORMAT csv, HEADER true", "parquet": "FORMAT parquet, COMPRESSION zstd"}


def export_table(store: Any, out: str | Path, flt: EventFilter | None = None, fmt: str = "csv") -> ExportResult:
    """Write the selected events as one CSV (RFC 4180, header line) or Parquet file."""
    if fmt not in _OPTIONS:
        raise ValueError(f"table format must be csv or parquet, not {fmt!r}")
    con = connection(store)
    try:
        with_clause, params = selected_events(flt)
        with registered(con, code_lookup(con, with_clause, params)) as codes:
            sql = f"""{with_clause}
                SELECT ev.* EXCLUDE (_rank), c.name AS event_name, a.url AS article_url, a.outlet AS article_outlet,
                       a.published AS article_published
                FROM ev LEFT JOIN articles a ON a.id = ev.article_id LEFT JOIN {codes} c ON c.code = ev.code
                ORDER BY ev._rank"""
            rows = copy_to(con, sql, params, out, _OPTIONS[fmt])
    finally:
        con.close()
    return ExportResult(fmt, str(out), rows)
