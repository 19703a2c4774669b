"""Dependency-parse patterns -> CAMEO events.

For each verb of a sentence the verb dictionary gives its group; the group's phrase patterns (PETRARCH
notation, see eventscope.patterns.model) are matched against the words after the verb in its clause
("lower") and the words before it ("upper"). The longest matching pattern sets the code and may place the
source (``$``) or target (``+``); otherwise the subject is the source (the ``by`` agent in the passive) and
the first actor after the verb is the target. Nouns that name events ("talks between", "airstrikes against")
are coded from the noun table. Intent ("vowed to assist") turns an act into the matching 03x/13x code;
negated acts are not emitted as the act.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from eventscope.actors import NULL_ACTOR, SentenceActors, make_actor, token_key
from eventscope.lexicon import words
from eventscope.model import Actor
from eventscope.ontology import Ontology
from eventscope.patterns.model import NULL_CODE, NounTrigger, VerbDictionary, VerbEntry, VerbPattern

_WORD_KINDS = {"+": "target", "$": "source", "^": "skip", "%": "compound"}
_CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "parataxis"}
_SUBJ = {"nsubj", "csubj", "expl"}
_SUBJ_PASS = {"nsubjpass", "csubjpass"}
_PREP_DEPS = {"prep", "agent", "dative", "prt", "pcomp", "advmod", "mark"}
# outer events whose content is not a fact: appeals, intents, demands, rejections, threats
_NONFACTIVE_ROOTS = {"02", "03", "10", "12", "13"}
# dependencies that start an independent clause: what is under them is not another event's content
_INDEPENDENT_DEPS = {"advcl", "conj", "parataxis", "relcl"}
_DENIAL_CODES = {"016"}  # deny responsibility
_BACKGROUND_DEPS = {"advcl", "acl"}
_RECIPROCAL_ROOTS = {"03", "04", "05", "06"}
# A place is a target only when no actor is ("thousands demonstrated in Kirkuk", "lifted the curfew in
# Montenegro", "criticized the closure of guest houses in Bree"), and never for statements, appeals and
# meetings: "met in Tehran" does not meet Iran.
_NO_PLACE_TARGET_ROOTS = {"01", "02", "04"}
_PATTERN_BLIND_DEPS = {"ccomp", "advcl", "relcl", "parataxis"}
_MATERIAL_ROOTS = {"15", "16", "17", "18", "19", "20"}  # acts on places: "shelled Kharkiv" targets UKR
_REACTION_ROOTS = {"02", "09", "10", "11", "12", "13"}  # verbal reactions that can be about an earlier act


# ----------------------------------------------------------------------------------------------
# patterns
@dataclass(frozen=True)
class Element:
    kind: str  # word | syn | target | source | skip | compound
    value: str = ""
    adj: bool = False  # must touch the element before it (the one nearer the verb)
    exact: bool = False  # written with a trailing "_": no lemma match
    prep: bool = False  # opens a "( )" group: must be a preposition, not an infinitival "to" or a verb


@dataclass(frozen=True)
class CompiledPattern:
    pattern: VerbPattern
    upper: tuple[Element, ...]  # nearest the verb first
    lower: tuple[Element, ...]
    order: int
    words: frozenset[str] = field(default=frozenset(), compare=False)  # its words (lower case): all must occur


    @property
    def size(self) -> int:
        return len(self.upper) + len(self.lower)

    def negative(self, negative_sets: frozenset[str] = frozenset()) -> bool:
        """Whether the pattern itself speaks of a negation ("NOT *", "&NEGATVAUXVRB *")."""
        neg = words("negation")
        return any((e.kind == "word" and e.value.lower() in neg) or (e.kind == "syn" and e.value in negative_sets)
                   for e in self.upper + self.lower)


def _parse_items(text: str) -> list[tuple[str, bool, bool, bool]]:
    """Pattern text -> [(value, adjacent to previous, exact, opens a "( )" group)], ``*`` kept as an item."""
    t = text.replace("(", " ( ").replace(")", " ").replace("{", " { ").replace("}", " } ")
    items: list[list] = []
    in_brace = False
    brace_first = False
    paren_open = False
    for chunk in t.split():
        if chunk == "(":
            paren_open = True
            continue
        if chunk == "{":
            in_brace, brace_first = True, True
            continue
        if chunk == "}":
            in_brace = False
            continue
        parts = chunk.split("_")
        for j, part in enumerate(parts):
            if part == "":
                if j > 0 and items:
                    items[-1][2] = True
                continue
            subparts = [p for p in re.split(r"-", part) if p] if len(part) > 1 and "-" in part.strip("-") else [part]
            for k, sp in enumerate(subparts):
                adj = (j > 0 and parts[j - 1] != "") or k > 0 or (in_brace and not brace_first and j == 0)
                items.append([sp, adj, False, paren_open and j == 0 and k == 0])
        brace_first = False
        paren_open = False
    return [(v, a, e, p) for v, a, e, p in items]


def _element(value: str, adj: bool, exact: bool, prep: bool = False) -> Element:
    if value in _WORD_KINDS:
        return Element(_WORD_KINDS[value], "", adj)
    if value.startswith("&"):
        return Element("syn", value.rstrip("_").upper(), adj)
    return Element("word", value.upper(), adj, exact, prep)


def compile_pattern(p: VerbPattern, order: int = 0) -> CompiledPattern | None:
    items = _parse_items(p.text)
    stars = [i for i, it in enumerate(items) if it[0] == "*"]
    if not stars:
        return None
    k = stars[0]
    lower = tuple(_element(v, a, e, opens) for v, a, e, opens in items[k + 1 :])
    upper_items = items[:k]
    upper = []
    for j in range(len(upper_items) - 1, -1, -1):
        nearer = items[j + 1]  # the item after j in the text is nearer the verb
        v, _, e, opens = upper_items[j]
        upper.append(_element(v, nearer[1], e, opens))
    words = frozenset(e.value.lower() for e in (*upper, *lower) if e.kind == "word")
    return CompiledPattern(p, tuple(upper), lower, order, words)


_ONE_WORD = ((1, None),)  # a word element's match: one token, no binding


@dataclass
class _Words:
    """The words before or after a verb as the pattern matcher reads them, their features read once."""

    tokens: list[Token]
    keys: list[str]  # actors.token_key of each
    lemmas: list[str]  # lower case
    preps: list[bool]  # may be a pattern's "( )" preposition
    backwards: bool  # runs from the verb towards the start of the sentence
    syn_hits: dict[tuple[str, int], list[tuple[int, None]]] = field(default_factory=dict)  # synonym set matches


# ----------------------------------------------------------------------------------------------
# the coder's view of the dictionary
@dataclass
class VerbForm:
    entry: VerbEntry
    words: tuple[str, ...]
    verb_index: int


@dataclass
class Lexicon:
    """Indexes built once from a VerbDictionary."""

    vd: VerbDictionary
    forms: dict[str, list[VerbForm]] = field(default_factory=dict)
    patterns: dict[str, list[CompiledPattern]] = field(default_factory=dict)
    nouns: dict[str, list[NounTrigger]] = field(default_factory=dict)
    synsets: dict[str, list[tuple[Element, ...]]] = field(default_factory=dict)
    negative_sets: frozenset[str] = frozenset()  # synonym sets that hold a negation ("DID N'T")
    # synonym set members by the word they start with, in reading order (see synset_index)
    _synset_index: dict[tuple[str, bool], dict[str | None, list[tuple[int, tuple[Element, ...]]]]] = field(
        default_factory=dict, repr=False)

    @classmethod
    def build(cls, vd: VerbDictionary) -> Lexicon:
        lex = cls(vd)
        for g in vd.groups.values():
            for v in g.verbs:
                for words_, vi in v.surface_forms():
                    if words_:
                        lex.forms.setdefault(words_[vi].lower(), []).append(VerbForm(v, words_, vi))
            compiled = [compile_pattern(p, i) for i, p in enumerate(g.patterns)]
            lex.patterns[g.name] = [c for c in compiled if c is not None]
        for name, members in vd.synsets.items():
            key = name.rstrip("_").upper()
            lex.synsets[key] = [
                tuple(_element(v, a, e) for v, a, e, _ in _parse_items(m)) for m in members if m.strip()
            ]
        for n in vd.nouns:
            lex.nouns.setdefault(n.noun.split()[-1], []).append(n)
        neg = words("negation")
        lex.negative_sets = frozenset(
            name for name, members in lex.synsets.items()
            if any(e.kind == "word" and e.value.lower() in neg for m in members for e in m))
        return lex


    def synset_index(self, name: str, backwards: bool) -> dict[str | None, list[tuple[int, tuple[Element, ...]]]]:
        """The members of a synonym set, read forwards or backwards, as (position in the set, elements) by their
        first element's word (lower case); members that do not start with a word are under None in every list."""
        index = self._synset_index.get((name, backwards))
        if index is None:
            by_first: dict[str | None, list[tuple[int, tuple[Element, ...]]]] = {}
            for pos, member in enumerate(self.synsets.get(name, [])):
                els = tuple(reversed(member)) if backwards else member
                if els:
                    by_first.setdefault(els[0].value.lower() if els[0].kind == "word" else None, []).append(
                        (pos, els))
            anywhere = by_first.pop(None, [])
            index = {k: sorted(v + anywhere) for k, v in by_first.items()}
            if anywhere:
                index[None] = anywhere
            self._synset_index[(name, backwards)] = index
        return index


