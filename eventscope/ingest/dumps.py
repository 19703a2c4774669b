"""Article dumps as tables: CSV (``.csv``) and Parquet (``.parquet``) files, one article a row.

Columns as in JSON Lines: ``text`` (required), and optional ``title``, ``url``, ``date`` and ``outlet``; names
are matched without regard to case, other columns are ignored, and a missing optional column is simply
absent. A row whose text is missing or blank is ``empty``; a row the file format cannot give (bad CSV
quoting, a row with more or fewer fields than the header, a row over ``max_bytes``) is recorded with its
status and reason and reading goes on. Rows are numbered from 1, the header not counted ("row 3").
Both are streamed (Parquet a row group batch at a time), so a dump may be far larger than memory.
A Parquet ``date`` may be a date, a string as in JSON Lines, or a timestamp: one without a zone counts by its
date as written, one with a zone (an instant) by its UTC date. ``eventscope spark`` reads Parquet dumps with
the same rules (``parquet_columns``, ``parquet_row_article``).
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from eventscope.ingest.decode import (
    READ_ERRORS,
    decode_bytes,
    decoding_note,
    has_utf16_bom,
    is_gzip,
    open_binary,
    read_error,
    sniff_file,
)
from eventscope.ingest.records import DUMP_FIELDS, fields_article, make_article
from eventscope.model import STATUS_EMPTY, STATUS_TOO_LARGE, STATUS_UNPARSEABLE, Article

if TYPE_CHECKING:
    import pyarrow as pa

CSV_KIND = "csv"
PARQUET_KIND = "parquet"
_PARQUET_BATCH = 256


def _recorder(source: str, fallback: str, kind: str, default_date: date | None) -> Callable[..., Article]:
    def record(number: int | None, **fields) -> Article:
        where = f":row {number}" if number is not None else ""
        return make_article(source=f"{source}{where}", fallback=f"{fallback}{where}", kind=kind,
                            default_date=default_date, **fields)

    return record


def _row_article(values: dict, number: int, max_bytes: int, record: Callable[..., Article],
                 notes: list[str] | None = None) -> Article:
    text = values.get("text")
    if text is None:
        text = ""  # a null in the text column: an empty row, not a malformed one
    if isinstance(text, str) and len(text) > max_bytes // 4 and len(text.encode("utf-8")) > max_bytes:
        return record(number, status=STATUS_TOO_LARGE,
                      reason=f"row {number}: text longer than the limit of {max_bytes:,} bytes")
    return fields_article({**values, "text": text}, where=f"row {number}", notes=notes or [],
                          record=partial(record, number))


# -- CSV -----------------------------------------------------------------------------------------------------


class _Oversized(Exception):
    """A physical line longer than the limit: it was skipped without being held in memory."""


class _BoundedLines:
    """The lines of a text stream for csv.reader, none longer than ``limit`` characters: a longer one is
    drained and signalled with _Oversized, after which reading can go on with the next line."""

    def __init__(self, handle: IO[str], limit: int) -> None:
        self.handle, self.limit = handle, limit

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.handle.readline(self.limit + 1)
        if not line:
            raise StopIteration
        if len(line) > self.limit and not line.endswith("\n"):
            while (rest := self.handle.readline(1 << 20)) and not rest.endswith("\n"):
                pass
            raise _Oversized
        return line


def _repair(value: str) -> tuple[str, str | None]:
    """A field read as UTF-8 with undecodable bytes kept as surrogates -> its text in the encoding that reads it."""
    try:
        value.encode("utf-8")
        return value, None
    except UnicodeEncodeError:
        text, encoding = decode_bytes(value.encode("utf-8", "surrogateescape"))
        return text, decoding_note(encoding)


def read_csv_file(
    path: Path, *, source: str, fallback: str, max_bytes: int, default_date: date | None = None
) -> Iterator[Article]:
    record = _recorder(source, fallback, CSV_KIND, default_date)
    sniffed = sniff_file(path)
    if not sniffed.ok:
        yield record(None, status=sniffed.status, reason=sniffed.reason)
        return
    if has_utf16_bom(sniffed.data):
        yield record(None, status=STATUS_UNPARSEABLE, reason="UTF-16 CSV files are not supported; use UTF-8")
        return
    # a field may be as long as an article; the limit only ever goes up (it is the csv module's global)
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))
    produced = 0
    try:
        with open_binary(path) as raw:
            # undecodable bytes are kept (as surrogates) and each field is repaired on its own, so one
            # cp1252 row does not spoil the file; delimiters and quotes are ASCII and parse the same
            handle = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
            for article in _csv_rows(_BoundedLines(handle, max_bytes), max_bytes, record):
                produced += 1
                yield article
    except READ_ERRORS as exc:
        produced += 1
        yield record(None, status=STATUS_UNPARSEABLE, reason=read_error(exc))
    if produced == 0:
        yield record(None, status=STATUS_EMPTY, reason="no rows (the file is empty or has only a header)")


def _csv_rows(lines: _BoundedLines, max_bytes: int, record: Callable[..., Article]) -> Iterator[Article]:
    header: list[str] | None = None
    number = 0
    reader = csv.reader(lines, strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except _Oversized:
            if header is None:
                yield record(None, status=STATUS_UNPARSEABLE, reason="the header line is over the size limit")
                return
            number += 1
            yield record(number, status=STATUS_TOO_LARGE,
                         reason=f"row {number}: a line longer than the limit of {max_bytes:,} bytes")
            reader = csv.reader(lines, strict=True)  # a fresh parser from the next line on
            continue
        except csv.Error as exc:
            if header is None:
                yield record(None, status=STATUS_UNPARSEABLE, reason=f"the header is not valid CSV ({exc})")
                return
            number += 1
            yield record(number, status=STATUS_UNPARSEABLE, reason=f"row {number}: not valid CSV ({exc})")
            continue
        if not row or (len(row) == 1 and not row[0].strip() and header is not None and len(header) > 1):
            continue  # a blank line
        if header is None:
            header = [_repair(name)[0].strip().lower() for name in row]
            if "text" not in header:
                shown = ", ".join(repr(h) for h in header[:12])
                yield record(None, status=STATUS_UNPARSEABLE,
                             reason=f"no 'text' column in the header (columns: {shown})")
                return
            continue
        number += 1
        if len(row) != len(header):
            yield record(number, status=STATUS_UNPARSEABLE,
                         reason=f"row {number}: {len(row)} fields where the header has {len(header)}")
            continue
        values: dict = {}
        notes: list[str] = []
        for name, value in zip(header, row, strict=True):
            if name in DUMP_FIELDS and name not in values:
                value, note = _repair(value)
                if note and f"row {number}: {note}" not in notes:
                    notes.append(f"row {number}: {note}")
                values[name] = value if value.strip() or name == "text" else None
        yield _row_article(values, number, max_bytes, record, notes)


# -- Parquet -------------------------------------------------------------------------------------------------


class DumpSchemaError(ValueError):
    """A Parquet dump whose columns cannot give articles (no text column, or one that does not hold text)."""


def parquet_columns(names: Sequence[str], non_text_type: Callable[[str], str | None]) -> dict[str, str]:
    """field (``DUMP_FIELDS``) -> the column that holds it, names matched without regard to case (the first of
    equal ones). ``non_text_type(column)`` is None for a column of strings, else the name of its type. Raises
    DumpSchemaError saying why the file gives no articles. Spark reads the same columns (eventscope.spark)."""
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(name.strip().lower(), name)
    if "text" not in by_lower:
        shown = ", ".join(repr(n) for n in names[:12])
        raise DumpSchemaError(f"no 'text' column (columns: {shown})")
    held = non_text_type(by_lower["text"])
    if held is not None:
        raise DumpSchemaError(f"the 'text' column holds {held}, not text")
    return {field: by_lower[field] for field in DUMP_FIELDS if field in by_lower}


def parquet_row_article(values: Mapping, number: int, *, source: str, fallback: str, max_bytes: int,
                        default_date: date | None = None) -> Article:
    """The article of row ``number`` (from 1) of the Parquet dump ``source``, as ``read_parquet_file`` makes it;
    ``values`` maps fields (``DUMP_FIELDS``) to the row's values. Spark reads the rows itself and makes their
    articles here."""
    return _parquet_article(values, number, max_bytes, _recorder(source, fallback, PARQUET_KIND, default_date))


def _parquet_article(values: Mapping, number: int, max_bytes: int, record: Callable[..., Article]) -> Article:
    when = values.get("date")
    if isinstance(when, datetime) and when.tzinfo is not None:
        # a timestamp with a zone is an instant: its UTC date (Spark, which keeps no zone, reads the same date)
        values = {**values, "date": when.astimezone(UTC)}
    return _row_article(dict(values), number, max_bytes, record)


def read_parquet_file(
    path: Path, *, source: str, fallback: str, max_bytes: int, default_date: date | None = None
) -> Iterator[Article]:
    record = _recorder(source, fallback, PARQUET_KIND, default_date)
    try:
        if path.stat().st_size == 0:
            yield record(None, status=STATUS_EMPTY, reason="empty file (0 bytes)")
            return
    except READ_ERRORS as exc:
        yield record(None, status=STATUS_UNPARSEABLE, reason=read_error(exc))
        return
    if not is_gzip(path):
        yield from _parquet_rows(path, max_bytes, record)
        return
    # Parquet needs to seek (its index is at the end): a .parquet.gz is inflated into a temporary file first
    try:
        with tempfile.TemporaryFile(prefix="eventscope-") as tmp:
            with open_binary(path) as compressed:
                shutil.copyfileobj(compressed, tmp, 1 << 20)
            tmp.seek(0)
            yield from _parquet_rows(tmp, max_bytes, record)
    except READ_ERRORS as exc:
        yield record(None, status=STATUS_UNPARSEABLE, reason=read_error(exc))


def _arrow_non_text(schema: pa.Schema) -> Callable[[str], str | None]:
    import pyarrow as pa

    def non_text_type(column: str) -> str | None:
        held = schema.field(column).type
        if (pa.types.is_string(held) or pa.types.is_large_string(held)
                or getattr(pa.types, "is_string_view", lambda _: False)(held)):
            return None
        return str(held)

    return non_text_type


def _parquet_rows(file: Path | IO[bytes], max_bytes: int, record: Callable[..., Article]) -> Iterator[Article]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(file)
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield record(None, status=STATUS_UNPARSEABLE, reason=f"not a readable Parquet file ({exc})")
        return
    try:
        wanted = parquet_columns(schema.names, _arrow_non_text(schema))
    except DumpSchemaError as exc:
        yield record(None, status=STATUS_UNPARSEABLE, reason=str(exc))
        return
    if parquet.metadata.num_rows == 0:
        yield record(None, status=STATUS_EMPTY, reason="no rows")
        return
    number = 0  # rows numbered from 1 in file order, as Spark numbers them (its _metadata.row_index + 1)
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH, columns=list(wanted.values())):
            for row in batch.to_pylist():
                number += 1
                values = {field: row.get(column) for field, column in wanted.items()}
                yield _parquet_article(values, number, max_bytes, record)
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield record(None, status=STATUS_UNPARSEABLE,
                     reason=f"rows after row {number} could not be read ({exc})")


def parquet_rows(path: Path) -> int | None:
    """How many rows a Parquet file holds (from its footer), or None when it cannot be read that way (a
    damaged or gzipped file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if is_gzip(path):
        return None
    try:
        return pq.read_metadata(path).num_rows
    except (pa.ArrowException, OSError, ValueError):
        return None
