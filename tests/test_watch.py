"""`eventscope watch`: feeds polled with conditional requests from a real HTTP server on 127.0.0.1, each new item
coded once, a failing feed survived and retried, per-feed state kept in the DuckDB store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from conftest import REPO, run_cli
from newsserver import NewsServer, Route, rss

from eventscope.ingest.web import Fetcher, FetchSettings
from eventscope.watch import FeedWatcher, parse_interval, read_feed_list

ITEMS = [
    ("Ministers meet", "https://example.org/world/ministers",
     "TEHRAN - Iranian Defense Minister Mohammad Reza Ashtiani met his Syrian counterpart in Tehran on Monday.",
     "Mon, 05 May 2025 10:00:00 GMT"),
    ("Defence pact", "https://example.org/asia/pact",
     "MANILA - Japan and the Philippines signed a defence pact on Tuesday.", "Tue, 21 Oct 2025 08:00:00 GMT"),
]
NEW_ITEM = ("Diplomat expelled", "https://example.org/europe/estonia",
            "TALLINN - Estonia expelled a Russian diplomat on Wednesday.", "Wed, 12 Mar 2025 09:30:00 GMT")
LAST_MODIFIED = "Mon, 05 May 2025 10:00:00 GMT"


@pytest.fixture
def server():
    with NewsServer() as srv:
        srv.routes["/world.xml"] = Route(rss(*ITEMS), content_type="application/rss+xml", etag='"v1"',
                                         last_modified=LAST_MODIFIED)
        srv.routes["/dated.xml"] = Route(rss(ITEMS[1], title="Dated"), content_type="application/rss+xml",
                                         last_modified=LAST_MODIFIED)  # validated by date only
        srv.routes["/broken.xml"] = Route(b"overloaded", status=503, content_type="text/plain")
        srv.routes["/plain.xml"] = Route(rss(ITEMS[0], title="No validators"), content_type="application/rss+xml")
        yield srv


def _watcher(urls, db, coder):
    return FeedWatcher(urls, db, fetcher=Fetcher(FetchSettings(min_interval=0, timeout=2)), coder=coder)


def _words(text: str) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(text.split())


def _rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600), ("1h30m", 5400),
                                               ("90", 90), (" 2M ", 120), ("0.5s", 0.5)])
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "10x", "m15", "0s", "-5m", "1h 30m"])
def test_bad_intervals_say_how_to_write_one(text):
    with pytest.raises(ValueError, match="interval"):
        parse_interval(text)


def test_each_item_is_coded_once_and_the_second_poll_is_conditional(server, tmp_path, coder):
    db = tmp_path / "watch.duckdb"
    feeds = [server.url("/world.xml"), server.url("/broken.xml"), server.url("/dated.xml")]
    watcher = _watcher(feeds, db, coder)

    first = watcher.poll()
    assert [(f.status, f.items, f.new) for f in first.feeds] == [("ok", 2, 2), ("failed", 0, 0), ("ok", 1, 0)]
    assert first.feeds[1].reason == "HTTP 503 Service Unavailable"  # one feed failing does not stop the others
    assert first.run.coded == 2 and first.run.events >= 2  # the pact is in two feeds: coded once
    assert not server.hits("/world.xml")[0].headers.get("if-none-match")
    articles = _rows(db, "SELECT url, status, kind FROM articles ORDER BY url")
    assert [a["url"] for a in articles] == ["https://example.org/asia/pact", "https://example.org/world/ministers"]
    events = _rows(db, "SELECT count(*) AS n FROM events")[0]["n"]

    second = watcher.poll()
    assert [f.status for f in second.feeds] == ["not_modified", "failed", "not_modified"]
    assert second.run is None and second.new_items == 0
    world, dated = server.hits("/world.xml")[1].headers, server.hits("/dated.xml")[1].headers
    assert world["if-none-match"] == '"v1"' and world["if-modified-since"] == LAST_MODIFIED
    assert dated["if-modified-since"] == LAST_MODIFIED and "if-none-match" not in dated
    assert len(server.hits("/broken.xml")) == 2  # retried

    server.routes["/world.xml"].body = rss(NEW_ITEM, *ITEMS)  # a new story at the top
    server.routes["/world.xml"].etag = '"v2"'
    server.routes["/broken.xml"] = Route(rss(ITEMS[0], title="Recovered"), content_type="application/rss+xml")
    third = watcher.poll()
    assert [(f.status, f.items, f.new) for f in third.feeds] == [("ok", 3, 1), ("ok", 1, 0), ("not_modified", 0, 0)]
    assert third.run.coded == 1
    urls = [a["url"] for a in _rows(db, "SELECT url FROM articles ORDER BY url")]
    assert urls == ["https://example.org/asia/pact", "https://example.org/europe/estonia",
                    "https://example.org/world/ministers"]
    assert _rows(db, "SELECT count(*) AS n FROM events")[0]["n"] > events

    state = {r["url"]: r for r in _rows(db, "SELECT * FROM feeds")}
    world = state[server.url("/world.xml")]
    assert (world["etag"], world["last_modified"], world["last_status"]) == ('"v2"', LAST_MODIFIED, "ok")
    assert (world["polls"], world["not_modified"], world["failures"], world["items_last"], world["items_new"]) == (
        3, 1, 0, 3, 3)
    broken = state[server.url("/broken.xml")]
    assert (broken["polls"], broken["failures"], broken["last_status"], broken["last_error"]) == (3, 2, "ok", None)
    assert state[server.url("/dated.xml")]["not_modified"] == 2


def test_a_feed_without_validators_is_read_again_but_its_items_are_not_recoded(server, tmp_path, coder):
    db = tmp_path / "plain.duckdb"
    watcher = _watcher([server.url("/plain.xml")], db, coder)
    first, second = watcher.poll(), watcher.poll()
    assert (first.new_items, first.run.coded) == (1, 1)
    assert second.feeds[0].status == "ok" and second.new_items == 0 and second.run is None
    assert _rows(db, "SELECT count(*) AS n FROM articles")[0]["n"] == 1


def test_linked_pages_are_fetched_for_new_items_only(server, tmp_path, coder):
    server.routes["/page"] = Route(b"<html><head><title>Full story</title></head><body><article><p>"
                                   + ITEMS[0][2].encode() + b" " + b"The talks lasted two days. " * 30
                                   + b"</p></article></body></html>")
    server.routes["/short.xml"] = Route(rss(("Talks", server.url("/page"), "Talks in Tehran.",
                                             "Mon, 05 May 2025 10:00:00 GMT")), content_type="application/rss+xml")
    fetcher = Fetcher(FetchSettings(min_interval=0, timeout=2, fetch_linked=True))
    watcher = FeedWatcher([server.url("/short.xml")], tmp_path / "linked.duckdb", fetcher=fetcher, coder=coder)
    first, second = watcher.poll(), watcher.poll()
    assert first.run.coded == 1 and first.run.events >= 1 and second.new_items == 0
    assert len(server.hits("/page")) == 1  # the seen item's page is not fetched again
    [text] = _rows(tmp_path / "linked.duckdb", "SELECT text FROM articles")
    assert "The talks lasted two days." in text["text"]


def test_the_watch_loop_stops_after_max_polls(server, tmp_path, coder):
    watcher = _watcher([server.url("/world.xml")], tmp_path / "loop.duckdb", coder)
    seen = []
    summary = watcher.watch(0.01, max_polls=3, on_poll=seen.append)
    assert [r.number for r in seen] == [1, 2, 3] and summary.polls == 3 and summary.stopped_by == "max-polls"
    assert (summary.new_items, summary.coded, summary.not_modified) == (2, 2, 2)


def test_a_feed_list_skips_comments_and_reports_bad_lines(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# world\nhttps://example.org/a.xml\n\nfeeds.example.org/b\nhttps://example.org/a.xml\n"
                    "https://example.org/c.xml\n", encoding="utf-8")
    urls, problems = read_feed_list(path)
    assert urls == ["https://example.org/a.xml", "https://example.org/c.xml"]
    assert problems == ["line 4: 'feeds.example.org/b' is not a URL (it has no scheme://)"]


def test_watch_from_the_command_line(server, tmp_path):
    feedlist = tmp_path / "feeds.txt"
    feedlist.write_text(f"# test feeds\n{server.url('/world.xml')}\n{server.url('/broken.xml')}\n", encoding="utf-8")
    db = tmp_path / "cli.duckdb"
    once = run_cli("watch", str(feedlist), "--db", str(db), "--once", "--min-interval", "0")
    assert "HTTP 503 Service Unavailable" in _words(once.stderr) and "max-polls" in once.stdout
    arts = json.loads(run_cli("articles", "--db", str(db), "--format", "json").stdout)
    assert sorted(a["url"] for a in arts) == ["https://example.org/asia/pact", "https://example.org/world/ministers"]

    server.routes["/world.xml"].body = rss(NEW_ITEM, *ITEMS)
    server.routes["/world.xml"].etag = '"v2"'
    twice = run_cli("watch", str(feedlist), "--db", str(db), "--max-polls", "2", "--every", "1s",
                    "--min-interval", "0")
    assert "poll 1" in twice.stderr and "poll 2" in twice.stderr
    hits = server.hits("/world.xml")
    assert len(hits) == 3 and hits[1].headers["if-none-match"] == '"v1"' and hits[2].headers["if-none-match"] == '"v2"'
    arts = json.loads(run_cli("articles", "--db", str(db), "--format", "json").stdout)
    assert len(arts) == 3 and sum(a["url"] == "https://example.org/europe/estonia" for a in arts) == 1
    feeds = {r["url"]: r for r in _rows(db, "SELECT url, polls, failures, not_modified FROM feeds")}
    assert feeds[server.url("/world.xml")] == {"url": server.url("/world.xml"), "polls": 3, "failures": 0,
                                               "not_modified": 1}
    assert feeds[server.url("/broken.xml")]["failures"] == 3


def test_ctrl_c_stops_the_watch_between_polls_with_a_summary(server, tmp_path):
    feedlist = tmp_path / "feeds.txt"
    feedlist.write_text(server.url("/world.xml") + "\n", encoding="utf-8")
    db = tmp_path / "interrupted.duckdb"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "eventscope.cli", "watch", str(feedlist), "--db", str(db), "--every", "1h",
         "--min-interval", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        lines = []
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            if line.startswith("poll 1") or not line:
                break
        assert any(line.startswith("poll 1") for line in lines), lines
        proc.send_signal(signal.SIGINT)  # while it waits for the next poll, an hour away
        out, rest = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, rest
    assert "interrupt" in out and "new items" in out
    assert _rows(db, "SELECT count(*) AS n FROM articles")[0]["n"] == 2


def test_watch_errors_are_clear(tmp_path):
    missing = run_cli("watch", str(tmp_path / "nope.txt"), "--once", check=False)
    assert missing.returncode == 2 and "feed list not found" in _words(missing.stderr)
    (tmp_path / "feeds.txt").write_text("https://example.org/a.xml\n", encoding="utf-8")
    bad = run_cli("watch", str(tmp_path / "feeds.txt"), "--every", "soon", check=False)
    assert bad.returncode == 2 and "30s, 15m, 1h" in _words(bad.stderr)
    (tmp_path / "empty.txt").write_text("# none\nftp://example.org/x\n", encoding="utf-8")
    empty = run_cli("watch", str(tmp_path / "empty.txt"), "--once", check=False)
    assert empty.returncode == 2 and "no http(s) feed URLs" in _words(empty.stderr) and "line 2" in empty.stderr
    assert "Traceback" not in missing.stderr + bad.stderr + empty.stderr