def intent_code(table: dict[str, str], code: str) -> str | None:
    """The intent (or threat) code of an act, by the longest matching prefix of its code."""
    for n in range(len(code), 1, -1):
        hit = table.get(code[:n])
        if hit is not None:
            return None if hit == NULL_CODE else hit
    return None


# ----------------------------------------------------------------------------------------------
# events before they get their ids, places and dates
@dataclass
class Draft:
    sources: list[Actor]
    targets: list[Actor]
    code: str
    rule: str
    trigger: Token
    specific: bool = True  # a pattern or noun fired (not only a verb's default code)
    negated: bool = False
    hypothetical: bool = False
    reported: bool = False
    reporter: str | None = None
    words: list[Token] = field(default_factory=list)
    why: dict = field(default_factory=dict)


@dataclass
class CoderOptions:
    require_dyad: bool = True
    # protests need no target, nor do unilateral de-escalations ("declared a unilateral ceasefire", "surrendered")
    targetless_roots: tuple[str, ...] = ("14", "0871", "0873", "0874")


class SentenceCoder:
    """Codes the events of one sentence from its parse and its resolved actors."""

    def __init__(self, lex: Lexicon, sa: SentenceActors, options: CoderOptions,
                 place_countries: dict[int, str] | None = None) -> None:
        self.lex = lex
        self.sa = sa
        self.place_countries = place_countries or {}  # token -> country of the gazetteer place it names
        # a PETRARCH verb dictionary used in place of eventscope's (it has no modality tables) is matched as
        # PETRARCH matches it: pattern words as written (no lemmas), over the verb's whole phrase
        self.petrarch = not lex.vd.modals
        self.sent: Span = sa.sent
        self.options = options
        # each token's key, lemma and whether it can be a pattern's preposition, read once (patterns read them often)
        self._token_keys: dict[int, str] = {}
        self._token_lemmas: dict[int, str] = {}
        self._token_preps: dict[int, bool] = {}
        for t in self.sent:
            self._token_keys[t.i] = token_key(t.text)
            self._token_lemmas[t.i] = t.lemma_.lower()
            self._token_preps[t.i] = t.dep_ in _PREP_DEPS
        self.keys = set(self._token_keys.values()) | set(self._token_lemmas.values())
        # every noun phrase resolved once, in order: binds names and feeds coreference in text order
        self.phrase: dict[int, int] = {}  # token -> head of the outermost actor phrase holding it
        span_size: dict[int, int] = {}
        for t in self.sent:
            if t.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X", "ADJ") or t.dep_ in ("nsubj", "dobj", "pobj"):
                res = sa.resolve(t, expand=False)
                if res.actors:
                    kind = res.kind
                    if t.tag_ in ("NN", "NNP") and t.lemma_.lower() in words("person_noun"):
                        kind = "person"  # "the US envoy ... he"
                    sa.article.remember(res.actors, kind, sa.index, t.dep_ in _SUBJ | _SUBJ_PASS)
                    s, e = sa.span_of(t)
                    for i in range(s, e):
                        if span_size.get(i, 0) < e - s:
                            self.phrase[i] = t.i
                            span_size[i] = e - s

    # ------------------------------------------------------------------------------------------
    def code(self) -> list[Draft]:
        drafts: list[Draft] = []
        for t in self.sent:
            # "According to the ministry": a participle that heads a preposition is no verb
            if t.tag_.startswith("VB") and t.dep_ not in ("amod", "compound", "aux", "auxpass", "prep"):
                drafts.extend(self.code_verb(t))
        for t in self.sent:
            if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in self.lex.nouns:
                drafts.extend(self.code_noun(t))
        if self.lex.vd.modals:
            drafts.extend(self.modal_demands())
            self.read_accusations(drafts)
            drafts = self.drop_embedded(drafts)
            drafts = self.drop_frames(drafts)
            drafts = [d for d in drafts if not self.in_background_clause(d.trigger)]
            self.answer_denials(drafts)
            self.resolve_event_references(drafts)
            self.find_protest_targets(drafts)
        else:
            drafts = self.drop_infinitive_complements(drafts)
        # hypothetical acts ("could attack") stay, flagged: users may want them, counts and exports leave them out
        return _dedupe(drafts)

    def answer_denials(self, drafts: list[Draft]) -> None:
        """A denial answers an accusation: "Germany accused Russia of ... Moscow denied the charge" -> RUS 016
        DEU. Accusations are remembered across the article's sentences."""
        art = self.sa.article
        for d in drafts:
            if d.code[:3] in _DENIAL_CODES and not d.targets and d.sources:
                accused = {a.country or a.code[:3] for a in d.sources}
                for accuser, target in reversed(art.accusations):
                    if (target.country or target.code[:3]) in accused:
                        d.targets = [accuser]
                        d.why["target"] = "the accuser of an earlier sentence"
                        break
        for d in drafts:
            if d.code[:2] == "11" and not d.negated:
                art.accusations.extend((s, t) for s in d.sources for t in d.targets)

    def drop_frames(self, drafts: list[Draft]) -> list[Draft]:
        """ "Greece plans to impose restrictions": the act read through its frame (a threat, 132) is the event;
        the frame verb's own code ("plan", 030) says the same thing less precisely."""
        frames = {d.why["frame_token"]: d for d in drafts if "frame_token" in d.why and not d.negated}
        out = []
        for d in drafts:
            inner = frames.get(d.trigger.i)
            if inner is not None and inner is not d and (inner.targets or not d.targets) and (
                    not d.sources or {a.code for a in d.sources} & {a.code for a in inner.sources}):
                continue
            out.append(d)
        return out

    def find_protest_targets(self, drafts: list[Draft]) -> None:
        """A protest's target is what it protests: "began a hunger strike to demand the resignation of the
        Algerian President", "a general strike in protest of the government's arrests"."""
        for d in drafts:
            if d.targets or not d.sources or d.code[:2] != "14":
                continue
            trig = d.trigger
            verb = trig.head if trig.pos_ not in ("VERB", "AUX") and trig.dep_ == "dobj" else trig
            own = {_actor_key(a) for a in d.sources}
            spans = []
            for c in list(verb.children) + list(d.trigger.children):
                if c.dep_ in ("advcl", "xcomp", "acl") and c.lemma_.lower() in words("protest_purpose_verb"):
                    spans.append(c)  # "to demand ...", "demanding ..."
                elif c.dep_ == "prep" and c.lower_ in ("in", "against", "over"):
                    spans.append(c)  # "in protest of X", "against X"
            for span in spans:
                for x in sorted(span.subtree, key=lambda t: t.i):
                    head = self.phrase.get(x.i)
                    if head is None:
                        continue
                    acts = [a for a in self.actors_at(head) if _actor_key(a) not in own or a.sectors]
                    if acts:
                        d.targets = acts
                        d.why["target"] = f"what the protest is about: {self.sent.doc[head].text}"
                        break
                if d.targets:
                    break

    def read_accusations(self, drafts: list[Draft]) -> None:
        """ "Syria accused Israel of carrying out airstrikes": an accusation of aggression (1123), by the kind
        of act it names (accusation_codes.tsv). The act is what the accuser says; ``drop_embedded`` drops it."""
        table = self.lex.vd.accusations
        if not table:
            return
        for d in drafts:
            if d.code != "112":
                continue
            content = {x.i for c in d.trigger.children if c.dep_ == "prep" and c.lower_ in ("of", "for")
                       for x in c.subtree}
            inner = [e for e in drafts if e is not d and e.trigger.i in content and not e.negated]
            # "of carrying out airstrikes": the gravest act named is what the accusation is about
            for e in sorted(inner, key=lambda e: (-int(e.code[:2]) if e.code[:2].isdigit() else 0, e.trigger.i)):
                new = intent_code(table, e.code.split(":")[0])
                if new:
                    d.code = new
                    d.rule += f"+accusation:{e.trigger.text}"
                    break

    def resolve_event_references(self, drafts: list[Draft]) -> None:
        """A reaction to an act named only by a noun ("Germany condemned the attack") targets the doer of
        the act an earlier sentence reported ("Russia shelled Kharkiv ..."): the latest of the same kind, else
        the latest material act. Material acts are remembered for the sentences that follow."""
        acts = self.sa.article.acts
        for d in drafts:
            if d.targets or not d.sources or d.code[:2] not in _REACTION_ROOTS or not acts:
                continue
            for c in d.trigger.children:
                if c.dep_ not in ("dobj", "nsubjpass") or c.lemma_.lower() not in words("event_reference_noun"):
                    continue
                if any(x.i in self.phrase for x in c.subtree):
                    continue  # "the Israeli airstrike": the noun names its own actor
                trig = self._noun_trigger(c)
                root = trig.code[:2] if trig else ""
                same = [a for a in acts if a[0] == root]
                _, words_, doers = (same or acts)[-1]
                d.targets = list(doers)
                d.why["target"] = f"doer of the earlier '{words_}' ({c.text})"
                break
        for d in drafts:
            if d.code[:2] in _MATERIAL_ROOTS | {"14"} and not d.negated and not d.hypothetical and d.sources:
                acts.append((d.code[:2], d.trigger.text, list(d.sources)))

    def in_background_clause(self, t: Token) -> bool:
        """Whether the trigger sits in an adverbial clause or a participial modifier: background to the
        sentence's own event ("after crowds trashed its embassy", "..., killing one person", "lorries passing
        through"), which is what a careful coder codes, as in the PLOVER gold standard. Clauses of parallel
        events ("while ...") and relative clauses ("the emir, who hosted ...") are coded."""
        node = t
        for _ in range(8):
            if node.head.i == node.i:
                return False
            if node.dep_ == "acl" and node.head.dep_ == "ROOT" and node.head.pos_ in ("NOUN", "PROPN") and any(
                    c.dep_ == "punct" and c.i < node.i for c in node.head.children) and node.tag_ != "VBG":
                return False  # "The Israeli defence minister, a veteran ..., threatened ...": the main verb, misparsed
            if node.dep_ in _BACKGROUND_DEPS:
                # "Iran's commitment to bolster ...", "plans to sell ...": a noun's intent frame is content
                head_words = {node.head.lemma_.lower(), node.head.lower_}
                if node.dep_ == "acl" and head_words & (words("intent_noun") | words("control_noun")):
                    node = node.head
                    continue
                # "..., killing one person", "..., calling the raid a violation": a participle elaborates the
                # main event; a finite clause ("after Pakistani forces attacked ...") reports one of its own
                if self.is_complement(node):
                    node = node.head  # "urged Israel on Monday to resume talks": the appeal's content
                    continue
                marks = {c.lower_ for c in node.children if c.dep_ == "mark"}
                if node.dep_ == "advcl" and marks & words("parallel_conjunction"):
                    node = node.head  # "X shelled Kherson while Ukrainian forces attacked ...": both happen
                    continue
                return True
            if node.dep_ == "relcl" and node.tag_ in ("VBP", "VBZ") and not any(
                    c.dep_ in ("aux", "auxpass") for c in node.children):
                return True  # "rebels, who control most of Darfur": a standing state, not an event
            if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in words("speech_verb"):
                return False  # what a speaker says is the sentence's content
            node = node.head
        return False

    def drop_infinitive_complements(self, drafts: list[Draft]) -> list[Draft]:
        """PETRARCH codes a verb phrase's main verb, not the infinitives it governs ("urged Bree to help",
        "abandoned efforts to stop", "called on Gondor ... to be allowed to leave")."""
        triggers = {d.trigger.i for d in drafts}
        out = []
        for d in drafts:
            t, inner = d.trigger, False
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
                node = t
                for _ in range(4):
                    if node.dep_ not in ("xcomp", "acl", "pobj", "dobj", "prep", "advcl") or node.head.i == node.i:
                        break
                    node = node.head
                    if node.i in triggers and node.i != t.i:
                        inner = True
                        break
            if not inner:
                out.append(d)
        return out

    def drop_embedded(self, drafts: list[Draft]) -> list[Draft]:
        """An act that is the content of a demand, an intent, a refusal or a threat did not happen: "X demanded
        that Y withdraw", "X refused to allow Y", "Police prevented the demonstration" code only the outer
        event. Acts under statements (reported speech) and under factive verbs ("condemned the attack") stay."""
        by_trigger = {d.trigger.i: d for d in drafts}
        nonfactive = words("nonfactive_verb")
        out = []
        for d in drafts:
            t = d.trigger
            embedded = False
            for _ in range(8):
                if t.dep_ == "conj" and t.head.dep_ not in ("ROOT", "conj") and t.head.head.i != t.head.i:
                    t = t.head  # "demanded that Y withdraw and apologize": a conjunct shares its head's status
                    continue
                if (t.dep_ in _INDEPENDENT_DEPS and not self.is_complement(t)) or t.head.i == t.i:
                    break
                parent = t.head
                outer = by_trigger.get(parent.i)
                if outer is not None and outer is not d and not is_intent(d):
                    # an accusation's content ("accused Israel of carrying out airstrikes") is a claim too
                    if (outer.code[:2] in _NONFACTIVE_ROOTS or outer.code.startswith("112")
                            or parent.lemma_.lower() in nonfactive):
                        embedded = True
                        break
                elif outer is None and parent.lemma_.lower() in nonfactive and parent.pos_ == "VERB":
                    embedded = True
                    break
                t = parent
            if not embedded:
                out.append(d)
        return out

    # verbs -------------------------------------------------------------------------------------
    def verb_forms(self, v: Token) -> list[tuple[VerbForm, list[Token]]]:
        """Every dictionary entry the verb (and its particles) can be, longest phrases first."""
        cands: list[tuple[VerbForm, list[Token]]] = []
        seen: set[int] = set()
        for key in (v.lower_, v.lemma_.lower()):
            for vf in self.lex.forms.get(key, []):
                if id(vf) in seen:
                    continue
                seen.add(id(vf))
                toks = self._phrase_tokens(v, vf)
                if toks is not None:
                    cands.append((vf, toks))
        cands.sort(key=lambda c: -len(c[1]))
        return [c for c in cands if len(c[1]) == len(cands[0][1])] if cands else []

    def verb_form(self, v: Token) -> tuple[VerbForm, list[Token]] | None:
        cands: list[tuple[VerbForm, list[Token]]] = []
        seen: set[int] = set()
        for key in (v.lower_, v.lemma_.lower()):
            for vf in self.lex.forms.get(key, []):
                if id(vf) in seen:
                    continue
                seen.add(id(vf))
                toks = self._phrase_tokens(v, vf)
                if toks is not None:
                    cands.append((vf, toks))
        if not cands:
            return None
        return max(cands, key=lambda c: len(c[1]))

    def _phrase_tokens(self, v: Token, vf: VerbForm) -> list[Token] | None:
        doc = v.doc
        out = [v]
        i = v.i
        for w in reversed(vf.words[: vf.verb_index]):
            i -= 1
            while i >= self.sent.start and doc[i].text == "-":
                i -= 1
            if i < self.sent.start or token_key(doc[i].text) != w.lower():
                return None
            out.append(doc[i])
        after = vf.words[vf.verb_index + 1 :]
        i = v.i
        for k, w in enumerate(after):
            i += 1
            while i < self.sent.end and doc[i].text == "-":
                i += 1
            if i < self.sent.end and (token_key(doc[i].text) == w.lower() or doc[i].lemma_.upper() == w):
                out.append(doc[i])
                continue
            # a separated particle: "called the meeting off"
            if k == 0 and len(after) == 1:
                prt = [c for c in v.children if c.dep_ == "prt" and c.lower_ == w.lower()]
                if prt:
                    out.append(prt[0])
                    continue
            return None
        return out

    def _default_code(self, vf: VerbForm) -> str | None:
        group = self.lex.vd.groups.get(vf.entry.group)
        return vf.entry.code or (group.code if group else None)

    def lower_tokens(self, v: Token, used: set[int], clauses: bool = True) -> list[Token]:
        """The words after the verb in its phrase; without ``clauses``, not those of its clausal
        complements ("demanded that the US cancel plans": patterns of DEMAND see "that the US")."""
        skip: set[int] = set(used)
        for c in v.children:
            if c.dep_ in ("conj", "cc") and c.i > v.i:
                skip.update(x.i for x in c.subtree)
            elif not clauses and c.i > v.i and (c.dep_ in _PATTERN_BLIND_DEPS or (c.dep_ == "agent" and any(
                    x.dep_ in _SUBJ_PASS or x.dep_ == "auxpass" for x in v.children))):
                # clauses have their own verbs; a passive's "by X" is its source, not its object
                skip.update(x.i for x in c.subtree)
        if not clauses:
            # nor those of clauses deeper down ("increase purchases as part of efforts to ease tensions")
            for x in v.subtree:
                if x.i > v.i and x.dep_ in _PATTERN_BLIND_DEPS | {"acl"} and x.pos_ in ("VERB", "AUX"):
                    skip.update(y.i for y in x.subtree)
        return [t for t in v.subtree if t.i > v.i and t.i not in skip and not t.is_punct and t.text != "-"]

    def upper_tokens(self, v: Token, used: set[int]) -> list[Token]:
        """The words before the verb, nearest first: PETRARCH reads the whole sentence before it; eventscope
        reads the verb's own clause (its subject, auxiliaries, adverbs) and those of the verbs it
        complements ("indicated it would *"), not an unrelated earlier clause."""
        doc = self.sent.doc
        if self.petrarch:
            allowed = None
        else:
            top = v
            while top.dep_ in ("xcomp", "aux") and top.head.i != top.i:
                top = top.head
            allowed = {t.i for t in top.subtree}
        return [doc[i] for i in range(v.i - 1, self.sent.start - 1, -1)
                if i not in used and not doc[i].is_punct and doc[i].text != "-"
                and (allowed is None or i in allowed)]

    def code_verb(self, v: Token) -> list[Draft]:
        forms = self.verb_forms(v)
        if not forms:
            return []
        # a verb listed in several groups ("dismiss": DESPATCH [110] and DISPEL): the longest matching pattern
        # of any of them, else the first with a code of its own
        chosen = None
        passive_subj = [] if self.petrarch else [
            t for c in v.children if c.dep_ in _SUBJ_PASS for t in c.subtree]
        for vf, vtoks in forms:
            used = {t.i for t in vtoks}
            upper = [t for t in self.upper_tokens(v, used) if t not in passive_subj]
            # "New sanctions were imposed on Iran": the passive subject is what patterns call the object
            lower = passive_subj + self.lower_tokens(v, used, clauses=self.petrarch)
            best = self.best_pattern(vf.entry.group, lower, upper)
            if best is not None and (chosen is None or chosen[2] is None or best[0].size > chosen[2][0].size):
                chosen = (vf, vtoks, best)
        if chosen is None:
            coded = [(vf, vtoks) for vf, vtoks in forms if self._default_code(vf) not in (None, NULL_CODE)]
            vf, vtoks = (coded or forms)[0]
            chosen = (vf, vtoks, None)
        vf, vtoks, best = chosen
        if not self.petrarch and any(c.dep_ in _SUBJ and c.lemma_.lower() in self.lex.nouns and self._noun_trigger(c)
                                     and any(d.sources for d in self.code_noun(c)) for c in v.children):
            return []  # "the army's shelling ... killed 20 people": the shelling is the event
        used = {t.i for t in vtoks}
        lower = self.lower_tokens(v, used)
        if best is not None:
            cp, bindings = best
            code = cp.pattern.code
            rule = cp.pattern.id
            specific = True
        else:
            cp, bindings = None, {}
            code = self._default_code(vf) or NULL_CODE
            rule = f"{vf.entry.group}:{vf.entry.phrase}"
            specific = False
        if not code or code == NULL_CODE:
            return []
        code = self.lex.vd.shifted(vf.entry.group, code)
        neg = self.negated(v) and not (cp is not None and cp.negative(self.lex.negative_sets))
        # PETRARCH codes the grammatical subject as the source whatever the voice; eventscope reads the passive
        passive = any(c.dep_ in _SUBJ_PASS or c.dep_ == "auxpass" for c in v.children) and (
            # PETRARCH detects a passive by its "by" agent ("Eriador was opposed by Osgiliath")
            not self.petrarch or any(c.dep_ == "agent" for c in v.children))
        sources, src_head, why_s = self.source_of(v, bindings, passive)
        if not sources and code[:2] in ("18", "19", "20") and not self.petrarch:
            sources, why_s = self.unattributed_attacker(v, passive)
        targets, why_t = self.target_of(v, bindings, passive, lower, code, src_head)
        d = Draft(sources, targets, code, rule, v, specific, negated=neg, words=sorted(vtoks, key=lambda t: t.i))
        d.why = {"source": why_s, "target": why_t, "verb": vf.entry.phrase, "group": vf.entry.group,
                 "pattern": cp.pattern.text if cp else None, "passive": passive,
                 "own_subject": why_s.startswith("own-subject") or why_s == "passive:by"}
        self.refine_by_instrument(d, v, src_head)
        self.modality(d, v)
        return [d]

    def refine_by_instrument(self, d: Draft, v: Token, src_head: int | None) -> None:
        """ "struck by Israeli jets", "attacked ... with tanks": the weapon makes a generic act of force
        specific (instrument_codes.tsv). The instrument is the source phrase's head or a "with" object."""
        table = self.lex.vd.instruments
        if not table or d.code.rstrip("0") not in ("19", "193"):
            return
        heads = [self.sent.doc[src_head]] if src_head is not None else []
        heads += [x for c in v.children if c.dep_ == "prep" and c.lower_ == "with"
                  for x in c.children if x.dep_ == "pobj"]
        for h in heads:
            for key in (h.lower_, h.lemma_.lower()):
                for act, code in table.get(key, ()):
                    if d.code.startswith(act):
                        d.code = code
                        d.rule += f"+instrument:{h.text}"
                        return

    def best_pattern(self, group: str, lower: list[Token], upper: list[Token]):
        best = None
        lower_seq = upper_seq = None  # read on the first pattern that may match
        for cp in self.lex.patterns.get(group, []):
            if best is not None and cp.size <= best[0].size:
                continue
            if not cp.words <= self.keys:
                continue  # a word of the pattern is nowhere in the sentence
            if lower_seq is None:
                lower_seq, upper_seq = self._seq(lower, False), self._seq(upper, True)
            bindings: dict[str, int] = {}
            if self._match(cp.lower, lower_seq, 0, 0, bindings) and self._match(cp.upper, upper_seq, 0, 0, bindings):
                best = (cp, bindings)
        return best

    def _seq(self, tokens: list[Token], backwards: bool) -> _Words:
        keys, lemmas, preps = self._token_keys, self._token_lemmas, self._token_preps
        idx = [t.i for t in tokens]
        return _Words(tokens, [keys[i] for i in idx], [lemmas[i] for i in idx], [preps[i] for i in idx], backwards)

    def _match(self, els: tuple[Element, ...], seq: _Words, ei: int, pos: int, bind: dict) -> bool:
        """Match pattern elements against ``seq`` from ``pos``; a ``backwards`` sequence runs from the verb to
        the start of the sentence (the words before the verb), so multi-word set members read reversed.
        A failed match leaves ``bind`` as it found it."""
        if ei == len(els):
            return True
        el = els[ei]
        n_seq = len(seq.tokens)
        positions = [pos] if el.adj else range(pos, n_seq)
        for p in positions:
            if p >= n_seq:
                break
            for n, b in self._match_el(el, seq, p):
                added = b is not None and b[0] not in bind
                if added:
                    bind[b[0]] = b[1]
                if self._match(els, seq, ei + 1, p + n, bind):
                    return True
                if added:
                    del bind[b[0]]
        return False

    def _match_el(self, el: Element, seq: _Words, p: int) -> Sequence[tuple[int, tuple | None]]:
        kind = el.kind
        if kind == "word":
            w = el.value.lower()
            if el.prep and not seq.preps[p]:
                return []
            if seq.keys[p] == w or (not el.exact and not self.petrarch and seq.lemmas[p] == w):
                return _ONE_WORD
            return []
        if kind == "syn":
            key = (el.value, p)
            hits = seq.syn_hits.get(key)
            if hits is None:
                hits = seq.syn_hits[key] = self._match_synset(el.value, seq, p)
            return hits
        tok = seq.tokens[p]
        head = self.phrase.get(tok.i)
        if head is None:
            return []
        if kind == "compound" and len(self.sa.resolve(self.sent.doc[head]).actors) < 2:
            return []
        n = 0
        while p + n < len(seq.tokens) and self.phrase.get(seq.tokens[p + n].i) == head:
            n += 1
        return [(n, (kind, head))]

    def _match_synset(self, name: str, seq: _Words, p: int) -> list[tuple[int, None]]:
        """The lengths of the synonym-set members (their words adjacent) that match at ``p``, in member order,
        each once. Only members whose first word (last, read backwards) is the token's key or lemma are tried."""
        by_first = self.lex.synset_index(name, seq.backwards)
        cands = by_first.get(seq.keys[p]) or by_first.get(None, [])
        if not self.petrarch and seq.lemmas[p] != seq.keys[p]:
            by_lemma = [c for c in by_first.get(seq.lemmas[p], ()) if c[1][0].kind == "word" and not c[1][0].exact]
            if by_lemma:
                cands = sorted(set(cands + by_lemma), key=lambda c: c[0])
        out: list[tuple[int, None]] = []
        for _, els in cands:
            n = self._match_seq(els, seq, p)
            if n and (n, None) not in out:
                out.append((n, None))
        return out

    def _match_seq(self, els: tuple[Element, ...], seq: _Words, p: int) -> int:
        """Match a synonym-set member (its words adjacent) at ``p``; returns tokens used (0: no)."""
        n = 0
        for el in els:
            if p + n >= len(seq.tokens):
                return 0
            hits = self._match_el(el, seq, p + n)
            if not hits:
                return 0
            n += hits[0][0]
        return n

    # actors of an event --------------------------------------------------------------------------
    def actors_at(self, head_i: int) -> list[Actor]:
        return self.sa.resolve(self.sent.doc[head_i]).actors

    def subject_token(self, v: Token, depth: int = 0) -> Token | None:
        for c in v.children:
            if c.dep_ in _SUBJ or c.dep_ in _SUBJ_PASS:
                if c.tag_ in ("WDT", "WP") and v.dep_ == "relcl":
                    return v.head
                return c
        if depth > 6 or v.head.i == v.i:
            return None
        head = v.head
        if v.dep_ == "xcomp":
            if head.lemma_.lower() in words("control_verb"):
                obj = [c for c in head.children if c.dep_ in ("dobj", "dative")]
                if obj:
                    return obj[0]
            return self.subject_token(head, depth + 1)
        if v.dep_ in ("conj", "advcl", "pcomp", "ccomp") and head.pos_ in ("VERB", "AUX"):
            return self.subject_token(head, depth + 1)
        if v.dep_ == "relcl":
            return head
        if v.dep_ == "acl":
            # "Iran's commitment to bolster": the possessor of the noun; "forces fighting X": the noun
            poss = [c for c in head.children if c.dep_ == "poss"]
            if poss:
                return poss[0]
            if head.i in self.phrase:
                return head
            if head.lemma_.lower() not in words("control_noun") | words("intent_noun") | words("anaphoric_noun"):
                return None  # "lorries passing through": not an actor's act
            if head.dep_ == "pobj" and head.head.lower_ == "as":
                # "viewing them as attempts to undermine X": the attempts are theirs
                gov = head.head.head
                obj = [c for c in gov.children if c.dep_ == "dobj"]
                if obj:
                    return obj[0]
            if head.dep_ in ("dobj", "attr", "pobj") and head.head.pos_ in ("VERB", "AUX", "ADP"):
                gov = head.head if head.head.pos_ != "ADP" else head.head.head
                return self.subject_token(gov, depth + 1)
        if v.dep_ in ("xcomp", "acomp") or head.pos_ == "ADJ":
            return self.subject_token(head, depth + 1)
        return None

    def unattributed_attacker(self, v: Token, passive: bool) -> tuple[list[Actor], str]:
        """ "A roadside bombing near Samarra killed a US soldier", "killed by an improvised explosive device
        outside Basra": a weapon with no one behind it is an unidentified armed force (UAF) of the country
        where it struck."""
        holders = [c for c in v.children if c.dep_ in _SUBJ | {"agent"} | ({"prep"} if passive else set())]
        words_ = set()
        for c in holders:
            head = c if c.dep_ in _SUBJ else next((x for x in c.children if x.dep_ == "pobj"), None)
            if head is not None:
                words_.update({head.lemma_.lower()} | {x.lemma_.lower() for x in head.lefts})
        if not words_ & words("attack_instrument"):
            return [], "no-subject"
        countries = [c for _, c in sorted(self.place_countries.items())]
        if not countries:
            countries = [a.country for h in sorted(set(self.phrase.values()))
                         for a in self.actors_at(h) if a.country and Ontology.load().is_country(a.country)]
        if not countries:
            return [], "no-subject"
        return [make_actor(countries[0] + "UAF", "unidentified attackers")], f"unidentified attacker in {countries[0]}"

    def source_of(self, v: Token, bindings: dict, passive: bool) -> tuple[list[Actor], int | None, str]:
        if "source" in bindings:
            return self.actors_at(bindings["source"]), bindings["source"], "pattern:$"
        if "compound" in bindings:
            return self.actors_at(bindings["compound"]), bindings["compound"], "pattern:%"
        if passive:
            for c in v.children:
                if c.dep_ == "agent":
                    pobj = [x for x in c.children if x.dep_ == "pobj"]
                    if pobj and pobj[0].i in self.phrase:
                        return self.actors_at(self.phrase[pobj[0].i]), self.phrase[pobj[0].i], "passive:by"
            return [], None, "passive:no-agent"
        subj = self.subject_token(v)
        if subj is None:
            return [], None, "no-subject"
        head = self.phrase.get(subj.i, subj.i)
        res = self.sa.resolve(self.sent.doc[head])
        top = v
        while top.dep_ == "conj" and top.head.pos_ in ("VERB", "AUX"):
            top = top.head  # "Egypt condemned ... and urged ...": a shared subject is each verb's own
        own = "own-" if subj.head.i == top.i and subj.dep_ in _SUBJ else ""
        return res.actors, head, f"{own}subject:{res.why}"

    def target_of(self, v: Token, bindings: dict, passive: bool, lower: list[Token], code: str,
                  src_head: int | None) -> tuple[list[Actor], str]:
        if "target" in bindings:
            return self.actors_at(bindings["target"]), "pattern:+"
        if "compound" in bindings:
            return self.actors_at(bindings["compound"]), "pattern:%"
        if not self.petrarch and any(x.lower_ in ("unilateral", "unilaterally") for c in v.children
                                     if c.dep_ in ("dobj", "advmod") for x in c.subtree):
            return [], "unilateral"  # "declared a unilateral ceasefire": no other side
        if passive:
            for c in v.children:
                if c.dep_ in _SUBJ_PASS:
                    # "a camp for Congolese refugees was attacked": the first actor of the subject phrase
                    for t in sorted(c.subtree, key=lambda x: x.i):
                        head = self.phrase.get(t.i)
                        if head is not None:
                            return self.actors_at(head), "passive:subject"
        skip_heads = {bindings["skip"]} if "skip" in bindings else set()
        if src_head is not None:
            skip_heads.add(src_head)
        src_actors = self.actors_at(src_head) if src_head is not None else []
        src_keys = {_actor_key(a) for a in src_actors}
        src_codes = {a.code for a in src_actors}
        clausal = set()
        parallel = set()  # "shelled Kherson while Ukrainian forces attacked ...": another event's actors
        for c in v.children:
            if c.dep_ in _CLAUSE_DEPS and c.i > v.i:
                clausal.update(x.i for x in c.subtree)
                # a clause with a subject of its own; a purpose infinitive ("opened fire to disperse
                # demonstrators") shares the verb's subject and names its target
                if c.dep_ in ("advcl", "parataxis") and not self.petrarch and any(
                        x.dep_ in _SUBJ | _SUBJ_PASS for x in c.children):
                    parallel.update(x.i for x in c.subtree)
        direct = [c for c in v.children if c.dep_ in ("dobj", "dative") and c.i in self.phrase]
        if code[:2] == "11" and not self.petrarch and not direct:
            # "complained to the UN over two Israeli air raids": the complaint is about Israel, told to the UN
            for c in v.children:
                pobj = [x for x in c.children if x.dep_ == "pobj"]
                if c.dep_ == "prep" and c.lower_ in ("over", "about") and pobj:
                    for x in sorted(pobj[0].subtree, key=lambda t: t.i):
                        head = self.phrase.get(x.i)
                        if head is not None and head != src_head:
                            return self.actors_at(head), f"prep:{c.lower_}"
        if code[:2] == "14" and not self.petrarch:
            # "rallied outside parliament against the government": what a protest is against is its target
            for c in v.children:
                pobj = [x for x in c.children if x.dep_ == "pobj"]
                if c.dep_ == "prep" and c.lower_ == "against" and pobj and pobj[0].i in self.phrase:
                    return self.actors_at(self.phrase[pobj[0].i]), "prep:against"
        statement = code[:2] == "01"
        locative_ok = code[:2] in _MATERIAL_ROOTS
        fallback = None
        mutual = None
        for t in lower:
            head = self.phrase.get(t.i)
            if head is None or head in skip_heads:
                continue
            if (statement and t.i in clausal) or t.i in parallel:
                continue
            if (t.i in clausal and len(src_actors) > 1 and code[:2] in _RECIPROCAL_ROOTS and not self.petrarch
                    and any(c.dep_ == "ccomp" and t.i in {x.i for x in c.subtree} for c in v.children)):
                continue  # "Hungarian and Romanian officials agreed that their countries should ...": each other
            hd = self.sent.doc[head]
            acts = self.actors_at(head)
            if acts and all(a.code.startswith(NULL_ACTOR) for a in acts) and self.options.require_dyad:
                skip_heads.add(head)  # "the intifada (uprising)": a sector word alone is nobody in particular
                continue
            reciprocal = hd.lower_ in ("their", "each") or any(
                c.dep_ == "poss" and c.lower_ == "their" for c in hd.children)
            if reciprocal and not self.petrarch and src_head is not None and len(self.actors_at(src_head)) > 1:
                # "both nations ... expand their cooperation": each with the other, unless an actor follows
                mutual = mutual or src_head
                skip_heads.add(head)
                continue
            if acts and ({a.code for a in acts} <= src_codes or ((hd.dep_ == "poss" or self.petrarch) and all(
                    _actor_key(a) in src_keys and not a.sectors for a in acts))):
                # the source itself ("it"), or its own country as a possessor ("X affirmed Iran's commitment");
                # its country as a place or a population is a target ("imposed a curfew in Algiers")
                skip_heads.add(head)
                continue
            if acts and {_actor_key(a) for a in acts} <= src_keys and any(
                    c.dep_ == "poss" and c.pos_ == "PRON" for c in hd.children):
                skip_heads.add(head)  # "recalled its ambassador from Minsk": the source's own people
                continue
            if (hd.dep_ in _SUBJ | _SUBJ_PASS and hd.head.dep_ == "ccomp" and hd.head.head.i == v.i and acts
                    and {_actor_key(a) for a in acts} <= src_keys
                    and (hd.pos_ == "PRON" or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in hd.children))):
                skip_heads.add(head)  # "India warned that its navy would ...": the source's own, not its target
                continue
            if _locative(hd) and not locative_ok:
                fallback = fallback or head
                skip_heads.add(head)
                continue
            return acts, f"first-actor-after-verb:{hd.text}"
        if mutual is not None:
            return self.actors_at(mutual), "reciprocal"
        place_ok = code[:2] not in _NO_PLACE_TARGET_ROOTS or not self.options.require_dyad
        if fallback is not None and place_ok and not (len(src_actors) > 1 and code[:2] in _RECIPROCAL_ROOTS):
            return self.actors_at(fallback), "locative"
        if place_ok and code[:2] not in _NO_PLACE_TARGET_ROOTS:
            # a place the knowledge base does not name as an actor but the gazetteer knows ("in Kirkuk")
            for t in lower:
                country = self.place_countries.get(t.i)
                if country and not (statement and t.i in clausal) and country not in src_keys:
                    return [make_actor(country, t.text)], f"place:{t.text}"
        return [], "none"

    def negated(self, v: Token) -> bool:
        neg = words("negation")
        if any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in ("never",)) for c in v.children):
            return True
        # "did not" on an auxiliary chain: "will not attack" has neg on the verb already
        if any(c.lower_ in neg and c.dep_ in ("neg", "preconj") for c in v.children):
            return True
        # "Neither Armenia nor Azerbaijan has signed" (spaCy makes "neither" a preconj or a det)
        return any(c.dep_ in _SUBJ and any(x.dep_ in ("preconj", "det") and x.lower_ == "neither"
                                           for x in c.children) for c in v.children)

    def modality(self, d: Draft, v: Token) -> None:
        """Intent ("vowed to assist", "will visit"), hedges ("could attack": not an act), reported speech.

        The rules come with the verb dictionary's modality tables; a PETRARCH verb dictionary used in place
        of the built-in one has none, and its acts are then coded as PETRARCH codes them."""
        vd = self.lex.vd
        head = v.head
        holder: Token | None = None
        frame = ""
        head_words = {head.lemma_.lower(), head.lower_}
        complement = self.is_complement(v)
        if complement and head_words & (words("intent_verb") | words("threat_verb")):
            frame, holder = head.lemma_.lower(), self.subject_token(head)
        elif v.dep_ in ("acl", "relcl") and head_words & (words("intent_noun") | words("threat_noun")):
            frame, holder = head.lemma_.lower(), self.subject_token(v)
        elif complement and head_words & words("intent_adj"):
            frame, holder = head.lower_, self.subject_token(head)
        modal = self.modal_of(v)
        refusal = ""
        if complement and head_words & words("refusal_verb"):
            refusal, holder = head.lemma_.lower(), self.subject_token(head)
        elif d.negated and modal and vd.modals.get(modal, ("",))[0] == "intent":
            refusal = f"{modal} not"  # "will not accept refugees": a refusal, not an absence of acceptance
        if complement and vd.appeals and head_words & (words("appeal_verb") | words("demand_verb")):
            new = intent_code(vd.appeals, d.code)
            if new:
                if head_words & words("demand_verb"):
                    new = "10" + new[2:]
                # "Egypt urged Israel to resume negotiations": Egypt appeals to Israel for negotiations
                addressee = [c for c in head.children if c.dep_ in ("dobj", "dative")]
                speaker = self.subject_token(head)
                if speaker is not None:
                    acts = self.sa.resolve(self.sent.doc[self.phrase.get(speaker.i, speaker.i)]).actors
                    targets = self.sa.resolve(self.sent.doc[self.phrase.get(addressee[0].i, addressee[0].i)]
                                              ).actors if addressee else d.targets
                    if acts and targets:
                        d.sources, d.targets = acts, targets
                        d.code = new
                        d.rule += f"+appeal:{head.lemma_.lower()}"
                        d.hypothetical = False
                        return
        if refusal and vd.refusals:
            new = intent_code(vd.refusals, d.code)
            if new:
                d.code, d.negated = new, False
                d.rule += f"+refusal:{refusal}"
                if holder is not None:
                    acts = self.sa.resolve(self.sent.doc[self.phrase.get(holder.i, holder.i)]).actors
                    if acts:
                        d.sources = acts
                return
        if not frame and modal and vd.modals.get(modal, ("",))[0] == "intent":
            frame = modal
        if frame and vd.intents:
            new = intent_code(vd.intents, d.code)
            if new:
                threat = {frame, head.lemma_.lower()} & (words("threat_verb") | words("threat_noun"))
                if new[:2] != "13" and (self.conditioned(v) or (threat and frame != modal)):
                    # "will withdraw its force unless Chad ...", "will boycott the elections unless ...": an
                    # act promised on a condition the other side must meet is a threat; so is any act threatened
                    new = "130"
                d.code = new
                d.rule += f"+intent:{frame}"
                if frame != modal:
                    d.why["frame_token"] = head.i  # "plans to impose": the frame verb's own event is this one
                d.hypothetical = True
                if holder is not None:
                    h = self.phrase.get(holder.i, holder.i)
                    acts = self.sa.resolve(self.sent.doc[h]).actors
                    if acts:
                        d.sources = acts
        elif modal and vd.modals.get(modal, ("",))[0] in ("hypothetical", "demand"):
            d.hypothetical = True  # "X could attack Y", "Y must leave": no act took place
        if self.demanded(v):
            # "A said B must be ready to mediate", "X must ensure security": what is demanded did not happen,
            # and an intent inside the demand is not B's ("must be ready to")
            d.hypothetical = True
            d.rule += "+demanded"
        speaker = self.speaker_of(v)
        if speaker is not None:
            d.reported = True
            acts = self.sa.resolve(self.sent.doc[self.phrase.get(speaker.i, speaker.i)]).actors
            if acts:
                d.reporter = acts[0].code
                # "X (IRNGOVMIL) affirmed Iran's commitment to ...": the speaker speaks for his country, but not
                # over an event's own subject ("Egypt condemned ..., the Egyptian foreign ministry said")
                if not d.why.get("own_subject") or "+intent:" in d.rule:
                    # an intent or threat in reported speech is the speaker's ("India warned that its navy
                    # would blockade ...": India threatens)
                    d.sources = [acts[0] if (s.country and s.country == acts[0].country and (
                        not s.sectors or "+intent:" in d.rule)) else s for s in d.sources]

    def conditioned(self, v: Token) -> bool:
        """Whether an "unless" clause (or "if ... not") hangs on ``v`` or on the verbs that frame it."""
        node = v
        for _ in range(4):
            for c in node.children:
                if c.dep_ != "advcl":
                    continue
                marks = {m.lower_ for m in c.children if m.dep_ == "mark"}
                if "unless" in marks or ("if" in marks and any(x.dep_ == "neg" for x in c.children)):
                    return True
            if node.dep_ not in ("xcomp", "ccomp", "acomp") or node.head.i == node.i:
                return False
            node = node.head
        return False

    def demanded(self, v: Token) -> bool:
        """Whether a demand modal ("must", "should") governs ``v`` or the predicate it complements."""
        modals = self.lex.vd.modals
        node = v
        for _ in range(4):
            modal = self.modal_of(node) if node.pos_ in ("VERB", "AUX", "ADJ") else None
            if modal and modals.get(modal, ("",))[0] == "demand":
                return True
            if node.dep_ not in ("xcomp", "acomp") or node.head.i == node.i:
                return False
            node = node.head
        return False

    def modal_of(self, v: Token) -> str | None:
        """The modal verb governing ``v`` ("will", "could", "must"), if the dictionary knows it."""
        modals = self.lex.vd.modals
        for c in v.children:
            if c.dep_ == "aux" and c.lower_ in modals:
                return c.lower_
            if c.dep_ == "aux" and c.lemma_.lower() in modals:
                return c.lemma_.lower()
        # "has to leave", "is to visit"
        if v.dep_ == "xcomp" and v.head.lemma_.lower() == "have" and "must" in modals:
            return "must"
        return None

    def modal_demands(self) -> list[Draft]:
        """ "A said B must V" -> A demands of B (A appeals to B with "should")."""
        out = []
        for t in self.sent:
            modal = self.modal_of(t) if t.pos_ in ("VERB", "AUX") else None
            if not modal or self.lex.vd.modals.get(modal, ("",))[0] != "demand":
                continue
            effect, code = self.lex.vd.modals[modal]
            speaker = self.speaker_of(t)
            subj = self.subject_token(t)
            if speaker is None or subj is None or not code:
                continue
            sources = self.sa.resolve(self.sent.doc[self.phrase.get(speaker.i, speaker.i)]).actors
            targets = self.sa.resolve(self.sent.doc[self.phrase.get(subj.i, subj.i)]).actors
            if sources and targets:
                d = Draft(sources, targets, code, f"ES-MODAL-{modal}", t, True, words=[t])
                d.reported = True
                d.reporter = sources[0].code
                d.why = {"source": "speaker", "target": f"subject of '{t.text}'", "modal": modal}
                out.append(d)
        return out

    def speaker_of(self, v: Token) -> Token | None:
        t = v
        for _ in range(6):
            if t.dep_ in _SUBJ or t.dep_ in _SUBJ_PASS or t.head.i == t.i:
                return None
            parent = t.head
            if parent.lemma_.lower() in words("speech_verb") and t.dep_ in ("ccomp", "dobj", "xcomp", "parataxis"):
                subj = [c for c in parent.children if c.dep_ in _SUBJ]
                return subj[0] if subj else None
            t = parent
        return None

    # nouns -------------------------------------------------------------------------------------
    def code_noun(self, n: Token) -> list[Draft]:
        trig = self._noun_trigger(n)
        if trig is None:
            return []
        if n.i in self.phrase and self.phrase[n.i] != n.i:
            return []  # part of an actor's name ("Security Council", "defense ministry")
        if n.dep_ == "pobj" and (n.head.lower_ in words("reference_prep") or (
                n.head.lower_ == "to" and n.head.head.lower_ in words("reference_prep"))):
            return []  # "under a 1988 agreement", "according to the deal": a reference, not an event
        if n.dep_ == "pobj" and n.head.lower_ == "in" and n.lemma_.lower() in words("manner_noun"):
            return []  # "a hunger strike in protest of X", "in retaliation": the manner of another event
        if (n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.lemma_.lower() in words("document_noun")) or (
                n.dep_ == "compound" and n.head.lemma_.lower() in words("document_noun")):
            return []  # "a treaty of friendship and cooperation", "cooperation agreements": the document is the event
        if n.dep_ == "appos":
            return []  # an apposition renames its head ("Orban, ... military aid"): a misparse, not an event
        sources: list[Actor] = []
        targets: list[Actor] = []
        why_s = why_t = ""
        pairs: list[tuple[list[Actor], list[Actor]]] = []
        preps = [c for c in n.children if c.dep_ == "prep"]
        if n.dep_ == "compound" and n.head.pos_ == "NOUN":
            # "a mediation mission between Syria and Arafat": the phrase's head carries the prepositions
            preps += [c for c in n.head.children if c.dep_ == "prep"]
        for c in preps:
            if c.dep_ == "prep":
                pobj = [x for x in c.children if x.dep_ == "pobj"]
                if not pobj:
                    continue
                acts = self.sa.resolve(pobj[0]).actors
                if not acts and c.lower_ in trig.target_preps:
                    acts = self._actor_inside(pobj[0])  # "airstrikes on several villages in northern Iraq"
                if not acts:
                    continue
                if c.lower_ == "between" and trig.symmetric and len(acts) >= 2:
                    pairs = [([a], [b]) for a in acts for b in acts if a.code != b.code]
                    why_s = why_t = "between"
                elif c.lower_ == "between" and not targets:
                    targets, why_t = acts, "between"
                elif c.lower_ in trig.target_preps and not targets:
                    targets, why_t = acts, f"prep:{c.lower_}"
                elif c.lower_ in trig.source_preps and not sources:
                    sources, why_s = acts, f"prep:{c.lower_}"
        if not targets and n.dep_ == "dobj" and n.head.lemma_.lower() in words("light_verb"):
            # "carried out airstrikes on several villages": the preposition hangs on the light verb
            for c in n.head.children:
                pobj = [x for x in c.children if x.dep_ == "pobj"]
                if c.dep_ == "prep" and c.lower_ in trig.target_preps and pobj:
                    acts = self.sa.resolve(pobj[0]).actors or self._actor_inside(pobj[0])
                    if acts:
                        targets, why_t = acts, f"prep:{c.lower_} of '{n.head.text}'"
                        break
        if n.dep_ == "dobj" and n.head.lemma_.lower() in words("reception_verb"):
            # "Israel's airstrikes drew condemnation from Turkey": Turkey condemns Israel
            verb = n.head
            for c in verb.children:
                pobj = [x for x in c.children if x.dep_ == "pobj"]
                if not sources and c.dep_ == "prep" and c.lower_ in trig.source_preps and pobj:
                    sources, why_s = self.sa.resolve(pobj[0]).actors, f"prep:{c.lower_} of '{verb.text}'"
            subj = self.subject_token(verb)
            if not targets and subj is not None and subj.i != n.i:
                acts = self.sa.resolve(self.sent.doc[self.phrase.get(subj.i, subj.i)]).actors
                if not acts and self._noun_trigger(subj) is not None:
                    acts = next((d.sources for d in self.code_noun(subj) if d.sources), [])
                if acts:
                    targets, why_t = acts, f"doer of the subject of '{verb.text}'"
        if not targets:
            # "its demand that Israel ease restrictions": the subject of the noun's clause
            for c in n.children:
                if c.dep_ in ("acl", "ccomp", "relcl") and c.pos_ in ("VERB", "AUX") and c.lower_ != "that":
                    subj = [x for x in c.children if x.dep_ in _SUBJ and x.tag_ not in ("WDT", "WP")]
                    if subj:
                        acts = self.sa.resolve(self.sent.doc[self.phrase.get(subj[0].i, subj[0].i)]).actors
                        if acts:
                            targets, why_t = acts, "clause-subject"
                            break
        if not pairs:
            if not sources:
                poss = [c for c in n.children if c.dep_ == "poss"]
                if poss:
                    sources, why_s = self.sa.resolve(poss[0]).actors, "possessor"
            if not sources:
                own = self.sa.resolve(n, expand=False)
                if own.actors and self.phrase.get(n.i) == n.i:
                    sources, why_s = own.actors, "modifier"
            if not sources:
                sources, why_s = self._context_source(n)
            if not sources and not targets:
                return []
            if trig.symmetric and targets:
                pairs = [(sources, targets), (targets, sources)]
            else:
                pairs = [(sources, targets)]
        out = []
        for k, (srcs, tgts) in enumerate(pairs):
            d = Draft(srcs, tgts, trig.code, trig.id, n, True, words=[n])
            d.why = {"source": why_s, "target": why_t, "noun": trig.noun}
            gov = n.head if n.dep_ in ("dobj", "nsubjpass") else None
            d.negated = any(c.dep_ == "neg" or c.lower_ == "no" for c in n.children) or (
                gov is not None and gov.pos_ in ("VERB", "AUX") and self.negated(gov))
            # "urged Tehran to return to negotiations", "will hold talks": the clause's verb frames the noun
            self.modality(d, self.clause_verb(n) or n)
            if k > 0 and trig.symmetric and is_intent(d):
                continue  # "Iran is ready to resume talks with the US": the intent is Iran's alone
            out.append(d)
        return out

    def is_complement(self, v: Token) -> bool:
        """Whether ``v`` is an infinitival complement: "urged Israel to resume ...", where spaCy attaches the
        infinitive as xcomp, or as advcl when an adjunct comes between ("urged Israel on Monday to resume")."""
        if v.dep_ == "xcomp":
            return True
        if not (v.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
                and {v.head.lemma_.lower(), v.head.lower_} & frame_words()):
            return False
        # "demanded a meeting ... to discuss X" is a purpose clause: the addressee of an appeal is an actor
        objects = [c for c in v.head.children if c.dep_ in ("dobj", "dative")]
        return all(o.i in self.phrase for o in objects)

    def clause_verb(self, n: Token) -> Token | None:
        """The verb whose object (or prepositional object) the noun is, when it is not itself an event
        verb: "return to negotiations", "hold talks". None for a noun that is a subject or a modifier."""
        node = n
        for _ in range(3):
            if node.dep_ in ("dobj", "attr", "oprd"):
                gov = node.head
            elif node.dep_ == "pobj" and node.head.dep_ == "prep":
                gov = node.head.head
            else:
                return None
            if gov.pos_ in ("VERB", "AUX"):
                # an event verb's object is that event's content ("condemned the attack"), unless the verb is
                # itself the complement of a frame ("urged X to return to negotiations")
                return gov if not self.verb_forms(gov) or self.is_complement(gov) else None
            if gov.pos_ not in ("NOUN", "PROPN") or gov.dep_ not in ("dobj", "pobj"):
                return None
            node = gov  # "to the resumption of talks"
        return None

    def _actor_inside(self, t: Token) -> list[Actor]:
        """The first actor, else the first gazetteer place's country, in a phrase that names neither itself."""
        for x in sorted(t.subtree, key=lambda y: y.i):
            if x.i in self.phrase and x.i != t.i:
                return self.actors_at(self.phrase[x.i])
        for x in sorted(t.subtree, key=lambda y: y.i):
            country = self.place_countries.get(x.i)
            if country:
                return [make_actor(country, x.text)]
        return []

    def _noun_trigger(self, n: Token) -> NounTrigger | None:
        best = None
        for trig in self.lex.nouns.get(n.lemma_.lower(), []):
            parts = trig.noun.split()
            if len(parts) > 1:
                mods = [c.lemma_.lower() for c in n.lefts if c.dep_ in ("compound", "amod")]
                if parts[-2] not in mods:
                    continue
            if best is None or len(parts) > len(best.noun.split()):
                best = trig
        return best

    def _context_source(self, n: Token) -> tuple[list[Actor], str]:
        """The actor behind a noun event with no actor of its own: the subject of the verb it is the
        object of ("Israel carried out airstrikes"), or of the clause around it; an anaphoric subject
        ("This announcement came during a meeting") points to the previous sentence's actor."""
        t = n
        via_object = n.dep_ in ("dobj", "nsubjpass", "attr")
        for _ in range(5):
            if t.head.i == t.i:
                break
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                if via_object and t.lemma_.lower() not in words("light_verb"):
                    return [], f"object of '{t.text}', not a light verb"
                subj = self.subject_token(t)
                if subj is None:
                    return [], "no-subject"
                head = self.phrase.get(subj.i, subj.i)
                acts = self.sa.resolve(self.sent.doc[head]).actors
                if acts:
                    return acts, f"clause-subject:{t.text}"
                if subj.lemma_.lower() in words("anaphoric_noun") and self.sa.article.topic:
                    return list(self.sa.article.topic), f"anaphor:{subj.text}"
                return [], "subject-not-an-actor"
        return [], "none"


