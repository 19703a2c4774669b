"""The coder: one article's cleaned text -> sentences, actor mentions and CAMEO events with evidence.

It composes the per-article stages in the order of DESIGN.md (nlp -> actors -> events -> geo/dates) and is
what ``run``, ``eval``, the API and Spark all call, so that the same input gives the same events whichever
way it runs.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from eventscope.actors import ActorMatcher, ArticleActors, name_keys, token_key
from eventscope.clean import clean_text
from eventscope.config import Settings, load_settings, user_kb_dir
from eventscope.dates import event_date, find_dates, publication_date_from_text
from eventscope.dictionaries import assemble
from eventscope.entities import NameRecognizer
from eventscope.events import CoderOptions, Draft, Lexicon, SentenceCoder, expand_pairs, is_intent
from eventscope.geo import (
    Gazetteer,
    PlaceMention,
    article_focus,
    dateline_place,
    event_location,
    find_places,
    location_from_place,
)
from eventscope.kb.model import KnowledgeBase
from eventscope.model import STATUS_OK, Article, CodedArticle, Event, EventDate, article_id
from eventscope.nlp import load_nlp, sentence_bounds
from eventscope.ontology import Ontology
from eventscope.patterns.model import VerbDictionary
from eventscope.prefilter import SentenceCheck, SentenceFilter

CODER_VERSION = "0.1"
# sentences per spaCy minibatch. Any size gives the same parse; 256 was no faster than 64 over a whole run
# (44.1 vs 44.0 CPU s, 600 articles) and raised a worker's peak memory by 70 MB (776 vs 706 MB)
_PARSE_BATCH = 64


@dataclass
class _Sentence:
    """A sentence of an article being coded: its own Doc (tokens only until it is parsed)."""

    index: int
    start: int  # character offsets in the article's cleaned text
    end: int
    doc: Doc
    check: SentenceCheck | None  # None: no pre-filter, every sentence is parsed
    parsed: bool = False


@dataclass
class CoderConfig:
    dictionaries: str | None = None  # --dictionaries DIR: in place of the built-in ones of the same kinds
    add_dictionaries: list[str] = field(default_factory=list)  # --add-dictionaries DIR (repeatable)
    options: CoderOptions = field(default_factory=CoderOptions)
    user_kb: bool = True  # layer the user knowledge base (`eventscope kb add`) on top
    prefilter: bool = True  # parse only the sentences that can change what is coded (eventscope.prefilter)
    # places and nationalities from spaCy's statistical entity recognizer rather than eventscope.entities'
    # rules (about 1.5 times slower; docs/accuracy.md compares them)
    ner: bool = False

    @classmethod
    def from_settings(cls, dictionaries: str | None = None, add_dictionaries: list[str] | None = None,
                      settings: Settings | None = None) -> CoderConfig:
        """Command-line choices over the config file's (see eventscope.config)."""
        settings = settings or load_settings()
        return cls(dictionaries=dictionaries or settings.dictionaries,
                   add_dictionaries=list(settings.add_dictionaries) + list(add_dictionaries or []))

    def layers(self) -> list[str]:
        """The folders layered over the built-in dictionaries, lowest first."""
        out = list(self.add_dictionaries)
        home = user_kb_dir()
        if self.user_kb and home.is_dir() and any(home.glob("*.tsv")):
            out.append(str(home))
        return out


