"""A real HTTP server on 127.0.0.1 for the source and watch tests: pages, feeds, redirects, slow and huge bodies,
errors, and ETag/Last-Modified validation answered with 304. It records every request it gets."""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    etag: str | None = None  # sent, and a matching If-None-Match is answered 304
    last_modified: str | None = None  # sent, and an equal If-Modified-Since is answered 304
    stream: int = 0  # send this many bytes in 64 KiB chunks, without a Content-Length
    trickle: float = 0.0  # seconds between two streamed chunks
    gzip: bool = False  # send the body gzip-compressed (Content-Encoding: gzip)


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class NewsServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.streamed = 0  # bytes of streamed bodies actually written
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"not found")
                    return
                if route.delay:
                    time.sleep(route.delay)
                if self._not_modified(route):
                    self.send_response(304)
                    if route.etag:
                        self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.stream:
                    self.end_headers()
                    chunk = b"<p>" + b"x" * (65536 - 7) + b"</p>\n"
                    try:
                        while server.streamed < route.stream:
                            self.wfile.write(chunk)
                            self.wfile.flush()
                            server.streamed += len(chunk)
                            time.sleep(route.trickle)
                    except OSError:  # the client hung up: the point of the test
                        pass
                    return
                body = gzip.compress(route.body) if route.gzip else route.body
                if route.gzip:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _not_modified(self, route: Route) -> bool:
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return True
                sent = self.headers.get("If-Modified-Since")
                return bool(route.last_modified and sent == route.last_modified and not route.etag)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> NewsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(*items: tuple[str, str, str, str], title: str = "Example Wire") -> bytes:
    """An RSS 2.0 feed of (title, link, description, RFC 822 date) items."""
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid><description>{d}</description>"
        f"<pubDate>{date}</pubDate></item>"
        for t, link, d, date in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://example.org/</link><description>news</description>{body}</channel></rss>").encode()
