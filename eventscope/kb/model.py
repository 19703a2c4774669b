"""Knowledge-base records: actors with dated codes, agents (sector words), discard phrases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CodePeriod:
    """An actor code valid from ``start`` to ``end`` (both inclusive; None = open)."""

    code: str
    start: date | None = None
    end: date | None = None
    note: str = ""

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def covers(self, d: date) -> bool:
        return (self.start is None or self.start <= d) and (self.end is None or d <= self.end)

    def width(self) -> float:
        """Length of the range in days (open ends count as infinite), for 'narrowest range wins'."""
        if self.start is None or self.end is None:
            return float("inf")
        return float((self.end - self.start).days)


@dataclass
class ActorEntry:
    """A named actor: a country, city, organisation, armed group or person, with its codes over time.

    A code may name several actors separated by ``/`` (PETRARCH's ``[FRO/BIL/SAM]``): the mention then
    stands for all of them.
    """

    id: str
    names: list[str]
    periods: list[CodePeriod] = field(default_factory=list)
    kind: str = "actor"  # country | place | organisation | group | person | actor
    source: str = ""
    note: str = ""

    def dated_code(self, day: date) -> tuple[str, CodePeriod] | None:
        """The code of the narrowest dated period covering ``day`` (ends inclusive), if any."""
        covering = [p for p in self.periods if p.dated and p.covers(day)]
        if not covering:
            return None
        best = min(covering, key=lambda p: p.width())
        return best.code, best

    def code_on(self, day: date | None) -> tuple[str | None, CodePeriod | None]:
        """The code on ``day``: among dated periods covering it the narrowest wins, else the undated one.

        With no date, the undated (default) code is used; an entry with only dated codes then gives the
        most recent period's code. A person with only dated roles is a former official (``<country>ELI``)
        after the last role ends and plain ``<country>`` before the first begins.
        """
        if day is not None:
            hit = self.dated_code(day)
            if hit:
                return hit
        undated = [p for p in self.periods if not p.dated]
        if undated:
            return undated[0].code, undated[0]
        if not self.periods:
            return None, None
        latest = max(self.periods, key=lambda p: (p.end or date.max, p.start or date.min))
        if day is None:
            return latest.code, latest
        if self.kind == "person":
            ended = [p for p in self.periods if p.end is not None and p.end < day]
            if ended:  # after a role, and in no role now (also between two terms)
                last = max(ended, key=lambda p: p.end)
                code = last.code[:3] + "ELI"
                return code, CodePeriod(code, last.end, None, "former: after the last role ended")
            first = min(self.periods, key=lambda p: p.start or date.min)
            if first.start is not None and day < first.start:
                code = first.code[:3]
                return code, CodePeriod(code, None, first.start, "before the first known role")
        return None, None


@dataclass(frozen=True)
class AgentEntry:
    """A sector word: ``~GOVMIL`` is appended to the actor's code, ``NGO~`` put before it."""

    id: str
    names: tuple[str, ...]  # every surface form, plurals included
    code: str
    source: str = ""
    note: str = ""

    @property
    def is_prefix(self) -> bool:
        return self.code.endswith("~") and not self.code.startswith("~")

    @property
    def sectors(self) -> str:
        return self.code.strip("~ ").upper()


@dataclass(frozen=True)
class Discard:
    phrase: str
    scope: str  # "story" (drop the article) | "sentence"
    source: str = ""
    note: str = ""


@dataclass
class KnowledgeBase:
    actors: list[ActorEntry] = field(default_factory=list)
    agents: list[AgentEntry] = field(default_factory=list)
    discards: list[Discard] = field(default_factory=list)

    def layer(self, other: KnowledgeBase) -> KnowledgeBase:
        """``other`` over this one. Actors of both are kept, ``other``'s first: where both name the same
        words, ``other``'s entry decides, and the lower entry still answers for dates the upper one has no
        role for (the PETRARCH2 dictionaries know office holders before 2015, eventscope's after)."""
        actors = list(other.actors) + list(self.actors)
        agent_names = {n.upper() for a in other.agents for n in a.names}
        agents = list(other.agents) + [
            AgentEntry(a.id, tuple(n for n in a.names if n.upper() not in agent_names), a.code, a.source, a.note)
            for a in self.agents
        ]
        agents = [a for a in agents if a.names]
        discards = list({(d.phrase.upper(), d.scope): d for d in self.discards + other.discards}.values())
        return KnowledgeBase(actors, agents, discards)
