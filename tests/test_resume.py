"""Resumable, idempotent runs: a run killed (SIGKILL) or interrupted (Ctrl-C) and run again ends with exactly the
rows of an uninterrupted run, whatever the number of workers. Real subprocesses, real signals, real stores."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, run_cli, shared_path

from eventscope.pipeline import run as run_pipeline
from eventscope.pipeline import stop_on_interrupt
from eventscope.store.duckdb import interrupted_query

# what differs between two runs of the same input by design: which run stored a row, and when
VOLATILE = {"run_id", "created_at", "ingested_at"}


def store_content(path: Path) -> dict[str, list]:
    """Every table but ``runs``, rows sorted, without run ids and timestamps."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        for table in tables:
            if table == "runs":
                continue
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if r[0] not in VOLATILE]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Many small articles (3-4 political sentences each), every fifth a wire copy of an earlier one from another
    outlet: stories that span the point where a run is stopped."""
    texts = [json.loads(line)["text"] for line in
             shared_path("eval", "plover_gsr.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = []
    for i in range(48):
        if i % 5 == 4:
            src = rows[i - 3]
            rows.append({**src, "url": f"https://copy.example/{i}", "outlet": "Copy Wire",
                         "text": src["text"] + " Reporting by staff."})
            continue
        body = " ".join(texts[(3 * i + k) % len(texts)] for k in range(3 + i % 2))
        rows.append({"text": body, "url": f"https://news.example/{i}", "outlet": f"Outlet {i % 3}",
                     "date": f"2025-03-{1 + i % 28:02d}"})
    path = tmp_path_factory.mktemp("resume") / "articles.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def clean_store(corpus: Path, tmp_path_factory) -> Path:
    """The uninterrupted run, in this process's coder (one worker)."""
    db = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    run_cli("run", str(corpus), "--db", str(db), "--workers", "1", "--batch-size", "2", "--quiet")
    return db


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _stop_midway(corpus: Path, db: Path, sig: int, workers: int, after_lines: int = 4) -> tuple[int | None, str]:
    """Start a run, wait until it has written ``after_lines`` batches (a progress line after each), send ``sig`` to
    its process group as a terminal would (Ctrl-C), or to it alone (SIGKILL). Returns (exit code, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "eventscope.cli", "run", str(corpus), "--db", str(db), "--workers", str(workers),
         "--batch-size", "2", "--progress-interval", "0"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    lines = []
    try:
        while len(lines) < after_lines:
            line = proc.stderr.readline()
            if not line:
                break
            if " articles (" in line:
                lines.append(line)
        assert len(lines) == after_lines, f"the run ended before it could be stopped: {lines}"
        assert "48/48 articles" not in lines[-1]
        children = _children(proc.pid)
        if sig == signal.SIGKILL:
            os.kill(proc.pid, sig)
        else:
            os.killpg(proc.pid, sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # no worker outlives the run
    deadline = time.monotonic() + 10
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [c for c in children if _alive(c)], "worker processes survived the run"
    return proc.returncode, "".join(lines) + err


def _articles(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    finally:
        con.close()


def _run_statuses(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT status FROM runs ORDER BY started_at, run_id").fetchall()]
    finally:
        con.close()


@pytest.mark.slow
def test_killed_run_resumes_to_the_rows_of_an_uninterrupted_run(corpus: Path, clean_store: Path, tmp_path: Path):
    db = tmp_path / "killed.duckdb"
    code, _ = _stop_midway(corpus, db, signal.SIGKILL, workers=2)
    assert code == -signal.SIGKILL
    partial = _articles(db)
    assert 0 < partial < 48  # stopped mid-way: some batches written, not all
    done = run_cli("run", str(corpus), "--db", str(db), "--workers", "2", "--batch-size", "2", "--quiet")
    # the articles the killed run stored are not coded again
    assert re.search(r"already stored \(skipped, nothing to do\)\s*│\s*(\d+)", done.stdout).group(1) == str(partial)
    assert store_content(db) == store_content(clean_store)
    # the killed run could not close itself: the next run marks it
    assert _run_statuses(db) == ["interrupted", "done"]
    # and a third run of the same input adds nothing
    run_cli("run", str(corpus), "--db", str(db), "--workers", "2", "--quiet")
    assert store_content(db) == store_content(clean_store)


@pytest.mark.slow
def test_ctrl_c_marks_the_run_interrupted_and_the_rerun_finishes_it(corpus: Path, clean_store: Path, tmp_path: Path):
    db = tmp_path / "interrupted.duckdb"
    code, err = _stop_midway(corpus, db, signal.SIGINT, workers=2)
    assert code == 130 and "interrupted" in err and "Traceback" not in err, err
    assert _run_statuses(db) == ["interrupted"]
    assert 0 < _articles(db) < 48
    run_cli("run", str(corpus), "--db", str(db), "--workers", "1", "--batch-size", "3", "--quiet")
    assert store_content(db) == store_content(clean_store)
    assert _run_statuses(db) == ["interrupted", "done"]


def test_story_counts_in_the_clean_run(clean_store: Path):
    """The wire copies join the story of the article they copy, and their sentences count as more mentions."""
    con = duckdb.connect(str(clean_store), read_only=True)
    try:
        stories = con.execute("SELECT count(DISTINCT story_id), count(*) FROM articles").fetchall()[0]
        assert stories == (48 - 9, 48)
        copied = con.execute("SELECT count(*) FROM events WHERE num_articles = 2 AND num_sources = 2").fetchall()
        assert copied[0][0] > 0
        # counts agree with the mentions table
        bad = con.execute("""SELECT count(*) FROM events e JOIN (SELECT event_id, count(*) AS n,
                             count(DISTINCT article_id) AS a FROM event_mentions GROUP BY event_id) m
                             ON m.event_id = e.id WHERE m.n <> e.num_mentions OR m.a <> e.num_articles""").fetchall()
        assert bad[0][0] == 0
    finally:
        con.close()


def test_ctrl_c_during_a_store_query_only_sets_stop():
    # DuckDB turns an interrupt inside a query into an error; under stop_on_interrupt the query runs to its end
    con = duckdb.connect()
    stop = threading.Event()
    with stop_on_interrupt(stop):
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        deadline = time.monotonic() + 60
        queries = 0
        while not stop.is_set() and time.monotonic() < deadline:
            assert con.execute("SELECT count(*) FROM range(20000000)").fetchone()[0] == 20_000_000
            queries += 1
        assert stop.is_set() and queries > 0
        with pytest.raises(KeyboardInterrupt):  # a second Ctrl-C stops at once
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)


def test_a_set_stop_ends_the_run_after_the_batch_being_written(corpus: Path, clean_store: Path, tmp_path: Path,
                                                              coder):
    db = tmp_path / "stopped.duckdb"
    stop = threading.Event()
    stop.set()
    with pytest.raises(KeyboardInterrupt):
        run_pipeline([corpus], db, workers=1, batch_size=3, coder=coder, stop=stop)
    assert _run_statuses(db) == ["interrupted"]
    assert 0 < _articles(db) < 48
    run_pipeline([corpus], db, workers=1, batch_size=3, coder=coder)
    assert store_content(db) == store_content(clean_store)


def test_an_interrupted_duckdb_query_is_recognised_as_an_interruption():
    # what DuckDBStore.write turns into KeyboardInterrupt (after rolling back) instead of a failure. The query is
    # interrupted through DuckDB's own API, again and again until it stops: whether a SIGINT reaches a running
    # query depends on how the process was started (a test run with SIGINT ignored, in a background process
    # group...), which the subprocess tests above cover with real signals
    con = duckdb.connect()
    running = threading.Event()
    running.set()

    def interrupt() -> None:
        while running.is_set():
            time.sleep(0.2)
            con.interrupt()

    interrupter = threading.Thread(target=interrupt, daemon=True)
    interrupter.start()
    try:
        with pytest.raises(BaseException) as caught:
            try:
                con.execute("SELECT count(*) FROM range(1000000000000)").fetchall()
            finally:
                running.clear()
    finally:
        interrupter.join()
    assert interrupted_query(caught.value), repr(caught.value)
    # and what DuckDB 2.0's Python client raises when Ctrl-C lands inside a query (not InterruptException)
    assert interrupted_query(RuntimeError("Query interrupted"))
    assert not interrupted_query(RuntimeError("something else")) and not interrupted_query(duckdb.Error("x"))
