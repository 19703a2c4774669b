"""HTML pages (.html, .htm): the main text and metadata of one article per page.

trafilatura finds the article body (dropping navigation, footers, comments); when it finds nothing
(malformed or very short pages) the text of <body> is used instead. Paragraphs and headings are
separated by blank lines, which the clean stage relies on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import lxml.html
from lxml import etree

from eventscope.ingest.decode import LoadedFile, load_file
from eventscope.ingest.records import make_article, parse_iso_date
from eventscope.model import STATUS_OK, STATUS_UNPARSEABLE, Article

KIND = "html"
log = logging.getLogger(__name__)

# Elements that start and end a paragraph. Both HTML names and trafilatura's XML names
# (head, item, quote, row, list) are here, so one walker serves both trees.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 head item li list ul ol dl dt dd quote blockquote section article main "
    "header aside table tr row thead tbody tfoot pre figure figcaption address hr caption details "
    "summary center".split()
)
BREAK_TAGS = frozenset({"br", "lb"})
CELL_TAGS = frozenset({"td", "th", "cell"})
# Never text of the article (the fallback reads the whole <body>, so page furniture must go).
PAGE_SKIP_TAGS = frozenset(
    "script style nav footer noscript template svg iframe form button select option textarea "
    "head title meta link object embed canvas map audio video".split()
)
META_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "datepublished",
    "sailthru.date",
)
_SPACE_RE = re.compile(r"[^\S\n]+")
_PARA_BREAK_RE = re.compile(r"\s*\n\s*\n\s*")
_LINE_BREAK_RE = re.compile(r" *\n *")


@dataclass
class ExtractedPage:
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    note: str | None = None  # how the text was found, when not by trafilatura


def element_text(root: etree._Element, skip: Iterable[str] = (), newline: str = " ") -> str:
    """The text under ``root``: a blank line between blocks, a newline for <br>, no skipped elements.

    ``newline`` replaces the newlines inside text nodes (outside <pre>): a space for HTML source,
    where they are just whitespace. Iterative (an explicit stack), so a page with absurdly deep
    nesting cannot hit the recursion limit. The tree is not changed.
    """
    skip = frozenset(skip)
    parts: list[str] = []

    def add(text: str | None, preformatted: bool = False) -> None:
        if text:
            parts.append(text if preformatted else text.replace("\n", newline))

    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else None  # None: comment or PI
        if closing:
            if tag in BLOCK_TAGS:
                parts.append("\n\n")
            elif tag in CELL_TAGS:
                parts.append(" ")
            if element is not root:
                add(element.tail)
            continue
        if tag is None or tag in skip or element.get("hidden") is not None:
            if element is not root:
                add(element.tail)
            continue
        if tag in BLOCK_TAGS:
            parts.append("\n\n")
        elif tag in BREAK_TAGS:
            parts.append("\n")
        add(element.text, preformatted=tag == "pre")
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return _tidy("".join(parts))


def _tidy(text: str) -> str:
    """HTML whitespace rules: runs of spaces collapse; kept line breaks are <br>s and block ends."""
    text = _SPACE_RE.sub(" ", text.replace("\r", " ").replace("\t", " "))
    paragraphs = (_LINE_BREAK_RE.sub("\n", p).strip() for p in _PARA_BREAK_RE.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def html_to_text(fragment: str) -> str:
    """An HTML fragment (a feed item's content) -> text with a blank line between paragraphs."""
    if "<" not in fragment:
        return _tidy(unescape(fragment))  # HTML without tags may still hold entities
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(unescape(re.sub(r"<[^>]*>", " ", fragment)))
    return element_text(root, skip=PAGE_SKIP_TAGS)


def _parse_document(html: str) -> etree._Element | None:
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8")
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def body_text(doc: etree._Element) -> str:
    """The text of a page's <body> without scripts, navigation, footers and forms (the fallback)."""
    body = doc.find(".//body")
    root = body if body is not None else doc
    return element_text(root, skip=PAGE_SKIP_TAGS)


def _absolute_url(value: str | None) -> str | None:
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def _meta_values(doc: etree._Element) -> dict[str, str]:
    """<meta> name/property/itemprop -> content (first one wins), keys lower-cased."""
    values: dict[str, str] = {}
    for meta in doc.iter("meta"):
        content = meta.get("content")
        if not content or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key and key not in values:
                values[key] = content.strip()
    return values


def _page_metadata(doc: etree._Element) -> ExtractedPage:
    """Title, date, outlet and canonical URL from <head>, for when trafilatura has none."""
    meta = _meta_values(doc)
    title = meta.get("og:title") or meta.get("twitter:title")
    if not title:
        title_element = doc.find(".//title")
        title = title_element.text_content().strip() if title_element is not None else None
    published = next((d for key in META_DATE_KEYS if (d := parse_iso_date(meta.get(key)))), None)
    canonical = next(
        (link.get("href") for link in doc.iter("link") if (link.get("rel") or "").lower() == "canonical"),
        None,
    )
    return ExtractedPage(
        text="",
        title=title or None,
        url=_absolute_url(canonical) or _absolute_url(meta.get("og:url")),
        outlet=meta.get("og:site_name") or meta.get("application-name"),
        published=published,
    )


def _trafilatura_page(html: str) -> ExtractedPage | None:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,  # tables of figures are not narrative text
            favor_recall=True,
        )
    except Exception as exc:  # trafilatura on hostile input: fall back to the lxml text, never raise
        log.debug("trafilatura failed: %s", exc)
        return None
    if document is None:
        return None
    body = getattr(document, "body", None)
    if body is not None:
        # trafilatura trims whitespace inside its paragraphs, so a newline left in its text marks a
        # boundary between source elements (its rescue extractors join whole blocks with "\n").
        text = element_text(body, newline="\n\n")
    else:
        text = _tidy((getattr(document, "text", "") or "").replace("\n", "\n\n"))
    return ExtractedPage(
        text=text,
        title=document.title,
        url=_absolute_url(document.url),
        outlet=document.sitename,
        published=parse_iso_date(document.date),
    )


