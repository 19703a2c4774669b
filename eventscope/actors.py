"""Actor mentions -> CAMEO actor codes.

Three steps, on each sentence of a spaCy parse:
1. ``ActorMatcher.find``: names from the knowledge base (countries, demonyms, cities, organisations,
   people, groups) and agents (sector words such as "defense minister") found as token sequences.
2. ``SentenceActors.resolve(head)``: a noun phrase -> its actors. The phrase's own names give the country or
   organisation, a possessor ("Gondor's government") or an "of/in/from" phrase ("ministers of Iran") gives
   it where the phrase has none, agents add sectors (IRN + ~GOVMIL = IRNGOVMIL, NGO~ + ARN = NGOARN),
   coordination gives several actors ("Iran and Syria").
3. ``ArticleActors``: what the article has said so far. A title binds an unknown name ("Iranian Defense
   Minister Mohammad Reza Ashtiani" -> IRNGOVMIL), later mentions of the name, pronouns ("he") and
   definite descriptions ("the defense minister") resolve to the same actor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Span, Token

from eventscope.kb.model import ActorEntry, AgentEntry, CodePeriod, KnowledgeBase
from eventscope.lexicon import words
from eventscope.model import Actor, Mention
from eventscope.ontology import Ontology

NULL_ACTOR = "---"
# dependency labels by which a modifier belongs to the noun phrase of its head
_MODIFIER_DEPS = {"compound", "amod", "nmod", "nummod", "npadvmod", "flat", "quantmod", "det"}
# children whose subtrees are not part of a noun phrase's own words
_NOT_OWN_DEPS = {"prep", "relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "ccomp", "parataxis"}
_NAME_PREPS = {"of", "in", "from", "at", "for"}  # "ministers of Iran", "soldiers from Gondor"
_KEY_STRIP = re.compile(r"[.\u2019']")


def token_key(text: str) -> str:
    """How names and tokens are compared: lower case, no periods (U.S. = US), straight apostrophes."""
    return text.lower().replace(".", "").replace("\u2019", "'")


def name_keys(name: str) -> tuple[str, ...]:
    """A knowledge-base name as the keys of the tokens it spans (hyphens are transparent)."""
    parts = re.findall(r"[^\s\-]+", name.replace("_", " "))
    out = []
    for p in parts:
        k = token_key(p)
        # spaCy splits a possessive off its word ("People's Liberation Army" is People + 's + ...)
        if len(k) > 2 and k.endswith("'s"):
            out.extend((k[:-2], "'s"))
        elif k:
            out.append(k)
    return tuple(out)


class NameIndex:
    """Longest-match lookup of token-key sequences."""

    _END = "\x00"

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, keys: tuple[str, ...], value: object) -> None:
        if not keys:
            return
        node = self.root
        for k in keys:
            node = node.setdefault(k, {})
        node.setdefault(self._END, []).append(value)

    def exact(self, keys: tuple[str, ...] | list[str]) -> list | None:
        """The values stored under exactly these keys."""
        node = self.root
        for k in keys:
            node = node.get(k)
            if node is None:
                return None
        return node.get(self._END)

    def longest(self, keys: list[str], start: int, plural_last: bool = False) -> tuple[int, list] | None:
        node = self.root
        best: tuple[int, list] | None = None
        i = start
        while i < len(keys):
            k = keys[i]
            nxt = node.get(k)
            if nxt is None:
                # "Iranians", "Israelis": a regular plural of a one-word or final name word
                if plural_last and len(k) > 4 and k.endswith("s"):
                    alt = node.get(k[:-1])
                    if alt is not None and self._END in alt:
                        best = (i + 1, alt[self._END])
                break
            node = nxt
            i += 1
            if self._END in node:
                best = (i, node[self._END])
        return best


@dataclass
class NameMatch:
    start: int  # doc token indices, end exclusive
    end: int
    kind: str  # "actor" | "agent"
    entry: ActorEntry | AgentEntry
    code: str  # the actor's code on the article's date, or the agent code (~GOV, NGO~)
    stance: bool = False  # "pro-Iranian", "Syrian-backed": names a side, not the phrase's own actor

    @property
    def codes(self) -> list[str]:
        return [c for c in self.code.split("/") if c]


class ActorMatcher:
    """Finds knowledge-base names and agents in sentences."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.actors = NameIndex()
        self.agents = NameIndex()
        for entry in kb.actors:
            for name in entry.names:
                self.actors.add(name_keys(name), entry)
        for agent in kb.agents:
            for name in agent.names:
                self.agents.add(name_keys(name), agent)

    def find(self, tokens: Iterable[Token], day: date | None) -> list[NameMatch]:
        toks = [t for t in tokens if not _is_infix_hyphen(t)]
        keys = [token_key(t.text) for t in toks]
        out: list[NameMatch] = []
        covered: set[int] = set()
        i = 0
        while i < len(toks):
            best: NameMatch | None = None
            hit = self.actors.longest(keys, i, plural_last=True)
            if hit and _looks_proper(toks[i:hit[0]]) and not _inside_longer_name(toks, i, hit[0], covered, hit[1]):
                entry, code, _ = pick_entry(hit[1], day)
                if entry is not None:
                    best = NameMatch(toks[i].i, toks[hit[0] - 1].i + 1, "actor", entry, code,
                                     stance=_stance_modifier(toks, i, hit[0]))
            ahit = self.agents.longest(keys, i)
            if ahit and (best is None or toks[ahit[0] - 1].i + 1 > best.end):
                agent: AgentEntry = ahit[1][0]
                best = NameMatch(toks[i].i, toks[ahit[0] - 1].i + 1, "agent", agent, agent.code)
            if best is None:
                i += 1
                continue
            out.append(best)
            while i < len(toks) and toks[i].i < best.end:
                covered.add(toks[i].i)
                i += 1
        return out


