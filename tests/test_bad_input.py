"""A folder of good and bad inputs through `eventscope run`: exit 0, every input recorded with its status and
reason, the seed's events present, and running it again adds no rows."""

from __future__ import annotations

import json
import random
import shutil

import duckdb
import pytest
from conftest import run_cli, shared_path


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    d = tmp_path_factory.mktemp("messy")
    shutil.copy(shared_path("seed", "article.txt"), d / "seed.txt")
    (d / "empty.txt").write_bytes(b"")
    (d / "noise.txt").write_bytes(random.Random(0).randbytes(4096))
    (d / "latin1.txt").write_bytes(
        "Der Außenminister traf in Zürich ein. The French foreign minister met his Swiss counterpart "
        "in Zürich on Monday and praised the café talks.".encode("latin-1"))
    (d / "broken.html").write_text("<html><body><p>Unclosed <div><p>The UN Security Council urged Sudan to "
                                   "allow aid convoys into Darfur. <b>bold <i>nested</p>")
    with (d / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (d / "dump.jsonl").write_text(
        json.dumps({"text": "Japan and the Philippines signed a defence pact on Tuesday.", "date": "2025-10-21"})
        + "\n{this is not json\n"
        + json.dumps({"text": "Estonia expelled a Russian diplomat.", "title": "Expulsion"}) + "\n")
    return d


@pytest.fixture(scope="module")
def first_run(messy, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "messy.duckdb"
    proc = run_cli("run", str(messy), "--db", str(db), "-q", check=False)
    return db, proc


def _counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "events", "mentions")}
    finally:
        con.close()


def test_exit_zero_and_summary(first_run):
    _, proc = first_run
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    out = proc.stdout
    for status in ("empty", "binary", "too_large", "unparseable"):
        assert f"skipped: {status}" in out, out


def test_every_input_recorded(first_run):
    db, _ = first_run
    rows = json.loads(run_cli("articles", "--db", str(db), "--format", "json").stdout)
    by_source = {}
    for r in rows:
        name = r["source"].rsplit("/", 1)[-1]
        by_source.setdefault(name.split(":")[0], []).append(r)
    status = {k: sorted(r["status"] for r in v) for k, v in by_source.items()}
    assert status["seed.txt"] == ["ok"]
    assert status["empty.txt"] == ["empty"]
    assert status["noise.txt"] == ["binary"]
    assert status["latin1.txt"] == ["ok"]
    assert status["huge.txt"] == ["too_large"]
    assert status["broken.html"] == ["ok"]
    assert status["dump.jsonl"] == ["ok", "ok", "unparseable"]
    for r in rows:
        if r["status"] != "ok":
            assert r["reason"], r
    latin = by_source["latin1.txt"][0]
    assert "cp1252" in (latin["reason"] or "") or "latin" in (latin["reason"] or "")


def test_seed_events_present(first_run):
    db, _ = first_run
    events = json.loads(run_cli("events", "--db", str(db), "--format", "json", "--source", "IRN").stdout)
    codes = {(e["source"][:3], e["code"], (e["target"] or "")[:3]) for e in events}
    assert ("IRN", "111", "ISR") in codes, codes


def test_second_run_adds_nothing(first_run, messy):
    db, _ = first_run
    before = _counts(db)
    proc = run_cli("run", str(messy), "--db", str(db), "-q")
    assert "Traceback" not in proc.stderr
    assert _counts(db) == before
