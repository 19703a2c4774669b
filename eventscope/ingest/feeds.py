"""RSS and Atom feeds (.xml, .rss, .atom, or fetched by URL): one article per item.

An item's text is its content, else its summary; its url is its link (so an item keeps its id however often
the feed is read), its date the item's published (or updated) date, its outlet the feed's title.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from eventscope.ingest.decode import LoadedFile, load_file
from eventscope.ingest.html import html_to_text
from eventscope.ingest.records import make_article, struct_time_date
from eventscope.model import STATUS_EMPTY, STATUS_OK, STATUS_UNPARSEABLE, Article

FEED_KIND = "feed"  # the kind when we do not know yet (or never learn) whether it is RSS or Atom
_ROOT_TAG_RE = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_PROLOGUE_RE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.DOTALL | re.IGNORECASE)


def root_tag(data: bytes) -> str | None:
    """The name of the first element of an XML document (to say what a non-feed file is)."""
    head = data[:4096]
    position = 0
    while match := _PROLOGUE_RE.match(head, position):
        position = match.end()
    match = _ROOT_TAG_RE.search(head, position)
    return match.group(1).decode("ascii", "replace") if match else None


def _feed_kind(version: str) -> str:
    # feedparser versions: rss20, rss10, rss092, atom10, atom03, cdf ...
    return "atom" if version.startswith("atom") else "rss"


def _entry_text(entry: dict) -> str:
    """The fullest text of an item: its content if any, else its summary; HTML turned into text."""
    for detail in entry.get("content") or []:
        if detail.get("value", "").strip():
            return _detail_text(detail)
    summary = entry.get("summary_detail") or {"value": entry.get("summary", ""), "type": "text/html"}
    return _detail_text(summary)


def _detail_text(detail: dict) -> str:
    value = detail.get("value") or ""
    if detail.get("type") == "text/plain":
        return value.strip()
    return html_to_text(value)


@dataclass
class FeedContent:
    """A feed's items, or (when it has none) the one record that says why."""

    items: list[Article] = field(default_factory=list)
    problem: Article | None = None  # status empty (a feed without items), unparseable, binary, too_large ...
    kind: str = FEED_KIND

    def articles(self) -> list[Article]:
        return self.items if self.items else [self.problem] if self.problem else []


def read_feed_file(
    path: Path, *, source: str, fallback: str, max_bytes: int, default_date: date | None = None
) -> Iterator[Article]:
    loaded = load_file(path, max_bytes)
    yield from read_feed(loaded, source=source, fallback=fallback, default_date=default_date).articles()


def read_feed(
    loaded: LoadedFile,
    *,
    source: str,
    fallback: str,
    default_date: date | None = None,
    content_type: str | None = None,
    base_url: str | None = None,
) -> FeedContent:
    """The items of a feed already loaded (from a file, or fetched from ``base_url`` with this ``content_type``
    header: relative item links are resolved against it)."""
    import feedparser  # imported here: only feeds need it

    def record(**fields) -> Article:
        fields.setdefault("source", source)
        fields.setdefault("fallback", fallback)
        fields.setdefault("kind", FEED_KIND)
        return make_article(default_date=default_date, **fields)

    if not loaded.ok:
        return FeedContent(problem=record(status=loaded.status, reason=loaded.reason))
    headers = {k: v for k, v in (("content-type", content_type), ("content-location", base_url)) if v} or None
    try:
        # A stream, never the bytes themselves: feedparser treats a str/bytes argument as a URL or
        # a file name when it looks like one.
        parsed = feedparser.parse(io.BytesIO(loaded.data), response_headers=headers)
    except Exception as exc:  # feedparser on hostile input: report, never raise
        return FeedContent(problem=record(status=STATUS_UNPARSEABLE, reason=f"feed could not be read: {exc}"))
    version = parsed.get("version") or ""
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    entries = parsed.get("entries") or []
    if not entries:
        if problem is not None:
            why = record(status=STATUS_UNPARSEABLE, reason=f"not a readable RSS/Atom feed: {problem}")
        elif not version:
            root = root_tag(loaded.data)
            what = f"root element <{root}>" if root else "no XML root element"
            why = record(status=STATUS_UNPARSEABLE, reason=f"not an RSS or Atom feed ({what})")
        else:
            kind = _feed_kind(version)
            why = record(status=STATUS_EMPTY, reason="the feed has no items", kind=kind)
            return FeedContent(problem=why, kind=kind)
        return FeedContent(problem=why)

    kind = _feed_kind(version) if version else FEED_KIND
    outlet = parsed.get("feed", {}).get("title")
    leniency = f"feed is not well-formed ({problem}); read leniently" if problem is not None else None
    items = []
    for number, entry in enumerate(entries, start=1):
        text = _entry_text(entry)
        published = struct_time_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        items.append(
            record(
                text=text,
                status=STATUS_OK if text else STATUS_EMPTY,
                reason=leniency if text else "the item has no content or summary text",
                title=entry.get("title"),
                url=entry.get("link"),
                outlet=outlet,
                published=published,
                source=f"{source}#item {number}",
                fallback=f"{fallback}#item {number}",
                kind=kind,
            )
        )
    return FeedContent(items=items, kind=kind)
