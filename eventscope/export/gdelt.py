"""GDELT 2.0 exports: the event table (61 tab-separated columns, no header, as GDELT's ``*.export.CSV``
files) and the mentions table (16 columns, as ``*.mentions.CSV``).

How eventscope's events fill GDELT's columns (see also README "Exports"):
- GLOBALEVENTID is an integer: the first 15 hex digits of the event id (60 bits, so it is positive in a
  signed 64-bit integer). The mentions export's Extras column keeps the full ``event_id`` and ``article_id``.
- SQLDATE/MonthYear/Year/FractionDate come from the event date, else the article's publication date, else
  the day the event was stored (GDELT has no undated events). FractionDate is GDELT's approximation
  year + (month * 30 + day) / 365, to 4 decimals.
- Actor codes are split into country, known group, ethnic, religion and type codes with GDELT's lookup
  tables (``eventscope.export.codes``); Actor names are the words that named the actor, upper-cased.
- IsRootEvent is 1 for events in an article's first coded sentence (GDELT: its lead paragraph).
- NumMentions/NumSources/NumArticles are the story counts (eventscope.dedup): the reports of the event in
  ``event_mentions`` (article sentences), the distinct outlets (else URL hosts) and articles among them. The
  event's other columns (date, IsRootEvent, SOURCEURL ...) are those of its first report. The mentions table
  has one row per report.
- AvgTone and MentionDocTone are empty: eventscope does not score tone.
- Geography: one place per event, GDELT's ActionGeo; Actor1Geo/Actor2Geo are type 0 (none). Types: 1 country,
  2 US state, 3 US city, 4 world city, 5 world ADM1. Country codes are FIPS 10-4 (as GDELT's); ADM1 codes are
  FIPS country + division code where it is known (US states, GeoNames keys), else the FIPS country code;
  ADM2 codes are empty; FeatureID is the FIPS/ADM1 code for countries and divisions, empty for cities
  (GDELT's numeric GNS ids are not in eventscope's gazetteer).
- DATEADDED is the time the event was stored, to GDELT's 15 minutes (UTC).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventscope.export.selection import (
    ExportResult,
    actor_lookup,
    connection,
    copy_to,
    event_day,
    has_stories,
    one_line,
    place_lookup,
    registered,
    select_list,
    selected_events,
    story_sql,
)
from eventscope.query import EventFilter

GDELT_EVENT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

# DuckDB types to read an export back with (GDELT's documented types)
GDELT_EVENT_TYPES = {
    name: ("BIGINT" if name in ("GLOBALEVENTID", "DATEADDED") else
           "INTEGER" if name in ("SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions",
                                 "NumSources", "NumArticles") or name.endswith("Geo_Type") else
           "DOUBLE" if name in ("FractionDate", "GoldsteinScale", "AvgTone") or name.endswith(("_Lat", "_Long"))
           else "VARCHAR")
    for name in GDELT_EVENT_COLUMNS
}

GDELT_MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)  # fmt: skip

GDELT_MENTION_TYPES = {
    name: ("BIGINT" if name in ("GLOBALEVENTID", "EventTimeDate", "MentionTimeDate") else
           "DOUBLE" if name == "MentionDocTone" else
           "VARCHAR" if name in ("MentionSourceName", "MentionIdentifier", "MentionDocTranslationInfo", "Extras")
           else "INTEGER")
    for name in GDELT_MENTION_COLUMNS
}

TSV_OPTIONS = "FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE ''"


def global_event_id(event_id: str) -> int:
    """GDELT's integer GLOBALEVENTID of an eventscope event id (its first 15 hex digits)."""
    return int(event_id[:15], 16)


def _global_id(alias: str) -> str:
    # the same as global_event_id(); an id that is not hex (not written by eventscope) gets a hash instead
    return (f"coalesce(TRY_CAST('0x' || substr({alias}.id, 1, 15) AS BIGINT), "
            f"CAST(hash({alias}.id) >> 4 AS BIGINT))")


def _stamp(expr: str) -> str:
    """YYYYMMDDHHMMSS of a timestamp, floored to GDELT's 15 minutes."""
    return f"CAST(strftime(time_bucket(INTERVAL 15 MINUTE, {expr}), '%Y%m%d%H%M%S') AS BIGINT)"