def _actor_key(a: Actor) -> str:
    return a.country or a.code[:3]


def _locative(head: Token) -> bool:
    # "in the Sea of Japan": the place inside a place phrase is a place too
    while head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.dep_ == "pobj":
        head = head.head.head
    return head.dep_ == "pobj" and head.head.lower_ in words("locative_prep")


@lru_cache(maxsize=1)
def frame_words() -> frozenset[str]:
    """Verbs that frame an infinitive as an intent, a threat, a refusal, an appeal or a demand."""
    return (words("intent_verb") | words("threat_verb") | words("refusal_verb") | words("appeal_verb")
            | words("demand_verb") | words("intent_adj"))


def is_intent(d: Draft) -> bool:
    """Whether the draft codes an expressed intent, refusal or appeal (a frame around the act)."""
    return "+intent:" in d.rule or "+refusal:" in d.rule or "+appeal:" in d.rule


def _specificity(d: Draft) -> tuple:
    # "urged Turkey to support ...": the appeal read through its content (022) says more than the verb's (020)
    # but a pattern with a code of its own ("urged X to intervene": 028) knows better than the content's
    own = d.specific and d.code[2:].strip("0:") != ""
    return (own, "+appeal:" in d.rule, d.specific, not d.negated, len(d.code.rstrip("0")), len(d.code))


