"""ICEWS coded-event export: the 20 columns of ICEWS' ``events.*.tab`` files, tab-separated with their header.

ICEWS' own actor dictionary and sector taxonomy are not public in machine-readable form, so: Source/Target
Name are the words that named the actor (else its country's name, else its CAMEO code); Sectors are the
names of the CAMEO type, known-group and religion codes in the actor code ("Government,Military");
Intensity is the CAMEO code's Goldstein score; Story ID is the story (or the article) and Sentence Number
is 1-based. City is the place when it is a city, Province the name of its first-level division, District
is empty. Dates follow the GDELT export's rule (event date, else publication date, else storage date).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventscope.export.selection import (
    ExportResult,
    actor_lookup,
    code_lookup,
    connection,
    copy_to,
    event_day,
    one_line,
    place_lookup,
    registered,
    select_list,
    selected_events,
    story_sql,
)
from eventscope.query import EventFilter

ICEWS_COLUMNS = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
    "City", "District", "Province", "Country", "Latitude", "Longitude",
)  # fmt: skip

TAB_OPTIONS = "FORMAT csv, DELIMITER '\t', HEADER true, QUOTE '', ESCAPE ''"


def export_icews(store: Any, out: str | Path, flt: EventFilter | None = None) -> ExportResult:
    """Write the selected events as ICEWS coded-event rows (tab-separated, header line) to ``out``."""
    con = connection(store)
    try:
        with_clause, params = selected_events(flt)
        story = story_sql(con)
        with registered(con, actor_lookup(con, with_clause, params)) as actors, \
                registered(con, place_lookup(con, with_clause, params)) as places, \
                registered(con, code_lookup(con, with_clause, params)) as codes:
            exprs = [
                "ev.id",
                f"strftime({event_day()}, '%Y-%m-%d')",
                one_line("coalesce(ev.source_name, p1.country_name, ev.source_code)"),
                "p1.sector_names",
                "p1.country_name",
                one_line("c.name"),
                "ev.code",
                "ev.goldstein",
                one_line("coalesce(ev.target_name, p2.country_name, ev.target_code)"),
                "p2.sector_names",
                "p2.country_name",
                story["story_id"],
                "ev.sentence_index + 1",
                one_line("a.outlet"),
                one_line("CASE WHEN ev.geo_type = 'city' THEN ev.location_name END"),
                "CAST(NULL AS VARCHAR)",
                one_line("CASE WHEN ev.geo_type = 'admin1' THEN ev.location_name ELSE g.admin1_name END"),
                one_line("g.country_name"),
                "ev.lat",
                "ev.lon",
            ]
            select = select_list(exprs, ICEWS_COLUMNS)
            sql = f"""{with_clause}
                SELECT {select}
                FROM ev
                LEFT JOIN articles a ON a.id = ev.article_id
                LEFT JOIN {actors} p1 ON p1.code = ev.source_code
                LEFT JOIN {actors} p2 ON p2.code = ev.target_code
                LEFT JOIN {codes} c ON c.code = ev.code
                LEFT JOIN {places} g ON g.country = ev.location_country
                                     AND g.admin1 IS NOT DISTINCT FROM ev.location_admin1
                ORDER BY ev._rank"""
            rows = copy_to(con, sql, params, out, TAB_OPTIONS)
    finally:
        con.close()
    return ExportResult("icews", str(out), rows)
