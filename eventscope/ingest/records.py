"""Small helpers every reader uses to build Article records and read dates."""

from __future__ import annotations

import re
import time
from datetime import date, datetime

from eventscope.model import STATUS_OK, Article, article_id

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
