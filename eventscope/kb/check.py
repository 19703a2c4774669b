"""`eventscope kb check`: is the knowledge base well formed?

- every actor and agent code is made of known 3-letter parts: a country (CAMEO list or ISO 3166 alpha-3),
  an organisation or actor type, a known group, religion or ethnic code (ontology tables), or a documented
  extension (ontology/data/actor_code_extensions.tsv); religion codes may carry a 3-digit sub-code;
- every dated role has start <= end;
- within one layer, no name means two actors at the same time (same name, overlapping dates, other code).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from eventscope.actors import name_keys
from eventscope.kb.model import ActorEntry, CodePeriod, KnowledgeBase
from eventscope.ontology import Ontology
from eventscope.tsv import read_tsv


@dataclass(frozen=True)
class Problem:
    level: str  # "error" | "warning"
    layer: str
    entry: str
    message: str

    def to_dict(self) -> dict:
        return {"level": self.level, "layer": self.layer, "entry": self.entry, "message": self.message}


@cache
def known_parts() -> frozenset[str]:
    folder = Path(str(resources.files("eventscope.ontology") / "data"))
    parts: set[str] = set()
    for name in ("cameo_actor_types.tsv", "cameo_known_groups.tsv", "cameo_religion.tsv", "cameo_ethnic.tsv",
                 "actor_code_extensions.tsv"):
        parts.update(row["code"].upper() for row in read_tsv(folder / name))
    return frozenset(parts)


def code_problem(code: str) -> str | None:
    """Why ``code`` is not a well-formed actor code, or None."""
    code = code.strip()
    if code.startswith('"') or not code:
        return None if code else "empty code"  # '"INJURY TOLL"': a new actor named by its text
    for one in code.split("/"):
        one = one.upper()
        if one.startswith("---"):
            one = one[3:]
            if not one:
                continue
        elif not (Ontology.load().is_country(one[:3]) or one[:3] in known_parts()):
            return f"'{one[:3]}' in {code} is neither a country nor a known actor type or group"
        else:
            one = one[3:]
        for part in re.findall(r".{1,3}", one):
            if len(part) < 3:
                return f"{code} does not split into 3-letter parts"
            if not (part in known_parts() or part.isdigit() or Ontology.load().is_country(part)):
                return f"'{part}' in {code} is not a known actor type, group, religion or country"
    return None


def agent_problem(code: str) -> str | None:
    c = code.replace(" ", "")
    if not (c.startswith("~") or c.endswith("~")):
        return f"agent code {code} has no ~ (suffix ~XXX or prefix XXX~)"
    body = c.strip("~").upper()
    for part in re.findall(r".{1,3}", body):
        if len(part) < 3 or not (part in known_parts() or part.isdigit()):
            return f"'{part}' in agent code {code} is not a known actor type"
    return None


def _overlap(p: CodePeriod, q: CodePeriod) -> bool:
    lo, hi = date.min, date.max
    return max(p.start or lo, q.start or lo) <= min(p.end or hi, q.end or hi)


def conflicting_names(actors: list[ActorEntry]) -> list[tuple[tuple[str, ...], list[ActorEntry]]]:
    """Names that two entries claim with different codes over overlapping dates."""
    by_name: dict[tuple[str, ...], dict[str, ActorEntry]] = defaultdict(dict)
    for a in actors:
        for n in a.names:
            by_name[name_keys(n)][a.id] = a
    out = []
    for keys, entries in by_name.items():
        if len(entries) < 2:
            continue
        es = list(entries.values())
        clash = any(
            p.code != q.code and _overlap(p, q)
            for i, a in enumerate(es) for b in es[i + 1 :] for p in a.periods for q in b.periods
        )
        if clash:
            out.append((keys, es))
    return out


def check_layer(name: str, kb: KnowledgeBase, strict: bool = True) -> list[Problem]:
    """Problems of one layer; with ``strict`` bad codes are errors, else warnings (third-party data)."""
    level = "error" if strict else "warning"
    problems: list[Problem] = []
    for a in kb.actors:
        for p in a.periods:
            why = code_problem(p.code)
            if why:
                problems.append(Problem(level, name, a.id, why))
            if p.start and p.end and p.start > p.end:
                problems.append(Problem("error", name, a.id, f"{p.code}: start {p.start} is after end {p.end}"))
    for g in kb.agents:
        why = agent_problem(g.code)
        if why:
            problems.append(Problem(level, name, g.id, why))
    for keys, es in conflicting_names(kb.actors):
        ids = ", ".join(e.id for e in es)
        problems.append(Problem("error", name, es[0].id, f"the name '{' '.join(keys)}' means different actors "
                                                         f"at the same time: {ids}"))
    return problems
