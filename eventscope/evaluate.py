"""Gold-set scoring behind ``eventscope eval`` (the rules are in shared/eval/FORMAT.md).

A gold record is one text with the events a careful coder draws from it. The coder's predictions for the
record are paired one-to-one with the gold events at four levels (root, code, full, plover) so that the
number of matches is maximal; true/false positives and false negatives are summed over all records
(micro average). The report adds exact-record accuracy, the rate of ``[]`` records left empty, a per-root
table and, where gold records carry a location, location accuracy.

Predictions are dicts: ``source``, ``target`` (str or None), ``code``; optionally ``plover``, ``evidence``,
``rule``, ``sentence_index``, ``location`` ({name, country, lat, lon} or None), ``id``. A
``model.Event`` is accepted too (see ``prediction_from_event``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eventscope.ontology import Ontology

__all__ = [
    "LEVELS",
    "WILDCARD",
    "Counts",
    "EvalReport",
    "GoldFormatError",
    "GoldRecord",
    "LocationScore",
    "RecordResult",
    "evaluate",
    "load_gold",
    "prediction_from_event",
    "score_record",
]

LEVELS = ("root", "code", "full", "plover")
WILDCARD = "*"  # a gold source/target that matches any predicted actor, None included
NEAR_KM = 50.0
# Record fields left out of the --errors file because they are big and say nothing a reader needs.
BULKY_FIELDS = frozenset({"parse"})
_GOLD_FIELDS = frozenset({"id", "text", "date", "events", "active", "config", "location"})


class GoldFormatError(ValueError):
    """A gold file that cannot be read as FORMAT.md describes; the message says where and why."""


@dataclass
class GoldRecord:
    id: str
    text: str
    date: str | None
    events: list[dict]
    active: bool = True
    config: dict = field(default_factory=dict)
    location: dict | None = None
    extra: dict = field(default_factory=dict)  # category, note, markup ... carried into the report

    @property
    def plover_only(self) -> bool:
        """Gold events given, all with a PLOVER type and no CAMEO code: scored at the plover level only."""
        return bool(self.events) and all(not e.get("code") for e in self.events)


# ---- loading ---------------------------------------------------------------------------------------


def load_gold(path: str | Path) -> list[GoldRecord]:
    """Read a gold JSONL file. Raises GoldFormatError (with file and line) on anything malformed."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc})") from exc
    records: list[GoldRecord] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{where}: not JSON ({exc.msg})") from exc
        records.append(_gold_record(raw, where, default_id=f"{path.stem}:{lineno}"))
    return records


def _gold_record(raw: Any, where: str, default_id: str) -> GoldRecord:
    if not isinstance(raw, dict):
        raise GoldFormatError(f"{where}: a record must be a JSON object")
    text = raw.get("text")
    if not isinstance(text, str):
        raise GoldFormatError(f"{where}: `text` must be a string")
    date = raw.get("date")
    if date is not None and not isinstance(date, str):
        raise GoldFormatError(f"{where}: `date` must be a string or null")
    events = raw.get("events")
    if not isinstance(events, list):
        raise GoldFormatError(f"{where}: `events` must be a list ([] for no event)")
    for n, event in enumerate(events):
        _check_gold_event(event, f"{where}: event {n}")
    active = raw.get("active", True)
    if not isinstance(active, bool):
        raise GoldFormatError(f"{where}: `active` must be true or false")
    config = raw.get("config") or {}
    location = raw.get("location")
    if not isinstance(config, dict) or (location is not None and not isinstance(location, dict)):
        raise GoldFormatError(f"{where}: `config` and `location` must be objects or null")
    record_id = raw.get("id")
    return GoldRecord(
        id=str(record_id) if record_id not in (None, "") else default_id,
        text=text,
        date=date,
        events=events,
        active=active,
        config=config,
        location=location,
        extra={k: v for k, v in raw.items() if k not in _GOLD_FIELDS},
    )


