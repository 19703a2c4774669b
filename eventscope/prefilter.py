"""The sentence pre-filter: which sentences the coder must parse, decided from their tokens alone.

Parsing is most of the coder's cost, and most news sentences name no actor. A sentence is parsed when it can
change what is coded:

- it holds a knowledge-base name written as a name, or an agent (sector) word: actors, hence events,
  actor mentions and the article's coreference state (``ArticleActors``), come only from these;
- it holds a run of tokens that folds to a gazetteer name (or a place acronym): its places count for the
  article's focus place, which locates events of other sentences;
- it holds a pronoun, a collective or anaphoric noun, or a name the article has bound to an actor, and the
  article has already resolved an actor (``needs_coref``, decided while the article is coded, in order).

Everything else yields nothing, with or without a parse, so leaving it out changes no event, no actor
mention and no location. A verb-dictionary trigger alone does not make a sentence worth parsing: without an
actor no event can be coded (``events.expand_pairs``), and every actor source is listed above.

Two parts are heuristics rather than proofs, both checked by tests/test_prefilter.py on the evaluation sets
and a corpus: a place name must start with a capital letter and must not be a lone stop word ("In", "She"
are alternate names of some town; neither eventscope.entities nor spaCy's recognizer takes them for places),
and, when the coder uses spaCy's statistical recognizer (``CoderConfig.ner``), it only runs where a place or a
country name can need it (``needs_ner``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import ahocorasick
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from eventscope.actors import (
    HYPHENS,
    ActorMatcher,
    ArticleActors,
    NameIndex,
    _looks_proper,
    name_keys,
    token_key,
)
from eventscope.geo import Gazetteer, fold_name
from eventscope.lexicon import words
from eventscope.nlp import inflections

_SEP = "\x1f"  # joins token keys; no key holds it
_ACTOR, _AGENT, _COUNTRY = 1, 2, 4
# a country name tagged as one of these is a nationality without the NER's help (actors._entry_kind)
_NATIONALITY_TAGS = frozenset({"JJ", "NNPS", "NNS"})
_BOTH = frozenset({"both", "two"})


@dataclass
class SentenceCheck:
    """What the pre-filter found in one tokenized sentence."""

    actors: bool = False  # a knowledge-base name or an agent word
    places: bool = False  # a gazetteer name
    discard: bool = False  # the first word of a discard phrase: the coder checks the phrases exactly
    country_tokens: list[int] = field(default_factory=list)  # last tokens of country names (NER may matter)
    keys: frozenset[str] = frozenset()  # token keys, for the coreference check

    @property
    def parse(self) -> bool:
        return self.actors or self.places


class SentenceFilter:
    """Built once per coder from its knowledge base and the gazetteer (a second or so; the gazetteer part
    is shared by every coder of the process)."""

    def __init__(self, matcher: ActorMatcher, gazetteer: Gazetteer, discard_phrases: Iterable[str],
                 nlp: Language) -> None:
        self.names = _name_automaton(matcher)
        self.places = _place_automaton(gazetteer)
        self.acronyms = frozenset(gazetteer._acronyms)
        self.discard_first_keys = frozenset(k[0] for k in (name_keys(p) for p in discard_phrases) if k)
        self.pronouns = words("person_pronoun") | words("thing_pronoun") | words("plural_pronoun")
        self.collective = inflections(nlp, words("collective_noun"))
        self.anaphoric = inflections(nlp, words("anaphoric_noun"))

    # -- static: before any parse --------------------------------------------------------------------
    def check(self, doc: Doc) -> SentenceCheck:
        words = [(t.text, t.whitespace_) for t in doc]  # Token objects are costly to make: read them once
        keep = [i for i, (text, _) in enumerate(words)
                if not (text in HYPHENS and i > 0 and not words[i - 1][1])]  # as actors._is_infix_hyphen
        keys = [token_key(words[i][0]) for i in keep]
        all_keys = frozenset(token_key(text) for text, _ in words if text != "-")
        out = SentenceCheck(keys=all_keys, discard=not all_keys.isdisjoint(self.discard_first_keys))
        self._find_names(doc, keep, keys, out)
        out.places = self._has_place(doc, words)
        return out

    def _find_names(self, doc: Doc, keep: list[int], keys: list[str], out: SentenceCheck) -> None:
        text = _SEP + _SEP.join(keys) + _SEP
        starts: dict[int, int] = {}  # position of the separator before key j -> j
        pos = 0
        for j, k in enumerate(keys):
            starts[pos] = j
            pos += len(k) + 1
        for end, (pattern, flags) in self.names.iter(text):
            first = starts.get(end - len(pattern) + 1)
            if first is None:
                continue
            last = first + pattern.count(_SEP) - 1
            exact = text[end + 1] == _SEP
            if not exact:
                # actors.NameIndex: "Iranians" is a plural of the name "Iranian" (actors only)
                if keys[last][len(pattern) - pattern.rfind(_SEP) - 1:] != "s" or len(keys[last]) <= 4:
                    continue
            if flags & _AGENT and exact:
                out.actors = True
            if flags & _ACTOR and _looks_proper([doc[i] for i in keep[first:last + 1]]):
                out.actors = True
                if flags & _COUNTRY:
                    out.country_tokens.append(keep[last])

    def _has_place(self, doc: Doc, words: list[tuple[str, str]]) -> bool:
        """Whether a run of tokens folds (geo.fold_name) to a gazetteer name, the way geo.find_places looks
        names up: the folded text is built token by token so that a match can be checked to start and end at
        token edges."""
        folded: list[str] = []
        size = 0
        first_of: dict[int, int] = {}  # folded position -> token starting there
        ends: set[int] = set()
        space = False
        for i, (text, ws) in enumerate(words):
            if text in self.acronyms or text.replace(".", "") in self.acronyms:
                return True
            piece = _fold_token(text)
            if not piece:
                space = space or bool(ws) or _folds_to_space(text)
                continue
            if space and folded:
                folded.append(" ")
                size += 1
            first_of[size] = i
            folded.append(piece)
            size += len(piece)
            ends.add(size)
            space = bool(ws)
        for end, key in self.places.iter("".join(folded)):
            tok = first_of.get(end - len(key) + 1)
            if tok is None or end + 1 not in ends or key in STOP_WORDS:
                continue
            if words[tok][0][:1].isupper():
                return True
        return False

    # -- dynamic: while an article is coded ---------------------------------------------------------------
    def needs_coref(self, check: SentenceCheck, actors: ArticleActors) -> bool:
        """Whether a sentence the static check left out can still resolve an actor through what the article
        has said before: a pronoun, "both nations", "this announcement", or a name a title bound earlier."""
        keys = check.keys
        if actors.seen and (keys & self.pronouns or (keys & _BOTH and keys & self.collective)):
            return True
        if actors.topic and keys & self.anaphoric:
            return True
        if actors.persons and any(k[-1] in keys for k in actors.persons if k):
            return True
        return False

    @staticmethod
    def needs_ner(check: SentenceCheck, doc: Doc) -> bool:
        """After tagging, for spaCy's statistical recognizer: entities matter for places (geo.find_places reads
        them) and for a country name that the tagger did not already make a nationality (actors._entry_kind
        reads NORP)."""
        return check.places or any(doc[i].tag_ not in _NATIONALITY_TAGS for i in check.country_tokens)


def _fold_token(text: str) -> str:
    """geo.fold_name of one token (its fast path inlined: this runs for every token of every sentence)."""
    if text.isascii():
        piece = text.lower().replace("'", "").replace(".", "").replace("-", " ").replace("`", "")
        if " " not in piece:
            return piece
    return fold_name(text)


def _folds_to_space(text: str) -> bool:
    """A token such as "-" that fold_name turns into a word break."""
    return " " in fold_name(f"a{text}a")


def _name_automaton(matcher: ActorMatcher) -> ahocorasick.Automaton:
    flags: dict[str, int] = {}
    for index, flag in ((matcher.actors, _ACTOR), (matcher.agents, _AGENT)):
        for keys, entries in _walk(index.root, ()):
            f = flag
            if flag == _ACTOR and any(getattr(e, "kind", "") == "country" for e in entries):
                f |= _COUNTRY
            pattern = _SEP + _SEP.join(keys)
            flags[pattern] = flags.get(pattern, 0) | f
    automaton = ahocorasick.Automaton()
    for pattern, f in flags.items():
        automaton.add_word(pattern, (pattern, f))
    automaton.make_automaton()
    return automaton


def _walk(node: dict, prefix: tuple[str, ...]):
    """(keys, entries) of every name in an actors.NameIndex trie."""
    for key, child in node.items():
        if key == NameIndex._END:
            yield prefix, child
        else:
            yield from _walk(child, (*prefix, key))


@cache
def _place_automaton(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key in set(gazetteer._names) | set(gazetteer._admin1_names):
        if key:
            automaton.add_word(key, key)
    automaton.make_automaton()
    return automaton
