"""Pages and feeds by URL: a polite HTTP fetcher, and the articles of what it fetches.

Only ``http`` and ``https`` URLs are fetched. Every request names eventscope in its User-Agent, waits its turn
for the host (``min_interval`` seconds between two requests to one host), gives up after ``timeout`` seconds
without an answer (connecting, or waiting for the next bytes) or ``total_timeout`` seconds for one response,
follows at most ``max_redirects`` redirects and stops downloading as soon as the body passes ``max_bytes``.
A URL that cannot be read gives an Article with a status (``fetch_failed``, ``too_large``, ``unparseable``)
and a reason, never an exception.

Built on the standard library (urllib), not httpx: eventscope gets no extra runtime dependency for it, and what
it needs on top of a plain GET (a streamed body with a byte limit; redirects followed by hand, so that each hop
is counted, checked for its scheme and paced for its host; conditional headers) is a few lines either way.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from eventscope import __version__
from eventscope.ingest.decode import DEFAULT_MAX_BYTES, LoadedFile, check_bytes, declared_charset
from eventscope.ingest.feeds import FeedContent, read_feed, root_tag
from eventscope.ingest.html import extract_page, html_article
from eventscope.ingest.records import make_article
from eventscope.model import (
    STATUS_EMPTY,
    STATUS_FETCH_FAILED,
    STATUS_OK,
    STATUS_TOO_LARGE,
    STATUS_UNPARSEABLE,
    Article,
)

USER_AGENT = f"eventscope/{__version__} (+news event coder)"
SCHEMES = ("http", "https")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
XML_TYPES = frozenset({"application/xml", "text/xml"})
ACCEPT_PAGE = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
ACCEPT_FEED = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
ACCEPT_ANY = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.1"
SHORT_SUMMARY_CHARS = 600  # a feed item with less text than this is a summary of its linked page
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 1 << 16
_URL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})


def url_scheme(value: str) -> str | None:
    """The scheme of ``value`` when it is written as a URL (``scheme://...``), lower-cased; else None."""
    match = _URL_RE.match(value.strip())
    return match.group(1).lower() if match else None


def is_url(value: object) -> bool:
    return isinstance(value, str) and url_scheme(value) is not None


def url_problem(url: str) -> str | None:
    """Why ``url`` is not fetched (a scheme other than http/https, no host), or None when it can be."""
    scheme = url_scheme(url)
    if scheme is None:
        return f"{url!r} is not a URL (it has no scheme://)"
    if scheme not in SCHEMES:
        return f"unsupported URL scheme {scheme!r}: only http and https URLs are fetched"
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError as exc:  # a malformed port or IPv6 address
        return f"malformed URL: {exc}"
    if not host:
        return "the URL has no host"
    return None


def ascii_url(url: str) -> str:
    """``url`` as it goes on the wire: an internationalised host in IDNA, other non-ASCII characters (and
    spaces) percent-encoded; what is already encoded stays as it is."""
    if url.isascii() and " " not in url:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii() and parts.hostname:
        try:
            netloc = netloc.replace(parts.hostname, parts.hostname.encode("idna").decode("ascii"))
        except UnicodeError:
            pass  # left as it is: the request fails with a reason
    return urlunsplit((parts.scheme, netloc, *(quote(p, safe=_URL_SAFE) for p in (parts.path, parts.query,
                                                                                  parts.fragment))))


_URL_SAFE = "/:@!$&'()*+,;=%?~[]"


@dataclass
class FetchSettings:
    """How the fetcher behaves; the defaults are polite to news sites."""

    timeout: float = 15.0  # seconds to connect, and to wait for the next bytes of an answer
    total_timeout: float = 60.0  # seconds for one whole response, however slowly it trickles in
    max_bytes: int = DEFAULT_MAX_BYTES  # the largest body read (decompressed); the download stops past it
    max_redirects: int = 5
    min_interval: float = 1.0  # seconds between the starts of two requests to the same host
    user_agent: str = USER_AGENT
    fetch_linked: bool = False  # feed items with only a short summary: read the text of the page they link to


class HostPacer:
    """Per-host rate limit: a request to a host starts at least ``min_interval`` seconds after the previous one.

    ``clock`` and ``sleep`` are injectable so that tests can check the schedule with a fake clock. Thread-safe:
    each caller reserves its slot under a lock and sleeps outside it.
    """

    def __init__(
        self,
        min_interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval = max(0.0, float(min_interval))
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}  # host -> earliest start of its next request
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Block until a request to ``host`` may start; returns the seconds waited."""
        host = host.lower()
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.min_interval
        delay = start - now
        if delay > 0:
            self._sleep(delay)
        return delay


@dataclass
class FetchResult:
    """What one fetch gave: the body, or a status and reason saying why there is none."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: str = STATUS_OK  # an article status: ok, fetch_failed, too_large, unparseable
    reason: str | None = None
    http_status: int | None = None
    content_type: str | None = None  # the media type, lower-cased, without parameters
    charset: str | None = None
    data: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK

    @property
    def not_modified(self) -> bool:
        """The server said 304: nothing changed since the ETag/Last-Modified sent."""
        return self.http_status == 304


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # Redirects are followed by Fetcher.fetch itself: a 3xx comes back as an HTTPError to it.
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


def _network_reason(exc: BaseException, timeout: float) -> str:
    """A failed connection or read, in words."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason  # urllib wraps the socket error
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g} s (timed out)"
    if isinstance(exc, socket.gaierror):
        return f"host not found (DNS: {exc.strerror or exc})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, urllib.error.URLError):
        return f"network error: {exc.reason}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"network error: {exc.strerror}"
    return f"network error: {type(exc).__name__}: {exc}"


class Fetcher:
    """Fetches http(s) URLs politely (see the module doc); one per run, so that pacing spans all its requests."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.pacer = HostPacer(self.settings.min_interval, clock=clock, sleep=sleep)
        self._opener = urllib.request.build_opener(_NoRedirects())  # proxies from the environment still apply

    def fetch(self, url: str, *, accept: str = ACCEPT_ANY, headers: Mapping[str, str] | None = None) -> FetchResult:
        """GET ``url``, following redirects. ``headers`` are added to every request (If-None-Match ...)."""
        settings = self.settings
        url = url.strip()
        result = FetchResult(url=url, final_url=url)
        problem = url_problem(url)
        if problem:
            result.status, result.reason = STATUS_UNPARSEABLE, problem
            return result
        visited = {url}
        while True:
            current = result.final_url
            self.pacer.wait(urlsplit(current).hostname or "")
            request = urllib.request.Request(
                ascii_url(current),
                headers={"User-Agent": settings.user_agent, "Accept": accept, "Accept-Encoding": "gzip",
                         **(headers or {})},
            )
            try:
                response = self._opener.open(request, timeout=settings.timeout)
            except urllib.error.HTTPError as exc:
                code, message, answer = exc.code, exc.reason, exc.headers or {}
                location, etag, modified = answer.get("Location"), answer.get("ETag"), answer.get("Last-Modified")
                exc.close()
                if code == 304:
                    result.http_status, result.etag, result.last_modified = 304, etag, modified
                    return result
                if code not in _REDIRECTS:
                    return _failed(result, f"HTTP {code} {message}".strip(), code)
                if not location:
                    return _failed(result, f"HTTP {code} redirect without a Location", code)
                target = urljoin(current, location.strip())
                if target in visited:
                    return _failed(result, f"redirect loop: {current} -> {target}", code)
                if len(result.redirects) >= settings.max_redirects:
                    return _failed(result, f"more than {settings.max_redirects} redirects (stopped at {target})", code)
                problem = url_problem(target)
                if problem:
                    return _failed(result, f"redirected to {target}: {problem}", code)
                visited.add(target)
                result.redirects.append(target)
                result.final_url = target
                continue
            except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
                return _failed(result, _network_reason(exc, settings.timeout))
            with response:
                return self._read_body(response, result)

    def _read_body(self, response: http.client.HTTPResponse, result: FetchResult) -> FetchResult:
        settings = self.settings
        limit = settings.max_bytes
        result.http_status = response.status
        headers = response.headers
        result.content_type = (headers.get_content_type() if headers.get("Content-Type") else None)
        result.charset = headers.get_content_charset()
        result.etag, result.last_modified = headers.get("ETag"), headers.get("Last-Modified")
        length = headers.get("Content-Length")
        encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip"):
            return _failed(result, f"unsupported Content-Encoding {encoding!r}", response.status)
        if encoding == "identity" and length and length.strip().isdigit() and int(length) > limit:
            return _failed(result, f"{int(length):,} bytes (Content-Length) is over the limit of {limit:,}",
                           response.status, status=STATUS_TOO_LARGE)
        inflate = zlib.decompressobj(wbits=47) if encoding != "identity" else None  # 47: gzip or zlib header
        parts: list[bytes] = []
        size = 0
        deadline = time.monotonic() + settings.total_timeout
        try:
            while chunk := response.read1(_CHUNK):  # one receive at a time, so the deadline is checked often
                if inflate is not None:
                    chunk = inflate.decompress(chunk, limit + 1 - size)
                    over = bool(inflate.unconsumed_tail)
                else:
                    over = False
                size += len(chunk)
                if over or size > limit:
                    return _failed(result, f"over the limit of {limit:,} bytes (download stopped)",
                                   response.status, status=STATUS_TOO_LARGE)
                parts.append(chunk)
                if time.monotonic() > deadline:
                    return _failed(result, f"the answer took longer than {settings.total_timeout:g} s (stopped)",
                                   response.status)
        except (OSError, http.client.HTTPException, zlib.error, ValueError) as exc:
            if isinstance(exc, zlib.error):
                return _failed(result, f"corrupt gzip body ({exc})", response.status)
            return _failed(result, f"download broke off: {_network_reason(exc, settings.timeout)}", response.status)
        result.data = b"".join(parts)
        return result


def _failed(result: FetchResult, reason: str, http_status: int | None = None,
            status: str = STATUS_FETCH_FAILED) -> FetchResult:
    result.status, result.reason, result.http_status = status, reason, http_status
    result.data = b""
    return result


# -- what was fetched -> articles ----------------------------------------------------------------------------


def content_kind(content_type: str | None, data: bytes) -> str | None:
    """``"html"``, ``"feed"`` or None (neither) from the Content-Type and the document's first element.

    Servers often label feeds ``text/html`` or ``text/xml`` and pages ``application/octet-stream``, so the root
    element decides between the two; a type that is neither (a PDF, an image, JSON) is neither."""
    if content_type is not None and content_type not in _READABLE_TYPES:
        return None
    root = (root_tag(data) or "").lower()
    if content_type in FEED_TYPES or root in _FEED_ROOTS:
        return "feed"
    if content_type in XML_TYPES and root != "html":
        return "feed"  # the feed reader says what an XML document that is not a feed is
    if content_type in HTML_TYPES or root == "html":
        return "html"
    return None


_GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", "text/plain"})
_READABLE_TYPES = HTML_TYPES | FEED_TYPES | XML_TYPES | _GENERIC_TYPES


def fetch_failure(result: FetchResult, *, source: str, default_date: date | None = None) -> Article:
    """The record of a URL that could not be read. It carries no url, so its id is not the id the page gets
    once it can be read: a later run fetches it again instead of taking it for stored."""
    return make_article(
        status=result.status,
        reason=result.reason,
        source=source,
        fallback=f"{result.url}#not-read",
        kind=None,
        default_date=default_date,
    )


def read_url(url: str, fetcher: Fetcher, *, default_date: date | None = None,
             source: str | None = None) -> Iterator[Article]:
    """The articles at ``url``: one for an HTML page, one per item for an RSS/Atom feed (by Content-Type, and
    the document's root element), or one record saying why there are none."""
    source = source or url
    result = fetcher.fetch(url)
    if not result.ok:
        yield fetch_failure(result, source=source, default_date=default_date)
        return
    kind = content_kind(result.content_type, result.data)
    if kind == "html":
        yield fetched_page(result, source=source, default_date=default_date)
    elif kind == "feed":
        feed = fetched_feed(result, source=source, default_date=default_date)
        yield from with_linked_pages(feed, fetcher)
    else:
        what = result.content_type or "no Content-Type"
        yield make_article(
            status=STATUS_UNPARSEABLE,
            reason=f"{result.final_url}: content type {what} is neither an HTML page nor an RSS/Atom feed",
            source=source,
            fallback=f"{url}#not-read",
            kind=None,
            default_date=default_date,
        )


def _loaded(result: FetchResult) -> LoadedFile:
    """The fetched body through the checks every reader uses (emptiness, binary, decoding by the charset the
    server or the document declares); its size was already held to the limit while downloading."""
    declared = result.charset or declared_charset(result.data)
    return check_bytes(result.data, max(len(result.data), 1), declared=declared)


def fetched_page(result: FetchResult, *, source: str, default_date: date | None = None) -> Article:
    """A fetched HTML page through the HTML reader; its url is where it was fetched from, after redirects."""
    loaded = _loaded(result)
    return html_article(loaded, source=source, fallback=result.final_url, default_date=default_date,
                        url=result.final_url)


def fetched_feed(result: FetchResult, *, source: str, default_date: date | None = None) -> list[Article]:
    """A fetched feed's items (or the one record saying why there are none)."""
    return read_feed_result(result, source=source, default_date=default_date).articles()


def read_feed_result(result: FetchResult, *, source: str, default_date: date | None = None) -> FeedContent:
    """The FeedContent of a fetched feed (items with links resolved against the final URL)."""
    loaded = _loaded(result)
    xml_type = result.content_type if result.content_type in FEED_TYPES | XML_TYPES else None
    return read_feed(loaded, source=source, fallback=result.final_url, default_date=default_date,
                     content_type=xml_type, base_url=result.final_url)


def with_linked_pages(items: Iterable[Article], fetcher: Fetcher) -> Iterator[Article]:
    """Feed items, each with the text of the page it links to in place of a short summary when the fetcher's
    ``fetch_linked`` setting is on (else unchanged)."""
    for item in items:
        yield linked_page_article(item, fetcher) if _wants_linked_page(item, fetcher) else item


def _wants_linked_page(item: Article, fetcher: Fetcher) -> bool:
    return (
        fetcher.settings.fetch_linked
        and item.status in (STATUS_OK, STATUS_EMPTY)
        and len(item.text.strip()) < SHORT_SUMMARY_CHARS
        and bool(item.url)
        and url_scheme(item.url or "") in SCHEMES
    )


def linked_page_article(item: Article, fetcher: Fetcher) -> Article:
    """A feed item with the text of its linked page (title, date and outlet from the item when it has them).

    The item keeps its url (the link), so its id stays the same whether or not the page could be read; when it
    cannot, the item keeps its summary and the reason says why."""
    result = fetcher.fetch(item.url or "", accept=ACCEPT_PAGE)
    problem = None
    if not result.ok:
        problem = result.reason
    elif content_kind(result.content_type, result.data) != "html":
        problem = f"content type {result.content_type or 'none'} is not an HTML page"
    else:
        loaded = _loaded(result)
        page = extract_page(loaded.text) if loaded.ok else None
        if page is None or not page.text:
            problem = loaded.reason if not loaded.ok else "no text found on the page"
        elif len(page.text) <= len(item.text.strip()):
            problem = "the page has no more text than the feed's summary"
        else:
            notes = [n for n in (item.reason, "text from the linked page (the feed gives only a summary)") if n]
            return replace(
                item,
                text=page.text,
                status=STATUS_OK,
                reason="; ".join(notes),
                title=item.title or page.title,
                outlet=item.outlet or page.outlet,
                published=item.published or page.published,
            )
    note = f"linked page not read: {problem}"
    return replace(item, reason="; ".join(n for n in (item.reason, note) if n))
