"""eventscope spark: on local[2], the same events (ids, story counts, whole rows) as `eventscope run` on the same
input, written as Parquet and into a DuckDB store."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
from conftest import EXAMPLES, run_cli

from eventscope.spark import INSTALL_HINT, SparkUnavailable, coding_tasks, require_pyspark

BASE = (EXAMPLES / "iran_syria_defence_ministers.txt").read_text(encoding="utf-8")
OTHER = (EXAMPLES / "nairobi_fuel_tax_protests.txt").read_text(encoding="utf-8")
VISIT = (EXAMPLES / "indonesia_germany_state_visit.txt").read_text(encoding="utf-8")

# what each table is compared on: every column but the run's id and the times rows were made
COMPARED = {
    "events": "* EXCLUDE (run_id, created_at)",
    "event_mentions": "* EXCLUDE (run_id, created_at)",
    "articles": "* EXCLUDE (run_id, ingested_at)",
    "mentions": "*",
}


def _need_spark() -> None:
    """Skip where pyspark or Java is missing, but never in CI (CI=true): there the Spark test must run."""
    try:
        require_pyspark()
    except SparkUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Spark test: {exc}")
        pytest.skip(str(exc))


def _dumps(folder: Path) -> Path:
    """A JSON Lines file, three Parquet files and a JSON Lines file in a subfolder (read in that order): one
    report carried by three outlets across both formats (a story of three articles), another by two, an exact
    duplicate, blank, broken and empty records, a Parquet file whose text column is not text, column names in
    capitals, dates as strings, Parquet timestamps in UTC and in another zone, and none (--date)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir()
    lines = [
        json.dumps({"text": BASE, "url": "https://wire.example/1", "outlet": "Wire One", "date": "2025-05-21"}),
        "",
        '{"text": "broken',
        json.dumps({"text": OTHER, "url": "https://wire.example/2", "outlet": "Wire One", "date": "2025-05-21"}),
        json.dumps({"text": ""}),
    ]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    wednesday = datetime(2025, 5, 21, 23, 30, tzinfo=UTC)
    pq.write_table(pa.table({
        "text": [BASE + "\n\nThe report was updated on Wednesday.", BASE.replace("said", "told reporters", 1), OTHER],
        "url": ["https://paper.example/a", "https://tv.example/x", "https://wire.example/2"],
        "outlet": ["Daily Paper", "TV News", "Wire One"],
        "date": pa.array([wednesday, wednesday, None], type=pa.timestamp("us", tz="UTC")),
    }), folder / "b.parquet")
    berlin = datetime(2025, 5, 22, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # 21 May in UTC
    pq.write_table(pa.table({
        "TEXT": [VISIT], "Url": ["https://paper.example/visit"],
        "Date": pa.array([berlin], type=pa.timestamp("us", tz="Europe/Berlin")),
    }), folder / "c_capitals.parquet")
    pq.write_table(pa.table({"text": [1, 2]}), folder / "d_numbers.parquet")
    (folder / "more").mkdir()
    (folder / "more" / "c.jsonl").write_text(json.dumps({"text": VISIT, "title": "State visit"}) + "\n",
                                             encoding="utf-8")
    return folder


def _rows(con: duckdb.DuckDBPyConnection, table: str, source: str) -> list[tuple]:
    return sorted(con.execute(f"SELECT {COMPARED[table]} FROM {source}").fetchall(), key=repr)


def test_spark_gives_the_events_of_a_local_run(tmp_path: Path):
    _need_spark()
    data = _dumps(tmp_path / "in")
    local_db, spark_db, out = tmp_path / "local.duckdb", tmp_path / "spark.duckdb", tmp_path / "out"
    run_cli("run", str(data), "--db", str(local_db), "--workers", "1", "--date", "2025-05-22", "-q")
    run_cli("spark", str(data), str(out), "--master", "local[2]", "--db", str(spark_db), "--date", "2025-05-22",
            timeout=300)

    con = duckdb.connect()
    con.execute(f"ATTACH '{local_db}' AS local_run (READ_ONLY)")
    con.execute(f"ATTACH '{spark_db}' AS spark_run (READ_ONLY)")
    events = con.execute("SELECT id, story_id, num_mentions, num_articles, num_sources FROM local_run.events "
                         "ORDER BY id").fetchall()
    parquet = con.execute(f"SELECT id, story_id, num_mentions, num_articles, num_sources FROM "
                          f"read_parquet('{out}/events/*.parquet') ORDER BY id").fetchall()
    assert parquet == events
    # the input makes a story of three articles from two files, and events of single articles
    assert {n for *_, n, _ in events} == {1, 2, 3}
    assert con.execute("SELECT count(DISTINCT story_id), count(*) FROM local_run.articles WHERE status = 'ok'"
                       ).fetchall() == [(3, 6)]
    assert con.execute("SELECT published FROM local_run.articles WHERE url = 'https://paper.example/visit'"
                       ).fetchall() == [(date(2025, 5, 21),)]  # a timestamp with a zone: its UTC date
    assert con.execute("SELECT reason FROM local_run.articles WHERE source LIKE '%d_numbers.parquet'").fetchall() == [
        ("the 'text' column holds int64, not text",)]
    for table in COMPARED:
        expected = _rows(con, table, f"local_run.{table}")
        assert expected, table
        assert _rows(con, table, f"read_parquet('{out}/{table}/*.parquet')") == expected, table
        assert _rows(con, table, f"spark_run.{table}") == expected, table
    # the store written by Spark is a store like any: its run is recorded with the counts of a local run, and its
    # signatures let later runs join its stories
    (status, counts), = con.execute("SELECT status, counts FROM spark_run.runs").fetchall()
    (local_counts,) = con.execute("SELECT counts FROM local_run.runs").fetchone()
    counts, local_counts = json.loads(counts), json.loads(local_counts)
    same = ("articles", "coded", "near_duplicates", "events", "event_mentions", "mentions", "by_status")
    assert status == "done" and counts["near_duplicates"] == 3
    assert {k: counts[k] for k in same} == {k: local_counts[k] for k in same}
    assert (con.execute("SELECT article_id, seq, signature FROM spark_run.article_signatures ORDER BY seq").fetchall()
            == con.execute("SELECT article_id, seq, signature FROM local_run.article_signatures ORDER BY seq"
                           ).fetchall())

    again = run_cli("spark", str(data), str(out), "--master", "local[2]", check=False)
    assert again.returncode == 2 and "--overwrite" in again.stderr and "Traceback" not in again.stderr


def test_spark_input_and_output_errors_are_clear_and_early(tmp_path: Path):
    missing = run_cli("spark", str(tmp_path / "nothing.jsonl"), str(tmp_path / "out"), check=False)
    assert missing.returncode == 2 and "no such file or directory" in " ".join(missing.stderr.split())
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("keep me", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": BASE}) + "\n", encoding="utf-8")
    taken = run_cli("spark", str(tmp_path / "a.jsonl"), str(tmp_path / "taken"), check=False)
    assert taken.returncode == 2 and "is not empty" in " ".join(taken.stderr.split())
    assert (tmp_path / "taken" / "x").read_text(encoding="utf-8") == "keep me"
    for proc in (missing, taken):
        assert "Traceback" not in proc.stderr


def test_missing_pyspark_names_what_to_install(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(SparkUnavailable, match="pip install 'eventscope\\[spark\\]'") as info:
        require_pyspark()
    assert INSTALL_HINT in str(info.value)


def test_missing_java_is_named(monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("pyspark")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(SparkUnavailable, match="openjdk-17-jre-headless"):
        require_pyspark()


def test_coding_tasks_keep_every_core_busy_without_tiny_tasks():
    assert coding_tasks(6, parallelism=2, batch_size=32) == 1  # one batch: one coder load
    assert coding_tasks(100, parallelism=2, batch_size=32) == 2
    assert coding_tasks(100, parallelism=8, batch_size=32) == 4  # no task without a full batch
    assert coding_tasks(1_000_000, parallelism=100, batch_size=32) == 2000  # about 500 articles a task
    assert coding_tasks(0, parallelism=4, batch_size=32) == 1