def extract_page(html: str) -> ExtractedPage:
    """Main text and metadata of an HTML page. ``text`` is "" when the page has no text at all."""
    page = _trafilatura_page(html) or ExtractedPage(text="")
    if page.text and page.title and page.published and page.outlet:
        return page
    doc = _parse_document(html)
    if doc is None:
        return page
    fallback = _page_metadata(doc)
    page.title = page.title or fallback.title
    page.published = page.published or fallback.published
    page.outlet = page.outlet or fallback.outlet
    page.url = page.url or fallback.url
    if not page.text:
        page.text = body_text(doc)
        if page.text:
            page.note = "text taken from <body> (no main article text found)"
    return page


def read_html_file(
    path: Path, *, source: str, fallback: str, max_bytes: int, default_date: date | None = None
) -> Iterator[Article]:
    loaded = load_file(path, max_bytes, use_declared_charset=True)
    yield html_article(loaded, source=source, fallback=fallback, default_date=default_date)


def html_article(
    loaded: LoadedFile,
    *,
    source: str,
    fallback: str,
    default_date: date | None = None,
    url: str | None = None,
    kind: str = KIND,
) -> Article:
    """The article of a page already loaded (from a file, or fetched). ``url`` is where the page was fetched
    from; it wins over the page's own canonical link."""
    if not loaded.ok:
        return make_article(
            status=loaded.status,
            reason=loaded.reason,
            source=source,
            fallback=fallback,
            kind=kind,
            default_date=default_date,
        )
    page = extract_page(loaded.text)
    if not page.text:
        return make_article(
            status=STATUS_UNPARSEABLE,
            reason="no text found in the HTML (neither an article nor any <body> text)",
            title=page.title,
            url=url or page.url,
            outlet=page.outlet,
            published=page.published,
            source=source,
            fallback=fallback,
            kind=kind,
            default_date=default_date,
        )
    notes = [note for note in (loaded.reason, page.note) if note]
    return make_article(
        text=page.text,
        status=STATUS_OK,
        reason="; ".join(notes) or None,
        title=page.title,
        url=url or page.url,
        outlet=page.outlet,
        published=page.published,
        source=source,
        fallback=fallback,
        kind=kind,
        default_date=default_date,
    )
