"""Exports (`eventscope export`): GDELT 2.0 events and mentions, ICEWS, PLOVER, CSV, Parquet; columns checked
against the format files in ../shared/formats, the GDELT table read back into DuckDB with GDELT's names."""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import EXAMPLES, run_cli, shared_path

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


def _reports(store, events: list[dict]) -> dict[tuple[str, str, int], dict]:
    """The event_mentions rows (reports) of ``events``, by (event id, article id, sentence), with the length
    of the reporting article's text."""
    wanted = {e["id"] for e in events}
    rows = store.fetch("SELECT m.*, length(a.text) AS doc_len FROM event_mentions m "
                       "LEFT JOIN articles a ON a.id = m.article_id")
    return {(r["event_id"], r["article_id"], r["sentence_index"]): r for r in rows if r["event_id"] in wanted}


def _story_counts(store) -> dict[str, tuple[int, int, int]]:
    """event id -> (mentions, sources, articles) counted from event_mentions itself."""
    rows = store.fetch("SELECT event_id, count(*) AS n, count(DISTINCT source_key) AS s, "
                       "count(DISTINCT article_id) AS a FROM event_mentions GROUP BY event_id")
    return {r["event_id"]: (r["n"], r["s"], r["a"]) for r in rows}


def _mention_rows(path: Path) -> list[dict]:
    out = []
    for r in tsv_rows(path):
        assert len(r) == 16
        row = dict(zip(GDELT_MENTION_COLUMNS, r, strict=True))
        row.update(kv.split("=", 1) for kv in row["Extras"].split(";"))
        out.append(row)
    return out


def test_gdelt_mentions_export(db: Path, events: list[dict], tmp_path: Path) -> None:
    names = format_columns("gdelt2_mentions_columns.tsv")
    assert list(GDELT_MENTION_COLUMNS) == names and len(names) == 16
    out = tmp_path / "mentions.CSV"
    with open_store(db, read_only=True) as store:
        result = export_events(store, "gdelt-mentions", out)
        reports = _reports(store, events)
    rows = _mention_rows(out)
    # one row per report of a selected event (GDELT: per mention), as many as the event's NumMentions
    assert result.rows == len(rows) == len(reports) == sum(e["num_mentions"] for e in events)
    assert {(r["event_id"], r["article_id"], int(r["SentenceID"]) - 1) for r in rows} == set(reports)
    by_id = {e["id"]: e for e in events}
    for r in rows:
        e, m = by_id[r["event_id"]], reports[(r["event_id"], r["article_id"], int(r["SentenceID"]) - 1)]
        assert int(r["GLOBALEVENTID"]) == global_event_id(e["id"])
        assert r["MentionIdentifier"] == (m["url"] or r["MentionIdentifier"]) != ""  # URL, else the source
        assert r["MentionSourceName"] == (m["outlet"] or r["MentionSourceName"]) != ""
        confidence = m["confidence"] if m["confidence"] is not None else e["confidence"]
        assert int(r["Confidence"]) == max(10, min(100, math.floor(confidence * 100 + 0.5)))
        assert int(r["MentionDocLen"]) == m["doc_len"]
        assert int(r["ActionCharOffset"]) == (m["verb_start"] if m["verb_start"] is not None else -1)
        assert re.fullmatch(r"\d{14}", r["EventTimeDate"]) and re.fullmatch(r"\d{14}", r["MentionTimeDate"])
        assert r["MentionType"] in ("1", "2")
        if int(r["Actor1CharOffset"]) >= 0:  # the source actor's mention in the reporting sentence
            assert m["start_char"] <= int(r["Actor1CharOffset"]) < m["end_char"]
    assert any(int(r["Actor1CharOffset"]) >= 0 for r in rows)


REPUBLISHED = "Estonia expels Russian diplomat over spying allegations"


