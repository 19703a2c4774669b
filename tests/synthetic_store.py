"""Event stores with known events, for checking analyses number by number.

Each ``Ev`` becomes one stored article with one event, written through the real DuckDB store (as the pipeline
writes), so the analyses read exactly what a run would have stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from eventscope.model import Actor, Article, CodedArticle, Event, EventDate, article_id
from eventscope.store import open_store

_NO_COUNTRY = ("IGO", "NGO", "KUR")


@dataclass
class Ev:
    source: str | None
    target: str | None
    code: str
    quad_class: int | None
    goldstein: float | None
    day: date | None
    negated: bool = False
    hypothetical: bool = False
    intent: bool = False
    reported: bool = False


def actor(code: str | None) -> Actor | None:
    if code is None:
        return None
    country = None if code[:3] in _NO_COUNTRY else code[:3]
    return Actor(code, country, tuple(code[i:i + 3] for i in range(3, len(code), 3)), code.title(), None)


def coded_articles(events: list[Ev]) -> list[CodedArticle]:
    out = []
    for i, ev in enumerate(events):
        text = f"Story {i}: {ev.source} did {ev.code} to {ev.target} on {ev.day}."
        art = Article(id=article_id(text), text=text, published=ev.day, language="en", kind="txt",
                      ingested_at=datetime(2025, 1, 1, tzinfo=UTC))
        event = Event(
            art.id, 0, 0, len(text), text, actor(ev.source), actor(ev.target), ev.code, rule="test",
            root=ev.code[:2], quad_class=ev.quad_class, goldstein=ev.goldstein,
            date=EventDate(ev.day, "day" if ev.day else "unknown", "test"), negated=ev.negated,
            hypothetical=ev.hypothetical, intent=ev.intent, reported=ev.reported,
        )  # fmt: skip
        out.append(CodedArticle(art, sentences=[(0, len(text))], events=[event]))
    return out


def build_store(path: Path, events: list[Ev]) -> Path:
    with open_store(path) as store:
        run_id = store.start_run({"inputs": ["synthetic"]})
        store.write(run_id, coded_articles(events))
        store.finish_run(run_id, "done", {"events": len(events)})
    return path


# ---- escalation: weekly series with known calm noise and planted jumps --------------------------------

MONDAY = date(2024, 1, 1)
WEEKS = 20
PER_WEEK = 20
CALM = (4, 6, 5)  # conflict events in a calm week, in turn: shares 0.2, 0.3, 0.25


def week_events(source: str, target: str, week: int, conflict: int) -> list[Ev]:
    """``PER_WEEK`` events spread over the week; ``conflict`` of them material conflict (-5), the rest
    cooperation (+3)."""
    start = MONDAY + timedelta(weeks=week)
    return [
        Ev(source, target, "190" if i < conflict else "040", 4 if i < conflict else 1, -5.0 if i < conflict else 3.0,
           start + timedelta(days=i % 7))
        for i in range(PER_WEEK)
    ]


def calm(week: int) -> int:
    return CALM[week % len(CALM)]


def planted_escalations() -> list[Ev]:
    """RUS -> UKR calm for ``WEEKS`` weeks, then 18 of 20 events are attacks; CHN -> JPN the same calm noise all
    along; KHM -> THA conflict for 10 weeks, calm for the next, conflict again in the last week."""
    events: list[Ev] = []
    for week in range(WEEKS + 1):
        events += week_events("RUSMIL", "UKR", week, 18 if week == WEEKS else calm(week))
        events += week_events("CHN", "JPNGOV", week, calm(week))
        events += week_events("KHMMIL", "THA", week, 18 if week < 10 or week == WEEKS else calm(week))
    return events
