"""JSON Lines dumps (.jsonl, .ndjson): one article object per line.

Fields: ``text`` (required), and optional ``title``, ``url``, ``date`` (YYYY-MM-DD or an ISO
datetime) and ``outlet``. The file is streamed line by line, so it may be far bigger than
``max_bytes``; only a single line over the limit is ``too_large`` (and is skipped without being
held in memory).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import BinaryIO

from eventscope.ingest.decode import check_bytes, has_utf16_bom, sniff_file
from eventscope.ingest.records import article_from_fields, make_article
from eventscope.model import STATUS_EMPTY, STATUS_TOO_LARGE, STATUS_UNPARSEABLE, Article

KIND = "jsonl"
_SKIP_CHUNK = 1 << 20


def _lines(handle: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; bytes is None for a line longer than ``max_bytes``."""
    number = 0
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass  # drain the rest of the oversized line in chunks
            yield number, None
            continue
        yield number, line


def read_jsonl_file(
    path: Path, *, source: str, fallback: str, max_bytes: int, default_date: date | None = None
) -> Iterator[Article]:
    def record(number: int | None, **fields) -> Article:
        where = f":line {number}" if number is not None else ""
        return make_article(
            source=f"{source}{where}",
            fallback=f"{fallback}{where}",
            kind=KIND,
            default_date=default_date,
            **fields,
        )

    sniffed = sniff_file(path)
    if not sniffed.ok:
        yield record(None, status=sniffed.status, reason=sniffed.reason)
        return
    if has_utf16_bom(sniffed.data):
        yield record(None, status=STATUS_UNPARSEABLE, reason="UTF-16 JSON Lines are not supported; use UTF-8")
        return

    produced = 0
    try:
        with open(path, "rb") as handle:
            for number, line in _lines(handle, max_bytes):
                if line is None:
                    produced += 1
                    yield record(
                        number,
                        status=STATUS_TOO_LARGE,
                        reason=f"line {number}: longer than the limit of {max_bytes:,} bytes",
                    )
                    continue
                if not line.strip():
                    continue  # blank lines separate nothing; skip them silently
                produced += 1
                yield _line_article(line, number, max_bytes, partial(record, number))
    except OSError as exc:
        produced += 1
        yield record(None, status=STATUS_UNPARSEABLE, reason=f"cannot read: {exc.strerror or exc}")
    if produced == 0:
        yield record(None, status=STATUS_EMPTY, reason="no JSON lines (only blank lines)")


def article_from_line(line: bytes, number: int, *, source: str, fallback: str, max_bytes: int,
                      default_date: date | None = None) -> Article:
    """The article of one JSON Lines line (its bytes, line number ``number``) of the file ``source``; Spark reads
    lines itself and makes their articles here, as ``read_jsonl_file`` does."""

    def record(**fields) -> Article:
        return make_article(source=f"{source}:line {number}", fallback=f"{fallback}:line {number}", kind=KIND,
                            default_date=default_date, **fields)

    if len(line) > max_bytes:
        return record(status=STATUS_TOO_LARGE, reason=f"line {number}: longer than the limit of {max_bytes:,} bytes")
    return _line_article(line, number, max_bytes, record)


def _line_article(line: bytes, number: int, max_bytes: int, record) -> Article:
    line = line.rstrip(b"\r\n")
    if number == 1 and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    loaded = check_bytes(line, max_bytes)
    if not loaded.ok:
        return record(status=loaded.status, reason=f"line {number}: {loaded.reason}")
    try:
        obj = json.loads(loaded.text)
    except ValueError as exc:  # JSONDecodeError, or an integer with too many digits
        return record(status=STATUS_UNPARSEABLE, reason=f"line {number}: invalid JSON ({exc})")
    except RecursionError:
        return record(status=STATUS_UNPARSEABLE, reason=f"line {number}: JSON nested too deeply")
    if not isinstance(obj, dict):
        return record(status=STATUS_UNPARSEABLE, reason=f"line {number}: a JSON {type(obj).__name__}, not an object")
    notes = [f"line {number}: {loaded.reason}"] if loaded.reason else []
    return article_from_fields(obj, f"line {number}", record, notes)