def _actor_columns(side: str, parts: str) -> list[str]:
    code, name = f"ev.{side}_code", f"ev.{side}_name"
    return [
        code, f"upper({one_line(name)})", f"{parts}.country", f"{parts}.known_group", f"{parts}.ethnic",
        f"{parts}.religion1", f"{parts}.religion2", f"{parts}.type1", f"{parts}.type2", f"{parts}.type3",
    ]


def _no_geo() -> list[str]:
    return ["0", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"]


def _action_geo(place: str) -> list[str]:
    kind = """CASE WHEN ev.location_name IS NULL THEN 0
                    WHEN ev.geo_type = 'country' THEN 1
                    WHEN ev.geo_type = 'admin1' THEN CASE WHEN ev.location_country = 'USA' THEN 2 ELSE 5 END
                    WHEN ev.geo_type = 'city' THEN CASE WHEN ev.location_country = 'USA' THEN 3 ELSE 4 END
                    ELSE 0 END"""
    # "City, Division, Country" as GDELT writes it, without repeating a name
    full_name = one_line(f"""concat_ws(', ', ev.location_name,
        CASE WHEN ev.geo_type = 'city' AND {place}.admin1_name IS DISTINCT FROM ev.location_name
             THEN {place}.admin1_name END,
        CASE WHEN {place}.country_name IS DISTINCT FROM ev.location_name THEN {place}.country_name END)""")
    adm1 = f"CASE WHEN ev.geo_type IN ('admin1', 'city') THEN {place}.fips_adm1 ELSE {place}.fips END"
    feature = f"""CASE WHEN ev.geo_type = 'country' THEN {place}.fips
                       WHEN ev.geo_type = 'admin1' THEN {place}.fips_adm1 END"""
    has = "ev.location_name IS NOT NULL"
    return [kind, f"CASE WHEN {has} THEN {full_name} END", f"CASE WHEN {has} THEN {place}.fips END",
            f"CASE WHEN {has} THEN {adm1} END", "NULL", "ev.lat", "ev.lon", feature]


def gdelt_events_sql(con: Any, flt: EventFilter | None, actors: str, places: str) -> tuple[str, list[Any]]:
    """The SELECT of GDELT's 61 columns (named as GDELT names them) for the selected events."""
    with_clause, params = selected_events(flt)
    story = story_sql(con)
    day = event_day()
    exprs = [
        _global_id("ev"),
        f"CAST(strftime({day}, '%Y%m%d') AS INTEGER)",
        f"CAST(strftime({day}, '%Y%m') AS INTEGER)",
        f"year({day})",
        f"printf('%.4f', year({day}) + (month({day}) * 30 + day({day})) / 365.0)",  # GDELT writes 4 decimals
        *_actor_columns("source", "p1"),
        *_actor_columns("target", "p2"),
        "CASE WHEN ev.sentence_index = 0 THEN 1 ELSE 0 END",
        "ev.code",
        "CASE WHEN length(ev.code) >= 3 THEN substr(ev.code, 1, 3) ELSE ev.code END",
        "coalesce(nullif(ev.root, ''), substr(ev.code, 1, 2))",
        "ev.quad_class",
        "ev.goldstein",
        story["num_mentions"], story["num_sources"], story["num_articles"],
        "CAST(NULL AS DOUBLE)",
        *_no_geo(), *_no_geo(), *_action_geo("g"),
        _stamp("coalesce(ev.created_at, a.ingested_at)"),
        one_line("coalesce(a.url, a.source, ev.article_id)"),
    ]
    assert len(exprs) == len(GDELT_EVENT_COLUMNS)
    select = select_list(exprs, GDELT_EVENT_COLUMNS)
    sql = f"""{with_clause}
        SELECT {select}
        FROM ev
        LEFT JOIN articles a ON a.id = ev.article_id
        LEFT JOIN {actors} p1 ON p1.code = ev.source_code
        LEFT JOIN {actors} p2 ON p2.code = ev.target_code
        LEFT JOIN {places} g ON g.country = ev.location_country
                             AND g.admin1 IS NOT DISTINCT FROM ev.location_admin1
        ORDER BY ev._rank"""
    return sql, params


def export_gdelt_events(store: Any, out: str | Path, flt: EventFilter | None = None) -> ExportResult:
    """Write the selected events as a GDELT 2.0 event table (tab-separated, no header) to ``out``."""
    con = connection(store)
    try:
        with_clause, params = selected_events(flt)
        with registered(con, actor_lookup(con, with_clause, params)) as actors, \
                registered(con, place_lookup(con, with_clause, params)) as places:
            sql, params = gdelt_events_sql(con, flt, actors, places)
            rows = copy_to(con, sql, params, out, TSV_OPTIONS)
    finally:
        con.close()
    return ExportResult("gdelt", str(out), rows)


def export_gdelt_mentions(store: Any, out: str | Path, flt: EventFilter | None = None) -> ExportResult:
    """Write the mentions of the selected events as a GDELT 2.0 mentions table (tab-separated, no header).

    One row per report of an event: per row of ``event_mentions`` (article and sentence), so an event has
    NumMentions rows. A store from before schema version 3 (read through a raw DuckDB connection) has no
    reports: each of its events is its own single mention. Extras holds
    ``event_id=<eventscope id>;article_id=<the mentioning article's id>``."""
    con = connection(store)
    try:
        with_clause, params = selected_events(flt)
        notes = []
        if has_stories(con):
            source = "event_mentions m JOIN ev ON ev.id = m.event_id"
        else:
            source = ("(SELECT id AS event_id, article_id, sentence_index, verb_start, confidence, "
                      "NULL::VARCHAR AS outlet, NULL::VARCHAR AS url, created_at FROM ev) m "
                      "JOIN ev ON ev.id = m.event_id")
            notes.append("the store has no event_mentions table: one mention per event")
        url = "coalesce(m.url, a.url)"
        domain = f"regexp_extract({url}, '^[a-zA-Z][a-zA-Z0-9+.-]*://(www\\.)?([^/:?#]+)', 2)"
        exprs = [
            _global_id("ev"),
            _stamp("coalesce(ev.created_at, a.ingested_at)"),
            _stamp("coalesce(m.created_at, ev.created_at, a.ingested_at)"),
            f"CASE WHEN {url} IS NOT NULL THEN 1 ELSE 2 END",
            one_line(f"coalesce(m.outlet, a.outlet, nullif({domain}, ''), a.source)"),
            one_line(f"coalesce({url}, a.source, m.article_id)"),
            "m.sentence_index + 1",
            "coalesce(s1.start_char, -1)",
            "coalesce(s2.start_char, -1)",
            "coalesce(m.verb_start, -1)",
            "1",
            "CAST(least(100, greatest(10, round(coalesce(m.confidence, ev.confidence, 1.0) * 100))) AS INTEGER)",
            "length(a.text)",
            "CAST(NULL AS DOUBLE)",
            "CAST(NULL AS VARCHAR)",
            "'event_id=' || ev.id || ';article_id=' || m.article_id",
        ]
        assert len(exprs) == len(GDELT_MENTION_COLUMNS)
        select = select_list(exprs, GDELT_MENTION_COLUMNS)
        sql = f"""{with_clause},
            actor_offsets AS (
                SELECT article_id, sentence_index, actor_code, min(start_char) AS start_char
                FROM mentions WHERE actor_code IS NOT NULL GROUP BY 1, 2, 3)
            SELECT {select}
            FROM {source}
            LEFT JOIN articles a ON a.id = m.article_id
            LEFT JOIN actor_offsets s1 ON s1.article_id = m.article_id AND s1.sentence_index = m.sentence_index
                                       AND s1.actor_code = ev.source_code
            LEFT JOIN actor_offsets s2 ON s2.article_id = m.article_id AND s2.sentence_index = m.sentence_index
                                       AND s2.actor_code = ev.target_code
            ORDER BY ev._rank, m.article_id, m.sentence_index"""
        rows = copy_to(con, sql, params, out, TSV_OPTIONS)
    finally:
        con.close()
    return ExportResult("gdelt-mentions", str(out), rows, notes=notes)
