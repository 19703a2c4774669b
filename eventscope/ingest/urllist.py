"""URL lists (files named ``*.urls``): one http(s) URL a line, fetched like URLs given on the command line.

Blank lines and lines starting with ``#`` are skipped. A line that is not an http(s) URL gives an
``unparseable`` record naming its line; the others give the articles of their pages (or feeds). The list is
streamed, so it may be long. ``eventscope watch`` reads its FEEDLIST in the same format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from eventscope.ingest.decode import READ_ERRORS, open_binary, read_error, sniff_file
from eventscope.ingest.records import make_article
from eventscope.ingest.web import Fetcher, read_url, url_problem
from eventscope.model import STATUS_EMPTY, STATUS_UNPARSEABLE, Article

KIND = "urls"
SUFFIX = ".urls"
MAX_LINE = 8192  # longer than any URL a server accepts


@dataclass
class UrlLine:
    number: int
    url: str
    problem: str | None = None  # why this line is not a URL eventscope fetches


def url_lines(path: Path) -> Iterator[UrlLine]:
    """The URLs of a list, with the number of their line; raises OSError (and gzip errors) on a bad file."""
    with open_binary(path) as handle:
        for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE), b""), start=1):
            line = raw.decode("utf-8", "replace").strip().lstrip("\ufeff")
            if not line or line.startswith("#"):
                continue
            if not raw.endswith(b"\n") and len(raw) >= MAX_LINE:
                while (rest := handle.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                    pass
                yield UrlLine(number, line[:80] + "\u2026", f"line {number}: longer than {MAX_LINE:,} bytes")
                continue
            problem = url_problem(line)
            if problem is None and any(c.isspace() for c in line):
                problem = "a URL cannot contain spaces"
            yield UrlLine(number, line, f"line {number}: {problem}" if problem else None)


def read_urllist_file(
    path: Path,
    *,
    source: str,
    fallback: str,
    max_bytes: int,
    default_date: date | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Article]:
    def record(**fields) -> Article:
        return make_article(kind=KIND, default_date=default_date, **fields)

    sniffed = sniff_file(path)
    if not sniffed.ok:
        yield record(status=sniffed.status, reason=sniffed.reason, source=source, fallback=fallback)
        return
    fetcher = fetcher or Fetcher()
    produced = 0
    try:
        for line in url_lines(path):
            produced += 1
            if line.problem:
                yield record(status=STATUS_UNPARSEABLE, reason=line.problem, source=f"{source}:line {line.number}",
                             fallback=f"{fallback}:line {line.number}")
                continue
            yield from read_url(line.url, fetcher, default_date=default_date)
    except READ_ERRORS as exc:
        produced += 1
        yield record(status=STATUS_UNPARSEABLE, reason=read_error(exc), source=source, fallback=f"{fallback}#error")
    if produced == 0:
        yield record(status=STATUS_EMPTY, reason="no URLs in the list (only blank and # comment lines)",
                     source=source, fallback=fallback)
