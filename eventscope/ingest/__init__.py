"""ingest: files and folders -> Article records holding the raw extracted text.

Every input gives at least one record: a file that cannot be read still gets one, with a status
(``empty``, ``binary``, ``too_large``, ``unparseable``) and a reason, so that a run over a folder
accounts for every file and never stops on a bad one. Cleaning the text is the next stage.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from eventscope.ingest.feeds import read_feed_file
from eventscope.ingest.html import read_html_file
from eventscope.ingest.jsonl import read_jsonl_file
from eventscope.ingest.parquet import read_parquet_file
from eventscope.ingest.records import make_article
from eventscope.ingest.text import read_text_file
from eventscope.model import STATUS_ERROR, STATUS_UNPARSEABLE, Article

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED", "iter_articles"]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000
SUPPORTED = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".parquet": "parquet",
}

Reader = Callable[..., Iterator[Article]]
READERS: dict[str, Reader] = {
    "txt": read_text_file,
    "html": read_html_file,
    "jsonl": read_jsonl_file,
    "feed": read_feed_file,
    "parquet": read_parquet_file,
}


def iter_articles(
    paths: Iterable[str | Path] | str | Path,
    *,
    default_date: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article]:
    """Articles from files and folders (walked recursively, sorted by name, hidden entries skipped).

    ``default_date`` is the publication date of articles whose source gives none.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]  # a lone path, not an iterable of characters
    for given in paths:
        yield from _iter_path(Path(given), default_date, max_bytes)


def _iter_path(path: Path, default_date: date | None, max_bytes: int) -> Iterator[Article]:
    def problem(reason: str) -> Article:
        return make_article(
            status=STATUS_UNPARSEABLE,
            reason=reason,
            source=str(path),
            fallback=_absolute(path),
            kind=None,
            default_date=default_date,
        )

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        yield problem(f"no such file or directory: {path}")
        return
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        yield problem(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}")
        return
    if stat.S_ISDIR(mode):
        yield from _walk(path, default_date, max_bytes, seen=set())
    elif stat.S_ISREG(mode):
        yield from _read_file(path, default_date, max_bytes)
    else:
        yield problem(f"not a regular file or directory: {path}")


def _walk(folder: Path, default_date: date | None, max_bytes: int, seen: set[str]) -> Iterator[Article]:
    seen.add(os.path.realpath(folder))  # a symlinked folder is read once, and a link loop ends
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield make_article(
            status=STATUS_UNPARSEABLE,
            reason=f"cannot list folder: {exc.strerror or exc}",
            source=str(folder),
            fallback=_absolute(folder),
            kind=None,
            default_date=default_date,
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError:
            continue
        if is_dir:
            if os.path.realpath(path) not in seen:
                yield from _walk(path, default_date, max_bytes, seen)
        elif is_file:
            yield from _read_file(path, default_date, max_bytes)
        # Sockets, FIFOs, devices and dangling links in a folder are not documents: skipped.


def _read_file(path: Path, default_date: date | None, max_bytes: int) -> Iterator[Article]:
    source, fallback = str(path), _absolute(path)
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        what = f"'{path.suffix}'" if path.suffix else "(no extension)"
        yield make_article(
            status=STATUS_UNPARSEABLE,
            reason=f"unsupported file type {what} (supported: {', '.join(SUPPORTED)})",
            source=source,
            fallback=fallback,
            kind=None,
            default_date=default_date,
        )
        return
    reader = READERS[kind]
    produced = 0
    try:
        for article in reader(
            path, source=source, fallback=fallback, max_bytes=max_bytes, default_date=default_date
        ):
            produced += 1
            yield article
    except Exception as exc:  # a bug in a reader must not end the run: record it and go on
        log.exception("reading %s failed", path)
        yield make_article(
            status=STATUS_ERROR,
            reason=f"reader failed after {produced} record(s): {type(exc).__name__}: {exc}",
            source=source,
            fallback=f"{fallback}#error",
            kind=kind,
            default_date=default_date,
        )


def _absolute(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(path.absolute())
