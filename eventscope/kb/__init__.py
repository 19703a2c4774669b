"""The knowledge base: who is who (actors with dated codes), sector words (agents), discard phrases.

Data files live in ``eventscope/kb/data/<layer>/`` as TSV (see ``eventscope.tsv``):
- ``actors.tsv``: ``id kind names code start end note source``, one row per code period; rows sharing an
  ``id`` are one actor (names are merged); ``names`` are ``|``-separated; dates ISO, empty = open.
- ``agents.tsv``: ``id names code note source`` (``~GOV`` suffix codes, ``NGO~`` prefix codes).
- ``discards.tsv``: ``phrase scope note source`` (scope ``story`` or ``sentence``).

Built-in layers, lowest first: ``petrarch2`` (converted from PETRARCH2's dictionaries by
scripts/build_kb.py) and ``eventscope`` (curated here). User dictionaries (PETRARCH ``*.txt`` or eventscope
``*.tsv``) are layered over them, or replace them, per kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from eventscope.kb.model import ActorEntry, AgentEntry, CodePeriod, Discard, KnowledgeBase
from eventscope.tsv import read_tsv, split_multi, write_tsv

BUILTIN_LAYERS = ("petrarch2", "eventscope")
ACTOR_COLUMNS = ["id", "kind", "names", "code", "start", "end", "note", "source"]
AGENT_COLUMNS = ["id", "names", "code", "note", "source"]
DISCARD_COLUMNS = ["phrase", "scope", "note", "source"]
# eventscope-format files holding actors: actors*.tsv, officials*.tsv, organisations*.tsv, groups*.tsv ...
ACTOR_FILE_PREFIXES = ("actors", "officials", "organisations", "organizations", "groups", "people")

__all__ = [
    "ActorEntry",
    "AgentEntry",
    "CodePeriod",
    "Discard",
    "KnowledgeBase",
    "builtin_knowledge_base",
    "data_dir",
    "read_actors_tsv",
    "read_agents_tsv",
    "read_discards_tsv",
    "write_actors_tsv",
    "write_agents_tsv",
    "write_discards_tsv",
]


def data_dir() -> Path:
    return Path(str(resources.files("eventscope.kb") / "data"))


def _date(text: str) -> date | None:
    text = text.strip()
    return date.fromisoformat(text) if text else None


def read_actors_tsv(path: str | Path) -> list[ActorEntry]:
    by_id: dict[str, ActorEntry] = {}
    for row in read_tsv(path):
        eid = row.get("id") or f"{Path(path).stem}:{row['_line']}"
        names = split_multi(row.get("names", ""))
        try:
            period = CodePeriod(row["code"].strip(), _date(row.get("start", "")), _date(row.get("end", "")),
                                row.get("note", ""))
        except ValueError as exc:
            raise ValueError(f"{path}:{row['_line']}: bad date ({exc})") from exc
        entry = by_id.get(eid)
        if entry is None:
            entry = ActorEntry(eid, [], [], row.get("kind") or "actor", row.get("source", ""), row.get("note", ""))
            by_id[eid] = entry
        entry.names.extend(n for n in names if n not in entry.names)
        if period.code:
            entry.periods.append(period)
    return [e for e in by_id.values() if e.names and e.periods]


def write_actors_tsv(path: str | Path, entries: Iterable[ActorEntry], comments: Iterable[str] = ()) -> int:
    rows = []
    for e in entries:
        for p in e.periods:
            rows.append({
                "id": e.id, "kind": e.kind, "names": "|".join(e.names), "code": p.code,
                "start": p.start.isoformat() if p.start else "", "end": p.end.isoformat() if p.end else "",
                "note": p.note or e.note, "source": e.source,
            })
    return write_tsv(path, ACTOR_COLUMNS, rows, comments)


def read_agents_tsv(path: str | Path) -> list[AgentEntry]:
    out = []
    for row in read_tsv(path):
        names = tuple(split_multi(row.get("names", "")))
        if names and row.get("code"):
            eid = row.get("id") or f"{Path(path).stem}:{row['_line']}"
            out.append(AgentEntry(eid, names, row["code"].replace(" ", ""), row.get("source", ""),
                                  row.get("note", "")))
    return out


def write_agents_tsv(path: str | Path, entries: Iterable[AgentEntry], comments: Iterable[str] = ()) -> int:
    rows = ({"id": a.id, "names": "|".join(a.names), "code": a.code, "note": a.note, "source": a.source}
            for a in entries)
    return write_tsv(path, AGENT_COLUMNS, rows, comments)


def read_discards_tsv(path: str | Path) -> list[Discard]:
    return [
        Discard(row["phrase"], row.get("scope") or "sentence", row.get("source", ""), row.get("note", ""))
        for row in read_tsv(path)
        if row.get("phrase")
    ]


def write_discards_tsv(path: str | Path, entries: Iterable[Discard], comments: Iterable[str] = ()) -> int:
    rows = ({"phrase": d.phrase, "scope": d.scope, "note": d.note, "source": d.source} for d in entries)
    return write_tsv(path, DISCARD_COLUMNS, rows, comments)


def merge_same_ids(actors: list[ActorEntry]) -> list[ActorEntry]:
    """One actor per id: a person in two files of a layer (a minister who became a UN agency head) has all
    the names and dated roles of both."""
    by_id: dict[str, ActorEntry] = {}
    out: list[ActorEntry] = []
    for a in actors:
        first = by_id.get(a.id)
        if first is None:
            by_id[a.id] = a
            out.append(a)
            continue
        first.names.extend(n for n in a.names if n not in first.names)
        first.periods.extend(p for p in a.periods if p not in first.periods)
    return out


def read_layer(folder: str | Path) -> KnowledgeBase:
    """An eventscope-format layer: actors*.tsv, agents*.tsv, discards*.tsv in ``folder`` (all optional)."""
    folder = Path(folder)
    kb = KnowledgeBase()
    for f in sorted(folder.glob("*.tsv")):
        name = f.name.lower()
        if name.startswith(ACTOR_FILE_PREFIXES):
            kb.actors.extend(read_actors_tsv(f))
        elif name.startswith("agents"):
            kb.agents.extend(read_agents_tsv(f))
        elif name.startswith("discards"):
            kb.discards.extend(read_discards_tsv(f))
    kb.actors = merge_same_ids(kb.actors)
    return kb


@cache
def builtin_knowledge_base() -> KnowledgeBase:
    kb = KnowledgeBase()
    for layer in BUILTIN_LAYERS:
        folder = data_dir() / layer
        if folder.is_dir():
            kb = kb.layer(read_layer(folder))
    return kb
