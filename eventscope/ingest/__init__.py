"""ingest: files, folders and URLs -> Article records holding the raw extracted text.

Every input gives at least one record: a file or URL that cannot be read still gets one, with a status
(``empty``, ``binary``, ``too_large``, ``unparseable``, ``fetch_failed``) and a reason, so that a run over a
folder accounts for every file and never stops on a bad one. Cleaning the text is the next stage.

Kinds go by file name: see ``SUPPORTED``; a name ending in ``.gz`` is any of them gzip-compressed
(``dump.jsonl.gz``). An argument written as a URL (``https://...``) is fetched (``eventscope.ingest.web``).
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from eventscope.ingest.decode import DEFAULT_MAX_BYTES, GZIP_SUFFIX
from eventscope.ingest.dumps import read_csv_file, read_parquet_file
from eventscope.ingest.feeds import read_feed_file
from eventscope.ingest.html import read_html_file
from eventscope.ingest.jsonl import read_jsonl_file
from eventscope.ingest.records import make_article
from eventscope.ingest.text import read_text_file
from eventscope.ingest.urllist import read_urllist_file
from eventscope.ingest.web import Fetcher, FetchSettings, is_url, read_url, with_linked_pages
from eventscope.model import STATUS_ERROR, STATUS_UNPARSEABLE, Article

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED", "FetchSettings", "Fetcher", "file_kind", "iter_articles"]

log = logging.getLogger(__name__)

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
    ".csv": "csv",
    ".parquet": "parquet",
    ".urls": "urls",
}

Reader = Callable[..., Iterator[Article]]
READERS: dict[str, Reader] = {
    "txt": read_text_file,
    "html": read_html_file,
    "jsonl": read_jsonl_file,
    "feed": read_feed_file,
    "csv": read_csv_file,
    "parquet": read_parquet_file,
    "urls": read_urllist_file,
}
NEEDS_FETCHER = frozenset({"urls"})  # readers that fetch URLs themselves


def file_kind(path: Path) -> tuple[str | None, str]:
    """(kind, the suffix it was told by): ``a.jsonl.gz`` -> ("jsonl", ".jsonl.gz"); kind None if unsupported."""
    name = path.name.lower()
    if name.endswith(GZIP_SUFFIX):
        inner = Path(name[: -len(GZIP_SUFFIX)]).suffix
        return SUPPORTED.get(inner), inner + GZIP_SUFFIX
    return SUPPORTED.get(path.suffix.lower()), path.suffix.lower()


def iter_articles(
    paths: Iterable[str | Path] | str | Path,
    *,
    default_date: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fetcher: Fetcher | None = None,
) -> Iterator[Article]:
    """Articles from files, folders (walked recursively, sorted by name, hidden entries skipped) and URLs.

    ``default_date`` is the publication date of articles whose source gives none. ``fetcher`` fetches the
    URLs (given, listed in ``.urls`` files, or linked from feed items when its settings say so); by default
    one with the default settings and ``max_bytes``.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]  # a lone path, not an iterable of characters
    fetcher = fetcher or Fetcher(FetchSettings(max_bytes=max_bytes))
    for given in paths:
        if is_url(given):
            url = str(given).strip()
            yield from _guarded(lambda u=url: read_url(u, fetcher, default_date=default_date), url, url, None,
                                default_date)
        else:
            yield from _iter_path(Path(given), default_date, max_bytes, fetcher)


def _iter_path(path: Path, default_date: date | None, max_bytes: int, fetcher: Fetcher) -> Iterator[Article]:
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
        yield from _walk(path, default_date, max_bytes, fetcher, seen=set())
    elif stat.S_ISREG(mode):
        yield from _read_file(path, default_date, max_bytes, fetcher)
    else:
        yield problem(f"not a regular file or directory: {path}")


def _walk(
    folder: Path, default_date: date | None, max_bytes: int, fetcher: Fetcher, seen: set[str]
) -> Iterator[Article]:
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
                yield from _walk(path, default_date, max_bytes, fetcher, seen)
        elif is_file:
            yield from _read_file(path, default_date, max_bytes, fetcher)
        # Sockets, FIFOs, devices and dangling links in a folder are not documents: skipped.


def _read_file(path: Path, default_date: date | None, max_bytes: int, fetcher: Fetcher) -> Iterator[Article]:
    source, fallback = str(path), _absolute(path)
    kind, suffix = file_kind(path)
    if kind is None:
        what = f"'{suffix}'" if suffix else "(no extension)"
        yield make_article(
            status=STATUS_UNPARSEABLE,
            reason=f"unsupported file type {what} (supported: {', '.join(SUPPORTED)}, and any of them .gz)",
            source=source,
            fallback=fallback,
            kind=None,
            default_date=default_date,
        )
        return
    reader = READERS[kind]
    extra = {"fetcher": fetcher} if kind in NEEDS_FETCHER else {}
    articles = _guarded(
        lambda: reader(path, source=source, fallback=fallback, max_bytes=max_bytes, default_date=default_date,
                       **extra),
        source, fallback, kind, default_date,
    )
    if kind == "feed":
        articles = with_linked_pages(articles, fetcher)
    yield from articles


def _guarded(
    records: Callable[[], Iterator[Article]], what: str, fallback: str, kind: str | None, default_date: date | None
) -> Iterator[Article]:
    """The records of one reader; a bug in it must not end the run: it is recorded and the run goes on."""
    produced = 0
    try:
        for article in records():
            produced += 1
            yield article
    except Exception as exc:
        log.exception("reading %s failed", what)
        yield make_article(
            status=STATUS_ERROR,
            reason=f"reader failed after {produced} record(s): {type(exc).__name__}: {exc}",
            source=what,
            fallback=f"{fallback}#error",
            kind=kind,
            default_date=default_date,
        )


def _absolute(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(path.absolute())