def _dedupe(drafts: list[Draft]) -> list[Draft]:
    """Within a sentence, one event per dyad and root: the most specific wins ("030" vs "0332"); a draft
    without a target gives way to one of the same source and root that has one ("started a hunger strike
    to protest X": the verb's event has X, the noun's has none)."""
    targeted = {(tuple(a.code for a in d.sources), d.code[:2]) for d in drafts if d.targets}
    drafts = [d for d in drafts if d.targets or (tuple(a.code for a in d.sources), d.code[:2]) not in targeted]
    best: dict[tuple, Draft] = {}
    order: list[tuple] = []
    for d in drafts:
        key = (tuple(a.code for a in d.sources), tuple(a.code for a in d.targets), d.code[:2], d.negated,
               d.hypothetical and not is_intent(d))
        if key not in best:
            best[key] = d
            order.append(key)
        elif _specificity(d) > _specificity(best[key]):
            best[key] = d
    return [best[k] for k in order]


def expand_pairs(d: Draft, options: CoderOptions) -> list[tuple[Actor | None, Actor | None, str]]:
    """(source, target, code) triples of a draft: compound actors give one event per actor; a paired code
    ``042:043`` adds the reverse event; events without a dyad follow ``require_dyad``."""
    fwd, _, rev = d.code.partition(":")
    has_pair = ":" in d.code
    srcs: list[Actor | None] = [a for a in d.sources if not a.code.startswith(NULL_ACTOR)] or [None]
    tgts: list[Actor | None] = [a for a in d.targets if not a.code.startswith(NULL_ACTOR)] or [None]
    if not options.require_dyad:
        srcs = list(d.sources) or [None]
        tgts = list(d.targets) or [None]
    if tgts == [None] and len(srcs) > 1 and (d.code[:2] in _RECIPROCAL_ROOTS or (has_pair and fwd == rev)):
        # "Israel and Lebanon renewed negotiations": cooperation among a compound is each with the other
        tgts = list(srcs)
    out = []
    for s in srcs:
        for t in tgts:
            if s is not None and t is not None and s.code == t.code and len(srcs) + len(tgts) > 2:
                continue
            if fwd and fwd != NULL_CODE:
                out.append((s, t, fwd))
            if has_pair and rev and rev != NULL_CODE:
                out.append((t, s, rev))
    kept = []
    for s, t, c in out:
        if s is not None and t is not None and s.code == t.code:
            t = None  # "X resigned ... his post": an actor acting on itself has no target
        if s is None and t is None:
            continue
        if options.require_dyad and (s is None or t is None):
            if not (s is not None and t is None and c.startswith(options.targetless_roots)):
                continue
        if not options.require_dyad:
            s = s or make_actor(NULL_ACTOR)
            t = t or make_actor(NULL_ACTOR)
        kept.append((s, t, c))
    return kept
