"""The data model every stage shares: Article, Mention, Actor, Location, EventDate, Event.

Plain dataclasses, so that a stage can be used on its own and a user can build them by hand.
Ids are content hashes (see ``stable_id``): the same input always gives the same ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

# Article statuses. ``ok`` articles are coded; every other status says why an article was not.
STATUS_OK = "ok"
STATUS_EMPTY = "empty"
STATUS_BINARY = "binary"
STATUS_NOT_ENGLISH = "not_english"
STATUS_TOO_LARGE = "too_large"
STATUS_UNPARSEABLE = "unparseable"
STATUS_DUPLICATE = "duplicate"
STATUS_ERROR = "error"  # the coder itself failed on this article; the reason says how
STATUS_FETCH_FAILED = "fetch_failed"  # a URL could not be fetched (HTTP error, timeout, DNS...); tried again next run
ARTICLE_STATUSES = (
    STATUS_OK,
    STATUS_EMPTY,
    STATUS_BINARY,
    STATUS_NOT_ENGLISH,
    STATUS_TOO_LARGE,
    STATUS_UNPARSEABLE,
    STATUS_DUPLICATE,
    STATUS_ERROR,
    STATUS_FETCH_FAILED,
)


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex id that depends only on ``parts`` (sha256 of their text joined by \\x1f)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


@dataclass
class Block:
    """A span of the cleaned text: a paragraph of body text or a heading (headings are not coded)."""

    start: int
    end: int
    kind: str = "body"  # "body" | "heading"


@dataclass
class Article:
    """One news story, from whatever source it came, with the status of its processing."""

    id: str
    text: str  # the cleaned text once `clean` has run; character offsets refer to it
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    language: str | None = None
    status: str = STATUS_OK
    reason: str | None = None  # why the status is not ok (or a note on how the text was recovered)
    source: str | None = None  # where it came from: "path", "path:line 3", "path#item 2"
    kind: str | None = None  # input kind: txt, html, jsonl, rss, ...
    blocks: list[Block] = field(default_factory=list)
    story_id: str | None = None
    ingested_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK


def article_id(text: str | None, url: str | None = None, fallback: str | None = None) -> str:
    """Article ids: a hash of the URL when there is one, else of the whitespace-normalised text.

    ``fallback`` (for instance a file path and line) identifies inputs that have neither,
    such as an empty file, so that each is still recorded once.
    """
    if url:
        return stable_id("url", url.strip())
    norm = " ".join((text or "").split())
    if norm:
        return stable_id("text", norm)
    return stable_id("source", fallback or "")


@dataclass(frozen=True)
class Actor:
    """A CAMEO actor: ``code`` is the full code (IRNGOVMIL); country and sectors are its parts."""

    code: str
    country: str | None = None  # ISO-like 3-letter code (IRN), None for IGO/NGO/... or null actors
    sectors: tuple[str, ...] = ()
    name: str | None = None  # the words that named it in the text
    kb_id: str | None = None  # the knowledge-base entry it came from, if any

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "country": self.country,
            "sectors": list(self.sectors),
            "name": self.name,
            "kb_id": self.kb_id,
        }


@dataclass
class Mention:
    """A stretch of a sentence that names an actor (or a place), and how it was resolved."""

    article_id: str
    sentence_index: int
    start: int  # character offsets in the article's cleaned text
    end: int
    text: str
    kind: str  # person, place, group, organisation, nationality, agent, pronoun
    actor: Actor | None = None
    why: str = ""  # kb:<entry>, title, demonym, coref:<mention>, agent:<word> ...

    @property
    def id(self) -> str:
        return stable_id(self.article_id, self.sentence_index, self.start, self.end)


@dataclass
class Location:
    name: str
    country: str | None = None  # ISO 3166 alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_type: str | None = None  # country | admin1 | city (GDELT's geo types)
    rule: str | None = None  # why this place: "sentence:in", "article-focus", ...

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class EventDate:
    value: date | None
    precision: str = "unknown"  # day | week | month | year | unknown
    source: str = "none"  # the words it came from, or "publication", or "none"


@dataclass
class Event:
    """A coded event with its evidence: who did what to whom, from which words, by which rule."""

    article_id: str
    sentence_index: int
    start: int  # character span of the evidence (the sentence) in the cleaned text
    end: int
    evidence: str
    source: Actor | None
    target: Actor | None
    code: str
    rule: str  # id of the pattern or model that fired
    root: str = ""
    quad_class: int | None = None
    goldstein: float | None = None
    plover: str | None = None
    plover_mode: str | None = None
    date: EventDate = field(default_factory=lambda: EventDate(None))
    location: Location | None = None
    confidence: float = 1.0
    negated: bool = False
    reported: bool = False
    reporter: str | None = None
    hypothetical: bool = False  # a conditional or possible act ("could attack", "if X attacks"): it did not happen
    # the second half of a paired code whose halves differ ("X visited Y" 042:043 gives Y 043 X, the host's
    # side): CAMEO counts two events, PLOVER one (CONSULT, the visitor's)
    paired: bool = False
    intent: bool = False  # an expressed intent, threat, refusal or appeal about an act (CAMEO 03, 13, 12, 02 frames)
    verb_text: str | None = None  # the words of the event: the verb or noun and its particles
    verb_start: int | None = None
    verb_end: int | None = None
    why: dict = field(default_factory=dict)  # the coder's reasons (not stored; `explain` re-derives them)

    @property
    def asserted(self) -> bool:
        """Whether the text says the event took place (or the intent was expressed): not negated, not a mere
        possibility. Only asserted events are counted, exported and scored; the others are kept, flagged."""
        return not self.negated and not self.hypothetical

    @property
    def id(self) -> str:
        # flags are part of the id, so "did not attack" never collides with an attack in the same sentence
        flags = [f for f in ("negated", "hypothetical") if getattr(self, f)]
        return stable_id(
            self.article_id,
            self.sentence_index,
            self.source.code if self.source else "",
            self.target.code if self.target else "",
            self.code,
            *flags,
        )

    @property
    def source_code(self) -> str | None:
        return self.source.code if self.source else None

    @property
    def target_code(self) -> str | None:
        return self.target.code if self.target else None


def event_key(story_id: str, event: Event) -> str:
    """The id of a stored event: one per story, dyad, code and flags (GDELT's event key). Every sentence of the
    story's articles that codes the same event is a mention of it (``Event.id`` is the mention's own id)."""
    flags = [f for f in ("negated", "hypothetical") if getattr(event, f)]
    return stable_id(story_id, event.source_code or "", event.target_code or "", event.code, *flags)


def source_key(outlet: str | None, url: str | None, article_id: str) -> str:
    """What counts as one source of a report: the outlet, else the URL's host, else the article itself."""
    if outlet and outlet.strip():
        return outlet.strip()
    if url:
        from urllib.parse import urlsplit

        try:
            host = urlsplit(url.strip()).hostname
        except ValueError:
            host = None
        if host:
            return host
    return article_id


@dataclass
class CodedArticle:
    """What the coder makes of one article."""

    article: Article
    sentences: list[tuple[int, int]] = field(default_factory=list)  # char spans of coded sentences
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    location: Location | None = None  # the article's focus place (its most mentioned city, else country)

    @property
    def asserted_events(self) -> list[Event]:
        """The events the text says took place: negated and merely possible ones left out."""
        return [e for e in self.events if e.asserted]
