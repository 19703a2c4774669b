#!/usr/bin/env python3
"""Convert PETRARCH2's dictionaries (../shared/dictionaries/petrarch2, MIT) into eventscope's data files.

Writes the ``petrarch2`` layer of the knowledge base (eventscope/kb/data/petrarch2/: actors, agents,
discards) and of the verb patterns (eventscope/patterns/data/petrarch2/: verb groups, verbs, patterns,
synonym sets), with the MIT licence and attribution beside them. Run it again after the source changes:

    python scripts/build_kb.py [--source DIR]

What the conversion changes, and why:
- ``MINIST`` in agent names is a TABARI stem (PETRARCH2 matches whole words only, so ``DEFENSE_MINIST``
  never matched "defense minister"); it is written out as MINISTER / MINISTRY and their plurals.
- Actor kinds are guessed for readability (country, person, organisation, group); coding does not use them.
- Code periods with a start after their end or a code that is not made of known parts (3 in PETRARCH2's
  files) are typos in the source and are dropped.
- Phoenix's year discards (a sentence naming 1914 ... 2013 was dropped as history) are left out: in 2025
  news they would drop current events; eventscope dates events from their sentence instead.
- A name that two entries claim with different codes at the same time (63 in PETRARCH2's files, e.g.
  "PEOPLES LIBERATION ARMY" = CHNMIL and a Turkish group) stays with the first entry in file order and is
  dropped from the later ones, so that every name means one actor at a time (`eventscope kb check`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventscope.actors import name_keys  # noqa: E402
from eventscope.kb import write_actors_tsv, write_agents_tsv, write_discards_tsv  # noqa: E402
from eventscope.kb.check import code_problem, conflicting_names  # noqa: E402
from eventscope.kb.model import ActorEntry, AgentEntry  # noqa: E402
from eventscope.kb.petrarch import (  # noqa: E402
    read_actor_dictionary,
    read_agent_dictionary,
    read_discard_dictionary,
    regular_plurals,
)
from eventscope.ontology import Ontology  # noqa: E402
from eventscope.patterns import write_layer  # noqa: E402
from eventscope.patterns.petrarch import read_verb_dictionary  # noqa: E402

ATTRIBUTION = [
    "Converted by scripts/build_kb.py from PETRARCH2's dictionaries (github.com/openeventdata/petrarch2,",
    "petrarch2/data/dictionaries/). Copyright (c) 2014-2015 Open Event Data Alliance. MIT licence:",
    "see LICENSE.petrarch2 beside this file. Do not edit by hand; add entries in the eventscope layer.",
]

ACTOR_FILES = {
    "Phoenix.Countries.actors.txt": "country",
    "Phoenix.International.actors.txt": "organisation",
    "Phoenix.MilNonState.actors.txt": "group",
}


def guess_kind(entry: ActorEntry, file_kind: str, onto: Ontology) -> str:
    codes = [p.code for p in entry.periods]
    if file_kind == "country" and any(len(c) == 3 and onto.is_country(c) for c in codes):
        # dated country entries (Lithuania was LTUOCC before 1990, Iraq's code changed in 2003-2006) are no
        # persons: people in this file never have a bare country code
        return "country"
    if any(p.dated for p in entry.periods) or any(len(c) > 3 and c[3:6] in ("ELI",) for c in codes):
        return "person"
    if file_kind == "country":
        if all(len(c) == 3 and onto.is_country(c) for c in codes):
            return "country"
        return "actor"
    return file_kind


def expand_minist(agent: AgentEntry) -> AgentEntry:
    forms: list[str] = []
    for name in agent.names:
        words = name.split()
        if words and words[-1].endswith("MINISTS"):
            continue  # the reader's plural of the stem; the plurals of the full words are made below
        if not any(w.endswith("MINIST") for w in words):
            forms.append(name)
            continue
        for full in ("MINISTER", "MINISTRY"):
            new = [w[: -len("MINIST")] + full if w.endswith("MINIST") else w for w in words]
            forms.append(" ".join(new))
            forms.extend(" ".join(new[:-1] + [p]) for p in regular_plurals(new[-1]))
    return AgentEntry(agent.id, tuple(dict.fromkeys(forms)), agent.code, agent.source, agent.note)


def drop_bad_periods(actors: list[ActorEntry]) -> list[str]:
    """Code periods `kb check` rejects (a start after its end, a code that is not made of known parts) are
    typos in the source; they are dropped rather than guessed at."""
    out = []
    for a in actors:
        keep = []
        for p in a.periods:
            why = code_problem(p.code) or (f"start {p.start} after end {p.end}" if p.start and p.end and
                                           p.start > p.end else None)
            if why:
                out.append(f"{a.id} {p.code}: {why}")
            else:
                keep.append(p)
        a.periods[:] = keep
    return out


def drop_conflicting_names(actors: list[ActorEntry]) -> list[str]:
    dropped = []
    for keys, entries in conflicting_names(actors):
        keep, *later = entries
        for e in later:
            before = len(e.names)
            e.names[:] = [n for n in e.names if name_keys(n) != keys]
            if len(e.names) < before:
                dropped.append(f"{' '.join(keys)}: kept by {keep.id}, dropped from {e.id}")
    return dropped


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "dictionaries" / "petrarch2")
    args = ap.parse_args(argv)
    src: Path = args.source
    if not (src / "CAMEO.2.0.txt").exists():
        print(f"error: {src} does not hold PETRARCH2's dictionaries (CAMEO.2.0.txt missing)", file=sys.stderr)
        return 1
    onto = Ontology.load()
    kb_out = ROOT / "eventscope" / "kb" / "data" / "petrarch2"
    pat_out = ROOT / "eventscope" / "patterns" / "data" / "petrarch2"
    for out in (kb_out, pat_out):
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / "LICENSE", out / "LICENSE.petrarch2")

    actors: list[ActorEntry] = []
    for fname, kind in ACTOR_FILES.items():
        for e in read_actor_dictionary(src / fname, source=f"petrarch2:{fname}"):
            e.kind = guess_kind(e, kind, onto)
            actors.append(e)
    bad_periods = drop_bad_periods(actors)
    dropped = drop_conflicting_names(actors)
    n_act = write_actors_tsv(kb_out / "actors.tsv", [a for a in actors if a.names and a.periods], ATTRIBUTION)
    agents = [expand_minist(a) for a in read_agent_dictionary(src / "Phoenix.agents.txt",
                                                              source="petrarch2:Phoenix.agents.txt")]
    n_ag = write_agents_tsv(kb_out / "agents.tsv", agents, ATTRIBUTION)
    all_discards = read_discard_dictionary(src / "Phoenix.discards.txt", source="petrarch2:Phoenix.discards.txt")
    discards = [d for d in all_discards if not d.phrase.isdigit()]
    n_dis = write_discards_tsv(kb_out / "discards.tsv", discards, ATTRIBUTION)

    vd = read_verb_dictionary(src / "CAMEO.2.0.txt", source="petrarch2:CAMEO.2.0.txt")
    counts = write_layer(pat_out, vd, ATTRIBUTION)
    print(f"knowledge base: {len(actors)} actors ({n_act} code rows), {n_ag} agents, {n_dis} discards -> {kb_out}")
    print(f"names claimed by two actors at once, kept by the first only: {len(dropped)}")
    print(f"code periods dropped (malformed code or start after end): {len(bad_periods)}: {bad_periods}")
    print(f"patterns: {counts} -> {pat_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