# Hyphens a tokenizer splits off inside a word ("Bosnia-Herzegovina", "pro-Iranian"): names read across them
HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _is_infix_hyphen(t: Token) -> bool:
    return t.text in HYPHENS and t.i > 0 and not t.nbor(-1).whitespace_


def _inside_longer_name(toks: list[Token], start: int, end: int, covered: set[int], entries: list) -> bool:
    """A known person's name that is only the end or the start of a longer unknown name is not that person:
    "Ali Mahmoud Abbas" is not "Mahmoud Abbas" (places and organisations keep their names: "Evil Mordor")."""
    if not any(getattr(e, "kind", "") == "person" for e in entries):
        return False
    if start > 0:
        prev = toks[start - 1]
        if prev.pos_ == "PROPN" and prev.dep_ == "compound" and prev.i not in covered and prev.text[:1].isupper():
            return True
    if end < len(toks):
        nxt = toks[end]
        last = toks[end - 1]
        if nxt.pos_ == "PROPN" and last.dep_ == "compound" and last.head.i == nxt.i and nxt.tag_ == "NNP":
            return True
    return False


def _stance_modifier(toks: list[Token], start: int, end: int) -> bool:
    """ "pro-Iranian", "anti-Syrian", "Syrian-backed", "London-based": a stance or a base, not the actor."""
    doc = toks[start].doc
    first, last = toks[start], toks[end - 1]
    if first.i >= 2 and doc[first.i - 1].text == "-" and doc[first.i - 2].lower_ in words("stance_prefix"):
        return True
    if first.i >= 1 and first.lower_.split("-")[0] in words("stance_prefix"):
        return True
    if last.i + 2 < len(doc) and doc[last.i + 1].text == "-" and doc[last.i + 2].lower_ in words("stance_suffix"):
        return True
    return False


def _looks_proper(toks: list[Token]) -> bool:
    """Actor names are proper nouns: some word must be capitalised ("Turkey", not "turkey"); short
    names ("US", "UN") must be written in capitals so that "us" and "un-" are not read as actors."""
    alpha = [t for t in toks if any(c.isalpha() for c in t.text)]
    if not alpha:
        return False
    if len(alpha) == 1 and len(_KEY_STRIP.sub("", alpha[0].text)) <= 3:
        return alpha[0].text.replace(".", "").isupper()
    return any(t.text[:1].isupper() for t in alpha)


