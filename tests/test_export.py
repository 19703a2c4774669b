"""Exports (`eventscope export`): GDELT 2.0 events and mentions, ICEWS, PLOVER, CSV, Parquet; columns checked
against the format files in ../shared/formats, the GDELT table read back into DuckDB with GDELT's names."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import run_cli, shared_path

from eventscope.export import export_events
from eventscope.export.codes import fips_country, split_actor_code
from eventscope.export.gdelt import GDELT_EVENT_COLUMNS, GDELT_EVENT_TYPES, GDELT_MENTION_COLUMNS, global_event_id
from eventscope.export.icews import ICEWS_COLUMNS
from eventscope.query import EventFilter, query_events
from eventscope.store import open_store
from eventscope.store.synthetic import build_synthetic_store


def format_columns(name: str) -> list[str]:
    with shared_path("formats", name).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert [int(r["position"]) for r in rows] == list(range(1, len(rows) + 1))
    return [r["column"] for r in rows]


def tsv_rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n") if line]


@pytest.fixture(scope="module")
def db(examples_store: Path) -> Path:
    return examples_store


@pytest.fixture(scope="module")
def events(db: Path) -> list[dict]:
    with open_store(db, read_only=True) as store:
        return query_events(store)


@pytest.fixture(scope="module")
def gdelt_file(db: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "events.export.CSV"
    proc = run_cli("export", str(out), "--format", "gdelt", "--db", str(db))
    assert "rows written" in proc.stdout
    return out


# ---- GDELT ------------------------------------------------------------------------------------------------

def test_gdelt_columns_are_gdelts(gdelt_file: Path, events: list[dict]) -> None:
    names = format_columns("gdelt2_events_columns.tsv")
    assert list(GDELT_EVENT_COLUMNS) == names and len(names) == 61
    rows = tsv_rows(gdelt_file)
    assert len(rows) == len(events)
    assert all(len(r) == 61 for r in rows)


def test_gdelt_export_round_trips_through_duckdb(gdelt_file: Path, events: list[dict], db: Path) -> None:
    names = format_columns("gdelt2_events_columns.tsv")
    con = duckdb.connect()
    columns = ", ".join(f"'{n}': '{GDELT_EVENT_TYPES[n]}'" for n in names)
    table = con.sql(f"SELECT * FROM read_csv('{gdelt_file}', delim='\t', header=false, quote='', escape='', "
                    f"columns={{{columns}}})")
    rows = {r["GLOBALEVENTID"]: r for r in (dict(zip(table.columns, v, strict=True)) for v in table.fetchall())}
    assert len(rows) == len(events)  # ids are distinct
    with open_store(db, read_only=True) as store:
        published = {r["id"]: r["published"] for r in store.fetch("SELECT id, published FROM articles")}
        stored_at = {r["id"]: r["created_at"] for r in store.fetch("SELECT id, created_at FROM events")}
    for e in events:
        r = rows[global_event_id(e["id"])]
        # the event date, else the publication date, else the day it was stored
        day = date.fromisoformat(e["date"]) if e["date"] else published[e["article_id"]] or \
            stored_at[e["id"]].date()
        assert r["SQLDATE"] == int(day.strftime("%Y%m%d"))
        assert r["MonthYear"] == day.year * 100 + day.month and r["Year"] == day.year
        assert r["FractionDate"] == pytest.approx(day.year + (day.month * 30 + day.day) / 365, abs=1e-4)
        assert r["Actor1Code"] == e["source"] and r["Actor2Code"] == e["target"]
        assert r["Actor1Name"] == (e["source_name"].upper() if e["source_name"] else None)
        parts = split_actor_code(e["source"])
        assert (r["Actor1CountryCode"], r["Actor1Type1Code"], r["Actor1KnownGroupCode"]) == (
            parts.country, parts.type1, parts.known_group)
        assert r["EventCode"] == e["code"] and r["EventRootCode"] == e["code"][:2]
        assert r["EventBaseCode"] == e["code"][:3] and len(r["EventRootCode"]) == 2
        assert (r["QuadClass"], r["GoldsteinScale"]) == (e["quad_class"], e["goldstein"])
        assert r["IsRootEvent"] == (1 if e["sentence_index"] == 0 else 0)
        # the story counts (eventscope.dedup): one event per story key, every sentence that codes it a mention
        assert (r["NumMentions"], r["NumSources"], r["NumArticles"], r["AvgTone"]) == (
            e["num_mentions"], e["num_sources"], e["num_articles"], None)
        assert e["num_mentions"] >= e["num_articles"] >= 1 and e["num_sources"] >= 1
        assert r["Actor1Geo_Type"] == 0 and r["Actor2Geo_Type"] == 0
        loc = e["location"]
        if loc is None:
            assert r["ActionGeo_Type"] == 0 and r["ActionGeo_Lat"] is None
        else:
            us = loc["country"] == "USA"  # GDELT: 1 country, 2 US state, 3 US city, 4 world city, 5 world ADM1
            assert r["ActionGeo_Type"] == {"country": 1, "admin1": 2 if us else 5, "city": 3 if us else 4}[
                loc["geo_type"]]
            assert (r["ActionGeo_Lat"], r["ActionGeo_Long"]) == (loc["lat"], loc["lon"])
            assert r["ActionGeo_FullName"].startswith(loc["name"])
            assert r["ActionGeo_CountryCode"] == fips_country(loc["country"])
            assert r["ActionGeo_ADM1Code"].startswith(fips_country(loc["country"]))
        added = stored_at[e["id"]]
        assert str(r["DATEADDED"]) == added.strftime("%Y%m%d%H") + f"{added.minute // 15 * 15:02d}00"
        assert r["SOURCEURL"]
    # GDELT's FIPS codes, not ISO: Germany is GM, the United Kingdom UK
    assert {r["ActionGeo_CountryCode"] for r in rows.values() if r["ActionGeo_FullName"] and
            r["ActionGeo_FullName"].endswith("Germany")} == {"GM"}


def test_gdelt_mentions_export(db: Path, events: list[dict], tmp_path: Path) -> None:
    names = format_columns("gdelt2_mentions_columns.tsv")
    assert list(GDELT_MENTION_COLUMNS) == names and len(names) == 16
    out = tmp_path / "mentions.CSV"
    with open_store(db, read_only=True) as store:
        result = export_events(store, "gdelt-mentions", out)
        text_len = {r["id"]: r["n"] for r in store.fetch("SELECT id, length(text) AS n FROM articles")}
    rows = tsv_rows(out)
    assert result.rows == len(rows) == len(events) and all(len(r) == 16 for r in rows)
    by_id = {e["id"]: e for e in events}
    for r in rows:
        extras = dict(kv.split("=", 1) for kv in r[15].split(";"))
        e = by_id[extras["event_id"]]
        assert int(r[0]) == global_event_id(e["id"]) and extras["article_id"] == e["article_id"]
        assert int(r[6]) == e["sentence_index"] + 1
        assert 10 <= int(r[11]) <= 100 and int(r[12]) == text_len[e["article_id"]]
        assert re.fullmatch(r"\d{14}", r[1]) and re.fullmatch(r"\d{14}", r[2])
        assert r[3] in ("1", "2") and r[5]
        if int(r[7]) >= 0:  # Actor1CharOffset: the source actor's mention in the sentence
            assert e["start"] <= int(r[7]) < e["end"]
    assert any(int(r[7]) >= 0 for r in rows)


def test_story_columns_and_event_mentions_are_used_where_the_store_has_them(db: Path, tmp_path: Path) -> None:
    # the story-level contract of the deduplication work: events.story_id/num_* and an event_mentions table
    copy = tmp_path / "stories.duckdb"
    shutil.copy(db, copy)
    con = duckdb.connect(str(copy))
    for col, kind in (("story_id", "VARCHAR"), ("num_mentions", "INTEGER"), ("num_sources", "INTEGER"),
                      ("num_articles", "INTEGER")):
        con.execute(f"ALTER TABLE events ADD COLUMN {col} {kind}")
    con.execute("UPDATE events SET story_id = 'story-' || article_id, num_mentions = 3, num_sources = 2, "
                "num_articles = 2")
    con.execute("""CREATE TABLE event_mentions AS
        SELECT id AS event_id, article_id, sentence_index, start_char, end_char, evidence, verb_start, verb_end,
               rule, confidence, 'Outlet ' || n AS outlet, 'https://m.example/' || n || '/' || id AS url,
               DATE '2025-01-01' AS published, run_id, created_at
        FROM events, range(3) r(n)""")
    con.close()
    with open_store(copy, read_only=True) as store:
        n = len(query_events(store))
        export_events(store, "gdelt", tmp_path / "e.CSV")
        export_events(store, "gdelt-mentions", tmp_path / "m.CSV")
        export_events(store, "icews", tmp_path / "i.tab")
    events = tsv_rows(tmp_path / "e.CSV")
    assert {(r[31], r[32], r[33]) for r in events} == {("3", "2", "2")}
    mentions = tsv_rows(tmp_path / "m.CSV")
    assert len(mentions) == 3 * n
    assert {r[4] for r in mentions} == {"Outlet 0", "Outlet 1", "Outlet 2"}
    assert all(r[5].startswith("https://m.example/") for r in mentions)
    icews = tsv_rows(tmp_path / "i.tab")[1:]
    assert all(r[11].startswith("story-") for r in icews)


# ---- ICEWS ------------------------------------------------------------------------------------------------

def test_icews_columns_and_values(db: Path, events: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "events.tab"
    run_cli("export", str(out), "--format", "icews", "--db", str(db))
    names = format_columns("icews_columns.tsv")
    assert list(ICEWS_COLUMNS) == names and len(names) == 20
    rows = tsv_rows(out)
    assert rows[0] == names
    assert len(rows) - 1 == len(events) and all(len(r) == 20 for r in rows)
    by_id = {e["id"]: e for e in events}
    for r in rows[1:]:
        e = by_id[r[0]]
        assert r[6] == e["code"] and float(r[7]) == e["goldstein"]  # CAMEO code keeps its leading zero
        assert r[5] == e["event_name"] and int(r[12]) == e["sentence_index"] + 1
        if e["date"]:
            assert r[1] == e["date"]
        if e["location"]:
            assert (float(r[18]), float(r[19])) == (e["location"]["lat"], e["location"]["lon"])
    tehran = next(r for r in rows[1:] if r[14] == "Tehran")
    assert tehran[17] == "Iran"
    gov = next(r for r in rows[1:] if by_id[r[0]]["source"] == "IRNGOVMIL")
    assert gov[3] == "Government,Military" and gov[4] == "Iran"


# ---- PLOVER -----------------------------------------------------------------------------------------------

def _md_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """The markdown tables of plover_fields.md by their heading."""
    tables: dict[str, list[dict[str, str]]] = {}
    heading, header = None, None
    for line in text.splitlines():
        if line.startswith("## "):
            heading, header = line[3:].strip(), None
        elif line.startswith("|") and heading:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            elif not set(line) <= set("|- "):
                tables.setdefault(heading, []).append(dict(zip(header, cells, strict=False)))
        elif not line.strip():
            header = None
    return tables


class PloverSpec:
    def __init__(self) -> None:
        text = shared_path("formats", "plover_fields.md").read_text(encoding="utf-8")
        t = _md_tables(text)
        self.top = {r["field"]: r["required"] == "Y" for r in t["Top-level record"]}
        self.entity = {r["field"] for r in t["Entity object (items of `actor` / `recipient`)"]}
        self.text_info = {r["field"] for r in t["text_info object"]}
        self.cite_info = {r["field"] for r in t["cite_info object"]}
        self.event_loc = {r["field"] for r in t["event_loc object (Mordecai3 / GeoNames)"]}
        self.categories = {r["event"]: (int(r["quad"]), {m.strip() for m in r["modes (from the manual's mode tables)"]
                                                         .split(",") if m.strip()})
                           for r in t["Event categories (16), quad class, modes"]}
        sectors = re.search(r"## Sector codes.*?\n\n(.+?)\n", text, re.S).group(1)
        self.sectors = {s.strip() for s in sectors.split(",")}
        non_state = re.search(r"Non-state 'country' codes: ([A-Z, ]+)\.", text).group(1)
        self.non_state = {s.strip() for s in non_state.split(",")}

    def problems(self, rec: dict) -> list[str]:
        out = [f"unknown field {k}" for k in rec if k not in self.top and k != "eventscope"]
        out += [f"missing {k}" for k, required in self.top.items() if required and k not in rec]
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec.get("date") or ""):
            out.append(f"date {rec.get('date')!r}")
        for k in ("actor", "recipient", "event", "mode", "event_text", "context"):
            if k in rec and not isinstance(rec[k], list):
                out.append(f"{k} is not a list")
        for entity in rec.get("actor", []) + rec.get("recipient", []):
            out += [f"entity field {k}" for k in entity if k not in self.entity]
            code = entity.get("code")
            if code is not None and not re.fullmatch(r"[A-Z]{3}", code):
                out.append(f"entity code {code!r}")
            sector = entity.get("sector")
            if sector is not None and not (len(sector) in (3, 6) and
                                           all(sector[i:i + 3] in self.sectors for i in range(0, len(sector), 3))):
                out.append(f"sector {sector!r}")
        for category in rec.get("event", []):
            if category not in self.categories:
                out.append(f"event {category!r}")
                continue
            quad, modes = self.categories[category]
            if rec.get("quad_code") != quad:
                out.append(f"quad_code {rec.get('quad_code')} for {category}")
            out += [f"mode {m!r} for {category}" for m in rec.get("mode", []) if m not in modes]
        if rec.get("quad_code") not in (1, 2, 3, 4):
            out.append("quad_code")
        if "event_scale" in rec and not isinstance(rec["event_scale"], float):
            out.append("event_scale is not a float")
        for key, allowed in (("text_info", self.text_info), ("cite_info", self.cite_info),
                             ("event_loc", self.event_loc)):
            out += [f"{key}.{k}" for k in rec.get(key, {}) if k not in allowed]
        loc = rec.get("event_loc", {})
        if loc and not (-90 <= loc["lat"] <= 90 and -180 <= loc["lon"] <= 180 and loc.get("resolution") in
                        (1, 2, 3, 4, 5)):
            out.append("event_loc values")
        return out


def test_plover_records_validate_against_the_manuals_fields(db: Path, events: list[dict], tmp_path: Path) -> None:
    spec = PloverSpec()
    assert len(spec.categories) == 16 and "GOV" in spec.sectors and "IGO" in spec.non_state
    out = tmp_path / "events.jsonl"
    proc = run_cli("export", str(out), "--format", "plover", "--db", str(db))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_id = {e["id"]: e for e in events}
    dropped = [e for e in events if e["code"][:2] in ("01", "02")]
    assert len(records) == len(events) - len(dropped) and dropped
    assert f"{len(dropped)} events without a PLOVER category" in proc.stdout
    for rec in records:
        assert spec.problems(rec) == [], rec
        e = by_id[rec["id"]]
        assert rec["eventscope"]["cameo_code"] == e["code"] and rec["text"] == e["evidence"]
        assert rec["eventscope"]["asserted"] is True and rec["eventscope"]["negated"] is False
        if e["source"]:
            assert rec["actor"][0]["entity_text"] == e["source_name"]
    assert any(r["actor"] and r["actor"][0]["code"] in spec.non_state for r in records)  # IGOs, the UN, the EU
    assert any(r["mode"] for r in records) and any("event_loc" in r for r in records)


def test_flags_travel_where_the_format_allows(db: Path, tmp_path: Path) -> None:
    with open_store(db, read_only=True) as store:
        flt = EventFilter(include_negated=True, include_hypothetical=True)
        everything = query_events(store, flt)
        export_events(store, "plover", tmp_path / "all.jsonl", flt)
        export_events(store, "csv", tmp_path / "all.csv", flt)
        export_events(store, "gdelt", tmp_path / "all.CSV", flt)
    negated = {e["id"] for e in everything if e["negated"]}
    hypothetical = {e["id"] for e in everything if e["hypothetical"]}
    assert negated and hypothetical
    records = {r["id"]: r for r in map(json.loads, (tmp_path / "all.jsonl").read_text().splitlines())}
    assert {i for i, r in records.items() if r["eventscope"]["negated"]} == negated & set(records)
    assert all(records[i]["eventscope"]["asserted"] is False for i in hypothetical & set(records))
    with (tmp_path / "all.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["id"] for r in rows if r["negated"] == "true"} == negated
    assert {r["id"] for r in rows if r["hypothetical"] == "true"} == hypothetical
    assert len(tsv_rows(tmp_path / "all.CSV")) == len(everything)


# ---- CSV, Parquet, filters, errors ------------------------------------------------------------------------

def test_csv_and_parquet_hold_every_event_column(db: Path, events: list[dict], tmp_path: Path) -> None:
    run_cli("export", str(tmp_path / "e.parquet"), "--format", "parquet", "--db", str(db))
    run_cli("export", str(tmp_path / "e.csv"), "--format", "csv", "--db", str(db))
    con = duckdb.connect()
    with open_store(db, read_only=True) as store:
        stored = [r["column_name"] for r in store.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position")]
    for name in ("e.parquet", "e.csv"):
        rel = con.sql(f"SELECT * FROM '{tmp_path / name}'")
        assert rel.columns[: len(stored)] == stored
        assert {"event_name", "article_url", "article_outlet", "article_published"} <= set(rel.columns)
        ids = [r[0] for r in con.sql(f"SELECT id FROM '{tmp_path / name}'").fetchall()]
        assert ids == [e["id"] for e in events]  # the stable order, asserted events only
    codes = con.sql(f"SELECT code FROM read_csv('{tmp_path / 'e.csv'}', all_varchar=true)").fetchall()
    assert [c[0] for c in codes] == [e["code"] for e in events]  # "040" stays "040"


def test_export_filters(db: Path, events: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "rus.CSV"
    run_cli("export", str(out), "--format", "gdelt", "--db", str(db), "--source", "RUS", "--since", "2025-03-01")
    expected = [e for e in events if e["source"] and e["source"].startswith("RUS") and e["date"]
                and e["date"] >= "2025-03-01"]
    rows = tsv_rows(out)
    assert expected and [int(r[0]) for r in rows] == [global_event_id(e["id"]) for e in expected]
    run_cli("export", str(out), "--format", "icews", "--db", str(db), "--limit", "3")
    assert len(tsv_rows(out)) == 4


def test_export_errors_are_clear(db: Path, tmp_path: Path) -> None:
    for args, message in (
        (["--format", "xml"], "--format must be one of"),
        (["--format", "gdelt", "--since", "2025-13-01"], "--since must be a date"),
        (["--format", "gdelt", "--db", str(tmp_path / "none.duckdb")], "no event store"),
    ):
        proc = run_cli("export", str(tmp_path / "out"), *(["--db", str(db)] if "--db" not in args else []), *args,
                       check=False)
        said = " ".join(proc.stderr.split())
        assert proc.returncode == 2 and message in said and "Traceback" not in said
    proc = run_cli("export", str(tmp_path), "--format", "csv", "--db", str(db), check=False)
    assert proc.returncode == 2 and "is a directory" in " ".join(proc.stderr.split())


def test_synthetic_store_exports(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    build_synthetic_store(db, 4000)
    with open_store(db, read_only=True) as store:
        n = len(query_events(store))
        results = {f: export_events(store, f, tmp_path / f"out.{f}") for f in
                   ("gdelt", "gdelt-mentions", "icews", "plover", "csv", "parquet")}
    assert {f: r.rows for f, r in results.items() if f != "plover"} == dict.fromkeys(
        ("gdelt", "gdelt-mentions", "icews", "csv", "parquet"), n)
    assert results["plover"].rows + results["plover"].skipped == n
    ids = [int(r[0]) for r in tsv_rows(tmp_path / "out.gdelt")]
    assert len(set(ids)) == n and all(0 < i < 2**63 for i in ids)
    spec = PloverSpec()
    for line in (tmp_path / "out.plover").read_text().splitlines()[:500]:
        assert spec.problems(json.loads(line)) == []
