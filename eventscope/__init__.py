"""eventscope: political event data from news, with the evidence for every event.

``eventscope.open(path)`` opens an event store for queries and analyses (``eventscope.session.EventScope``);
``eventscope.code_text(text, date=...)`` codes text without storing it. Both import their machinery on first
use, so ``import eventscope`` stays quick.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventscope.model import CodedArticle
    from eventscope.session import EventScope

__version__ = "0.1.0"
__all__ = ["__version__", "code_text", "open"]


def open(path: str | Path | None = None, read_only: bool = True) -> EventScope:  # noqa: A001 - eventscope.open
    """Open the event store at ``path`` (default: the config file's db, else ./eventscope.duckdb)."""
    from eventscope.session import EventScope

    return EventScope.open(path, read_only=read_only)


def code_text(text: str, date: date | str | None = None, title: str | None = None) -> CodedArticle:
    """Code ``text`` as an article published on ``date``, without storing it (the coder is built once)."""
    from eventscope.session import code_text as _code_text

    return _code_text(text, date=date, title=title)
