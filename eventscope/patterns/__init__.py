"""Event patterns as data: verb groups, verbs, phrase patterns, synonym sets, noun triggers.

Files in ``eventscope/patterns/data/<layer>/`` (TSV, see ``eventscope.tsv``):
- ``verb_groups.tsv``: ``group code note source`` (a group's default code; ``---`` = no event)
- ``verbs.tsv``: ``group verb forms code note source`` (``forms`` empty = regular forms, ``-`` = none)
- ``verb_patterns.tsv``: ``id group pattern code note source``
- ``synsets.tsv``: ``synset member source``
- ``nouns.tsv``: ``id noun code symmetric target_preps source_preps note source``
- ``intent_codes.tsv``: ``act intent note source`` (the code of "X vowed to <act>", by act code prefix)
- ``modal_codes.tsv``: ``modal effect code note source`` (what "will", "must", "could" do to an act)
- ``appeal_codes.tsv``: ``act appeal note source`` (the code of "X urged Y to <act>", by act code prefix)
- ``refusal_codes.tsv``: ``act refusal note source`` (the code of "X refused to <act>", by act code prefix)
- ``accusation_codes.tsv``: ``act accusation note source`` (the code of "X accused Y of <act>")
- ``instrument_codes.tsv``: ``word act code note source`` (an act done with an instrument: "struck by jets"
  -> 195, for acts whose code starts with ``act``)
- ``code_shifts.tsv``: ``group from to note source`` (DEMAND's 02x appeal codes become 10x demands)

Layers, lowest first: ``petrarch2`` (converted from CAMEO.2.0.txt by scripts/build_kb.py) and
``eventscope`` (curated here). Adding a pattern is adding a row.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from eventscope.patterns.model import (
    NULL_CODE,
    NounTrigger,
    VerbDictionary,
    VerbEntry,
    VerbGroup,
    VerbPattern,
)
from eventscope.tsv import read_tsv, split_multi, write_tsv

BUILTIN_LAYERS = ("petrarch2", "eventscope")

__all__ = [
    "NULL_CODE",
    "NounTrigger",
    "VerbDictionary",
    "VerbEntry",
    "VerbGroup",
    "VerbPattern",
    "builtin_verb_dictionary",
    "read_layer",
    "write_layer",
]


def data_dir() -> Path:
    return Path(str(resources.files("eventscope.patterns") / "data"))


def _group(vd: VerbDictionary, name: str, source: str) -> VerbGroup:
    g = vd.groups.get(name)
    if g is None:
        g = VerbGroup(name=name, source=source)
        vd.groups[name] = g
    return g


def _rows(folder: Path, name: str) -> Iterable[dict[str, str]]:
    """The rows of the layer's file ``name``; none when the layer has no such file (every file is optional)."""
    path = folder / name
    return read_tsv(path) if path.exists() else []


def read_layer(folder: str | Path) -> VerbDictionary:
    folder = Path(folder)
    vd = VerbDictionary()
    for row in _rows(folder, "verb_groups.tsv"):
        g = _group(vd, row["group"], row.get("source", ""))
        g.code = row.get("code") or None
        g.note = row.get("note", "")
    for row in _rows(folder, "verbs.tsv"):
        forms_text = row.get("forms", "")
        forms = None if not forms_text else (() if forms_text == "-" else tuple(forms_text.split()))
        g = _group(vd, row["group"], row.get("source", ""))
        g.verbs.append(VerbEntry(row["group"], row["verb"], forms, row.get("code") or None,
                                 row.get("source", ""), row.get("note", "")))
    for row in _rows(folder, "verb_patterns.tsv"):
        g = _group(vd, row["group"], row.get("source", ""))
        pid = row.get("id") or f"{row['group']}-{folder.name}-{row['_line']}"
        g.patterns.append(VerbPattern(pid, row["group"], row["pattern"], row.get("code") or NULL_CODE,
                                      row.get("source", ""), row.get("note", "")))
    for row in _rows(folder, "synsets.tsv"):
        vd.synsets.setdefault(row["synset"], []).append(row["member"])
    for row in _rows(folder, "nouns.tsv"):
        vd.nouns.append(NounTrigger(
            noun=row["noun"].lower(), code=row["code"],
            symmetric=row.get("symmetric", "").lower() in ("1", "yes", "true"),
            target_preps=tuple(split_multi(row.get("target_preps", ""))),
            source_preps=tuple(split_multi(row.get("source_preps", ""))) or ("by",),
            id=row.get("id") or f"NOUN-{row['noun']}", source=row.get("source", ""),
            note=row.get("note", ""),
        ))
    for row in _rows(folder, "intent_codes.tsv"):
        vd.intents[row["act"]] = row["intent"]
    for row in _rows(folder, "appeal_codes.tsv"):
        vd.appeals[row["act"]] = row["appeal"]
    for row in _rows(folder, "accusation_codes.tsv"):
        vd.accusations[row["act"]] = row["accusation"]
    for row in _rows(folder, "instrument_codes.tsv"):
        vd.instruments.setdefault(row["word"].lower(), []).append((row["act"], row["code"]))
    for row in _rows(folder, "refusal_codes.tsv"):
        vd.refusals[row["act"]] = row["refusal"]
    for row in _rows(folder, "code_shifts.tsv"):
        vd.shifts.setdefault(row["group"], []).append((row["from"], row["to"]))
    for row in _rows(folder, "modal_codes.tsv"):
        vd.modals[row["modal"].lower()] = (row["effect"], row.get("code", ""))
    return vd


def write_layer(folder: str | Path, vd: VerbDictionary, comments: Iterable[str] = ()) -> dict[str, int]:
    folder = Path(folder)
    comments = list(comments)
    counts = {}
    counts["verb_groups"] = write_tsv(
        folder / "verb_groups.tsv", ["group", "code", "note", "source"],
        ({"group": g.name, "code": g.code or NULL_CODE, "note": g.note, "source": g.source}
         for g in vd.groups.values()), comments)
    counts["verbs"] = write_tsv(
        folder / "verbs.tsv", ["group", "verb", "forms", "code", "note", "source"],
        ({"group": v.group, "verb": v.phrase,
          "forms": "" if v.forms is None else (" ".join(v.forms) or "-"),
          "code": v.code or "", "note": v.note, "source": v.source}
         for g in vd.groups.values() for v in g.verbs), comments)
    counts["verb_patterns"] = write_tsv(
        folder / "verb_patterns.tsv", ["id", "group", "pattern", "code", "note", "source"],
        ({"id": p.id, "group": p.group, "pattern": p.text, "code": p.code, "note": p.note, "source": p.source}
         for g in vd.groups.values() for p in g.patterns), comments)
    counts["synsets"] = write_tsv(
        folder / "synsets.tsv", ["synset", "member", "source"],
        ({"synset": k, "member": m, "source": ""} for k, ms in vd.synsets.items() for m in ms), comments)
    return counts


@cache
def builtin_verb_dictionary() -> VerbDictionary:
    vd = VerbDictionary()
    for layer in BUILTIN_LAYERS:
        folder = data_dir() / layer
        if folder.is_dir():
            vd = vd.layer(read_layer(folder))
    return vd
