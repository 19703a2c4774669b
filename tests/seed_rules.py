"""The matching rules of ../shared/seed/expected.json (its "about" field), as functions tests share."""

from __future__ import annotations

import math


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _one_way(ev: dict, rule: dict, src: str, tgt: str, check_location: bool) -> bool:
    source, target = ev.get("source") or "", ev.get("target") or ""
    if not (source.startswith(src) and target.startswith(tgt)):
        return False
    if ev["code"] not in rule["code_any"]:
        return False
    sectors = rule.get("source_sector_any")
    if sectors and not any(s in source[3:] for s in sectors):
        return False
    if "quad_class" in rule and ev.get("quad_class") != rule["quad_class"]:
        return False
    if "evidence_contains" in rule and rule["evidence_contains"] not in (ev.get("evidence") or ""):
        return False
    if check_location and "location" in rule:
        want = rule["location"]
        loc = ev.get("location") or {}
        if loc.get("country") != want["country"] or loc.get("lat") is None:
            return False
        if _km(loc["lat"], loc["lon"], want["lat"], want["lon"]) > want["tolerance_km"]:
            return False
    return True


def matches(ev: dict, rule: dict, check_location: bool = True) -> bool:
    """An event matches an entry when its source and target start with the entry's country codes, its code is
    one of code_any, and (where given) its source's sectors include one of source_sector_any; symmetric
    entries may come in either direction."""
    if _one_way(ev, rule, rule["source"], rule["target"], check_location):
        return True
    return bool(rule.get("symmetric")) and _one_way(ev, rule, rule["target"], rule["source"], check_location)


def violates(ev: dict, rule: dict) -> bool:
    if "text_contains" in rule and rule["text_contains"] in (ev.get("evidence") or ""):
        return True
    if "evidence_equals_any" in rule and (ev.get("evidence") or "").strip() in rule["evidence_equals_any"]:
        return True
    if "source_any" in rule:
        source, target = ev.get("source") or "", ev.get("target") or ""
        if any(source.startswith(s) for s in rule["source_any"]) and target.startswith(rule["target"]) and (
            ev.get("quad_class") in rule["quad_class_any"]
        ):
            return True
    return False
