"""JSON Lines dumps (.jsonl, .ndjson): one article object per line.

Fields: ``text`` (required), and optional ``title``, ``url``, ``date`` (YYYY-MM-DD or an ISO
datetime) and ``outlet``. The file is streamed line by line, so it may be far bigger than
``max_bytes``; only a single line over the limit is ``too_large`` (and is skipped without being
held in memory).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from eventscope.ingest.decode import READ_ERRORS, check_bytes, has_utf16_bom, open_binary, read_error, sniff_file
from eventscope.ingest.records import fields_article, make_article
from eventscope.model import (
    STATUS_EMPTY,
    STATUS_TOO_LARGE,
    STATUS_UNPARSEABLE,
    Article,
)

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


def _recorder(source: str, fallback: str, default_date: date | None) -> Callable[..., Article]:
    def record(number: int | None, **fields) -> Article:
        where = f":line {number}" if number is not None else ""
        return make_article(
            source=f"{source}{where}",
            fallback=f"{fallback}{where}",
            kind=KIND,
            default_date=default_date,
            **fields,
        )

    return record


def read_jsonl_file(
    path: Path, *, source: str, fallback: str, max_bytes: int, default_date: date | None = None
) -> Iterator[Article]:
    record = _recorder(source, fallback, default_date)
    sniffed = sniff_file(path)
    if not sniffed.ok:
        yield record(None, status=sniffed.status, reason=sniffed.reason)
        return
    if has_utf16_bom(sniffed.data):
        yield record(None, status=STATUS_UNPARSEABLE, reason="UTF-16 JSON Lines are not supported; use UTF-8")
        return

    produced = 0
    try:
        with open_binary(path) as handle:
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
                yield _line_article(line, number, max_bytes, record)
    except READ_ERRORS as exc:
        produced += 1
        yield record(None, status=STATUS_UNPARSEABLE, reason=read_error(exc))
    if produced == 0:
        yield record(None, status=STATUS_EMPTY, reason="no JSON lines (only blank lines)")


def article_from_line(line: bytes, number: int, *, source: str, fallback: str, max_bytes: int,
                      default_date: date | None = None) -> Article:
    """The article of line ``number`` (its bytes, without or with its line break) of the JSON Lines file
    ``source``, as ``read_jsonl_file`` makes it: Spark reads the lines itself and makes their articles here."""
    record = _recorder(source, fallback, default_date)
    if len(line.removesuffix(b"\n")) > max_bytes:  # the limit ``_lines`` applies
        return record(number, status=STATUS_TOO_LARGE,
                      reason=f"line {number}: longer than the limit of {max_bytes:,} bytes")
    return _line_article(line, number, max_bytes, record)


def _line_article(line: bytes, number: int, max_bytes: int, record) -> Article:
    line = line.rstrip(b"\r\n")
    if number == 1 and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    loaded = check_bytes(line, max_bytes)
    if not loaded.ok:
        return record(number, status=loaded.status, reason=f"line {number}: {loaded.reason}")
    try:
        obj = json.loads(loaded.text)
    except ValueError as exc:  # JSONDecodeError, or an integer with too many digits
        return record(number, status=STATUS_UNPARSEABLE, reason=f"line {number}: invalid JSON ({exc})")
    except RecursionError:
        return record(number, status=STATUS_UNPARSEABLE, reason=f"line {number}: JSON nested too deeply")
    if not isinstance(obj, dict):
        return record(
            number,
            status=STATUS_UNPARSEABLE,
            reason=f"line {number}: a JSON {type(obj).__name__}, not an object",
        )
    notes = [f"line {number}: {loaded.reason}"] if loaded.reason else []
    return fields_article(obj, where=f"line {number}", notes=notes, record=lambda **fields: record(number, **fields))
