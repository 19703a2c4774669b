"""CAMEO and PLOVER lookup tables: event codes (name, root, quad class, Goldstein, PLOVER) and actor codes.

The tables ship as package data (``data/*.tsv``, built by ``scripts/build_ontology.py``; provenance in
``data/SOURCES.md``). ``Ontology.load()`` reads them once per process.

Codes outside CAMEO (PETRARCH2's validation verbs use test codes such as "1010", "174K", "802") never
raise: they take the values of their longest known prefix (4 -> 3 -> 2 characters); the root is always
the first two characters.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["EventType", "Ontology", "quad_class_of_root"]

DATA_PACKAGE = "eventscope.ontology"


@dataclass(frozen=True)
class EventType:
    code: str
    name: str
    root: str
    quad_class: int | None
    goldstein: float | None
    plover: str | None
    plover_mode: str | None


def quad_class_of_root(root: str) -> int | None:
    """GDELT's quad class rule: roots 01-05 verbal cooperation (1), 06-08 material cooperation (2),
    09-13 verbal conflict (3), 14-20 material conflict (4); anything else None."""
    if len(root) != 2 or not root.isdigit():
        return None
    n = int(root)
    if 1 <= n <= 5:
        return 1
    if 6 <= n <= 8:
        return 2
    if 9 <= n <= 13:
        return 3
    if 14 <= n <= 20:
        return 4
    return None


@dataclass(frozen=True)
class _CodeRow:
    code: str
    name: str
    goldstein: float | None
    quad_class: int | None


def _float_or_none(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


def _int_or_none(text: str) -> int | None:
    try:
        return int(text) if text.strip() else None
    except ValueError:
        return None


def _rows(text: str) -> list[dict[str, str]]:
    return [
        {k: (v or "").strip() for k, v in row.items() if k is not None}
        for row in csv.DictReader(io.StringIO(text), delimiter="\t")
    ]


class Ontology:
    """Read-only lookups over the CAMEO/PLOVER tables. Use ``Ontology.load()`` (cached)."""

    def __init__(self, read: Callable[[str], str]) -> None:
        """``read(file_name)`` returns the text of one data file (package data or a directory)."""
        self._codes: dict[str, _CodeRow] = {}
        for row in _rows(read("cameo_event_codes.tsv")):
            self._codes[row["code"]] = _CodeRow(
                code=row["code"],
                name=row["name"] or row.get("cameo_manual_name", ""),
                goldstein=_float_or_none(row["goldstein"]),
                quad_class=_int_or_none(row["quad_class"]),
            )
        # cameo code -> (plover event or None, mode or None); a row with no event (CAMEO 01/02) is kept
        # as None so that it does not fall back to a shorter prefix.
        self._plover: dict[str, tuple[str | None, str | None]] = {
            row["cameo_code"]: (row["plover_event"] or None, row["plover_mode"] or None)
            for row in _rows(read("plover_mapping.tsv"))
        }
        self._countries = {row["code"].upper(): row["name"] for row in _rows(read("cameo_countries.tsv"))}
        # GDELT's country list predates some states (South Sudan, Montenegro, Timor-Leste, Kosovo): every
        # ISO 3166 alpha-3 code is a country too, and KSV is CAMEO's Kosovo.
        for code, name in _iso_countries().items():
            self._countries.setdefault(code, name)
        # Lookup order for actor_type: sector/type codes first, then organisations, religions, ethnic groups.
        self._actor_tables: list[dict[str, str]] = [
            {row["code"]: row["name"] for row in _rows(read(name))}
            for name in (
                "cameo_actor_types.tsv",
                "cameo_known_groups.tsv",
                "cameo_religion.tsv",
                "cameo_ethnic.tsv",
            )
        ]
        self._event_type = functools.lru_cache(maxsize=4096)(self._make_event_type)

    @classmethod
    def load(cls) -> Ontology:
        """The ontology from the package data, read once per process."""
        return _package_ontology()

    @classmethod
    def from_dir(cls, directory: str | Path) -> Ontology:
        """An ontology read from another directory holding the same TSV files."""
        base = Path(directory)
        return cls(lambda name: (base / name).read_text(encoding="utf-8"))

    # ---- event codes -------------------------------------------------------------------------------

    def valid_event_code(self, code: str) -> bool:
        """True for a code in the CAMEO table (GDELT codes plus the 5 CAMEO-1.1b3-only codes)."""
        return isinstance(code, str) and code.strip() in self._codes

    def event_type(self, code: str) -> EventType:
        """Name, root, quad class, Goldstein and PLOVER type of ``code``; unknown codes fall back."""
        return self._event_type(code.strip() if isinstance(code, str) else str(code))

    def event_types(self) -> list[EventType]:
        """Every code of the CAMEO table, in file order."""
        return [self.event_type(code) for code in self._codes]

    def plover(self, code: str) -> str | None:
        """PLOVER event type of a CAMEO code (exact row, else the longest prefix); None for 01/02."""
        return self._plover_row(code.strip() if isinstance(code, str) else str(code))[0]

    def _plover_row(self, code: str) -> tuple[str | None, str | None]:
        for prefix in _prefixes(code):
            if prefix in self._plover:
                return self._plover[prefix]
        return (None, None)

    def _make_event_type(self, code: str) -> EventType:
        root = code[:2]
        plover, plover_mode = self._plover_row(code)
        known = [self._codes[p] for p in _prefixes(code) if p in self._codes]
        if not known:
            return EventType(
                code, "(unknown code)", root, quad_class_of_root(root), None, plover, plover_mode
            )
        own = known[0]
        # Goldstein: the first value along the prefix chain (5 manual-only codes have none of their own).
        goldstein = next((row.goldstein for row in known if row.goldstein is not None), None)
        quad_class = own.quad_class if own.quad_class is not None else quad_class_of_root(root)
        name = own.name if own.code == code else f"{own.name} (unknown code, as {own.code})"
        return EventType(code, name, root, quad_class, goldstein, plover, plover_mode)

    # ---- actor codes -------------------------------------------------------------------------------

    def is_country(self, code3: str) -> bool:
        """True for a 3-letter code of the CAMEO country list (which also holds regions such as AFR)."""
        return isinstance(code3, str) and code3.strip().upper() in self._countries

    def country_name(self, code3: str) -> str | None:
        if not isinstance(code3, str):
            return None
        return self._countries.get(code3.strip().upper())

    def actor_codes(self, kind: str) -> frozenset[str]:
        """The codes of one actor table: ``types``, ``known_groups``, ``religions`` or ``ethnic``."""
        kinds = ("types", "known_groups", "religions", "ethnic")
        if kind not in kinds:
            raise ValueError(f"kind must be one of {', '.join(kinds)}, not {kind!r}")
        return frozenset(self._actor_tables[kinds.index(kind)])

    def actor_type(self, code3: str) -> str | None:
        """Name of a 3-letter type, organisation, religion or ethnic code (GOV, UNO, SUN, kur), else None."""
        if not isinstance(code3, str):
            return None
        code = code3.strip()
        for table in self._actor_tables:
            if code in table:
                return table[code]
        for variant in (code.upper(), code.lower()):  # ethnic codes are lower case upstream
            for table in self._actor_tables:
                if variant in table:
                    return table[variant]
        return None


def _prefixes(code: str) -> list[str]:
    """The code itself, then its 3- and 2-character prefixes (longest first)."""
    out = [code] if code else []
    out += [code[:n] for n in (4, 3, 2) if n < len(code)]
    return out


def _iso_countries() -> dict[str, str]:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dependency
        return {"KSV": "Kosovo"}
    out = {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    out["KSV"] = "Kosovo"
    return out


def _read_package_file(name: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath("data", name).read_text(encoding="utf-8")


@functools.cache
def _package_ontology() -> Ontology:
    return Ontology(_read_package_file)
