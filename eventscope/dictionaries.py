"""User dictionaries: a folder of PETRARCH-format files or eventscope TSV files, used in place of the
built-in knowledge base and verb patterns (``--dictionaries DIR``) or layered over them
(``--add-dictionaries DIR``). Each kind is replaced or layered on its own: a folder with only an actor
file replaces only the actors.

File kinds are told by name: ``*verbs*.txt`` or ``CAMEO*.txt`` (verbs), ``*actors*.txt``, ``*agents*.txt``,
``*discards*.txt`` in PETRARCH format; ``actors*.tsv``, ``agents*.tsv``, ``discards*.tsv`` and the pattern
TSVs (``verb_groups.tsv``, ``verbs.tsv``, ``verb_patterns.tsv``, ``synsets.tsv``, ``nouns.tsv``) in
eventscope's format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eventscope.kb import (
    ACTOR_FILE_PREFIXES,
    builtin_knowledge_base,
    read_actors_tsv,
    read_agents_tsv,
    read_discards_tsv,
)
from eventscope.kb.model import KnowledgeBase
from eventscope.kb.petrarch import read_actor_dictionary, read_agent_dictionary, read_discard_dictionary
from eventscope.patterns import builtin_verb_dictionary
from eventscope.patterns import read_layer as read_pattern_layer
from eventscope.patterns.model import VerbDictionary
from eventscope.patterns.petrarch import read_verb_dictionary

KINDS = ("actors", "agents", "discards", "verbs")
_PATTERN_TSVS = ("verb_groups.tsv", "verbs.tsv", "verb_patterns.tsv", "synsets.tsv", "nouns.tsv",
                 "intent_codes.tsv", "modal_codes.tsv", "code_shifts.tsv",
                 "refusal_codes.tsv", "appeal_codes.tsv", "accusation_codes.tsv", "instrument_codes.tsv")


class DictionaryError(ValueError):
    pass


@dataclass
class UserDictionaries:
    kb: KnowledgeBase = field(default_factory=KnowledgeBase)
    verbs: VerbDictionary = field(default_factory=VerbDictionary)
    kinds: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)


def read_dictionary_dir(folder: str | Path) -> UserDictionaries:
    folder = Path(folder)
    if not folder.is_dir():
        raise DictionaryError(f"dictionary folder not found: {folder}")
    out = UserDictionaries()
    for f in sorted(folder.iterdir()):
        name = f.name.lower()
        if not f.is_file() or name.startswith("."):
            continue
        try:
            if name.endswith(".txt"):
                if "verb" in name or name.startswith("cameo"):
                    out.verbs = out.verbs.layer(read_verb_dictionary(f))
                    out.kinds.add("verbs")
                elif "actor" in name:
                    out.kb.actors.extend(read_actor_dictionary(f))
                    out.kinds.add("actors")
                elif "agent" in name:
                    out.kb.agents.extend(read_agent_dictionary(f))
                    out.kinds.add("agents")
                elif "discard" in name:
                    out.kb.discards.extend(read_discard_dictionary(f))
                    out.kinds.add("discards")
                else:
                    continue
            elif name.endswith(".tsv"):
                if name.startswith(ACTOR_FILE_PREFIXES):
                    out.kb.actors.extend(read_actors_tsv(f))
                    out.kinds.add("actors")
                elif name.startswith("agents"):
                    out.kb.agents.extend(read_agents_tsv(f))
                    out.kinds.add("agents")
                elif name.startswith("discards"):
                    out.kb.discards.extend(read_discards_tsv(f))
                    out.kinds.add("discards")
                elif name in _PATTERN_TSVS:
                    continue  # read together below
                else:
                    continue
            else:
                continue
        except (OSError, ValueError, KeyError) as exc:
            raise DictionaryError(f"cannot read dictionary file {f}: {exc}") from exc
        out.files.append(str(f))
    if any((folder / n).exists() for n in _PATTERN_TSVS):
        try:
            out.verbs = out.verbs.layer(read_pattern_layer(folder))
        except (OSError, ValueError, KeyError) as exc:
            raise DictionaryError(f"cannot read pattern files in {folder}: {exc}") from exc
        out.kinds.add("verbs")
        out.files.extend(str(folder / n) for n in _PATTERN_TSVS if (folder / n).exists())
    if not out.kinds:
        raise DictionaryError(f"no dictionary files found in {folder} (expected PETRARCH *.txt or eventscope *.tsv)")
    return out


def assemble(
    replace: str | Path | None = None, add: list[str | Path] | tuple = ()
) -> tuple[KnowledgeBase, VerbDictionary]:
    """The knowledge base and verb dictionary to code with: built-in, kinds replaced by ``replace``,
    then each ``add`` folder layered on top."""
    kb = builtin_knowledge_base()
    vd = builtin_verb_dictionary()
    if replace is not None:
        user = read_dictionary_dir(replace)
        kb = KnowledgeBase(
            actors=user.kb.actors if "actors" in user.kinds else kb.actors,
            agents=user.kb.agents if "agents" in user.kinds else kb.agents,
            discards=user.kb.discards if "discards" in user.kinds else kb.discards,
        )
        if "verbs" in user.kinds:
            vd = user.verbs
    for folder in add:
        user = read_dictionary_dir(folder)
        kb = kb.layer(user.kb)
        vd = vd.layer(user.verbs)
    return kb, vd
