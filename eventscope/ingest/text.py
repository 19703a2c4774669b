"""Plain-text files (.txt, .text): one article per file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from eventscope.ingest.decode import load_file
from eventscope.ingest.records import make_article
from eventscope.model import Article

KIND = "txt"


def read_text_file(
    path: Path, *, source: str, fallback: str, max_bytes: int, default_date: date | None = None
) -> Iterator[Article]:
    loaded = load_file(path, max_bytes)
    yield make_article(
        text=loaded.text,
        status=loaded.status,
        reason=loaded.reason,
        source=source,
        fallback=fallback,
        kind=KIND,
        default_date=default_date,
    )
