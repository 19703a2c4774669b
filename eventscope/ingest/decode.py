"""Byte-level checks every reader shares: size, emptiness, binary content, text decoding.

A reader calls ``load_file`` and gets either the decoded text or a status that says why there is
none (``empty``, ``too_large``, ``binary``, ``unparseable``). Nothing here raises on bad input.
A file whose name ends in ``.gz`` is read through gzip; its limits apply to the decompressed bytes,
counted while decompressing (a small file that inflates to gigabytes costs nothing).
"""

from __future__ import annotations

import codecs
import gzip
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from eventscope.model import (
    STATUS_BINARY,
    STATUS_EMPTY,
    STATUS_OK,
    STATUS_TOO_LARGE,
    STATUS_UNPARSEABLE,
)

DEFAULT_MAX_BYTES = 5_000_000  # the largest article (file, JSON line, dump row, fetched page) read
GZIP_SUFFIX = ".gz"
# what reading a file can raise: OSError (gzip.BadGzipFile is one), and from a damaged gzip stream
# EOFError (truncated) or zlib.error (corrupt data)
READ_ERRORS = (OSError, EOFError, zlib.error)
SNIFF_BYTES = 8192  # binary detection looks at this much of the start of a file
MAX_CONTROL_SHARE = 0.30
# Control bytes that plain text does contain: tab, newline, carriage return, form feed.
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")
_CONTROL_BYTES = (frozenset(range(0x20)) - _TEXT_CONTROLS) | {0x7F}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)


@dataclass
class LoadedFile:
    """What a reader gets back: the bytes and their text, or a status saying why not."""

    status: str
    reason: str | None = None
    data: bytes = b""
    text: str = ""
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK


def has_utf16_bom(data: bytes) -> bool:
    return data.startswith(_UTF16_BOMS)


def looks_binary(head: bytes) -> bool:
    """True when ``head`` (the first bytes of a file) is not text: a NUL byte, or too many controls."""
    if not head or has_utf16_bom(head):
        return False  # UTF-16 text is full of NULs; its BOM tells us it is text
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    return controls > MAX_CONTROL_SHARE * len(head)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first 2 KiB (``<meta charset>``, XML decl)."""
    match = _CHARSET_RE.search(data[:2048])
    if not match:
        match = re.search(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", data[:512])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes; return (text, encoding used).

    Order: UTF-8 (BOM stripped), UTF-16 with a BOM, the document's declared charset if any,
    cp1252 (what most non-UTF-8 Western text is), and latin-1, which never fails.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif has_utf16_bom(data):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = [declared] if declared and declared not in ("utf-8", "utf-16") else []
    for encoding in [*candidates, "cp1252"]:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1"), "latin-1"


def decoding_note(encoding: str | None) -> str | None:
    """The reason text for a file that was not UTF-8 (status stays ok)."""
    if encoding in (None, "utf-8", "utf-16"):
        return None
    return f"decoded as {encoding} (not valid UTF-8)"


def check_bytes(data: bytes, max_bytes: int, *, declared: str | None = None) -> LoadedFile:
    """The shared checks on bytes already in memory (a file, or one JSONL line)."""
    if len(data) > max_bytes:
        return LoadedFile(STATUS_TOO_LARGE, f"{len(data):,} bytes is over the limit of {max_bytes:,}")
    if not data.strip():
        return LoadedFile(STATUS_EMPTY, "no text (empty or only whitespace)", data=data)
    if looks_binary(data[:SNIFF_BYTES]):
        return LoadedFile(STATUS_BINARY, "binary content (NUL or control bytes), not text", data=data)
    text, encoding = decode_bytes(data, declared)
    if not text.strip():
        return LoadedFile(STATUS_EMPTY, "no text (empty or only whitespace)", data=data, encoding=encoding)
    return LoadedFile(STATUS_OK, decoding_note(encoding), data=data, text=text, encoding=encoding)


def is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(GZIP_SUFFIX)


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes as a stream: decompressed on the fly when its name ends in ``.gz``."""
    return gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")


def read_error(exc: BaseException) -> str:
    """A reason for a failed read, in words: which file error, or which fault in the gzip stream."""
    if isinstance(exc, gzip.BadGzipFile):
        return f"not a valid gzip file ({exc})"
    if isinstance(exc, EOFError):
        return "the gzip file is truncated"
    if isinstance(exc, zlib.error):
        return f"the gzip data is corrupt ({exc})"
    return f"cannot read: {getattr(exc, 'strerror', None) or exc}"


def load_file(path: Path, max_bytes: int, *, use_declared_charset: bool = False) -> LoadedFile:
    """Read and check a whole file. The size is checked with stat first, so a huge file costs nothing
    (a gzip file: while it is decompressed, so it is never inflated past the limit)."""
    compressed = is_gzip(path)
    try:
        size = os.stat(path).st_size
        if size > max_bytes and not compressed:
            return LoadedFile(STATUS_TOO_LARGE, f"{size:,} bytes is over the limit of {max_bytes:,}")
        if size == 0:
            return LoadedFile(STATUS_EMPTY, "empty file (0 bytes)")
        with open_binary(path) as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except READ_ERRORS as exc:
        return LoadedFile(STATUS_UNPARSEABLE, read_error(exc))
    if compressed and len(data) > max_bytes:
        return LoadedFile(STATUS_TOO_LARGE, f"over the limit of {max_bytes:,} bytes once decompressed")
    declared = declared_charset(data) if use_declared_charset else None
    return check_bytes(data, max_bytes, declared=declared)


def sniff_file(path: Path) -> LoadedFile:
    """The checks that need only the start of a file (for readers that stream it, such as JSONL)."""
    try:
        size = os.stat(path).st_size
        if size == 0:
            return LoadedFile(STATUS_EMPTY, "empty file (0 bytes)")
        with open_binary(path) as handle:
            head = handle.read(SNIFF_BYTES)
    except READ_ERRORS as exc:
        return LoadedFile(STATUS_UNPARSEABLE, read_error(exc))
    if not head:
        return LoadedFile(STATUS_EMPTY, "empty file (0 bytes once decompressed)" if is_gzip(path) else "empty file")
    if looks_binary(head):
        return LoadedFile(STATUS_BINARY, "binary content (NUL or control bytes), not text", data=head)
    return LoadedFile(STATUS_OK, data=head)