def test_story_counts_and_reports_of_republished_articles(db: Path, tmp_path: Path, coder) -> None:
    """A wire story republished by another outlet and again by its own outlet (small edits): its events are
    still one row each in the event exports, with the counts of their reports, and one row per report in the
    mentions export."""
    from eventscope.pipeline import run

    copy = tmp_path / "stories.duckdb"
    shutil.copy(db, copy)
    wire = [json.loads(line) for line in (EXAMPLES / "wire_stories.jsonl").read_text(encoding="utf-8").splitlines()]
    original = next(r for r in wire if r["title"] == REPUBLISHED)
    copies = [
        {**original, "text": original["text"] + "\n\nThe report was updated on Thursday.",
         "url": "https://other.example/estonia-diplomat", "outlet": "Other Outlet"},
        {**original, "text": original["text"].replace(" said", " told reporters", 1),
         "url": original["url"] + "?edition=late"},
    ]
    (tmp_path / "copies.jsonl").write_text("".join(json.dumps(r) + "\n" for r in copies), encoding="utf-8")
    summary = run([tmp_path / "copies.jsonl"], copy, workers=1, coder=coder)
    assert (summary.coded, summary.near_duplicates) == (2, 2)
    with open_store(copy, read_only=True) as store:
        events = query_events(store)
        counts = _story_counts(store)
        story = store.fetch("SELECT id FROM articles WHERE url = ?", [original["url"]])[0]["id"]
        reports = _reports(store, events)
        results = {f: export_events(store, f, tmp_path / f"out.{f}") for f in
                   ("gdelt", "gdelt-mentions", "icews", "plover", "csv")}
    in_story = [e for e in events if e["story_id"] == story]
    assert in_story and all(e["article_id"] == story for e in in_story)  # each event's row is its first report
    # the event table: one row per event, the counts those of its reports in event_mentions
    gdelt = {int(r[0]): r for r in tsv_rows(tmp_path / "out.gdelt")}
    assert results["gdelt"].rows == len(gdelt) == len(events)
    for e in events:
        r = gdelt[global_event_id(e["id"])]
        assert (int(r[31]), int(r[32]), int(r[33])) == counts[e["id"]] == (
            e["num_mentions"], e["num_sources"], e["num_articles"])
        if e["story_id"] == story:
            assert r[60] == original["url"]  # SOURCEURL: the first report
    assert any(counts[e["id"]][1:] == (2, 3) for e in in_story)  # 3 articles from 2 outlets
    assert all(n >= a >= s >= 1 for n, s, a in counts.values())
    # the mentions table: one row per report, NumMentions rows an event
    mentions = _mention_rows(tmp_path / "out.gdelt-mentions")
    assert results["gdelt-mentions"].rows == len(mentions) == len(reports) > len(events)
    per_event: dict[str, int] = {}
    for r in mentions:
        per_event[r["event_id"]] = per_event.get(r["event_id"], 0) + 1
    assert per_event == {e["id"]: e["num_mentions"] for e in events}
    story_mentions = [r for r in mentions if r["event_id"] in {e["id"] for e in in_story}]
    assert {r["MentionIdentifier"] for r in story_mentions} == {original["url"], *(c["url"] for c in copies)}
    assert {r["MentionSourceName"] for r in story_mentions} == {original["outlet"], "Other Outlet"}
    # ICEWS: the story's id; PLOVER and CSV: the counts
    icews = {r[0]: r for r in tsv_rows(tmp_path / "out.icews")[1:]}
    assert len(icews) == len(events) and all(icews[e["id"]][11] == e["story_id"] for e in events)
    plover = [json.loads(line) for line in (tmp_path / "out.plover").read_text(encoding="utf-8").splitlines()]
    assert plover and all((p["eventscope"]["num_mentions"], p["eventscope"]["num_articles"]) ==
                          (counts[p["id"]][0], counts[p["id"]][2]) for p in plover)
    with (tmp_path / "out.csv").open(encoding="utf-8") as fh:
        assert {r["id"]: int(r["num_mentions"]) for r in csv.DictReader(fh)} == {
            e["id"]: counts[e["id"]][0] for e in events}


def test_a_store_from_before_stories_exports_one_mention_per_event(db: Path, tmp_path: Path) -> None:
    """A store of schema version 2 (no story columns, no event_mentions), read through a raw DuckDB connection
    (open_store migrates or refuses it): each event its own story with one mention."""
    old = tmp_path / "v2.duckdb"
    shutil.copy(db, old)
    con = duckdb.connect(str(old))
    for column in ("story_id", "num_mentions", "num_sources", "num_articles"):
        con.execute(f"ALTER TABLE events DROP COLUMN {column}")
    con.execute("DROP TABLE event_mentions")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    events = query_events(con)
    results = {f: export_events(con, f, tmp_path / f"out.{f}") for f in ("gdelt", "gdelt-mentions", "icews")}
    con.close()
    assert {(r[31], r[32], r[33]) for r in tsv_rows(tmp_path / "out.gdelt")} == {("1", "1", "1")}
    mentions = _mention_rows(tmp_path / "out.gdelt-mentions")
    assert [(r["event_id"], r["article_id"], int(r["SentenceID"]) - 1) for r in mentions] == [
        (e["id"], e["article_id"], e["sentence_index"]) for e in events]
    assert results["gdelt-mentions"].notes == ["the store has no event_mentions table: one mention per event"]
    assert [r[11] for r in tsv_rows(tmp_path / "out.icews")[1:]] == [e["article_id"] for e in events]


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
        events = query_events(store)
        counts = _story_counts(store)
        reports = _reports(store, events)
        results = {f: export_events(store, f, tmp_path / f"out.{f}") for f in
                   ("gdelt", "gdelt-mentions", "icews", "plover", "csv", "parquet")}
    n = len(events)
    # one row per event, except the mentions table: one per report (the synthetic stories have several)
    assert {f: r.rows for f, r in results.items() if f != "plover"} == {
        "gdelt": n, "gdelt-mentions": len(reports), "icews": n, "csv": n, "parquet": n}
    assert len(reports) == sum(e["num_mentions"] for e in events) > 1.5 * n
    assert results["plover"].rows + results["plover"].skipped == n
    gdelt = tsv_rows(tmp_path / "out.gdelt")
    ids = [int(r[0]) for r in gdelt]
    assert len(set(ids)) == n and all(0 < i < 2**63 for i in ids)
    by_gid = {global_event_id(e["id"]): e for e in events}
    assert all((int(r[31]), int(r[32]), int(r[33])) == counts[by_gid[int(r[0])]["id"]] for r in gdelt)
    assert {counts[e["id"]][2] for e in events} >= {1, 2, 3}
    mentions = _mention_rows(tmp_path / "out.gdelt-mentions")
    assert {(r["event_id"], r["article_id"], int(r["SentenceID"]) - 1) for r in mentions} == set(reports)
    spec = PloverSpec()
    for line in (tmp_path / "out.plover").read_text().splitlines()[:500]:
        assert spec.problems(json.loads(line)) == []