class Coder:
    """Codes articles. Build it once (loading the model and dictionaries takes about a second)."""

    def __init__(self, kb: KnowledgeBase, verbs: VerbDictionary, options: CoderOptions | None = None,
                 nlp: Language | None = None, prefilter: bool = True, ner: bool = False) -> None:
        self.kb = kb
        self.verbs = verbs
        self.options = options or CoderOptions()
        self.nlp = nlp or load_nlp()
        self.matcher = ActorMatcher(kb)
        self.lexicon = Lexicon.build(verbs)
        self.ontology = Ontology.load()
        self.gazetteer = Gazetteer.load()
        # entities from eventscope.entities, unless spaCy's recognizer is asked for (and the model has one)
        use_ner = ner and "ner" in self.nlp.pipe_names
        self.names = None if use_ner else NameRecognizer(self.gazetteer, self.matcher.actors)
        # discard phrases by their first word, so a sentence is checked in one pass
        self._discards: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for d in kb.discards:
            keys = name_keys(d.phrase)
            if keys:
                self._discards.setdefault(keys[0], []).append((keys, d.scope))
        self.prefilter = (SentenceFilter(self.matcher, self.gazetteer, (d.phrase for d in kb.discards), self.nlp)
                          if prefilter else None)

    @property
    def ner(self) -> bool:
        """Whether entities come from spaCy's statistical recognizer rather than eventscope.entities."""
        return self.names is None

    @classmethod
    def from_config(cls, config: CoderConfig | None = None, nlp: Language | None = None) -> Coder:
        config = config or CoderConfig()
        kb, vd = assemble(config.dictionaries, [Path(p) for p in config.layers()])
        return cls(kb, vd, config.options, nlp, prefilter=config.prefilter, ner=config.ner)

    # ------------------------------------------------------------------------------------------
    def code_text(self, text: str, published: date | None = None, title: str | None = None,
                  options: CoderOptions | None = None) -> CodedArticle:
        """Code a piece of text as one article, without storing it."""
        cleaned, blocks = clean_text(text)
        art = Article(id=article_id(cleaned), text=cleaned, title=title, published=published, blocks=blocks)
        return self.code_article(art, options)

    def code_article(self, article: Article, options: CoderOptions | None = None) -> CodedArticle:
        return next(self.code_articles([article], options=options))

    def code_articles(self, articles: Iterable[Article], batch_size: int = 64,
                      options: CoderOptions | None = None) -> Iterator[CodedArticle]:
        """Code cleaned articles; articles whose status is not ok pass through uncoded."""
        options = options or self.options
        pending: list[Article] = []
        for art in articles:
            pending.append(art)
            if len(pending) >= batch_size:
                yield from self._code_batch(pending, options)
                pending = []
        if pending:
            yield from self._code_batch(pending, options)

    def _code_batch(self, articles: list[Article], options: CoderOptions) -> Iterator[CodedArticle]:
        plans: dict[int, list[_Sentence]] = {}
        for pos, art in enumerate(articles):
            if art.status == STATUS_OK:
                plans[pos] = self._sentences(art)
        # one pass of the parser over the batch; sentences the pre-filter leaves out may still be parsed while
        # their article is coded (coreference), and are otherwise never parsed
        self._parse([s for plan in plans.values() for s in plan if s.check is None or s.check.parse])
        # the articles are coded side by side: each stops at a sentence that coreference needs parsed, and
        # those of every article are parsed together (a sentence parses the same alone or in a batch)
        coded: dict[int, CodedArticle] = {}
        waiting: dict[int, tuple[Generator[_Sentence, None, CodedArticle], _Sentence]] = {}

        def advance(pos: int, run: Generator[_Sentence, None, CodedArticle]) -> None:
            try:
                waiting[pos] = (run, next(run))
            except StopIteration as done:
                coded[pos] = done.value

        for pos in plans:
            advance(pos, self._code_sentences(articles[pos], plans[pos], options))
        while waiting:
            self._parse([s for _, s in waiting.values()])
            resumed, waiting = waiting, {}
            for pos, (run, _) in resumed.items():
                advance(pos, run)
        for pos, art in enumerate(articles):
            yield coded[pos] if pos in coded else CodedArticle(art)

    def _sentences(self, art: Article) -> list[_Sentence]:
        """The article's sentences (body blocks only), tokenized, each its own Doc, checked by the pre-filter."""
        out: list[_Sentence] = []
        for b in art.blocks or []:
            if b.kind != "body" or b.end <= b.start:
                continue
            block = self.nlp.make_doc(art.text[b.start : b.end])
            for first, last in sentence_bounds(block):
                span = block[first:last]
                doc = self._sentence_doc(block, first, last)
                check = self.prefilter.check(doc) if self.prefilter else None
                out.append(_Sentence(len(out), b.start + span.start_char, b.start + span.end_char, doc, check))
        return out

    def _sentence_doc(self, block: Doc, first: int, last: int) -> Doc:
        """Tokens first:last of a tokenized block as a Doc of their own. The tokenizer splits at whitespace before
        anything else, so a sentence that starts and ends at whitespace tokenizes alone into the same tokens with
        the same attributes; that costs a fifth of copying the span (Span.as_doc), used for the others."""
        span = block[first:last]
        if (first == 0 or block[first - 1].whitespace_ or block[first - 1].is_space) and (
                last == len(block) or block[last - 1].whitespace_ or block[last].is_space):
            doc = self.nlp.make_doc(span.text_with_ws)
            if len(doc) == last - first:
                if first:
                    doc[0].is_sent_start = block[first].is_sent_start  # as the span had it: not set
                return doc
        return span.as_doc()

    def _parse(self, sentences: list[_Sentence]) -> None:
        """Parse sentences in place. Entities come last: from eventscope.entities' rules, or from spaCy's
        recognizer (``ner``), which reads only the words and so is left to the sentences whose places or
        country names need it (without the pre-filter: all)."""
        if not sentences:
            return
        docs = [s.doc for s in sentences]
        has_ner = "ner" in self.nlp.pipe_names
        for _ in self.nlp.pipe(docs, batch_size=_PARSE_BATCH, disable=["ner"] if has_ner else []):
            pass
        for s in sentences:
            s.parsed = True
        if self.names is not None:
            for doc in docs:
                self.names(doc)
        else:
            recognizer = self.nlp.get_pipe("ner")
            needing = [s.doc for s in sentences if s.check is None or self.prefilter.needs_ner(s.check, s.doc)]
            for _ in recognizer.pipe(needing, batch_size=_PARSE_BATCH):
                pass

    def _code_sentences(self, art: Article, sentences: list[_Sentence],
                        options: CoderOptions) -> Generator[_Sentence, None, CodedArticle]:
        """Code an article's sentences in order; yields each sentence it needs parsed and goes on once it is."""
        coded = CodedArticle(art)
        if any(s.check is None or s.check.discard for s in sentences) and self._story_discard(
                s.doc[:] for s in sentences if s.check is None or s.check.discard):
            art.reason = art.reason or "story discarded by the discards dictionary"
            return coded
        actors = ArticleActors(self.matcher, art.published, art.id, context_country=bool(self.verbs.modals))
        drafts: list[tuple[int, Span, int, Draft]] = []
        parsed: list[tuple[int, Span]] = []
        for s in sentences:
            coded.sentences.append((s.start, s.end))
            if not s.parsed:
                if not self.prefilter.needs_coref(s.check, actors):
                    continue  # names no actor and no place, and refers to none: nothing to code
                yield s
            index, sent, offset = s.index, s.doc[:], s.start
            parsed.append((index, sent))
            if self._sentence_discard(sent):
                continue
            sa = actors.sentence(sent, index)
            places = find_places(sent, self.gazetteer)
            place_countries = {i: p.place.country for p in places if p.place.country for i in range(p.start, p.end)}
            sc = SentenceCoder(self.lexicon, sa, options, place_countries)
            drafts.extend((index, sent, offset, d) for d in sc.code())
            for m in sa.mentions():
                m.start += offset
                m.end += offset
                coded.mentions.append(m)
            subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"]
            topic = sa.resolve(subjects[0]).actors if subjects else []
            if topic:
                actors.topic = topic
        # places: once the article's actors are known, their countries settle ambiguous names
        countries = [m.actor.country for m in coded.mentions if m.actor and m.actor.country]
        places: dict[int, list[PlaceMention]] = {}
        for index, sent in parsed:
            places[index] = find_places(sent, self.gazetteer, countries)
        focus = article_focus(p for ps in places.values() for p in ps)
        if focus is not None:
            coded.location = location_from_place(focus, "article-focus")
        dateline = dateline_place(art.text[:200], self.gazetteer) if art.text else None
        events: list[Event] = []
        published = art.published or publication_date_from_text(art.text)
        date_mentions: dict[int, list] = {}
        for index, sent, offset, d in drafts:
            where = event_location(sent, d.trigger.i, places.get(index, []), focus, dateline)
            if index not in date_mentions:
                date_mentions[index] = find_dates(sent, published)
            when = event_date(sent, d.trigger.i, published, date_mentions[index])
            events.extend(self._events(art, index, sent, offset, d, options, where, when))
        coded.events = _unique(events)
        return coded

    def _events(self, art: Article, index: int, sent: Span, offset: int, d: Draft, options: CoderOptions,
                where, when: EventDate) -> list[Event]:
        start, end = offset + sent.start_char, offset + sent.end_char
        out = []
        fwd, _, rev = d.code.partition(":")
        for src, tgt, code in expand_pairs(d, options):
            et = self.ontology.event_type(code)
            intent = is_intent(d) or et.root in ("03", "13")
            ev = Event(
                article_id=art.id, sentence_index=index, start=start, end=end, evidence=sent.text,
                source=src, target=tgt, code=code, rule=d.rule, root=et.root, quad_class=et.quad_class,
                goldstein=et.goldstein, plover=et.plover, plover_mode=et.plover_mode,
                date=when,
                negated=d.negated, reported=d.reported, reporter=d.reporter,
                # an intent or a threat (CAMEO 03, 13) is about an act that has not happened, but is an event
                intent=intent,
                paired=bool(rev) and rev != fwd and code == rev,
                hypothetical=d.hypothetical and ("+demanded" in d.rule or not intent),
                verb_text=" ".join(t.text for t in d.words) or d.trigger.text,
                verb_start=offset + min(t.idx for t in d.words or [d.trigger]),
                verb_end=offset + max(t.idx + len(t.text) for t in d.words or [d.trigger]),
                why=dict(d.why), location=where,
            )
            out.append(ev)  # "did not attack" is kept flagged negated: not an attack, but users may ask for it
        return out

    # discards ---------------------------------------------------------------------------------
    def _discard_scopes(self, sent: Span) -> set[str]:
        keys = [token_key(t.text) for t in sent if t.text != "-"]
        scopes: set[str] = set()
        for i, k in enumerate(keys):
            for phrase, scope in self._discards.get(k, ()):
                if tuple(keys[i : i + len(phrase)]) == phrase:
                    scopes.add(scope)
        return scopes

    def _story_discard(self, sentences: Iterable[Span]) -> bool:
        return any("story" in self._discard_scopes(sent) for sent in sentences)

    def _sentence_discard(self, sent: Span) -> bool:
        # PETRARCH drops a whole sentence that names a time in the past ("two years ago", "World War Two");
        # eventscope codes the sentence's own events (the time dates a clause, not the sentence), so sentence
        # discards apply only when coding with a PETRARCH verb dictionary, as PETRARCH would
        if self.lexicon.vd.modals:
            return False
        return "sentence" in self._discard_scopes(sent)


def _unique(events: list[Event]) -> list[Event]:
    seen: set[str] = set()
    out = []
    for e in events:
        if e.id not in seen:
            seen.add(e.id)
            out.append(e)
    return out
