"""The command line on the bundled examples, as a user runs it: run, events (filters and formats), articles,
explain, and the errors a user can make."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import EXAMPLES, run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "examples.duckdb"
    proc = run_cli("run", str(EXAMPLES), "--db", str(path), "--date", "2025-06-01")
    assert "articles coded" in proc.stdout
    return path


def _events(db, *args):
    return json.loads(run_cli("events", "--db", str(db), "--format", "json", *args).stdout)


def test_every_input_kind_is_coded(db):
    arts = json.loads(run_cli("articles", "--db", str(db), "--format", "json").stdout)
    kinds = {a["kind"] for a in arts if a["status"] == "ok"}
    assert {"txt", "html", "jsonl"} <= kinds and kinds & {"rss", "feed", "atom"}
    assert sum(a["events"] for a in arts) == len(_events(db))
    for a in arts:
        assert {"id", "status", "reason", "title", "events"} <= set(a)


def test_filters(db):
    everything = _events(db)
    assert len(everything) > 20
    irn = _events(db, "--source", "IRN")
    assert irn and all(e["source"].startswith("IRN") for e in irn)
    r11 = _events(db, "--root", "11")
    assert all(e["root"] == "11" for e in r11)
    code = everything[0]["code"]
    assert all(e["code"] == code for e in _events(db, "--code", code))
    dated = [e for e in everything if e["date"]]
    assert dated
    since = _events(db, "--since", "2025-07-01")
    assert since and all(e["date"] >= "2025-07-01" for e in since)
    assert len(_events(db, "--limit", "3")) == 3


def test_date_option_only_fills_missing_dates(db):
    events = _events(db)
    seed = [e for e in events if "Ashtiani" in e["evidence"] or "Tehran" in e["evidence"]]
    assert seed and all(e["date"] == "2025-06-01" for e in seed)  # the seed has no date of its own
    html = [e for e in events if "shadow" in e["evidence"]]
    assert html and all(e["date"] == "2025-04-15" for e in html)  # the page's own date wins


def test_csv_and_table(db):
    text = run_cli("events", "--db", str(db), "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {"id", "source", "target", "code", "evidence", "location_name"} <= set(rows[0])
    table = run_cli("events", "--db", str(db), "--limit", "5").stdout
    assert "evidence" in table


def test_explain_shows_the_reasons(db):
    ev = next(e for e in _events(db, "--source", "IRN", "--target", "ISR") if e["code"] == "111")
    out = run_cli("explain", ev["id"][:12], "--db", str(db)).stdout
    for needle in ("criticized", "DENOUNCE", "actor resolutions", "parse around the trigger", "IRNGOVMIL"):
        assert needle in out, needle
    data = json.loads(run_cli("explain", ev["id"], "--db", str(db), "--format", "json").stdout)
    assert data["why"]["group"] == "DENOUNCE"
    assert any(p.get("trigger") for p in data["parse"])
    assert data["recoded"] == "same event found again"


def test_user_errors_are_clear(tmp_path):
    missing = run_cli("events", "--db", str(tmp_path / "none.duckdb"), check=False)
    assert missing.returncode != 0 and "no event store" in missing.stderr and "Traceback" not in missing.stderr
    bad_date = run_cli("run", str(EXAMPLES), "--db", str(tmp_path / "x.duckdb"), "--date", "June 1", check=False)
    assert bad_date.returncode != 0 and "YYYY-MM-DD" in bad_date.stderr
    bad_dict = run_cli("run", str(EXAMPLES), "--db", str(tmp_path / "x.duckdb"), "--dictionaries",
                       str(tmp_path / "nope"), check=False)
    assert bad_dict.returncode != 0 and "not found" in bad_dict.stderr
    unknown = run_cli("explain", "ffffffff", "--db", str(tmp_path / "x.duckdb"), check=False)
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr
