"""The HTTP API: `eventscope serve` started as a real process on 127.0.0.1, called over HTTP with httpx.

Stores: the bundled examples coded by `eventscope run` (real events, flags, places), a synthetic store for
paging and aggregates, and for writes a copy served with a token.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from conftest import REPO, run_cli
from synthetic_store import MONDAY, PER_WEEK, WEEKS, build_store, calm, planted_escalations

from eventscope.query import EventFilter, query_events
from eventscope.session import EventScope
from eventscope.store import open_store
from eventscope.store.synthetic import build_synthetic_store

TOKEN = "test-token-5f2c9a71"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: Path, *args: str, env: dict | None = None) -> Iterator[httpx.Client]:
    """`eventscope serve --db DB ARGS` on a free port; yields a client for it; stops it afterwards."""
    port = _free_port()
    full_env = {k: v for k, v in os.environ.items() if k != "EVENTSCOPE_API_TOKEN"}
    full_env.update({"PYTHONPATH": str(REPO), **(env or {})})
    proc = subprocess.Popen([sys.executable, "-m", "eventscope.cli", "serve", "--db", str(db), "--port", str(port),
                             *args], env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"eventscope serve exited {proc.returncode}: {proc.stderr.read()}")
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("eventscope serve did not answer /health in 60 s")
            time.sleep(0.2)
        yield client
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        # the server never answers a request with a traceback
        assert "Traceback" not in (proc.stderr.read() or "")


@pytest.fixture(scope="module")
def examples_db(examples_store: Path) -> Path:
    return examples_store


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("api") / "synthetic.duckdb"
    build_synthetic_store(db, 2500)
    return db


@pytest.fixture(scope="module")
def api(examples_db: Path) -> Iterator[httpx.Client]:
    with serving(examples_db) as client:
        yield client


@pytest.fixture(scope="module")
def synthetic_api(synthetic_db: Path) -> Iterator[httpx.Client]:
    with serving(synthetic_db, "--max-page", "300") as client:
        yield client


def _all_pages(client: httpx.Client, params: dict) -> list[dict]:
    out, cursor = [], None
    while True:
        r = client.get("/events", params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        out += body["events"]
        assert body["count"] == len(body["events"]) <= params.get("limit", 100)
        cursor = body["next_cursor"]
        if cursor is None:
            return out
        assert r.headers["X-Next-Cursor"] == cursor and 'rel="next"' in r.headers["Link"]


# ---- reading ---------------------------------------------------------------------------------------------

def test_health_and_openapi_docs(api: httpx.Client) -> None:
    health = api.get("/health").json()
    assert health["status"] == "ok" and health["read_only"] is True
    spec = api.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/events", "/events/{event_id}", "/articles/{article_id}", "/articles", "/actors", "/dyads",
            "/timeseries", "/network", "/alerts", "/stats", "/health"} <= paths
    assert "text" in str(spec["paths"]["/articles"]["post"]["requestBody"])
    assert "ArticleIn" in spec["components"]["schemas"]
    docs = api.get("/docs")  # rendered on the server: works with the network cut
    assert docs.status_code == 200 and "/events" in docs.text and "include_negated" in docs.text
    assert "<script" not in docs.text.lower() and "cdn" not in docs.text.lower()


def test_events_are_the_query_layers_events(api: httpx.Client, examples_db: Path) -> None:
    with open_store(examples_db, read_only=True) as store:  # a second reader beside the server
        expected = query_events(store)
        flagged = query_events(store, EventFilter(include_negated=True, include_hypothetical=True))
    got = api.get("/events", params={"limit": 1000}).json()
    assert got["events"] == expected and got["next_cursor"] is None
    assert all(e["asserted"] for e in got["events"])
    everything = api.get("/events", params={"limit": 1000, "include_negated": "true",
                                            "include_hypothetical": "true"}).json()["events"]
    assert everything == flagged and len(flagged) > len(expected)


@pytest.mark.parametrize("params,flt", [
    ({"source": "RUS"}, EventFilter(source="RUS")),
    ({"target": "idn"}, EventFilter(target="IDN")),
    ({"code": "040"}, EventFilter(code="040")),
    ({"root": "4"}, EventFilter(root="04")),
    ({"since": "2025-03-01", "until": "2025-06-30"}, EventFilter(since="2025-03-01", until="2025-06-30")),
    ({"quad_class": 4}, EventFilter(quad_class=4)),
    ({"plover": "consult"}, EventFilter(plover="CONSULT")),
    ({"reported": "true"}, EventFilter(reported=True)),
    ({"intent": "false", "source": "EST"}, EventFilter(intent=False, source="EST")),
    ({"include_negated": "true", "root": "19"}, EventFilter(include_negated=True, root="19")),
])
def test_event_filters(api: httpx.Client, examples_db: Path, params: dict, flt: EventFilter) -> None:
    with open_store(examples_db, read_only=True) as store:
        expected = [e["id"] for e in query_events(store, flt)]
        total = len(query_events(store))
    got = [e["id"] for e in _all_pages(api, {**params, "limit": 5})]
    assert got == expected
    assert 0 < len(got) < total  # each filter selects something, and not everything


def test_article_filter_and_article(api: httpx.Client, examples_db: Path) -> None:
    with open_store(examples_db, read_only=True) as store:
        art_id = query_events(store)[0]["article_id"]
        expected = query_events(store, EventFilter(article_id=art_id, include_negated=True,
                                                   include_hypothetical=True))
    got = api.get("/events", params={"article_id": art_id, "include_negated": "true",
                                     "include_hypothetical": "true"}).json()["events"]
    assert got == expected
    art = api.get(f"/articles/{art_id}").json()
    assert art["id"] == art_id and art["status"] == "ok" and art["text"]
    assert sorted(art["event_ids"]) == sorted(e["id"] for e in expected)
    assert api.get("/articles/0000000000000000").status_code == 404
    assert api.get("/articles/" + "x" * 500).status_code == 404


def test_paging_to_the_end_has_no_gaps_or_repeats(synthetic_api: httpx.Client, synthetic_db: Path) -> None:
    with open_store(synthetic_db, read_only=True) as store:
        expected = [e["id"] for e in query_events(store)]
        expected_usa = [e["id"] for e in query_events(store, EventFilter(source="USA", include_negated=True))]
    got = [e["id"] for e in _all_pages(synthetic_api, {"limit": 300})]
    assert got == expected and len(set(got)) == len(got) > 2000
    got = [e["id"] for e in _all_pages(synthetic_api, {"limit": 17, "source": "USA", "include_negated": "true"})]
    assert got == expected_usa


def test_csv_pages(api: httpx.Client, examples_db: Path) -> None:
    r = api.get("/events", params={"format": "csv", "limit": 10})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 10 and r.headers["X-Next-Cursor"]
    assert {"id", "code", "source", "target", "location_name", "negated", "hypothetical", "asserted",
            "intent", "reported"} <= set(rows[0])
    with open_store(examples_db, read_only=True) as store:
        first = query_events(store, EventFilter(limit=10))
    assert [row["id"] for row in rows] == [e["id"] for e in first]
    assert rows[0]["code"] == first[0]["code"]  # codes keep their leading zeros
    nxt = api.get("/events", params={"format": "csv", "limit": 10, "cursor": r.headers["X-Next-Cursor"]})
    assert not {row["id"] for row in csv.DictReader(io.StringIO(nxt.text))} & {row["id"] for row in rows}


def test_one_event_with_evidence_and_explanation(api: httpx.Client, examples_db: Path) -> None:
    with open_store(examples_db, read_only=True) as store:
        ev = next(e for e in query_events(store) if e["source"] and e["target"] and e["rule"])
    got = api.get(f"/events/{ev['id']}").json()
    assert got["id"] == ev["id"] and got["evidence"] == ev["evidence"] and got["rule"] == ev["rule"]
    assert got["article"]["id"] == ev["article_id"]
    assert any(m["actor"] == ev["source"] for m in got["mentions"])
    explanation = got["explanation"]
    assert explanation["recoded"] == "same event found again" and explanation["why"]
    assert explanation["parse"] and any(t.get("trigger") for t in explanation["parse"])
    cli = json.loads(run_cli("explain", ev["id"], "--db", str(examples_db), "--format", "json").stdout)
    assert {k: cli.get(k) for k in explanation} == explanation  # the same explanation as `eventscope explain`
    quick = api.get(f"/events/{ev['id']}", params={"explain": "false"}).json()
    assert "explanation" not in quick and quick["evidence"] == ev["evidence"]
    assert api.get("/events/0123456789abcdef").status_code == 404
    assert api.get("/events/0123456789abcdef", params={"explain": "false"}).status_code == 404


def test_actors_dyads_network_and_stats(api: httpx.Client, examples_db: Path) -> None:
    with open_store(examples_db, read_only=True) as store:
        events = query_events(store)
        summary = store.fetch("SELECT count(*) AS n FROM events")[0]["n"]
        countries = {r["code"]: r["country"] for r in store.fetch(
            "SELECT source_code AS code, source_country AS country FROM events WHERE source_code IS NOT NULL "
            "UNION SELECT target_code, target_country FROM events WHERE target_code IS NOT NULL")}
    with EventScope.open(examples_db) as es:  # the API serves the Python API's analyses, unchanged
        assert api.get("/actors", params={"n": 7}).json()["actors"] == es.top_actors(7).records()
        assert api.get("/dyads", params={"n": 7, "level": "code"}).json()["dyads"] == es.top_dyads(
            7, level="code").records()
        assert api.get("/stats", params={"n": 3, "source": "IRN"}).json() == {
            "store": es.summary(), **es.stats(3, source="IRN")}

    actors = api.get("/actors", params={"n": 500, "level": "code"}).json()["actors"]
    for a in actors:
        assert a["as_source"] == sum(1 for e in events if e["source"] == a["actor"])
        assert a["as_target"] == sum(1 for e in events if e["target"] == a["actor"])
    assert {a["actor"] for a in actors} == {e["source"] for e in events if e["source"]} | {
        e["target"] for e in events if e["target"]}
    assert [a["events"] for a in actors] == sorted((a["events"] for a in actors), reverse=True)
    assert len(api.get("/actors", params={"n": 3}).json()["actors"]) == 3

    by_country = api.get("/actors", params={"n": 500}).json()
    assert by_country["level"] == "country"

    def country(code: str) -> str:
        return countries[code] or code

    for a in by_country["actors"]:
        assert a["as_source"] == sum(1 for e in events if e["source"] and country(e["source"]) == a["actor"])

    dyads = api.get("/dyads", params={"n": 500, "source": "IRN", "level": "code"}).json()["dyads"]
    assert dyads and all(d["source"].startswith("IRN") for d in dyads)
    assert sum(d["events"] for d in dyads) == sum(
        1 for e in events if e["source"] and e["target"] and e["source"].startswith("IRN"))
    assert {(d["source"], d["target"]) for d in dyads} == {
        (e["source"], e["target"]) for e in events if e["source"] and e["target"] and e["source"].startswith("IRN")}

    network = api.get("/network").json()
    assert network["directed"] is True and network["graph"] == {"level": "country"}
    assert sum(e["weight"] for e in network["edges"]) == sum(1 for e in events if e["source"] and e["target"])
    assert {n["id"] for n in network["nodes"]} == {e["source"] for e in network["edges"]} | {
        e["target"] for e in network["edges"]}
    assert {(e["source"], e["target"]) for e in network["edges"]} == {
        (country(e["source"]), country(e["target"])) for e in events if e["source"] and e["target"]}
    by_code = api.get("/network", params={"level": "code"}).json()
    biggest = api.get("/network", params={"max_edges": 2, "level": "code"}).json()
    assert by_code["graph"]["level"] == "code" and len(by_code["edges"]) > 2
    assert biggest["edges"] == by_code["edges"][:2]  # the heaviest edges, as the whole network orders them

    stats = api.get("/stats").json()
    assert stats["store"]["events"] == summary and stats["events"] == len(events)
    assert stats["left_out"]["negated"] + stats["left_out"]["hypothetical"] >= summary - len(events) > 0
    assert sum(r["events"] for r in stats["by_quad_class"]) == len(events)
    assert stats["intent"] == sum(1 for e in events if e["intent"]) > 0
    assert stats["reported"] == sum(1 for e in events if e["reported"])


def test_timeseries(synthetic_api: httpx.Client, synthetic_db: Path) -> None:
    with open_store(synthetic_db, read_only=True) as store:
        dated = [e for e in query_events(store, EventFilter(source="USA", target="RUS")) if e["date"]]
        back = [e for e in query_events(store, EventFilter(source="RUS", target="USA")) if e["date"]]
    body = synthetic_api.get("/timeseries", params={"source": "USA", "target": "RUS", "by": "month"}).json()
    assert body["by"] == "month" and body["source"] == "USA" and body["both_directions"] is False
    assert {p["period"][:7]: p["events"] for p in body["series"] if p["events"]} == {
        m: sum(1 for e in dated if e["date"][:7] == m) for m in {e["date"][:7] for e in dated}}
    months = [p["period"] for p in body["series"]]
    assert months == sorted(months) and len(months) == len(set(months))  # one row per month, gaps as 0 events
    assert min(months) == min(e["date"] for e in dated)[:7] + "-01"
    both = synthetic_api.get("/timeseries", params={"source": "USA", "target": "RUS", "by": "month",
                                                    "both_directions": "true"}).json()["series"]
    assert sum(p["events"] for p in both) == len(dated) + len(back)
    week = synthetic_api.get("/timeseries", params={"by": "week", "root": "19"}).json()["series"]
    assert len(week) > 500 and all(p["period"] < q["period"] for p, q in zip(week, week[1:], strict=False))
    assert all(p["material_conflict_share"] == 1 and p["conflict_share"] == 1 for p in week if p["events"])



@pytest.fixture(scope="module")
def planted_db(tmp_path_factory) -> Path:
    """Weekly dyads with known escalations (tests/synthetic_store.py): RUS -> UKR jumps in the last week."""
    return build_store(tmp_path_factory.mktemp("api") / "planted.duckdb", planted_escalations())


def test_alerts_find_a_planted_escalation(planted_db: Path) -> None:
    last = (MONDAY + timedelta(weeks=WEEKS)).isoformat()
    with EventScope.open(planted_db) as es:
        expected = es.alerts().records()
        expected_monthly = es.alerts(by="month", window=3, k=2.0, min_periods=2).records()
    with serving(planted_db) as client:
        alerts = client.get("/alerts").json()  # the defaults of `eventscope alerts`: weekly, window 8, k 3
        assert alerts["alerts"] == expected and alerts["total"] == len(expected)
        assert (alerts["by"], alerts["window"], alerts["k"]) == ("week", 8, 3.0)
        rus = {(a["source"], a["target"], a["period"], a["metric"], a["direction"])
               for a in alerts["alerts"] if a["source"] == "RUS"}
        assert rus == {("RUS", "UKR", last, metric, "escalation")
                       for metric in ("conflict_share", "conflict_events", "goldstein_mean")}
        assert all(a["source"] != "CHN" for a in alerts["alerts"])  # calm noise is no alert
        by_code = client.get("/alerts", params={"level": "code"}).json()["alerts"]
        assert {a["source"] for a in by_code if a["period"] == last} == {"RUSMIL", "KHMMIL"}
        recent = client.get("/alerts", params={"since": last}).json()["alerts"]
        assert {(a["source"], a["period"]) for a in recent} == {("RUS", last), ("KHM", last)}
        none = client.get("/alerts", params={"k": 100}).json()
        assert none["k"] == 100 and none["total"] == 0 and none["alerts"] == []
        one = client.get("/alerts", params={"limit": 1}).json()
        assert one["alerts"] == expected[:1] and one["total"] == len(expected) > 1
        monthly = client.get("/alerts", params={"by": "month", "window": 3, "k": 2, "min_periods": 2}).json()
        assert monthly["alerts"] == expected_monthly and monthly["by"] == "month"
        assert ("RUS", "2024-05-01") in {(a["source"], a["period"]) for a in monthly["alerts"]}
        series = client.get("/timeseries", params={"source": "RUS", "target": "UKR", "by": "week"}).json()["series"]
        assert [p["events"] for p in series] == [PER_WEEK] * (WEEKS + 1)
        assert series[-1]["period"] == last and series[-1]["conflict_share"] == pytest.approx(0.9)
        assert series[0]["conflict_share"] == pytest.approx(calm(0) / PER_WEEK)


# ---- bad requests ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,params", [
    ("/events", {"since": "2024-13-01"}),
    ("/events", {"until": "yesterday"}),
    ("/events", {"limit": -1}),
    ("/events", {"limit": 0}),
    ("/events", {"limit": 10**30}),
    ("/events", {"limit": 301}),  # over --max-page
    ("/events", {"limit": "ten"}),
    ("/events", {"format": "xml"}),
    ("/events", {"cursor": "junk"}),
    ("/events", {"cursor": "W2ZhbHNlLCIyMDE1LTAxLTAxIiwiNjg4N2VkMDJiMzQyMzljZSIsMywiODAy"}),  # truncated
    ("/events", {"quad_class": 9}),
    ("/events", {"root": "abc"}),
    ("/events", {"source": "IRN' OR 1=1 --"}),
    ("/events", {"reported": "perhaps"}),
    ("/timeseries", {"by": "fortnight"}),
    ("/timeseries", {"by": "year"}),
    ("/timeseries", {"both_directions": "sometimes"}),
    ("/alerts", {"k": -1}),
    ("/alerts", {"k": "nan"}),
    ("/alerts", {"window": 0}),
    ("/alerts", {"window": 5000}),
    ("/alerts", {"min_periods": 1}),
    ("/alerts", {"limit": 301}),
    ("/alerts", {"level": "region"}),
    ("/network", {"min_events": 0}),
    ("/network", {"max_edges": 0}),
    ("/network", {"max_edges": 301}),
    ("/actors", {"n": -5}),
    ("/actors", {"n": 0}),
    ("/actors", {"level": "sector"}),
    ("/dyads", {"since": "2024-02-30"}),
    ("/dyads", {"n": 301}),
    ("/stats", {"quad_class": "x"}),
    ("/stats", {"n": "many"}),
    ("/events/abc", {"explain": "maybe"}),
])
def test_bad_parameters_are_422(synthetic_api: httpx.Client, path: str, params: dict) -> None:
    r = synthetic_api.get(path, params=params)
    assert r.status_code == 422, (r.status_code, r.text)
    assert r.json()["detail"][0]["msg"]


def test_odd_values_are_not_errors(api: httpx.Client) -> None:
    # values are bound parameters: quotes and SQL in them match nothing, they break nothing
    assert api.get("/events", params={"article_id": "x' OR '1'='1"}).json()["events"] == []
    assert api.get("/events/x' OR '1'='1").status_code == 404
    assert api.get("/events", params={"since": "2030-01-01", "until": "2020-01-01"}).json()["events"] == []
    assert api.get("/timeseries", params={"since": "2030-01-01"}).json()["series"] == []
    assert api.get("/alerts", params={"since": "2030-01-01"}).json()["alerts"] == []
    assert api.get("/network", params={"source": "XXX"}).json()["edges"] == []
    assert api.get("/stats", params={"since": "2030-01-01"}).json()["events"] == 0
    assert api.get("/actors", params={"root": "99"}).json()["actors"] == []


def test_a_read_only_server_refuses_writes(api: httpx.Client) -> None:
    r = api.post("/articles", json={"text": "Iran attacked Iraq."}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "read-only" in r.json()["detail"]


# ---- writing ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def writable(examples_db: Path, tmp_path_factory) -> Iterator[httpx.Client]:
    db = tmp_path_factory.mktemp("api") / "writable.duckdb"
    shutil.copy(examples_db, db)
    token_file = db.parent / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    with serving(db, "--token-file", str(token_file), "--max-body", "20000") as client:
        yield client


AUTH = {"Authorization": f"Bearer {TOKEN}"}
GERMAN = ("Die Regierung hat am Montag in Berlin über die neuen Pläne für die Wirtschaft und die Zukunft des "
          "Landes gesprochen, und die Minister waren sich nicht einig.")
STORY = {"text": "Iranian Defense Minister Mohammad Reza Ashtiani met his Syrian counterpart in Tehran on Monday.",
         "url": "https://news.example/iran-syria", "date": "2025-03-05", "title": "Ministers meet"}


def test_writes_need_the_token(writable: httpx.Client) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"}):
        r = writable.post("/articles", json=STORY, headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["www-authenticate"] == "Bearer"
    assert writable.get("/events", params={"article_id": "c9b1e0a8b0f0f0f0"}).status_code == 200


def test_over_size_bodies_are_413(writable: httpx.Client) -> None:
    big = {"text": "Iran attacked Iraq. " * 2000}
    r = writable.post("/articles", json=big, headers=AUTH)
    assert r.status_code == 413 and "limit" in r.json()["detail"]

    def chunks():  # no Content-Length: the limit applies while the body arrives
        yield b'{"text": "'
        for _ in range(100):
            yield b"Iran attacked Iraq. " * 50
        yield b'"}'

    r = writable.post("/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert writable.get("/health").status_code == 200


@pytest.mark.parametrize("body", [
    b"not json", b"{}", b'{"text": ""}', b'{"text": 5}', b'{"text": "a", "date": "2025-02-30"}',
    b'{"text": "a", "colour": "red"}', b"[]", b'[{"text": "a"}, {"title": "no text"}]', b"null",
])
def test_bad_submissions_are_422(writable: httpx.Client, body: bytes) -> None:
    r = writable.post("/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 422, (r.status_code, r.text)


def test_posted_articles_are_coded_and_stored(writable: httpx.Client) -> None:
    r = writable.post("/articles", json=STORY, headers=AUTH)
    assert r.status_code == 201, r.text
    body = r.json()
    art = body["articles"][0]
    assert art["status"] == "ok" and art["already_stored"] is False and body["events_added"] >= 1
    codes = {(e["source"], e["code"], e["target"]) for e in art["events"]}
    assert any(c[1].startswith("04") for c in codes)
    assert all(e["date"] == "2025-03-03" for e in art["events"])  # "on Monday" before 5 March 2025
    listed = writable.get("/events", params={"article_id": art["id"]}).json()["events"]
    assert [e["id"] for e in listed] == [e["id"] for e in art["events"]]
    assert writable.get(f"/articles/{art['id']}").json()["title"] == "Ministers meet"
    again = writable.post("/articles", json=[STORY, {"text": GERMAN}], headers=AUTH)
    assert again.status_code == 201
    first, second = again.json()["articles"]
    assert first["already_stored"] is True and again.json()["events_added"] == 0
    assert second["status"] == "not_english" and second["events"] == []


def test_paging_while_articles_are_posted(writable: httpx.Client) -> None:
    before = [e["id"] for e in _all_pages(writable, {"limit": 1000})]
    seen, cursor, n = [], None, 0
    while True:
        r = writable.get("/events", params={"limit": 10, **({"cursor": cursor} if cursor else {})}).json()
        seen += [e["id"] for e in r["events"]]
        n += 1
        text = f"Turkish troops attacked Kurdish rebels near Erbil on Tuesday, officials said in report {n}."
        posted = writable.post("/articles", json={"text": text, "date": f"2025-0{1 + n % 9}-15"}, headers=AUTH)
        assert posted.status_code == 201
        cursor = r["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)


def test_token_from_the_environment_and_serve_errors(examples_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "env.duckdb"
    shutil.copy(examples_db, db)
    with serving(db, env={"EVENTSCOPE_API_TOKEN": TOKEN}) as client:
        assert client.get("/health").json()["read_only"] is False
        assert client.post("/articles", json=STORY).status_code == 401
    empty = tmp_path / "empty-token"
    empty.write_text("\n")
    for args, message in ((["--db", str(tmp_path / "none.duckdb")], "no event store"),
                          (["--db", str(db), "--token-file", str(empty)], "is empty"),
                          (["--db", str(db), "--token-file", str(tmp_path / "missing")], "cannot read the token")):
        proc = run_cli("serve", *args, check=False, timeout=60)
        said = " ".join(proc.stderr.split())
        assert proc.returncode == 2 and message in said and "Traceback" not in said
