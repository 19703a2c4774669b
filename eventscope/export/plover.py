"""PLOVER export: one JSON record per event (JSON Lines), with the fields of the PLOVER manual's "Data Fields"
chapter (shared/formats/plover_fields.md).

- ``event`` is the PLOVER category of the event's CAMEO code (the stored one, else the ontology's). CAMEO
  01/02 (public statements, appeals) have none in PLOVER: those events are left out and counted.
- ``mode`` keeps a mode only when the manual's mode table lists it for the category; the mapping's other
  modes (e.g. "ban", "massacre") stay in ``eventscope.plover_mode``.
- ``quad_code`` is the category's PLOVER quad class; ``event_scale`` the CAMEO Goldstein score.
- ``actor``/``recipient`` hold one entity each: ``code`` is the ISO country (KOS for Kosovo) or a non-state
  code (IGO, UNO, EUR, NGO, ...), ``sector`` one or two PLOVER sectors (GOV, GOVMIL), ``entity_text`` the
  words that named the actor. An event without a known source has an empty ``actor`` list.
- ``date``: the event date, else the publication date, else the day it was stored (``eventscope.date_from``
  says which).
- ``eventscope`` is the one field beyond the manual: CAMEO code, Goldstein, flags (negated, hypothetical,
  intent, reported, asserted), rule, confidence, article and story ids, mention counts.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from eventscope import __version__
from eventscope.export.codes import admin1_name, country_name, plover_entity_code, plover_sector
from eventscope.export.selection import ExportResult, connection, selected_events, story_sql
from eventscope.query import EventFilter

# category -> (quad class, modes of the manual's mode tables)
PLOVER_CATEGORIES: dict[str, tuple[int, frozenset[str]]] = {
    "AGREE": (1, frozenset()),
    "CONSULT": (1, frozenset({"visit", "third-party", "multilateral", "phone"})),
    "SUPPORT": (1, frozenset()),
    "CONCEDE": (1, frozenset()),
    "COOPERATE": (2, frozenset()),
    "AID": (2, frozenset()),
    "RETREAT": (2, frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"})),
    "REQUEST": (3, frozenset({"assist", "change", "yield", "meet"})),
    "ACCUSE": (3, frozenset({"disapprove", "investigate", "allege"})),
    "REJECT": (3, frozenset({"assist", "change", "yield", "meet"})),
    "THREATEN": (3, frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"})),
    "PROTEST": (4, frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"})),
    "SANCTION": (4, frozenset({"convict", "expel", "withdraw", "discontinue"})),
    "MOBILIZE": (4, frozenset({"troops", "weapons", "police", "militia"})),
    "COERCE": (4, frozenset({"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
                             "withhold", "misinformation", "cyber"})),
    "ASSAULT": (4, frozenset({"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                              "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
                              "crowd-control", "unconventional"})),
}

CODER = f"eventscope {__version__}"
CODEBOOK = "CAMEO 1.1b3 events mapped to PLOVER (openeventdata CAMEO2PLOVER, 2021)"
_RESOLUTION = {"city": 4, "admin1": 2, "country": 1}


def plover_category(stored: str | None, cameo_code: str | None) -> str | None:
    """The event's PLOVER category: the stored one if PLOVER has it, else the ontology's for the code."""
    if stored and stored.upper() in PLOVER_CATEGORIES:
        return stored.upper()
    if not cameo_code:
        return None
    from eventscope.ontology import Ontology

    mapped = Ontology.load().plover(cameo_code)
    return mapped.upper() if mapped and mapped.upper() in PLOVER_CATEGORIES else None


def _entity(code: str | None, country: str | None, name: str | None) -> dict:
    out: dict[str, Any] = {"code": plover_entity_code(code, country)}
    sector = plover_sector(code)
    if sector:
        out["sector"] = sector
    if name:
        out["entity_text"] = name
    return out


def _iso_day(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def plover_record(r: dict) -> dict | None:
    """The PLOVER record of one event row (events columns plus its article's url, title, outlet, language,
    published, and story_id/num_* columns); None when the event has no PLOVER category."""
    category = plover_category(r.get("plover"), r.get("code"))
    if category is None:
        return None
    quad, modes = PLOVER_CATEGORIES[category]
    if r.get("event_date") is not None:
        day, date_from = r["event_date"], "event"
    elif r.get("published") is not None:
        day, date_from = r["published"], "publication"
    else:
        day, date_from = r.get("created_at"), "stored"
    mode = (r.get("plover_mode") or "").strip().lower()
    rec: dict[str, Any] = {
        "id": r["id"],
        "has_event": True,
        "date": _iso_day(day),
        "actor": [_entity(r["source_code"], r.get("source_country"), r.get("source_name"))]
        if r.get("source_code") else [],
        "recipient": [_entity(r["target_code"], r.get("target_country"), r.get("target_name"))]
        if r.get("target_code") else [],
        "event": [category],
        "mode": [mode] if mode in modes else [],
        "quad_code": quad,
    }
    if r.get("goldstein") is not None:
        rec["event_scale"] = float(r["goldstein"])
    if r.get("verb_text"):
        rec["event_text"] = [r["verb_text"]]
    if r.get("location_name"):
        loc: dict[str, Any] = {"resolved_place": r["location_name"], "lat": r.get("lat"), "lon": r.get("lon"),
                               "country": country_name(r.get("location_country")),
                               "country_code": r.get("location_country")}
        if r.get("geo_type") == "city":
            loc["city"] = r["location_name"]
        province = r["location_name"] if r.get("geo_type") == "admin1" else admin1_name(r.get("location_admin1"))
        if province:
            loc["province"] = province
        if r.get("geo_type") in _RESOLUTION:
            loc["resolution"] = _RESOLUTION[r["geo_type"]]
        rec["event_loc"] = {k: v for k, v in loc.items() if v is not None}
    if r.get("evidence"):
        rec["text"] = r["evidence"]
    rec["text_info"] = {"sequence": r.get("sentence_index"), "start": r.get("start_char"), "end": r.get("end_char")}
    cite = {"url": r.get("url"), "title": r.get("title"), "publication": r.get("outlet"),
            "language": r.get("language"), "coder": CODER, "codebook": CODEBOOK}
    rec["cite_info"] = {k: v for k, v in cite.items() if v is not None}
    rec["link"] = r.get("story_id") or r.get("article_id")
    rec["coder"] = CODER
    created = r.get("created_at")
    if isinstance(created, datetime):
        rec["coded_date"] = created.date().isoformat()
        rec["coded_time"] = created.replace(microsecond=0).isoformat() + "Z"
    rec["eventscope"] = {
        "cameo_code": r.get("code"), "cameo_root": r.get("root"), "goldstein": r.get("goldstein"),
        "source_code": r.get("source_code"), "target_code": r.get("target_code"),
        "plover_mode": r.get("plover_mode") or None, "date_from": date_from,
        "date_precision": r.get("date_precision"),
        "negated": bool(r.get("negated")), "hypothetical": bool(r.get("hypothetical")),
        "intent": bool(r.get("intent")), "reported": bool(r.get("reported")), "reporter": r.get("reporter"),
        "asserted": not (r.get("negated") or r.get("hypothetical")),
        "rule": r.get("rule"), "confidence": r.get("confidence"), "article_id": r.get("article_id"),
        "story_id": r.get("story_id"), "num_mentions": r.get("num_mentions"), "num_sources": r.get("num_sources"),
        "num_articles": r.get("num_articles"),
    }
    return rec


def export_plover(store: Any, out: str | Path, flt: EventFilter | None = None, batch: int = 10_000) -> ExportResult:
    """Write the selected events as PLOVER JSON records, one a line, to ``out``."""
    con = connection(store)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = skipped = 0
    try:
        with_clause, params = selected_events(flt)
        story = story_sql(con)
        cur = con.execute(
            f"""{with_clause}
                SELECT ev.*, a.url, a.title, a.outlet, a.language, a.published, {story['story_id']} AS story_id,
                       {story['num_mentions']} AS num_mentions, {story['num_sources']} AS num_sources,
                       {story['num_articles']} AS num_articles
                FROM ev LEFT JOIN articles a ON a.id = ev.article_id ORDER BY ev._rank""",
            params,
        )
        names = [d[0] for d in cur.description]
        with out.open("w", encoding="utf-8") as fh:
            while rows := cur.fetchmany(batch):
                for row in rows:
                    rec = plover_record(dict(zip(names, row, strict=True)))
                    if rec is None:
                        skipped += 1
                        continue
                    fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
                    written += 1
    finally:
        con.close()
    notes = [f"{skipped} events without a PLOVER category (CAMEO 01/02) left out"] if skipped else []
    return ExportResult("plover", str(out), written, skipped=skipped, notes=notes)
