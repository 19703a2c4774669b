"""Verb pattern data: groups of verbs that share phrase patterns, synonym sets, and noun triggers.

The notation of verbs and patterns is PETRARCH's (documented in docs/patterns.md), so that the CAMEO verb
dictionary and users' PETRARCH dictionaries can be read as they are:
- a verb entry is a word (``AFFIRM``) or a phrase with ``+`` before the verb (``+CORDON_OFF``, ``WIRE_+TAP``);
- a pattern is words around ``*`` (the verb); ``+`` marks the target, ``$`` the source, ``^`` an actor to skip,
  ``%`` a compound actor that is both source and target, ``&NAME`` a synonym set; ``_`` joins words that must
  be adjacent; ``( )`` and ``{ }`` group a prepositional or noun phrase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

NULL_CODE = "---"


def regular_verb_forms(verb: str) -> tuple[str, ...]:
    """Regular inflections of an upper-case English verb, as PETRARCH generates them (no doubling)."""
    v = verb.upper()
    if not v.isalpha():
        return (v,)
    forms = [v]
    if v.endswith("E"):
        forms += [v + "S", v + "D", v[:-1] + "ING"]
    elif v.endswith("Y") and len(v) > 1 and v[-2] not in "AEIOU":
        forms += [v[:-1] + "IES", v[:-1] + "IED", v + "ING"]
    elif v.endswith(("S", "X", "Z", "CH", "SH")):
        forms += [v + "ES", v + "ED", v + "ING"]
    else:
        forms += [v + "S", v + "ED", v + "ING"]
    return tuple(forms)


def split_phrase(phrase: str) -> tuple[tuple[str, ...], int]:
    """``WIRE_+TAP`` -> (("WIRE", "TAP"), 1): the words of a verb entry and the index of the verb."""
    words: list[str] = []
    verb_index = 0
    for part in phrase.replace(" ", "_").split("_"):
        if not part:
            continue
        if part.startswith("+"):
            verb_index = len(words)
            part = part[1:]
        if part:
            words.append(part.upper())
    return tuple(words), verb_index


@dataclass(frozen=True)
class VerbEntry:
    group: str
    phrase: str  # PETRARCH notation: AFFIRM, +CORDON_OFF, WIRE_+TAP, DEPART_
    forms: tuple[str, ...] | None = None  # irregular forms as written; None: regular forms; (): none
    code: str | None = None  # the verb's own code; None: the group's
    source: str = ""
    note: str = ""

    @cached_property
    def words(self) -> tuple[str, ...]:
        return split_phrase(self.phrase)[0]

    @cached_property
    def verb_index(self) -> int:
        return split_phrase(self.phrase)[1]

    @property
    def verb(self) -> str:
        return self.words[self.verb_index] if self.words else ""

    def surface_forms(self) -> list[tuple[tuple[str, ...], int]]:
        """Every written form of the entry as (words, verb index)."""
        out = [(self.words, self.verb_index)]
        if self.forms is None:
            for f in regular_verb_forms(self.verb)[1:]:
                w = list(self.words)
                w[self.verb_index] = f
                out.append((tuple(w), self.verb_index))
        else:
            for form in self.forms:
                fw, fi = split_phrase(form)
                if fw:
                    # a form written without its particle ("BROKE") keeps the entry's other words
                    if len(fw) == 1 and len(self.words) > 1:
                        w = list(self.words)
                        w[self.verb_index] = fw[0]
                        out.append((tuple(w), self.verb_index))
                    else:
                        out.append((fw, fi if "+" in form else min(self.verb_index, len(fw) - 1)))
        seen: set = set()
        uniq = []
        for item in out:
            if item not in seen:
                seen.add(item)
                uniq.append(item)
        return uniq


@dataclass(frozen=True)
class VerbPattern:
    id: str  # stable: GROUP-NNN in file order
    group: str
    text: str  # PETRARCH notation: "* (AS VIOLATION)", "% HAVE *", "+ * (BY FORCES)"
    code: str  # "111", "042:043" (forward:reverse), ":054" (reverse only), "---" (no event)
    source: str = ""
    note: str = ""


@dataclass
class VerbGroup:
    name: str
    code: str | None = None  # default code of the group's verbs; None or "---": no event by default
    source: str = ""
    note: str = ""
    verbs: list[VerbEntry] = field(default_factory=list)
    patterns: list[VerbPattern] = field(default_factory=list)


@dataclass(frozen=True)
class NounTrigger:
    """A noun that names an event ("talks", "airstrikes") and how its actors are found.

    ``symmetric`` nouns ("talks between X and Y") give an event in both directions. ``target_preps`` are the
    prepositions whose object is the target ("airstrikes against/on X"); ``source_preps`` those whose object
    is the source ("a visit by X").
    """

    noun: str  # lemma, lower case; may be several words ("cease fire")
    code: str
    symmetric: bool = False
    target_preps: tuple[str, ...] = ()
    source_preps: tuple[str, ...] = ("by",)
    id: str = ""
    source: str = ""
    note: str = ""


@dataclass
class VerbDictionary:
    groups: dict[str, VerbGroup] = field(default_factory=dict)
    synsets: dict[str, list[str]] = field(default_factory=dict)
    nouns: list[NounTrigger] = field(default_factory=list)
    transformations: list[str] = field(default_factory=list)
    # modality (eventscope layer): act code prefix -> intent/threat code; modal word -> (effect, code).
    # A dictionary without them (a PETRARCH verb file used in place of the built-in ones) codes acts as
    # PETRARCH does, whatever their modality.
    intents: dict[str, str] = field(default_factory=dict)
    refusals: dict[str, str] = field(default_factory=dict)  # act code prefix -> rejection code (CAMEO 12)
    appeals: dict[str, str] = field(default_factory=dict)  # act code prefix -> appeal code (CAMEO 02)
    accusations: dict[str, str] = field(default_factory=dict)  # act code prefix -> accusation code (CAMEO 112)
    # instrument word -> [(act code prefix, code)]: "struck by Israeli jets" is an air strike (195)
    instruments: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    modals: dict[str, tuple[str, str]] = field(default_factory=dict)
    # group -> [(from prefix, to prefix)]: "DEMAND": 02x appeal codes of its patterns become 10x demands
    shifts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def shifted(self, group: str, code: str) -> str:
        for src, dst in self.shifts.get(group, ()):
            code = ":".join(dst + c[len(src):] if c.startswith(src) else c for c in code.split(":"))
        return code

    def layer(self, other: VerbDictionary) -> VerbDictionary:
        """A new dictionary with ``other`` over this one: its verbs, patterns, sets and nouns take priority."""
        out = VerbDictionary()
        for name, g in self.groups.items():
            out.groups[name] = VerbGroup(g.name, g.code, g.source, g.note, list(g.verbs), list(g.patterns))
        for name, g in other.groups.items():
            if name in out.groups:
                base = out.groups[name]
                if g.code is not None:
                    base.code = g.code
                # patterns of the upper layer come first: on equal length the first pattern wins
                texts = {p.text for p in g.patterns}
                base.patterns = list(g.patterns) + [p for p in base.patterns if p.text not in texts]
                phrases = {v.phrase for v in g.verbs}
                base.verbs = list(g.verbs) + [v for v in base.verbs if v.phrase not in phrases]
            else:
                out.groups[name] = VerbGroup(g.name, g.code, g.source, g.note, list(g.verbs), list(g.patterns))
        # a verb the upper layer lists moves to its group there ("TELEPHONE" out of CALL into PHONE)
        # (a verb the upper layer lists in several groups stays in all of them: "dismiss" is DESPATCH and DISPEL)
        moved: dict[str, set[str]] = {}
        for name, g in other.groups.items():
            for v in g.verbs:
                moved.setdefault(v.phrase, set()).add(name)
        for name, g in out.groups.items():
            g.verbs = [v for v in g.verbs if name in moved.get(v.phrase, {name})]
        out.synsets = {k: list(v) for k, v in self.synsets.items()}
        for k, v in other.synsets.items():
            out.synsets[k] = list(dict.fromkeys(list(v) + out.synsets.get(k, [])))
        nouns = {n.noun: n for n in self.nouns}
        nouns.update({n.noun: n for n in other.nouns})
        out.nouns = list(nouns.values())
        out.transformations = self.transformations + other.transformations
        out.intents = {**self.intents, **other.intents}
        out.refusals = {**self.refusals, **other.refusals}
        out.appeals = {**self.appeals, **other.appeals}
        out.accusations = {**self.accusations, **other.accusations}
        out.instruments = {**self.instruments, **other.instruments}
        out.shifts = {**self.shifts, **other.shifts}
        out.modals = {**self.modals, **other.modals}
        return out

    @property
    def n_patterns(self) -> int:
        return sum(len(g.patterns) for g in self.groups.values())

    @property
    def n_verbs(self) -> int:
        return sum(len(g.verbs) for g in self.groups.values())