def _check_gold_event(event: Any, where: str) -> None:
    if not isinstance(event, dict):
        raise GoldFormatError(f"{where}: an event must be a JSON object")
    code, plover = event.get("code"), event.get("plover")
    if code is not None and not isinstance(code, str):
        raise GoldFormatError(f'{where}: `code` must be a string ("042", not 42)')
    if plover is not None and not isinstance(plover, str):
        raise GoldFormatError(f"{where}: `plover` must be a string")
    if not code and not plover:
        raise GoldFormatError(f"{where}: needs a `code` or a `plover` type")
    for key in ("source", "target"):
        if event.get(key) is not None and not isinstance(event[key], str):
            raise GoldFormatError(f"{where}: `{key}` must be a string or null")


# ---- predictions -----------------------------------------------------------------------------------


def prediction_from_event(event: Any) -> dict:
    """A prediction dict from a ``model.Event`` (or anything with the same attributes)."""
    location = getattr(event, "location", None)
    return {
        "id": getattr(event, "id", None),
        "source": _actor_code(getattr(event, "source", None)),
        "target": _actor_code(getattr(event, "target", None)),
        "code": getattr(event, "code", None),
        "plover": getattr(event, "plover", None),
        "paired": bool(getattr(event, "paired", False)),
        "evidence": getattr(event, "evidence", None),
        "rule": getattr(event, "rule", None),
        "sentence_index": getattr(event, "sentence_index", None),
        "location": _location_dict(location),
    }


