"""The seed article end to end through the command line: every `must` event of expected.json, at least two of
the three `may` events, no `must_not` (rules read from expected.json itself)."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_cli, shared_path
from seed_rules import matches, violates


@pytest.fixture(scope="module")
def seed_events(tmp_path_factory):
    work = tmp_path_factory.mktemp("seed")
    inbox = work / "in"
    inbox.mkdir()
    shutil.copy(shared_path("seed", "article.txt"), inbox / "article.txt")
    db = work / "seed.duckdb"
    run_cli("run", str(inbox), "--db", str(db), "-q")
    out = run_cli("events", "--db", str(db), "--format", "json")
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def expected():
    return json.loads(shared_path("seed", "expected.json").read_text())


def test_every_must_event(seed_events, expected):
    missing = [m["what"] for m in expected["must"] if not any(matches(e, m) for e in seed_events)]
    assert not missing, f"missing: {missing}\ngot: {[(e['source'], e['code'], e['target']) for e in seed_events]}"


def test_may_events(seed_events, expected):
    found = [m["what"] for m in expected["may"] if any(matches(e, m) for e in seed_events)]
    assert len(found) >= 2, found


def test_no_must_not(seed_events, expected):
    bad = [(m["what"], e["evidence"]) for m in expected["must_not"] for e in seed_events if violates(e, m)]
    assert not bad, bad


def test_events_carry_evidence(seed_events):
    assert seed_events
    for e in seed_events:
        assert e["article_id"] and e["rule"] and e["evidence"]
        assert e["start"] < e["end"]
        assert e["quad_class"] in (1, 2, 3, 4)
        assert isinstance(e["goldstein"], float)
        for key in ("id", "sentence_index", "source", "target", "code", "root", "plover", "date", "location"):
            assert key in e


def test_no_date_is_invented(seed_events, expected):
    assert expected["publication_date"] is None
    assert all(e["date"] is None for e in seed_events)
