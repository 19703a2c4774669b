"""Sources beyond local files: pages and feeds by URL (from a real HTTP server on 127.0.0.1), CSV and Parquet
dumps, gzip-compressed inputs and .urls lists; failures of each become records with a status and a reason."""

from __future__ import annotations

import csv
import gzip
import json
import socket
import time
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import run_cli
from newsserver import NewsServer, Route, rss

from eventscope import __version__
from eventscope.ingest import iter_articles
from eventscope.ingest.web import (
    USER_AGENT,
    Fetcher,
    FetchSettings,
    HostPacer,
    _network_reason,
    ascii_url,
    content_kind,
)
from eventscope.model import article_id

PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>Ministers meet | Example Wire</title>
<meta property="og:title" content="Iran and Syria defence ministers meet">
<meta property="article:published_time" content="2025-05-02T10:00:00Z">
<meta property="og:site_name" content="Example Wire">
<link rel="canonical" href="https://example.org/canonical/ministers"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Iran and Syria defence ministers meet</h1>
<p>TEHRAN - Iranian Defense Minister Mohammad Reza Ashtiani met his Syrian counterpart in Tehran on Monday.</p>
<p>The two ministers discussed military cooperation between their countries, officials said.</p></article>
<footer>Copyright 2025 Example Wire</footer></body></html>"""
LONG_TEXT = " ".join(["Estonia expelled a Russian diplomat on Tuesday, the foreign ministry in Tallinn said."] * 12)


def fast(**settings) -> Fetcher:
    """A fetcher for the local server: no politeness pause, short timeouts."""
    settings.setdefault("min_interval", 0)
    settings.setdefault("timeout", 2)
    return Fetcher(FetchSettings(**settings))


def read(*inputs, fetcher: Fetcher | None = None, **kwargs) -> list:
    return list(iter_articles([str(i) for i in inputs], fetcher=fetcher or fast(), **kwargs))


@pytest.fixture
def server():
    with NewsServer() as srv:
        srv.routes["/news/ministers"] = Route(PAGE)
        srv.routes["/moved"] = Route(status=301, headers={"Location": "/news/ministers"})
        srv.routes["/short-link"] = Route(status=302, headers={"Location": "/moved"})  # two hops
        srv.routes["/loop-a"] = Route(status=302, headers={"Location": "/loop-b"})
        srv.routes["/loop-b"] = Route(status=307, headers={"Location": "/loop-a"})
        for i in range(8):
            srv.routes[f"/hop/{i}"] = Route(status=302, headers={"Location": f"/hop/{i + 1}"})
        srv.routes["/hop/8"] = Route(PAGE)
        srv.routes["/to-ftp"] = Route(status=302, headers={"Location": "ftp://example.org/file"})
        srv.routes["/slow"] = Route(PAGE, delay=3)
        srv.routes["/endless"] = Route(stream=50_000_000)
        srv.routes["/declared-huge"] = Route(b"<p>small</p>", headers={"X-Note": "x"})
        srv.routes["/report.pdf"] = Route(b"%PDF-1.4 binary", content_type="application/pdf")
        srv.routes["/plain"] = Route(b"Estonia expelled a Russian diplomat.", content_type="text/plain")
        srv.routes["/gzipped"] = Route(PAGE, gzip=True)
        srv.routes["/latin1"] = Route(
            "<html><body><p>Der Außenminister traf in Zürich ein, sagte das Ministerium am Montag.</p></body></html>"
            .encode("latin-1"), content_type="text/html; charset=iso-8859-1")
        srv.routes["/feed.xml"] = Route(
            rss(("UN demands M23 withdrawal", "/africa/m23",
                 "NEW YORK - The UN Security Council demanded that M23 rebels withdraw from Goma.",
                 "Fri, 21 Feb 2025 18:00:00 GMT"),
                ("Estonia expels diplomat", "https://example.org/europe/estonia", LONG_TEXT,
                 "Wed, 12 Mar 2025 09:30:00 GMT")),
            content_type="application/rss+xml")
        srv.routes["/feed-as-html"] = Route(srv.routes["/feed.xml"].body, content_type="text/html")
        srv.routes["/nothing"] = Route(b"", content_type="text/html")
        yield srv


# --- pages -------------------------------------------------------------------------------------------------


def test_a_page_by_url_reads_like_the_same_page_on_disk(server, tmp_path):
    (tmp_path / "ministers.html").write_bytes(PAGE)
    [local] = read(tmp_path / "ministers.html")
    [fetched] = read(server.url("/news/ministers"))
    assert fetched.status == "ok" and fetched.reason is None and fetched.kind == "html"
    assert (fetched.text, fetched.title, fetched.published, fetched.outlet) == (
        local.text, local.title, local.published, local.outlet)
    assert fetched.title == "Iran and Syria defence ministers meet" and fetched.published == date(2025, 5, 2)
    assert "Home" not in fetched.text and "Copyright" not in fetched.text
    # the page's url is where it was fetched from (not its canonical link), and its id is that url's
    assert fetched.url == server.url("/news/ministers") and local.url == "https://example.org/canonical/ministers"
    assert fetched.id == article_id(None, fetched.url)
    assert fetched.source == server.url("/news/ministers")


def test_redirects_are_followed_and_the_url_is_the_final_one(server):
    [page] = read(server.url("/short-link"))
    assert page.status == "ok" and page.url == server.url("/news/ministers")
    assert page.source == server.url("/short-link")
    assert [r.path for r in server.requests] == ["/short-link", "/moved", "/news/ministers"]
    result = fast().fetch(server.url("/hop/3"))  # five hops: the limit
    assert result.ok and len(result.redirects) == 5 and result.final_url == server.url("/hop/8")


def test_redirect_loops_and_chains_that_are_too_long_fail(server):
    loop, chain, ftp = read(server.url("/loop-a"), server.url("/hop/0"), server.url("/to-ftp"))
    assert loop.status == "fetch_failed" and loop.reason.startswith("redirect loop: ")
    assert chain.status == "fetch_failed" and chain.reason.startswith("more than 5 redirects")
    assert len(server.hits("/hop/5")) == 1 and not server.hits("/hop/6")  # stopped, not followed further
    assert ftp.status == "fetch_failed" and "unsupported URL scheme 'ftp'" in ftp.reason
    assert all(a.url is None and a.source.startswith(server.base) for a in (loop, chain, ftp))


def test_a_slow_server_times_out(server):
    started = time.monotonic()
    [page] = read(server.url("/slow"), fetcher=fast(timeout=0.5))
    assert time.monotonic() - started < 2.5
    assert page.status == "fetch_failed" and page.reason == "no answer within 0.5 s (timed out)"


def test_an_oversize_body_is_stopped_while_it_streams(server):
    [page] = read(server.url("/endless"), max_bytes=1_000_000, fetcher=fast(max_bytes=1_000_000))
    assert page.status == "too_large"
    assert page.reason == "over the limit of 1,000,000 bytes (download stopped)"
    assert server.streamed < 10_000_000  # the server was cut off long before its 50 MB


def test_a_body_that_trickles_in_is_cut_off_at_the_total_timeout(server):
    server.routes["/trickle"] = Route(stream=2_000_000, trickle=0.2)
    started = time.monotonic()
    result = fast(timeout=2, total_timeout=0.5).fetch(server.url("/trickle"))
    assert (result.status, result.reason) == ("fetch_failed", "the answer took longer than 0.5 s (stopped)")
    assert time.monotonic() - started < 4.0  # the whole body would take 6 s (31 chunks, 0.2 s apart)


def test_an_oversize_content_length_is_refused_before_reading(server):
    server.routes["/declared-huge"].body = b"<p>" + b"y" * 2000 + b"</p>"
    result = fast(max_bytes=1000).fetch(server.url("/declared-huge"))
    assert result.status == "too_large" and result.reason == "2,007 bytes (Content-Length) is over the limit of 1,000"


def test_http_errors_and_refused_connections_are_recorded(server):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    missing, refused = read(server.url("/missing"), f"http://127.0.0.1:{port}/x")
    assert (missing.status, missing.reason) == ("fetch_failed", "HTTP 404 Not Found")
    assert (refused.status, refused.reason) == ("fetch_failed", "connection refused")
    assert missing.id != article_id(None, server.url("/missing"))  # not the id a readable page would get


def test_dns_failures_are_put_in_words():
    reason = _network_reason(socket.gaierror(-2, "Name or service not known"), 15)
    assert reason == "host not found (DNS: Name or service not known)"


def test_content_that_is_neither_html_nor_a_feed_is_unparseable(server):
    pdf, plain, empty = read(server.url("/report.pdf"), server.url("/plain"), server.url("/nothing"))
    assert pdf.status == "unparseable"
    assert pdf.reason.endswith("content type application/pdf is neither an HTML page nor an RSS/Atom feed")
    assert plain.status == "unparseable" and "text/plain" in plain.reason
    assert empty.status == "empty"


def test_other_schemes_are_refused_without_a_request(server):
    ftp, local, mail = read("ftp://example.org/news.html", "file:///etc/passwd", "gopher://example.org/")
    assert ftp.status == local.status == mail.status == "unparseable"
    assert ftp.reason == "unsupported URL scheme 'ftp': only http and https URLs are fetched"
    assert "'file'" in local.reason and "'gopher'" in mail.reason
    assert not server.requests


def test_requests_name_eventscope_and_gzip_bodies_are_read(server):
    [page] = read(server.url("/gzipped"))
    assert page.status == "ok" and "Ashtiani" in page.text
    headers = server.requests[0].headers
    assert headers["user-agent"] == USER_AGENT == f"eventscope/{__version__} (+news event coder)"
    assert headers["accept-encoding"] == "gzip"


def test_urls_with_non_ascii_characters_are_sent_encoded(server):
    server.routes["/caf%C3%A9/a%20b"] = Route(PAGE)
    [page] = read(server.url("/café/a b"))
    assert page.status == "ok" and server.requests[0].path == "/caf%C3%A9/a%20b"
    assert ascii_url("https://bücher.example/ü?q=ä#x") == "https://xn--bcher-kva.example/%C3%BC?q=%C3%A4#x"


def test_the_servers_charset_decodes_the_page(server):
    [page] = read(server.url("/latin1"))
    assert page.status == "ok" and "Außenminister traf in Zürich" in page.text


# --- politeness: the per-host schedule, on a fake clock --------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_requests_to_one_host_are_spaced_by_the_minimum_interval():
    clock = FakeClock()
    pacer = HostPacer(2.0, clock=clock, sleep=clock.sleep)
    starts = []
    for host in ["a.org", "a.org", "b.org", "A.org", "b.org"]:
        pacer.wait(host)
        starts.append((host.lower(), clock.now))
        clock.now += 0.5  # each request takes half a second
    assert starts == [("a.org", 1000.0), ("a.org", 1002.0), ("b.org", 1002.5), ("a.org", 1004.0),
                      ("b.org", 1004.5)]
    assert clock.slept == [1.5, 1.0]  # only as long as needed: the time a request took counts


def test_a_host_not_asked_for_a_while_is_not_kept_waiting():
    clock = FakeClock()
    pacer = HostPacer(1.0, clock=clock, sleep=clock.sleep)
    pacer.wait("a.org")
    clock.now += 5
    assert pacer.wait("a.org") == 0 and clock.slept == []


def test_a_zero_interval_never_waits():
    clock = FakeClock()
    pacer = HostPacer(0, clock=clock, sleep=clock.sleep)
    assert [pacer.wait("a.org") for _ in range(3)] == [0, 0, 0] and clock.slept == []


def test_the_fetcher_paces_every_hop_of_a_redirect(server):
    clock = FakeClock()
    fetcher = Fetcher(FetchSettings(min_interval=3), clock=clock, sleep=clock.sleep)
    assert fetcher.fetch(server.url("/short-link")).ok  # three requests to one host
    assert clock.slept == [3.0, 3.0]
    assert FetchSettings().min_interval == 1.0  # polite by default


# --- feeds by URL ------------------------------------------------------------------------------------------


def test_a_feed_by_url_gives_its_items(server):
    first, second = read(server.url("/feed.xml"), default_date=date(2020, 1, 1))
    assert first.kind == second.kind == "rss"
    assert first.source == server.url("/feed.xml") + "#item 1"
    assert first.url == server.url("/africa/m23")  # a relative link, resolved against the feed's URL
    assert first.title == "UN demands M23 withdrawal" and first.outlet == "Example Wire"
    assert first.published == date(2025, 2, 21) and first.text.startswith("NEW YORK - The UN Security Council")
    assert second.url == "https://example.org/europe/estonia" and second.text == LONG_TEXT
    assert server.requests[0].headers["accept"].startswith("text/html")  # a URL may be a page or a feed


def test_a_feed_labelled_as_html_is_still_read_as_a_feed(server):
    assert [a.kind for a in read(server.url("/feed-as-html"))] == ["rss", "rss"]
    assert content_kind("text/html", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert content_kind(None, b"<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert content_kind("application/json", b"{}") is None


def test_linked_pages_are_fetched_for_short_summaries_only_when_asked(server):
    server.routes["/feed.xml"].body = rss(
        ("Ministers meet", "/news/ministers", "Iran and Syria held talks.", "Fri, 02 May 2025 10:00:00 GMT"),
        ("Gone", "/missing", "A story that was taken down.", "Fri, 02 May 2025 11:00:00 GMT"),
        ("Estonia expels diplomat", "/europe/estonia", LONG_TEXT, "Wed, 12 Mar 2025 09:30:00 GMT"))
    plain = read(server.url("/feed.xml"))
    assert [a.text for a in plain] == ["Iran and Syria held talks.", "A story that was taken down.", LONG_TEXT]
    assert [r.path for r in server.requests] == ["/feed.xml"]  # off by default: no page fetched

    server.requests.clear()
    ministers, gone, estonia = read(server.url("/feed.xml"), fetcher=fast(fetch_linked=True))
    assert "Mohammad Reza Ashtiani met his Syrian counterpart" in ministers.text
    assert ministers.reason == "text from the linked page (the feed gives only a summary)"
    assert ministers.title == "Ministers meet" and ministers.published == date(2025, 5, 2)
    assert ministers.url == server.url("/news/ministers") and ministers.id == plain[0].id  # same item, same id
    assert gone.text == "A story that was taken down." and gone.status == "ok"
    assert gone.reason == "linked page not read: HTTP 404 Not Found"
    assert estonia.text == LONG_TEXT  # a full text: its link is not fetched
    assert [r.path for r in server.requests] == ["/feed.xml", "/news/ministers", "/missing"]


def test_a_feed_file_can_fetch_linked_pages_too(server, tmp_path):
    (tmp_path / "saved.rss").write_bytes(
        rss(("Ministers meet", server.url("/news/ministers"), "Talks in Tehran.", "Fri, 02 May 2025 10:00:00 GMT")))
    [item] = read(tmp_path / "saved.rss", fetcher=fast(fetch_linked=True))
    assert "Ashtiani" in item.text and item.source == f"{tmp_path / 'saved.rss'}#item 1"


# --- URL lists ---------------------------------------------------------------------------------------------


def test_a_url_list_fetches_each_url(server, tmp_path):
    listing = tmp_path / "today.urls"
    listing.write_text(
        "# today's reading\n\n"
        f"{server.url('/news/ministers')}\n"
        "   # an indented comment\n"
        f"{server.url('/missing')}\n"
        "example.org/no-scheme\n"
        "ftp://example.org/file\n"
        f"{server.url('/feed.xml')}\n",
        encoding="utf-8")
    found = read(listing)
    assert [(a.status, a.kind) for a in found] == [
        ("ok", "html"), ("fetch_failed", None), ("unparseable", "urls"), ("unparseable", "urls"),
        ("ok", "rss"), ("ok", "rss")]
    assert found[2].source == f"{listing}:line 6"
    assert found[2].reason == "line 6: 'example.org/no-scheme' is not a URL (it has no scheme://)"
    assert found[3].reason == "line 7: unsupported URL scheme 'ftp': only http and https URLs are fetched"
    assert found[1].source == server.url("/missing")


def test_an_empty_url_list_is_one_empty_record(tmp_path):
    (tmp_path / "none.urls").write_text("# nothing yet\n\n", encoding="utf-8")
    [record] = read(tmp_path / "none.urls")
    assert record.status == "empty" and record.reason.startswith("no URLs in the list")


# --- CSV and Parquet dumps ---------------------------------------------------------------------------------


def test_csv_rows_are_articles_and_bad_rows_are_recorded(tmp_path):
    path = tmp_path / "dump.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["URL", "Text", "date", "extra"])  # any case, any order, extra columns ignored
        w.writerow(["https://example.org/a", "Japan and the Philippines signed a defence pact.", "2025-10-21", "x"])
        w.writerow(["https://example.org/b", "", "2025-10-22", "x"])
        w.writerow(["", "Estonia expelled a Russian diplomat,\nofficials said.", "someday", "x"])
        w.writerow(["too", "few"])
    with path.open("a", encoding="utf-8") as fh:
        fh.write('https://example.org/c,"bad "quoting" here",2025-01-01,x\n')
        fh.write("https://example.org/d,Kenya and Uganda agreed on trade.,2025-01-02,x\n")
    rows = read(path)
    assert [(Path(a.source).name, a.status) for a in rows] == [
        ("dump.csv:row 1", "ok"), ("dump.csv:row 2", "empty"), ("dump.csv:row 3", "ok"),
        ("dump.csv:row 4", "unparseable"), ("dump.csv:row 5", "unparseable"), ("dump.csv:row 6", "ok")]
    assert all(a.kind == "csv" for a in rows)
    assert rows[0].url == "https://example.org/a" and rows[0].published == date(2025, 10, 21)
    assert rows[0].title is None and rows[0].id == article_id(None, "https://example.org/a")
    assert rows[1].reason == "row 2: 'text' is empty"
    assert rows[2].text == "Estonia expelled a Russian diplomat,\nofficials said." and rows[2].url is None
    assert rows[2].reason == "row 3: unreadable date 'someday' ignored"
    assert rows[3].reason == "row 4: 2 fields where the header has 4"
    assert rows[4].reason.startswith("row 5: not valid CSV")
    assert rows[5].text == "Kenya and Uganda agreed on trade."


def test_csv_without_a_text_column_or_rows(tmp_path):
    (tmp_path / "wrong.csv").write_text("headline,body\na,b\n", encoding="utf-8")
    (tmp_path / "header.csv").write_text("text,title\n", encoding="utf-8")
    (tmp_path / "zero.csv").write_bytes(b"")
    wrong, header, zero = read(tmp_path / "wrong.csv", tmp_path / "header.csv", tmp_path / "zero.csv")
    assert wrong.status == "unparseable"
    assert wrong.reason == "no 'text' column in the header (columns: 'headline', 'body')"
    assert header.status == "empty" and zero.status == "empty"


def test_csv_rows_in_another_encoding_and_oversize_lines(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"text,title\n"
                     + "Der Au\u00dfenminister traf in Z\u00fcrich ein.,caf\u00e9\n".encode("cp1252")
                     + b"A," + b"z" * 3000 + b"\n"
                     + b"Kenya and Uganda agreed on trade.,ok\n")
    latin, big, after = read(path, max_bytes=1000)
    assert latin.text == "Der Au\u00dfenminister traf in Z\u00fcrich ein." and latin.title == "caf\u00e9"
    assert latin.reason == "row 1: decoded as cp1252 (not valid UTF-8)"
    assert big.status == "too_large" and big.reason == "row 2: a line longer than the limit of 1,000 bytes"
    assert after.status == "ok" and after.source.endswith(":row 3")


def _parquet(path: Path, columns: dict) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


def test_parquet_rows_are_articles(tmp_path):
    path = _parquet(tmp_path / "dump.parquet", {
        "text": ["Japan and the Philippines signed a defence pact.", None, "  ", "Estonia expelled a diplomat."],
        "Title": ["Pact", None, None, "Expulsion"],
        "date": pa.array([date(2025, 10, 21), None, None, date(2025, 3, 12)], type=pa.date32()),
        "views": [1, 2, 3, 4],
    })
    rows = read(path)
    assert [(Path(a.source).name, a.status) for a in rows] == [
        ("dump.parquet:row 1", "ok"), ("dump.parquet:row 2", "empty"), ("dump.parquet:row 3", "empty"),
        ("dump.parquet:row 4", "ok")]
    assert rows[0].title == "Pact" and rows[0].published == date(2025, 10, 21) and rows[0].kind == "parquet"
    assert rows[0].url is None and rows[3].text == "Estonia expelled a diplomat."


def test_parquet_timestamps_strings_and_bad_values(tmp_path):
    from datetime import datetime

    stamps = _parquet(tmp_path / "stamps.parquet", {
        "text": ["Kenya and Uganda agreed on trade."] * 2,
        "date": pa.array([datetime(2025, 1, 2, 23, 0), None], type=pa.timestamp("s")),
        "url": ["https://example.org/k", "https://example.org/u"],
        "outlet": [7, 8],  # not text: dropped with a note
    })
    first, second = read(stamps)
    assert first.published == date(2025, 1, 2) and second.published is None
    assert first.outlet is None and first.reason == "row 1: 'outlet' is int, not a string; ignored"


def test_bad_parquet_files_are_recorded(tmp_path):
    no_text = _parquet(tmp_path / "no_text.parquet", {"body": ["x"]})
    numbers = _parquet(tmp_path / "numbers.parquet", {"text": [1, 2]})
    no_rows = _parquet(tmp_path / "no_rows.parquet", {"text": pa.array([], type=pa.string())})
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1" + b"\x00garbage" * 50)
    a, b, c, d = read(no_text, numbers, no_rows, broken)
    assert (a.status, a.reason) == ("unparseable", "no 'text' column (columns: 'body')")
    assert (b.status, b.reason) == ("unparseable", "the 'text' column holds int64, not text")
    assert (c.status, c.reason) == ("empty", "no rows")
    assert d.status == "unparseable" and d.reason.startswith("not a readable Parquet file")


def test_an_oversize_parquet_text_is_too_large(tmp_path):
    path = _parquet(tmp_path / "big.parquet", {"text": ["x" * 5000, "Kenya and Uganda agreed on trade."]})
    big, small = read(path, max_bytes=1000)
    assert big.status == "too_large" and small.status == "ok"


# --- gzip --------------------------------------------------------------------------------------------------


def test_gzip_files_of_every_kind_read_as_their_uncompressed_selves(tmp_path, server):
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    files = {
        "story.txt": b"Estonia expelled a Russian diplomat on Tuesday.",
        "page.html": PAGE,
        "feed.xml": server.routes["/feed.xml"].body,
        "dump.jsonl": json.dumps({"text": "Japan and the Philippines signed a pact.", "date": "2025-10-21"}).encode(),
        "dump.csv": b"text,url\nKenya and Uganda agreed on trade.,https://example.org/k\n",
        "list.urls": server.url("/news/ministers").encode() + b"\n",
    }
    for name, data in files.items():
        (plain / name).write_bytes(data)
        (packed / (name + ".gz")).write_bytes(gzip.compress(data))
    _parquet(plain / "dump.parquet", {"text": ["Estonia expelled a diplomat."]})
    (packed / "dump.parquet.gz").write_bytes(gzip.compress((plain / "dump.parquet").read_bytes()))

    def seen(folder):
        return [(a.status, a.kind, a.text, a.title, a.url, a.published) for a in read(folder)]

    assert seen(packed) == seen(plain)
    assert len(seen(plain)) == 8 and all(s[0] == "ok" for s in seen(plain))


def test_bad_and_bomb_gzip_files(tmp_path):
    (tmp_path / "fake.txt.gz").write_bytes(b"this is not gzip at all")
    (tmp_path / "cut.jsonl.gz").write_bytes(gzip.compress(b'{"text": "a"}\n' * 1000)[:60])
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 3_000_000))
    (tmp_path / "archive.tar.gz").write_bytes(gzip.compress(b"x"))
    found = {Path(a.source).name.split(":")[0]: a for a in read(tmp_path, max_bytes=1_000_000)}
    assert found["fake.txt.gz"].status == "unparseable" and "not a valid gzip file" in found["fake.txt.gz"].reason
    assert found["cut.jsonl.gz"].status == "unparseable" and found["cut.jsonl.gz"].reason
    assert found["bomb.txt.gz"].status == "too_large"
    assert found["bomb.txt.gz"].reason == "over the limit of 1,000,000 bytes once decompressed"
    assert found["archive.tar.gz"].reason.startswith("unsupported file type '.tar.gz'")


# --- the store and the command line ------------------------------------------------------------------------


def test_a_store_from_before_the_feeds_table_opens_and_gains_it(tmp_path):
    from eventscope.store import open_store

    db = tmp_path / "old.duckdb"
    open_store(db).close()
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE feeds")
    con.close()
    with open_store(db, read_only=True) as store:  # what an older eventscope wrote is still readable
        assert store.fetch("SELECT count(*) AS n FROM articles") == [{"n": 0}]
    with open_store(db) as store:
        assert store.fetch("SELECT count(*) AS n FROM feeds") == [{"n": 0}]


def test_run_mixes_urls_files_and_folders_end_to_end(server, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "wire.csv").write_text(
        "text,title,date\nJapan and the Philippines signed a defence pact on Tuesday.,Pact,2025-10-21\n",
        encoding="utf-8")
    (folder / "later.urls").write_text(f"# more\n{server.url('/moved')}\n{server.url('/report.pdf')}\n",
                                       encoding="utf-8")
    story = tmp_path / "story.txt.gz"
    story.write_bytes(gzip.compress(b"Estonia expelled a Russian diplomat on Tuesday."))
    db = tmp_path / "events.duckdb"
    args = ("run", server.url("/news/ministers"), server.url("/feed.xml"), server.url("/missing"),
            "ftp://example.org/x", str(folder), str(story), "--db", str(db), "--min-interval", "0", "-q")
    proc = run_cli(*args)
    assert "skipped: fetch_failed" in proc.stdout
    arts = json.loads(run_cli("articles", "--db", str(db), "--format", "json").stdout)
    by_source = {a["source"]: a for a in arts}
    page = by_source[server.url("/news/ministers")]
    assert page["status"] == "ok" and page["events"] >= 1 and page["url"] == server.url("/news/ministers")
    assert by_source[server.url("/missing")]["status"] == "fetch_failed"
    assert by_source["ftp://example.org/x"]["status"] == "unparseable"
    assert by_source[server.url("/report.pdf")]["status"] == "unparseable"
    assert by_source[server.url("/feed.xml") + "#item 1"]["kind"] == "rss"
    assert by_source[f"{folder / 'wire.csv'}:row 1"]["status"] == "ok"
    assert by_source[str(story)]["status"] == "ok"
    # the redirected page is the same article as the one asked for directly: one row
    assert server.url("/moved") not in by_source
    events = json.loads(run_cli("events", "--db", str(db), "--format", "json").stdout)
    assert any(e["source"].startswith("IRN") and e["target"].startswith("SYR") for e in events)
    failed = json.loads(run_cli("articles", "--db", str(db), "--status", "fetch_failed", "--format", "json").stdout)
    assert [a["source"] for a in failed] == [server.url("/missing")]

    again = run_cli(*args)  # idempotent: nothing new
    assert len(json.loads(run_cli("articles", "--db", str(db), "--format", "json").stdout)) == len(arts)
    assert len(json.loads(run_cli("events", "--db", str(db), "--format", "json").stdout)) == len(events)
    assert "events added" in again.stdout