def _actor_code(value: Any) -> str | None:
    """An actor as a code string: str as is, Actor/dict by its code; "" counts as no actor."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("code")
    elif not isinstance(value, str):
        value = getattr(value, "code", value)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _location_dict(value: Any) -> dict | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return None


def _normalise_prediction(item: Any, ontology: Ontology) -> dict:
    if not isinstance(item, dict) and not hasattr(item, "code"):
        raise TypeError(f"a prediction must be a dict with source/target/code, got {type(item).__name__}")
    pred = dict(item) if isinstance(item, dict) else prediction_from_event(item)
    pred["source"] = _actor_code(pred.get("source"))
    pred["target"] = _actor_code(pred.get("target"))
    code = pred.get("code")
    pred["code"] = str(code).strip() if code not in (None, "") else None
    if pred.get("paired"):
        # the host's side of a visit (042:043): PLOVER counts the pair once, as the visitor's CONSULT
        pred["plover"] = None
    elif not pred.get("plover"):
        pred["plover"] = ontology.plover(pred["code"]) if pred["code"] else None
    if "location" in pred:
        pred["location"] = _location_dict(pred["location"])
    return pred


# ---- matching --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ev:
    """An event reduced to what the levels compare."""

    source: str | None
    target: str | None
    code: str | None
    plover: str | None


def _gold_ev(event: dict, ontology: Ontology) -> _Ev:
    code = event.get("code") or None
    code = code.strip() if code else None
    plover = event.get("plover") or (ontology.plover(code) if code else None)
    source = event.get("source")
    target = event.get("target")
    return _Ev(
        source=source.strip() if isinstance(source, str) and source.strip() else None,
        target=target.strip() if isinstance(target, str) and target.strip() else None,
        code=code,
        plover=plover,
    )


def _pred_ev(pred: dict) -> _Ev:
    return _Ev(pred["source"], pred["target"], pred["code"], pred.get("plover") or None)


def _actor_agrees3(gold: str | None, pred: str | None) -> bool:
    if gold == WILDCARD:
        return True
    if gold is None or pred is None:
        return gold is None and pred is None
    return gold[:3] == pred[:3]


def _actor_equal(gold: str | None, pred: str | None) -> bool:
    return gold == WILDCARD or gold == pred


def _agree(level: str, g: _Ev, p: _Ev) -> bool:
    if level == "full":
        return _actor_equal(g.source, p.source) and _actor_equal(g.target, p.target) and g.code == p.code
    if not (_actor_agrees3(g.source, p.source) and _actor_agrees3(g.target, p.target)):
        return False
    if level == "plover":
        return g.plover is not None and g.plover == p.plover
    if not g.code or not p.code:
        return False
    if level == "root":
        return g.code[:2] == p.code[:2]
    return g.code == p.code  # code


def _max_matching(
    gold: list[_Ev], pred: list[_Ev], agree: Callable[[_Ev, _Ev], bool], prefer: Callable[[_Ev, _Ev], bool]
) -> dict[int, int]:
    """Maximum one-to-one pairing (Kuhn's augmenting paths); returns gold index -> pred index.

    ``prefer`` orders each gold event's candidates, so that among maximal pairings the closer pairs are
    tried first (for readable missing/spurious lists); it never changes the number of matches.
    """
    candidates = [
        sorted((j for j, p in enumerate(pred) if agree(g, p)), key=lambda j, g=g: (not prefer(g, pred[j]), j))
        for g in gold
    ]
    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class RecordResult:
    gold: GoldRecord
    predicted: list[dict]  # normalised predictions (plover filled in from the code when absent)
    levels: dict[str, Counts]
    per_root: dict[str, Counts]
    exact: bool
    level: str  # the level `missing`/`spurious` are judged at: "code", or "plover" for plover-only gold
    missing: list[dict]
    spurious: list[dict]
    predicted_location: dict | None  # location of the best-matching prediction
    coder_error: str | None = None  # the coder failed on this record (then nothing was predicted)
    location_country_ok: bool | None = None  # set by evaluate() when the gold location can be compared
    location_within_50km: bool | None = None
    gold_place: dict | None = None  # the gold location as compared (after the resolver)


def score_record(gold: GoldRecord, predicted: list[dict]) -> RecordResult:
    """Pair one record's predictions with its gold events at every level and count the outcome."""
    ontology = Ontology.load()
    preds = [_normalise_prediction(item, ontology) for item in predicted]
    gold_evs = [_gold_ev(e, ontology) for e in gold.events]
    pred_evs = [_pred_ev(p) for p in preds]
    plover_only = gold.plover_only

    def full_pair(g: _Ev, p: _Ev) -> bool:
        return _agree("full", g, p)

    matchings: dict[str, dict[int, int]] = {}
    levels: dict[str, Counts] = {}
    for level in LEVELS:
        if level == "plover":
            g_idx = [i for i, g in enumerate(gold_evs) if g.plover is not None]
            p_idx = [j for j, p in enumerate(pred_evs) if p.plover is not None]
        else:
            g_idx = [i for i, g in enumerate(gold_evs) if g.code is not None]
            p_idx = [] if plover_only else list(range(len(pred_evs)))
        pairs = _max_matching(
            [gold_evs[i] for i in g_idx],
            [pred_evs[j] for j in p_idx],
            lambda g, p, level=level: _agree(level, g, p),
            full_pair,
        )
        matchings[level] = {g_idx[a]: p_idx[b] for a, b in pairs.items()}
        tp = len(pairs)
        levels[level] = Counts(tp=tp, fp=len(p_idx) - tp, fn=len(g_idx) - tp)

    per_root = _per_root(gold_evs, pred_evs, matchings["root"], plover_only)
    primary = "plover" if plover_only else "code"
    matched_pred = set(matchings[primary].values())
    missing = [
        gold.events[i]
        for i, g in enumerate(gold_evs)
        if i not in (matchings["code"] if g.code is not None else matchings["plover"])
    ]
    spurious = [preds[j] for j in range(len(preds)) if j not in matched_pred]
    return RecordResult(
        gold=gold,
        predicted=preds,
        levels=levels,
        per_root=per_root,
        exact=_is_exact(gold_evs, pred_evs, matchings, plover_only),
        level=primary,
        missing=missing,
        spurious=spurious,
        predicted_location=_best_location(preds, gold_evs, matchings),
    )


def _per_root(
    gold_evs: list[_Ev], pred_evs: list[_Ev], pairs: dict[int, int], plover_only: bool
) -> dict[str, Counts]:
    table: dict[str, Counts] = {}

    def bump(root: str, attr: str) -> None:
        counts = table.setdefault(root, Counts())
        setattr(counts, attr, getattr(counts, attr) + 1)

    for i, g in enumerate(gold_evs):
        if g.code is not None:
            bump(g.code[:2], "tp" if i in pairs else "fn")
    if not plover_only:
        matched = set(pairs.values())
        for j, p in enumerate(pred_evs):
            if j not in matched:
                bump((p.code or "")[:2], "fp")
    return table


def _is_exact(
    gold_evs: list[_Ev], pred_evs: list[_Ev], matchings: dict[str, dict[int, int]], plover_only: bool
) -> bool:
    """The predicted set equals the gold set: all gold matched, every prediction matched.

    Judged at ``full`` (``plover`` for plover-only gold). A prediction that the level leaves out (a
    CAMEO 01/02 prediction in a plover-only record) still makes the record inexact: it is an extra event.
    """
    if not gold_evs:
        return not pred_evs
    if plover_only:
        pairs = matchings["plover"]
        return len(pairs) == len(gold_evs) == len(pred_evs)
    coded = [i for i, g in enumerate(gold_evs) if g.code is not None]
    pairs = matchings["full"]
    return len(pairs) == len(coded) == len(pred_evs)


def _best_location(
    preds: list[dict], gold_evs: list[_Ev], matchings: dict[str, dict[int, int]]
) -> dict | None:
    """The location of the prediction matched first (code, then plover level), else the first one with one."""
    order = [matchings["code"][i] for i in range(len(gold_evs)) if i in matchings["code"]]
    order += [matchings["plover"][i] for i in range(len(gold_evs)) if i in matchings["plover"]]
    order += list(range(len(preds)))
    for j in order:
        location = preds[j].get("location")
        if isinstance(location, dict) and location:
            return location
    return None


# ---- locations -------------------------------------------------------------------------------------


def _country3(value: Any) -> str | None:
    """A country as an upper-case 3-letter code; ISO alpha-2 and country names are converted."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if len(text) == 3 and text.isalpha():
        return text.upper()
    try:
        import pycountry

        if len(text) == 2:
            found = pycountry.countries.get(alpha_2=text.upper())
        else:
            found = pycountry.countries.lookup(text)
    except (ImportError, LookupError):
        found = None
    return found.alpha_3 if found is not None else text.upper()


def _coord(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _place(location: dict) -> tuple[str | None, float | None, float | None]:
    country = location.get("country") or location.get("country code") or location.get("country_code")
    lat = location.get("lat", location.get("latitude"))
    lon = location.get("lon", location.get("longitude"))
    return _country3(country), _coord(lat), _coord(lon)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _score_location(result: RecordResult, locate: Callable[[dict], dict | None] | None) -> None:
    """Fill the record's location outcome; gold places that cannot be pinned down stay unscored."""
    gold_location = result.gold.location
    if not gold_location:
        return
    country, lat, lon = _place(gold_location)
    if (country is None or lat is None or lon is None) and locate is not None:
        try:
            resolved = locate(gold_location)
        except Exception:  # a resolver failure leaves the record unscored rather than ending the run
            resolved = None
        if isinstance(resolved, dict):
            r_country, r_lat, r_lon = _place(resolved)
            country = country or r_country
            if lat is None or lon is None:
                lat, lon = r_lat, r_lon
    has_coords = lat is not None and lon is not None
    result.gold_place = {"country": country, "lat": lat, "lon": lon}
    pred = result.predicted_location or {}
    p_country, p_lat, p_lon = _place(pred) if pred else (None, None, None)
    if country is not None:
        result.location_country_ok = p_country == country
    if has_coords:
        result.location_within_50km = (
            p_lat is not None and p_lon is not None and haversine_km(lat, lon, p_lat, p_lon) <= NEAR_KM
        )


@dataclass
class LocationScore:
    records: int  # gold records with a location that could be compared (country or coordinates)
    country_records: int
    country_correct: int
    distance_records: int
    within_50km_count: int
    unresolved: int  # gold locations given only by a name the resolver could not place (or no resolver)

    @property
    def country_accuracy(self) -> float | None:
        return self.country_correct / self.country_records if self.country_records else None

    @property
    def within_50km(self) -> float | None:
        return self.within_50km_count / self.distance_records if self.distance_records else None

    def to_dict(self) -> dict:
        return {
            "records": self.records,
            "country_accuracy": _round(self.country_accuracy),
            "within_50km": _round(self.within_50km),
            "unresolved": self.unresolved,
        }


# ---- report ----------------------------------------------------------------------------------------


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass
class EvalReport:
    results: list[RecordResult]
    skipped: list[GoldRecord] = field(default_factory=list)

    @property
    def levels(self) -> dict[str, Counts]:
        totals = {level: Counts() for level in LEVELS}
        for result in self.results:
            for level in LEVELS:
                totals[level].add(result.levels[level])
        return totals

    @property
    def per_root(self) -> dict[str, Counts]:
        table: dict[str, Counts] = {}
        for result in self.results:
            for root, counts in result.per_root.items():
                table.setdefault(root, Counts()).add(counts)
        return dict(sorted(table.items()))

    @property
    def exact(self) -> float | None:
        if not self.results:
            return None
        return sum(r.exact for r in self.results) / len(self.results)

    @property
    def no_event_accuracy(self) -> float | None:
        empty = [r for r in self.results if not r.gold.events]
        if not empty:
            return None
        return sum(not r.predicted for r in empty) / len(empty)

    @property
    def location(self) -> LocationScore | None:
        located = [r for r in self.results if r.gold.location]
        if not located:
            return None
        country = [r.location_country_ok for r in located if r.location_country_ok is not None]
        near = [r.location_within_50km for r in located if r.location_within_50km is not None]
        scored = [
            r for r in located if r.location_country_ok is not None or r.location_within_50km is not None
        ]
        if not scored:
            return None  # no gold place could be pinned down (for instance no resolver was given)
        return LocationScore(
            records=len(scored),
            country_records=len(country),
            country_correct=sum(country),
            distance_records=len(near),
            within_50km_count=sum(near),
            unresolved=len(located) - len(scored),
        )

    @property
    def coder_errors(self) -> int:
        return sum(r.coder_error is not None for r in self.results)

    def to_dict(self) -> dict:
        location = self.location
        return {
            "records": len(self.results),
            "skipped": len(self.skipped),
            "levels": {level: counts.to_dict() for level, counts in self.levels.items()},
            "exact": _round(self.exact),
            "no_event_accuracy": _round(self.no_event_accuracy),
            "per_root": {root: counts.to_dict() for root, counts in self.per_root.items()},
            "location": location.to_dict() if location else None,
            "coder_errors": self.coder_errors,
        }

    def error_lines(self) -> list[dict]:
        """One dict per record that was not exactly right (what ``write_errors`` writes)."""
        lines = []
        for r in self.results:
            if r.exact and r.coder_error is None:
                continue
            line: dict[str, Any] = {"id": r.gold.id, "text": r.gold.text, "date": r.gold.date}
            line.update({k: v for k, v in r.gold.extra.items() if k not in BULKY_FIELDS})
            if r.gold.config:
                line["config"] = r.gold.config
            line.update(
                {
                    "gold": r.gold.events,
                    "predicted": r.predicted,
                    "level": r.level,
                    "missing": r.missing,
                    "spurious": r.spurious,
                }
            )
            if r.coder_error is not None:
                line["coder_error"] = r.coder_error
            if r.gold.location:
                line["location"] = {
                    "gold": r.gold.location,
                    "gold_resolved": r.gold_place,
                    "predicted": r.predicted_location,
                    "country_ok": r.location_country_ok,
                    "within_50km": r.location_within_50km,
                }
            lines.append(line)
        return lines

    def write_errors(self, path: str | Path) -> int:
        """Write the records that were not exactly right as JSONL; returns how many lines were written."""
        lines = self.error_lines()
        with Path(path).open("w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        return len(lines)

    def render(self, console: Console) -> None:
        levels = Table(title="Event scoring (micro-averaged)", title_justify="left")
        for name in ("level", "TP", "FP", "FN", "P", "R", "F1"):
            levels.add_column(name, justify="left" if name == "level" else "right")
        for level, counts in self.levels.items():
            levels.add_row(level, *_count_cells(counts))
        console.print(levels)

        console.print(
            f"records {len(self.results)}  skipped {len(self.skipped)}  "
            f"exact {_fmt(self.exact)}  no_event_accuracy {_fmt(self.no_event_accuracy)}"
            + (f"  coder errors {self.coder_errors}" if self.coder_errors else "")
        )

        per_root = self.per_root
        if per_root:
            ontology = Ontology.load()
            roots = Table(title="Per root (root level)", title_justify="left")
            for name in ("root", "name", "TP", "FP", "FN", "P", "R", "F1"):
                roots.add_column(name, justify="left" if name in ("root", "name") else "right")
            for root, counts in per_root.items():
                name = ontology.event_type(root).name if root else "(no code)"
                roots.add_row(root or "-", name, *_count_cells(counts))
            console.print(roots)

        location = self.location
        if location is not None:
            console.print(
                f"location: {location.records} records  country accuracy {_fmt(location.country_accuracy)}  "
                f"within {NEAR_KM:g} km {_fmt(location.within_50km)}"
                + (f"  (unresolved {location.unresolved})" if location.unresolved else "")
            )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _count_cells(counts: Counts) -> list[str]:
    return [
        str(counts.tp),
        str(counts.fp),
        str(counts.fn),
        f"{counts.precision:.4f}",
        f"{counts.recall:.4f}",
        f"{counts.f1:.4f}",
    ]


# ---- running ---------------------------------------------------------------------------------------


def evaluate(
    records: Iterable[GoldRecord],
    code_record: Callable[[GoldRecord], Any],
    progress: Callable[[int], None] | None = None,
    locate: Callable[[dict], dict | None] | None = None,
) -> EvalReport:
    """Code every active record with ``code_record`` and score it; inactive records are only counted.

    ``code_record`` returns the predicted events, or a pair (events, location of the record) whose location
    is scored where no predicted event has one. ``progress(n)`` is called after each record with the number
    of records handled so far (skipped ones included). ``locate(gold_location)`` resolves a gold place given
    only by name to {country, lat, lon};
    without it such places are not scored. A coder exception on one record is recorded (``coder_error``,
    nothing predicted) and the run goes on.
    """
    results: list[RecordResult] = []
    skipped: list[GoldRecord] = []
    for done, record in enumerate(records, start=1):
        if not record.active:
            skipped.append(record)
        else:
            error = None
            fallback = None
            try:
                out = code_record(record)
                if isinstance(out, tuple):  # (events, the article's own location when no event has one)
                    out, fallback = out
                predicted = list(out)
                result = score_record(record, predicted)
                if result.predicted_location is None and fallback:
                    result.predicted_location = fallback
            except Exception as exc:  # one bad record must not end a whole evaluation run
                error = f"{type(exc).__name__}: {exc}"
                result = score_record(record, [])
            result.coder_error = error
            _score_location(result, locate)
            results.append(result)
        if progress is not None:
            progress(done)
    return EvalReport(results=results, skipped=skipped)


# ---- coding gold records with eventscope's coder ----------------------------------------------------


def gazetteer_locator() -> Callable[[dict], dict | None] | None:
    """Gold locations that carry only a name are placed with the same gazetteer the coder uses."""
    try:
        from eventscope.geo import Gazetteer
    except ImportError:
        return None
    gaz = Gazetteer.load()

    def locate(loc: dict) -> dict | None:
        place = gaz.resolve(loc.get("name") or "")
        if place is None:
            return None
        return {"country": place.country, "lat": place.lat, "lon": place.lon}

    return locate


def coder_predictor(coder: Any) -> Callable[[GoldRecord], tuple[list[dict], dict | None]]:
    """``code_record`` for ``evaluate``: each record's text is coded as one article dated ``date``, under
    the PETRARCH options its ``config`` gives (``require_dyad``). Returns the events and the article's focus
    place, which stands for the record's location when no event has one."""
    from dataclasses import replace as _replace
    from datetime import date as _date

    def code_record(record: GoldRecord) -> list[dict]:
        options = coder.options
        if "require_dyad" in (record.config or {}):
            options = _replace(options, require_dyad=bool(record.config["require_dyad"]))
        published = _date.fromisoformat(record.date[:10]) if record.date else None
        coded = coder.code_text(record.text, published=published, options=options)
        return [prediction_from_event(e) for e in coded.asserted_events], _location_dict(coded.location)

    return code_record
