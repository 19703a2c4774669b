"""Parquet article dumps (.parquet): one article a row, with the fields of a JSON Lines dump.

Columns: ``text`` (required, a string), and optional ``title``, ``url``, ``outlet`` (strings) and ``date`` (a
date, a timestamp, or a string as in JSON Lines); other columns are ignored. The file is read a batch of rows at
a time, so it may be far bigger than ``max_bytes``; only a single text over the limit is ``too_large``.
Timestamps with a time zone count by their UTC date (as Spark reads them, see eventscope.spark).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path

from eventscope.ingest.records import RECORD_FIELDS, article_from_fields, make_article
from eventscope.model import STATUS_EMPTY, STATUS_TOO_LARGE, STATUS_UNPARSEABLE, Article

KIND = "parquet"
BATCH_ROWS = 1024


def article_from_row(row: Mapping, number: int, *, source: str, fallback: str, max_bytes: int,
                     default_date: date | None = None) -> Article:
    """The article of row ``number`` (from 1) of the Parquet file ``source``: ``row`` maps column names to
    values. Spark reads rows itself and makes their articles here, as ``read_parquet_file`` does."""

    def record(**fields) -> Article:
        return make_article(source=f"{source}:row {number}", fallback=f"{fallback}:row {number}", kind=KIND,
                            default_date=default_date, **fields)

    text = row.get("text")
    if isinstance(text, str) and len(text) * 4 > max_bytes and len(text.encode("utf-8")) > max_bytes:
        return record(status=STATUS_TOO_LARGE, reason=f"row {number}: a text longer than the limit of "
                      f"{max_bytes:,} bytes")
    when = row.get("date")
    if isinstance(when, datetime) and when.tzinfo is not None:
        row = {**row, "date": when.astimezone(UTC)}
    return article_from_fields(row, f"row {number}", record)


def read_parquet_file(
    path: Path, *, source: str, fallback: str, max_bytes: int, default_date: date | None = None
) -> Iterator[Article]:
    def problem(status: str, reason: str) -> Article:
        return make_article(source=source, fallback=fallback, kind=KIND, status=status, reason=reason,
                            default_date=default_date)

    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        yield problem(STATUS_UNPARSEABLE, f"not a readable Parquet file: {exc}")
        return
    with handle:
        names = handle.schema_arrow.names
        if "text" not in names:
            yield problem(STATUS_UNPARSEABLE, f"no 'text' column (columns: {', '.join(names) or 'none'})")
            return
        if handle.metadata.num_rows == 0:
            yield problem(STATUS_EMPTY, "no rows")
            return
        number = 0
        try:
            for batch in handle.iter_batches(batch_size=BATCH_ROWS, columns=[f for f in RECORD_FIELDS if f in names]):
                for row in batch.to_pylist():
                    number += 1
                    yield article_from_row(row, number, source=source, fallback=fallback, max_bytes=max_bytes,
                                           default_date=default_date)
        except (pa.ArrowException, OSError) as exc:
            yield make_article(source=f"{source}:row {number + 1}", fallback=f"{fallback}:row {number + 1}",
                               kind=KIND, status=STATUS_UNPARSEABLE, default_date=default_date,
                               reason=f"cannot read the rows after row {number}: {exc}")


def parquet_rows(path: Path) -> int | None:
    """How many rows a Parquet file holds (from its footer), or None when it cannot be read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_metadata(path).num_rows
    except (pa.ArrowException, OSError):
        return None
