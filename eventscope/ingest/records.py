"""Small helpers every reader uses to build Article records and read dates."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime

from eventscope.model import STATUS_EMPTY, STATUS_OK, STATUS_UNPARSEABLE, Article, article_id

_ISO_DATE_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def make_article(
    *,
    source: str,
    fallback: str,
    kind: str | None,
    text: str = "",
    status: str = STATUS_OK,
    reason: str | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: date | None = None,
    default_date: date | None = None,
) -> Article:
    """An Article with its id; ``published`` falls back to ``default_date`` (the source's own date wins)."""
    title = " ".join(title.split()) if title else None
    url = url.strip() if url and url.strip() else None
    outlet = " ".join(outlet.split()) if outlet else None
    return Article(
        id=article_id(text, url, fallback=fallback),
        text=text,
        title=title or None,
        url=url,
        outlet=outlet or None,
        published=published or default_date,
        status=status,
        reason=reason,
        source=source,
        kind=kind,
    )


def parse_iso_date(value: object) -> date | None:
    """``2024-03-05`` or an ISO datetime (``2024-03-05T10:00:00Z``) -> its calendar date; else None.

    The date is taken as written (no time-zone shift): it is the date the source printed.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = _ISO_DATE_RE.match(value)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def struct_time_date(value: time.struct_time | None) -> date | None:
    """feedparser's ``*_parsed`` values (UTC struct_time) -> date."""
    if not value:
        return None
    try:
        return date(value.tm_year, value.tm_mon, value.tm_mday)
    except (ValueError, AttributeError):
        return None


RECORD_FIELDS = ("text", "title", "url", "date", "outlet")  # the fields of an article record (JSONL, Parquet)
_OPTIONAL_TEXT_FIELDS = ("title", "url", "outlet")


def article_from_fields(obj: Mapping, label: str, record: Callable[..., Article],
                        notes: list[str] | None = None) -> Article:
    """An article from a record's fields (a JSON Lines object, a Parquet row): ``text`` (required), and optional
    ``title``, ``url``, ``date`` and ``outlet``. A bad optional field is dropped with a note, since the text is
    what matters. ``label`` ("line 3", "row 3") starts each reason; ``record(status=..., reason=..., ...)`` makes
    the Article (``make_article`` with the record's source)."""
    text = obj.get("text")
    if text is None:
        return record(status=STATUS_UNPARSEABLE, reason=f"{label}: no 'text' field")
    if not isinstance(text, str):
        return record(status=STATUS_UNPARSEABLE, reason=f"{label}: 'text' is {type(text).__name__}, not a string")
    notes = list(notes or [])
    published = parse_iso_date(obj.get("date"))
    if obj.get("date") not in (None, "") and published is None:
        notes.append(f"{label}: unreadable date {obj['date']!r} ignored")
    fields = {}
    for name in _OPTIONAL_TEXT_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            notes.append(f"{label}: '{name}' is {type(value).__name__}, not a string; ignored")
            value = None
        fields[name] = value
    if not text.strip():
        return record(status=STATUS_EMPTY, reason="; ".join([f"{label}: 'text' is empty", *notes]),
                      published=published, **fields)
    return record(text=text, status=STATUS_OK, reason="; ".join(notes) or None, published=published, **fields)
