"""Stories: near-duplicate articles grouped by MinHash LSH, GDELT-style event counts, story detection across runs."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import EXAMPLES, run_cli

from eventscope.dedup import StoryIndex, shingles, signature, signature_bytes
from eventscope.model import Article
from eventscope.pipeline import run
from eventscope.query import get_event, query_events
from eventscope.store import open_store

BASE = (EXAMPLES / "iran_syria_defence_ministers.txt").read_text(encoding="utf-8")
OTHER = (EXAMPLES / "nairobi_fuel_tax_protests.txt").read_text(encoding="utf-8")


def art(i: str, text: str) -> Article:
    return Article(id=i, text=text)


def test_shingles_and_signatures():
    assert shingles("One two three four five six") == {b"one two three four five", b"two three four five six"}
    assert shingles("Short text") == {b"short text"}
    assert shingles("  ") == set() and signature("...") is None
    a, b = signature(BASE), signature(BASE + " The report was updated on Tuesday.")
    assert a.jaccard(b) > 0.9 and a.jaccard(signature(OTHER)) < 0.1
    assert len(signature_bytes(a)) == 512  # 128 32-bit values
    with pytest.raises(ValueError, match="threshold"):
        StoryIndex(0)
    with pytest.raises(ValueError, match="threshold"):
        StoryIndex(1.5)


def test_near_duplicates_join_the_story_of_the_first_article_they_match():
    index = StoryIndex(0.8)
    first = index.assign(art("a", BASE))
    copy = index.assign(art("b", BASE.replace("Tehran", "the Iranian capital", 1)))
    other = index.assign(art("c", OTHER))
    # d matches both a and b: it joins the story of the first of them in input order
    again = index.assign(art("d", BASE + " Reporting by the wire desk."))
    assert (first.story_id, copy.story_id, other.story_id, again.story_id) == ("a", "a", "c", "a")
    assert (first.duplicate_of, copy.duplicate_of, other.duplicate_of, again.duplicate_of) == (None, "a", None, "a")
    # an index rebuilt from stored signatures (or from text, for articles stored without one) decides the same
    rebuilt = StoryIndex(0.8)
    assert rebuilt.load([("a", "a", first.signature, None), ("b", "a", None, BASE), ("c", "c", other.signature,
                                                                                    None)]) == 1
    assert rebuilt.assign(art("d", BASE + " Reporting by the wire desk.")).story_id == "a"
    assert "b" in rebuilt and rebuilt.story_of("b") == "a"


def test_threshold_decides_what_is_a_near_duplicate():
    edited = BASE.split("\n\n")
    edited[3] = OTHER.split("\n\n")[2]  # a long paragraph replaced: a rewrite, not a copy
    assert 0.3 < signature(BASE).jaccard(signature("\n\n".join(edited))) < 0.95
    strict, loose = StoryIndex(0.95), StoryIndex(0.3)
    for index in (strict, loose):
        index.assign(art("a", BASE))
    assert strict.assign(art("b", "\n\n".join(edited))).story_id == "b"
    assert loose.assign(art("b", "\n\n".join(edited))).story_id == "a"


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _copies() -> list[dict]:
    """One report carried by three outlets (small edits), and an unrelated one."""
    return [
        {"text": BASE, "url": "https://wire.example/1", "outlet": "Wire One", "date": "2025-05-21"},
        {"text": BASE + "\n\nThe report was updated on Wednesday.", "url": "https://paper.example/a",
         "outlet": "Daily Paper", "date": "2025-05-21"},
        {"text": BASE.replace("said", "told reporters", 1), "url": "https://tv.example/x", "outlet": "TV News",
         "date": "2025-05-21"},
        {"text": OTHER, "url": "https://wire.example/2", "outlet": "Wire One", "date": "2025-05-21"},
    ]


def test_a_story_reported_by_three_articles_is_one_event_with_three_articles(tmp_path: Path, coder):
    db = tmp_path / "story.duckdb"
    summary = run([_write(tmp_path / "in.jsonl", _copies())], db, workers=1, coder=coder)
    assert (summary.coded, summary.near_duplicates) == (4, 2)
    with open_store(db, read_only=True) as s:
        stories = {r["url"]: r["story_id"] for r in s.fetch("SELECT url, story_id FROM articles")}
        wire = stories["https://wire.example/1"]
        assert wire == s.fetch("SELECT id FROM articles WHERE url = ?", ["https://wire.example/1"])[0]["id"]
        assert {u for u, story in stories.items() if story == wire} == {
            "https://wire.example/1", "https://paper.example/a", "https://tv.example/x"}
        events = query_events(s)
        story = [e for e in events if e["story_id"] == wire]
        assert story and all(e["num_articles"] == 3 and e["num_sources"] == 3 and e["num_mentions"] >= 3
                             for e in story)
        # one event per key: the three articles' sentences are its mentions, not events of their own
        meeting = next(e for e in story if e["code"].startswith("04"))
        full = get_event(s, meeting["id"])
        reports = full["event_mentions"]
        assert len(reports) == meeting["num_mentions"]
        assert list(dict.fromkeys(m["outlet"] for m in reports)) == ["Wire One", "Daily Paper", "TV News"]
        assert full["article"]["url"] == "https://wire.example/1"  # the event's row is its first report
        others = [e for e in events if e["story_id"] != wire]
        assert others and all(e["num_articles"] == 1 for e in others)


def test_story_detection_and_counts_carry_across_runs(tmp_path: Path, coder):
    rows = _copies()
    db = tmp_path / "runs.duckdb"
    run([_write(tmp_path / "one.jsonl", rows[:1] + rows[3:])], db, workers=1, coder=coder)
    with open_store(db, read_only=True) as s:
        before = {e["id"]: e["num_articles"] for e in query_events(s)}
    assert set(before.values()) == {1}
    second = run([_write(tmp_path / "two.jsonl", rows[1:3])], db, workers=1, coder=coder)
    assert second.near_duplicates == 2
    with open_store(db, read_only=True) as s:
        after = {e["id"]: e for e in query_events(s)}
        assert set(before) <= set(after)  # the first run's events keep their ids and rows ...
        grown = [e for i, e in after.items() if i in before and e["num_articles"] == 3]
        assert grown and all(e["article_id"] == s.fetch("SELECT id FROM articles WHERE url = ?",
                                                         ["https://wire.example/1"])[0]["id"] for e in grown)


def test_a_store_without_signatures_is_signed_again_from_its_text(tmp_path: Path, coder):
    rows = _copies()
    db = tmp_path / "old.duckdb"
    run([_write(tmp_path / "one.jsonl", rows[:1])], db, workers=1, coder=coder)
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM article_signatures")  # as a store migrated from version 2 has none
    con.close()
    summary = run([_write(tmp_path / "two.jsonl", rows[1:2])], db, workers=1, coder=coder)
    assert summary.near_duplicates == 1
    with open_store(db, read_only=True) as s:
        assert len({r["story_id"] for r in s.fetch("SELECT story_id FROM articles")}) == 1


def test_cli_dedup_threshold_and_explain_lists_the_mentions(tmp_path: Path):
    src = _write(tmp_path / "in.jsonl", _copies()[:3])
    db = tmp_path / "cli.duckdb"
    bad = run_cli("run", str(src), "--db", str(db), "--dedup-threshold", "0", check=False)
    assert bad.returncode == 2 and "--dedup-threshold" in bad.stderr and not db.exists()
    run_cli("run", str(src), "--db", str(db), "--workers", "1", "--quiet")
    events = json.loads(run_cli("events", "--db", str(db), "--format", "json").stdout)
    target = next(e for e in events if e["num_articles"] == 3)
    out = run_cli("explain", target["id"][:12], "--db", str(db)).stdout
    assert "3 article(s) from 3 source(s)" in out and "every mention of this event" in out
    assert "same event found again" in out
    data = json.loads(run_cli("explain", target["id"], "--db", str(db), "--format", "json").stdout)
    assert len(data["event_mentions"]) == target["num_mentions"] and data["recoded"] == "same event found again"


def test_progress_is_a_bar_on_a_terminal_plain_lines_otherwise_and_nothing_with_quiet(tmp_path: Path):
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO

    src = _write(tmp_path / "in.jsonl", _copies()[:2])
    plain = run_cli("run", str(src), "--db", str(tmp_path / "a.duckdb"), "--workers", "1", "--progress-interval", "0")
    assert "2/2 articles (" in plain.stderr and "━" not in plain.stderr
    quiet = run_cli("run", str(src), "--db", str(tmp_path / "b.duckdb"), "--workers", "1", "--quiet")
    assert " articles (" not in quiet.stderr and "records read" in quiet.stdout
    # stderr on a terminal: the rich bar with its rate, event count and ETA
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "eventscope.cli", "run", str(src), "--db", str(tmp_path / "c.duckdb"), "--workers", "1"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "160"},
    )
    os.close(follower)
    chunks = []
    while True:  # read while it runs: a full terminal buffer would block the bar
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    proc.communicate(timeout=300)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "articles/s" in shown and "events" in shown and "ETA" in shown and "2/2 articles" in shown