def pick_entry(entries: list[ActorEntry], day: date | None) -> tuple[ActorEntry | None, str, CodePeriod | None]:
    """Which of the entries that share a name speaks for ``day``, highest layer first: an entry with a dated
    role covering the day, or one that knows the person had left office by then (the curated layer's "former"
    beats a stale open-ended role of PETRARCH2's 2014 dictionaries); an entry that only knows later roles lets
    a lower layer speak for earlier years. Failing all, the first entry's default code."""
    if day is not None:
        for entry in entries:
            hit = entry.dated_code(day)
            if hit:
                return entry, hit[0], hit[1]
            if entry.kind == "person" and any(p.end is not None and p.end < day for p in entry.periods):
                code, period = entry.code_on(day)
                if code:
                    return entry, code, period
    for entry in entries:
        code, period = entry.code_on(day)
        if code:
            return entry, code, period
    return None, "", None


def combine_code(base: str, agent_codes: Iterable[str]) -> str:
    """PETRARCH's rule: suffix agents append their 3-letter parts, prefix agents go before the base;
    parts the code already has are not repeated (USAGOV + ~GOV = USAGOV)."""
    prefix = ""
    code = base
    for ac in agent_codes:
        ac = ac.replace(" ", "")
        if ac.endswith("~") and not ac.startswith("~"):
            p = ac[:-1].upper()
            if p and p not in _chunks(code) and p not in _chunks(prefix):
                prefix += p
            continue
        for chunk in _chunks(ac.strip("~").upper()):
            if chunk not in _chunks(code)[1:]:
                code += chunk
    return prefix + code


def _chunks(code: str) -> list[str]:
    return [code[i : i + 3] for i in range(0, len(code), 3)]


def make_actor(code: str, name: str | None = None, kb_id: str | None = None) -> Actor:
    onto = Ontology.load()
    head = code[:3].upper()
    country = head if (head.isalpha() and onto.is_country(head)) else None
    sectors = tuple(c for c in _chunks(code[3:]) if c) if len(code) > 3 else ()
    return Actor(code=code, country=country, sectors=sectors, name=name, kb_id=kb_id)


@dataclass
class Resolution:
    actors: list[Actor]
    why: str
    kind: str = "actor"  # person | nationality | organisation | group | place | agent | pronoun | actor


@dataclass
class _Seen:
    actor: Actor
    kind: str
    sentence: int
    subject: bool


class ArticleActors:
    """Actor resolution across the sentences of one article (coreference state lives here)."""

    def __init__(self, matcher: ActorMatcher, day: date | None, article_id: str = "",
                 context_country: bool = True) -> None:
        self.matcher = matcher
        self.day = day
        self.article_id = article_id
        # a title with no country in a sentence about one country is that country's ("President Mugabe" in
        # a sentence about Zimbabwe); PETRARCH does not do this, so its compatibility mode turns it off
        self.context_country = context_country
        self.persons: dict[tuple[str, ...], Actor] = {}  # name keys -> actor bound by a title
        self.seen: list[_Seen] = []  # actors in order of mention, for pronouns and descriptions
        self.topic: list[Actor] = []  # the subject actors of the last sentence that had one
        self.accusations: list[tuple[Actor, Actor]] = []  # (accuser, accused), for denials that follow
        # (CAMEO root, words of the trigger, doers) of material acts so far, for "X condemned the attack"
        self.acts: list[tuple[str, str, list[Actor]]] = []

    def sentence(self, sent: Span, index: int) -> SentenceActors:
        return SentenceActors(self, sent, index, self.matcher.find(sent, self.day))

    # coreference -------------------------------------------------------------------------------
    def remember(self, actors: list[Actor], kind: str, sentence: int, subject: bool) -> None:
        for a in actors:
            if a.code.startswith(NULL_ACTOR):
                continue
            self.seen.append(_Seen(a, kind, sentence, subject))

    def recent(self, want: str, sectors: tuple[str, ...] = (), before_sentence: int | None = None) -> Actor | None:
        """The most recent actor of a kind ("person", "thing", "any"), subjects first within a sentence."""
        best: _Seen | None = None
        for s in reversed(self.seen):
            if before_sentence is not None and s.sentence > before_sentence:
                continue
            if want == "person" and s.kind != "person":
                continue
            if want == "thing" and s.kind in ("person", "agent"):
                continue
            if sectors and not set(sectors) <= set(s.actor.sectors):
                continue
            if best is None or (s.sentence == best.sentence and s.subject and not best.subject):
                best = s
            elif s.sentence < best.sentence:
                break
        return best.actor if best else None

    def last_distinct(self, n: int, sectors: tuple[str, ...] = ()) -> list[Actor]:
        """The last ``n`` actors of different countries (or codes): "both nations", "the two ministers" (with
        ``sectors``, those of these sectors when there are ``n`` of them: "the two leaders" are GOV)."""
        if sectors:
            fitting = self._last_distinct([s for s in self.seen if set(sectors) <= set(s.actor.sectors)], n)
            if fitting:
                return fitting
        return self._last_distinct(self.seen, n)

    def last_persons(self, n: int) -> list[Actor]:
        """The ``n`` people (of different countries) of the latest sentence that named ``n`` of them."""
        by_sentence: dict[int, list[_Seen]] = {}
        for s in self.seen:
            if s.kind == "person":
                by_sentence.setdefault(s.sentence, []).append(s)
        for index in sorted(by_sentence, reverse=True):
            found = self._last_distinct(by_sentence[index], n)
            if found:
                return found
        return []

    @staticmethod
    def _last_distinct(seen: list[_Seen], n: int) -> list[Actor]:
        out: list[Actor] = []
        keys: set[str] = set()
        for s in reversed(seen):
            key = s.actor.country or s.actor.code
            if key in keys:
                continue
            keys.add(key)
            out.append(s.actor)
            if len(out) == n:
                break
        return list(reversed(out)) if len(out) == n else []


@dataclass
class SentenceActors:
    article: ArticleActors
    sent: Span
    index: int
    matches: list[NameMatch]
    owner: dict[int, int] = field(default_factory=dict)  # match start -> NP head token index
    _cache: dict[int, Resolution] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in self.matches:
            self.owner[m.start] = self._np_head(self._span_head(m)).i

    # structure ---------------------------------------------------------------------------------
    def _span_head(self, m: NameMatch) -> Token:
        doc = self.sent.doc
        toks = [doc[i] for i in range(m.start, m.end)]
        for t in toks:
            if not (m.start <= t.head.i < m.end) or t.head.i == t.i:
                return t
        return toks[-1]

    def _np_head(self, t: Token) -> Token:
        """Climb from a modifier to the noun it modifies ("Iranian" -> "Minister" -> "Ashtiani")."""
        seen = 0
        while t.dep_ in _MODIFIER_DEPS and t.head.i != t.i and seen < 8:
            t = t.head
            seen += 1
        # "US and Israeli officials": a conjunct of a modifier modifies the same noun
        if t.dep_ == "conj" and t.head.dep_ in _MODIFIER_DEPS and t.head.head.i != t.head.i:
            return self._np_head(t.head)
        return t

    def own_tokens(self, head: Token) -> list[Token]:
        out = [head]
        stack = [c for c in head.children if c.dep_ not in _NOT_OWN_DEPS]
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(cc for cc in c.children if cc.dep_ not in _NOT_OWN_DEPS or c.dep_ == "poss")
        return sorted(out, key=lambda t: t.i)

    def span_of(self, head: Token) -> tuple[int, int]:
        own = self.own_tokens(head)
        return own[0].i, own[-1].i + 1

    def matches_of(self, head: Token) -> list[NameMatch]:
        return [m for m in self.matches if self.owner.get(m.start) == head.i]

    # resolution --------------------------------------------------------------------------------
    def resolve(self, head: Token, expand: bool = True) -> Resolution:
        """The actors a noun phrase names; with ``expand``, coordinated phrases add theirs (in text order,
        whichever of the coordinated words is asked)."""
        res = self._resolve_one(head)
        if not expand:
            return res
        members = [head, *(c for c in head.conjuncts if c.pos_ not in ("VERB", "AUX"))]
        if len(members) > 1:
            # "Evil Mordor, the awful Fornost, and good Gondor": a list the parser read as apposition
            for m in list(members):
                members.extend(a for a in m.children if a.dep_ == "appos" and self._resolve_one(a).actors)
        members = sorted(set(members), key=lambda t: t.i)
        if len(members) == 1:
            return res
        first = self._resolve_one(members[0])
        # "Lawmakers in Fornost and Gondor": the sector word of the first conjunct reaches the others
        shared_agents = [m.code for m in self.matches_of(members[0]) if m.kind == "agent"] if (
            first.why.startswith("agent+")) else []
        actors: list[Actor] = []
        prev_base: Actor | None = None
        for conj in members:
            r = self._resolve_one(conj)
            conj_actors = list(r.actors)
            agents = [m.code for m in self.matches_of(conj) if m.kind == "agent"]
            if not conj_actors and prev_base is not None and agents:
                # "Danish media and government": a conjunct with only a sector word takes the country
                base = prev_base.country or prev_base.code[:3]
                conj_actors = [make_actor(combine_code(base, agents), conj.text)]
            elif conj_actors and shared_agents and conj is not members[0] and not agents and r.kind != "person":
                conj_actors = [make_actor(combine_code(a.code, shared_agents), a.name, a.kb_id) for a in conj_actors]
            actors.extend(conj_actors)
            if conj_actors:
                prev_base = conj_actors[-1]
        return Resolution(_dedupe(actors), res.why, res.kind)

    def _resolve_one(self, head: Token) -> Resolution:
        if head.i in self._cache:
            return self._cache[head.i]
        self._cache[head.i] = Resolution([], "")  # guards against cycles in odd parses
        res = self._compute(head)
        self._cache[head.i] = res
        return res

    def _compute(self, head: Token) -> Resolution:
        own = self.matches_of(head)
        actor_matches = [m for m in own if m.kind == "actor"]
        if any(not m.stance for m in actor_matches):
            # "the pro-Iranian Hizbollah group" is Hizbollah; "an anti-Gondor parade" is still about Gondor
            actor_matches = [m for m in actor_matches if not m.stance]
        agent_matches = [m for m in own if m.kind == "agent"]
        agents = [m.code for m in agent_matches]
        if agents and not actor_matches and head.pos_ != "PROPN" and not any(
            m.start <= head.i < m.end for m in agent_matches
        ):
            if head.lemma_.lower() not in words("position_noun"):
                agents = []  # "military cooperation": a sector word modifying a thing names no actor
        art = self.article
        names = self._proper_name(head, own)
        bases: list[str] = []
        why = ""
        kind = "actor"
        kb_id = None
        bound: Actor | None = None
        if actor_matches:
            for m in actor_matches:
                if m.entry.kind == "person":
                    # the article already said who this is ("Iranian Defense Minister ... Ashtiani", then
                    # "Ashtiani"): its own words beat the knowledge base's dated role
                    keys = tuple(token_key(t.text) for t in self.sent.doc[m.start:m.end])
                    bound = art.persons.get(keys) or art.persons.get(keys[-1:])
                    if bound is not None:
                        bases.append(bound.code)
                        continue
                bases.extend(m.codes)
            first = actor_matches[0]
            kb_id = first.entry.id
            why = f"kb:{first.entry.id}"
            kind = _entry_kind(first, self.sent.doc)
        if not bases:
            poss = [c for c in head.children if c.dep_ == "poss"]
            if poss:
                r = self.resolve(poss[0])
                if r.actors and not (poss[0].pos_ == "PRON" and agents and not r.why.startswith("coref:clause")):
                    base_actors = r.actors
                    if agents:
                        acts = [make_actor(combine_code(a.code, agents), head.text) for a in base_actors]
                        return Resolution(acts, f"possessor+agent:{r.why}", "agent")
                    return Resolution(base_actors, f"possessor:{r.why}", r.kind)
        if not bases and names and names in art.persons:
            bound = art.persons[names]
            code = combine_code(bound.code, agents)
            return Resolution([make_actor(code, bound.name, bound.kb_id)], "coref:name", "person")
        if not bases and names and len(names) > 1 and names[-1:] in art.persons:
            bound = art.persons[names[-1:]]
            return Resolution([make_actor(combine_code(bound.code, agents), bound.name, bound.kb_id)],
                              "coref:surname", "person")
        if not bases and agents:
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ in _NAME_PREPS:
                    pobj = [x for x in c.children if x.dep_ == "pobj"]
                    if pobj:
                        r = self.resolve(pobj[0])
                        if r.actors:
                            acts = [make_actor(combine_code(a.code, agents), head.text, a.kb_id) for a in r.actors]
                            return Resolution(acts, f"agent+{c.lower_}:{r.why}", "agent")
        if not bases and not agents and head.lemma_.lower() in words("partitive_noun"):
            # "a group of Moroccan diplomats", "thousands of students": the members act
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    pobj = [x for x in c.children if x.dep_ == "pobj"]
                    if pobj:
                        r = self.resolve(pobj[0])
                        if r.actors:
                            return Resolution(r.actors, f"partitive:{r.why}", r.kind)
        if not bases and head.pos_ == "PRON":
            return self._pronoun(head)
        if not bases and not agents and head.lower_ in words("crowd_noun") and head.dep_ in ("nsubj", "nsubjpass"):
            # "as thousands rallied": a crowd of the country the sentence is about
            home = self._context_country(head) if art.context_country else None
            if home is not None:
                return Resolution([make_actor(home + "CVL", head.text)], f"crowd:{home}", "agent")
        if not bases and agents and any(t.lower_ in ("both", "two") for t in head.lefts):
            sectors = tuple(c for ac in agents for c in _chunks(ac.strip("~").upper()) if not ac.endswith("~"))
            both = self._collective(head, sectors)  # "the two leaders": the last two actors, not a description
            if both:
                return Resolution(both, "coref:collective", "actor")
        if not bases and agents:
            # a definite description ("the defense minister") names an actor met before
            sectors = tuple(c for ac in agents for c in _chunks(ac.strip("~").upper()) if not ac.endswith("~"))
            earlier = art.recent("any", sectors) if head.i > self.sent.start or self.index > 0 else None
            if earlier is not None and any(t.lower_ in ("the", "this", "that") for t in head.lefts):
                return Resolution([earlier], "coref:description", "agent")
            home = self._context_country(head) if art.context_country else None
            if home is not None:
                # "President Mugabe" in a sentence about Zimbabwe alone: a domestic actor of that country
                actor = make_actor(combine_code(home, agents), " ".join(t.text for t in self.own_tokens(head)))
                if names:
                    art.persons[names] = actor
                    art.persons[names[-1:]] = actor
                return Resolution([actor], f"context-country:{home}", "person" if names else "agent")
            return Resolution([make_actor(combine_code(NULL_ACTOR, agents), head.text)], "agent-only", "agent")
        if not bases:
            both = self._collective(head)
            if both:
                return Resolution(both, "coref:collective", "actor")
            return Resolution([], "")
        codes = _most_specific(bases)
        if any(t.lower_ == "ethnic" for t in head.lefts) and kind in ("nationality", "country"):
            # "ethnic Albanians in south Serbia": an ethnic group is coded by the country it lives in
            home = self._residence_country(head, {c[:3] for c in codes})
            if home is not None:
                return Resolution([make_actor(home + "CVL", " ".join(t.text for t in self.own_tokens(head)))],
                                  f"ethnic-group-in:{home}", "agent")
        if len(actor_matches) > 1 and not agents:
            # "the Russian and US presidents": the title inside one name ("US presidents", USAGOV) is the others'
            inner = [m for m in actor_matches if m.start <= head.i < m.end]
            titles = {c[3:] for m in inner for c in m.codes if len(c) > 3 and c[:3].isalpha()}
            if len(titles) == 1:
                title = titles.pop()
                codes = [c + title if len(c) == 3 and Ontology.load().is_country(c) else c for c in codes]
        actors = []
        titled = bool(agents) and bound is None and any(m.entry.kind == "person" for m in actor_matches)
        if (any(m.entry.kind == "person" for m in actor_matches) and bound is None
                and any(t.lower_ in words("government_title") for t in self.own_tokens(head) if t.i < head.i)):
            # "President Obama", "Russian President Boris Yeltsin" on a date the knowledge base has them out of
            # office (or not yet in it): the text's own title says they hold it now
            codes = [c[:3] + "GOV" if c.endswith("ELI") and c[:3].isalpha() else c for c in codes]
        for c in codes:
            # the text's own title says what the person is now ("Defense Minister ... Ashtiani" is GOVMIL even
            # on a date the knowledge base has him out of office): country from the entry, sectors from the title
            base = c[:3] if titled and not c.startswith(NULL_ACTOR) else c
            code = combine_code(base, agents) if agents else c
            name = " ".join(t.text for t in self.own_tokens(head))
            actors.append(make_actor(code, name, kb_id))
        if names and (agents or kind == "nationality") and kind != "person":
            # a title binds the unknown name it introduces ("Defense Minister ... Ashtiani")
            art.persons[names] = actors[0]
            art.persons[names[-1:]] = actors[0]
            why = f"title:{why}"
            kind = "person"
        elif kind == "person":
            art.persons.setdefault(names or tuple(name_keys(actors[0].name or "")), actors[0])
        if kind == "person" or any(m.entry.kind == "person" for m in actor_matches):
            # "Kenzo Oshima, the United Nations Emergency Relief Coordinator": an international post named beside
            # the person says whom they act for, whatever their nationality
            for c in head.children:
                if c.dep_ == "appos":
                    role = self._resolve_one(c)
                    if role.actors and all(a.code.startswith(("IGO", "NGO")) for a in role.actors):
                        actors = list(role.actors)
                        why = f"apposition:{role.why}"
                        break
        for m in actor_matches:
            if m.entry.kind == "person" and len(actors) == 1:
                # later mentions of a known person ("Ashtiani", "he") are the actor this phrase resolved to
                keys = tuple(token_key(t.text) for t in self.sent.doc[m.start:m.end])
                art.persons.setdefault(keys, actors[0])
                art.persons.setdefault(keys[-1:], actors[0])
                kind = "person"
        return Resolution(actors, why, kind)

    def _proper_name(self, head: Token, own: list[NameMatch]) -> tuple[str, ...]:
        """The unknown proper name at the end of a phrase ("... Mohammad Reza Ashtiani")."""
        if head.pos_ != "PROPN":
            return ()
        covered = {i for m in own for i in range(m.start, m.end)}
        toks = [t for t in self.own_tokens(head) if t.i <= head.i]
        name: list[str] = []
        for t in reversed(toks):
            if t.i in covered or t.pos_ != "PROPN" or t.dep_ == "poss":
                break
            name.append(token_key(t.text))
        return tuple(reversed(name))

    def _pronoun(self, head: Token) -> Resolution:
        art = self.article
        w = head.lower_
        near = self._sentence_antecedent(head)
        if near is not None:
            return near
        if w in words("person_pronoun"):
            a = art.recent("person")
            return Resolution([a], "coref:pronoun", "person") if a else Resolution([], "")
        if w in words("thing_pronoun"):
            a = art.recent("thing")
            return Resolution([a], "coref:pronoun", "actor") if a else Resolution([], "")
        if w in words("plural_pronoun"):
            both = art.last_distinct(2) if art.topic and len(art.topic) > 1 else []
            if not both:
                both = art.last_persons(2)  # "Egypt's president received the Palestinian president ... They"
            if both:
                return Resolution(both, "coref:plural-pronoun", "actor")
            a = art.recent("thing")
            return Resolution([a], "coref:pronoun", "actor") if a else Resolution([], "")
        return Resolution([], "")

    def _sentence_antecedent(self, pron: Token) -> Resolution | None:
        """A pronoun in a reported or subordinate clause refers first to the subject of the clause that
        governs it: "Iraq said it would allow ...", "Hungary has said it will support ..."."""
        w = pron.lower_
        if w not in words("thing_pronoun") | words("person_pronoun") | words("plural_pronoun"):
            return None
        if pron.dep_ == "poss" and pron.head.dep_ == "dobj" and w in words("thing_pronoun"):
            # "Lithuania ... recalled its ambassador": an object's possessor is the clause's own subject
            verb = pron.head.head
            while verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
                verb = verb.head
            subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pron.i]
            if subj and subj[0].pos_ != "PRON":
                res = self.resolve(subj[0])
                if res.actors and res.kind != "person":
                    return Resolution(res.actors, f"coref:clause-subject:{subj[0].text}", res.kind)
            return None
        if pron.dep_ == "poss" and pron.head.dep_ in ("nsubj", "nsubjpass"):
            verb = pron.head.head  # "India warned that its navy would ...": the subject's own possessor
        elif pron.dep_ not in ("nsubj", "nsubjpass"):
            return None  # other possessives ("condemned its embassy") are too often someone else's
        else:
            verb = pron.head
        for _ in range(4):
            if verb.head.i == verb.i:
                return None
            parent = verb.head
            if verb.dep_ in ("ccomp", "advcl", "xcomp", "conj") and parent.pos_ in ("VERB", "AUX"):
                holder = parent
                while holder.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in holder.children):
                    holder = holder.head  # "Sudan's army launched ... and said it had arrested ..."
                subj = [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pron.i]
                if subj and subj[0].pos_ != "PRON":
                    res = self.resolve(subj[0])
                    if res.actors:
                        person = res.kind == "person" or any(a.code[3:6] in ("GOV", "MIL", "ELI") for a in res.actors)
                        if w in words("person_pronoun") and not person:
                            return None
                        if w in words("thing_pronoun") and res.kind == "person":
                            return None
                        return Resolution(res.actors, f"coref:clause-subject:{subj[0].text}", res.kind)
                return None
            verb = parent
        return None

    def _context_country(self, head: Token) -> str | None:
        """The one country the sentence names (other than inside this phrase), if there is exactly one."""
        span_start, span_end = self.span_of(head)
        countries = set()
        for m in self.matches:
            if m.kind != "actor" or span_start <= m.start < span_end:
                continue
            for code in m.codes:
                if code[:3].isalpha() and Ontology.load().is_country(code[:3]):
                    countries.add(code[:3])
                else:
                    return None  # an organisation or group in the sentence: the title may be theirs
        return countries.pop() if len(countries) == 1 else None

    def _residence_country(self, head: Token, own: set[str]) -> str | None:
        """The one country, other than the group's own, that the sentence names (inside the phrase too)."""
        countries = set()
        for m in self.matches:
            if m.kind != "actor":
                continue
            for code in m.codes:
                if code[:3].isalpha() and Ontology.load().is_country(code[:3]) and code[:3] not in own:
                    countries.add(code[:3])
        return countries.pop() if len(countries) == 1 else None

    def _collective(self, head: Token, sectors: tuple[str, ...] = ()) -> list[Actor]:
        """ "both nations", "the two countries" -> the last two actors of different countries."""
        if head.lemma_.lower() not in words("collective_noun") or head.tag_ not in ("NNS", "NNPS"):
            return []
        quant = {t.lower_ for t in head.lefts}
        if quant & {"both", "two"}:
            return self.article.last_distinct(2, sectors)
        return []

    # output ------------------------------------------------------------------------------------
    def mentions(self) -> list[Mention]:
        out = []
        doc = self.sent.doc
        for head_i in sorted(self._cache):
            res = self._cache[head_i]
            if not res.actors:
                continue
            head = doc[head_i]
            s, e = self.span_of(head)
            span = doc[s:e]
            for a in res.actors:
                out.append(Mention(self.article.article_id, self.index, span.start_char, span.end_char,
                                   span.text, res.kind, a, res.why))
        return out


def _entry_kind(m: NameMatch, doc) -> str:
    entry = m.entry
    if isinstance(entry, ActorEntry):
        if entry.kind == "person":
            return "person"
        if entry.kind == "country":
            t = doc[m.end - 1]
            return "nationality" if t.tag_ in ("JJ", "NNPS", "NNS") or t.ent_type_ == "NORP" else "country"
        return entry.kind
    return "agent"


def _dedupe(actors: list[Actor]) -> list[Actor]:
    seen: set[str] = set()
    out = []
    for a in actors:
        if a.code not in seen:
            seen.add(a.code)
            out.append(a)
    return out


def _most_specific(codes: list[str]) -> list[str]:
    """Several names of one actor in a phrase ("Iranian President Rouhani": IRN, IRNGOV) give the most
    specific code; names of different countries stay separate actors."""
    best: dict[str, str] = {}
    for c in codes:
        key = c[:3]
        if key not in best or len(c) > len(best[key]):
            best[key] = c
    return list(best.values())
