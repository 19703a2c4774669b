"""Keyset pages of events (query_event_page), and the analyses on a synthetic store checked against the events
the query layer lists, on real DuckDB files."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import pytest

from eventscope.analysis import actor_network, dyad_series, escalation_alerts, overview, top_actors
from eventscope.model import Actor, Article, CodedArticle, Event, EventDate, article_id, event_key
from eventscope.query import CursorError, EventFilter, decode_cursor, get_event, query_event_page, query_events
from eventscope.store import open_store
from eventscope.store.synthetic import build_synthetic_store


def _walk(store, flt: EventFilter, limit: int, between=None) -> list[str]:
    """Every page to the end; ``between(last event of the page)`` runs after each page."""
    ids: list[str] = []
    cursor = None
    while True:
        page = query_event_page(store, flt, cursor, limit)
        ids += [e["id"] for e in page.events]
        if between is not None and page.events:
            between(page.events[-1])
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def test_pages_list_the_events_query_events_lists(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    build_synthetic_store(db, 1500, batch_size=700)
    with open_store(db, read_only=True) as store:
        for flt in (EventFilter(), EventFilter(source="USA"), EventFilter(include_negated=True, root="19"),
                    EventFilter(since=date(2020, 1, 1), until=date(2021, 6, 30))):
            expected = [e["id"] for e in query_events(store, flt)]
            assert 0 < len(expected)
            for limit in (1, 7, 500, 5000):
                if limit == 1 and len(expected) > 400:
                    continue
                assert _walk(store, flt, limit) == expected
        # undated events come last and are paged through too
        undated = store.fetch("SELECT count(*) AS n FROM events WHERE event_date IS NULL AND asserted")[0]["n"]
        assert undated > 0
        assert query_events(store)[-1]["date"] is None


def _article(n: int, day: date, code: str = "190", source: str = "AAA", target: str = "BBB",
             story: str | None = None, negated: bool = False, hypothetical: bool = False) -> CodedArticle:
    """A one-sentence article with one event; ``story``: the story it was found to repeat (eventscope.dedup)."""
    text = f"Report {n}: {source} attacked {target}."
    art = Article(id=article_id(text), text=text, published=day, story_id=story)
    ev = Event(art.id, 0, 0, len(text), text, Actor(source, source), Actor(target, target), code, rule="test",
               root=code[:2], quad_class=4 if code[:2] >= "14" else 1, goldstein=-10.0 if code[:2] >= "14" else 1.0,
               date=EventDate(day, "day", "test"), negated=negated, hypothetical=hypothetical)
    return CodedArticle(art, sentences=[(0, len(text))], events=[ev])


def _report_of(n: int, event: dict, day: date) -> CodedArticle:
    """A further article of ``event``'s story reporting it again (same dyad, code and flags), dated ``day``."""
    return _article(n, day, event["code"], event["source"], event["target"], event["story_id"], event["negated"],
                    event["hypothetical"])


def _order_key(e: dict) -> tuple:
    """An event's place in the stable order (query.EVENT_ORDER), from its dict."""
    return (e["date"] is None, e["date"] or "", e["article_id"] or "", e["sentence_index"], e["id"])


def test_paging_while_stories_grow_has_no_gaps_and_no_repeats(tmp_path: Path) -> None:
    """Paging while articles are stored. A new article adds event rows (new stories) and reports of events
    already stored (their story's further articles): those only update the event's counts, its row and so its
    place in the order stay its first report's. A walk lists every event stored when it began exactly once, plus
    exactly the new events stored ahead of its cursor, in the stable order."""
    db = tmp_path / "s.duckdb"
    build_synthetic_store(db, 600)
    with open_store(db) as store:
        before = {e["id"]: e for e in query_events(store)}
        order = sorted(before.values(), key=_order_key)
        assert [e["id"] for e in order] == list(before)  # _order_key is the store's order
        run = store.start_run({})
        ahead: set[str] = set()  # events added ahead of the cursor: the walk must list them
        behind: set[str] = set()  # and those added behind it: it must not
        placed = {i: _order_key(e) for i, e in before.items()}  # every event's place when it was first stored
        grown: dict[str, int] = {}  # event id -> reports added while walking
        n = iter(range(10_000))

        def add(last: dict) -> None:
            cursor = _order_key(last)
            passed = [e for e in order if _order_key(e) <= cursor]
            coming = [e for e in order if _order_key(e) > cursor]
            batch = [_article(next(n), day) for day in (date(2014, 1, 1), date(2019, 5, 5), date(2030, 1, 1))]
            # further reports, dated to sort at the other end if they moved the event: of an event already
            # listed, of one still to come, and of one added ahead of the cursor during this walk
            batch.append(_report_of(next(n), passed[-1], date(2030, 1, 1)))
            grown[passed[-1]["id"]] = grown.get(passed[-1]["id"], 0) + 1
            if coming:
                batch.append(_report_of(next(n), coming[0], date(2014, 1, 1)))
                grown[coming[0]["id"]] = grown.get(coming[0]["id"], 0) + 1
            if ahead:
                first_added = min(ahead)
                batch.append(_report_of(next(n), get_event(store, first_added), date(2014, 1, 1)))
                grown[first_added] = grown.get(first_added, 0) + 1
            result = store.write(run, batch)
            assert (result.articles_added, result.event_mentions_added) == (len(batch), len(batch))
            for c in batch:
                key = event_key(c.article.story_id or c.article.id, c.events[0])
                if key in before or key in ahead or key in behind:
                    continue
                new = get_event(store, key)
                assert new is not None and new["num_mentions"] == 1
                placed[key] = _order_key(new)
                (ahead if placed[key] > cursor else behind).add(key)
            assert result.events_added == len(batch) - sum(1 for c in batch if c.article.story_id)

        seen = _walk(store, EventFilter(), 50, between=add)
        after = {e["id"]: e for e in query_events(store)}
        # exactly the events stored before the walk and those added ahead of it, once each, in the stable order
        assert len(seen) == len(set(seen)), "an event was listed twice"
        assert seen == [i for i in after if i in before or i in ahead]
        assert ahead and behind and not behind & set(seen)
        # a grown event kept its row (first report: date, article, sentence) and counts every report
        assert len(grown) > 10 and set(grown) <= set(after)
        counts = {r["event_id"]: r for r in store.fetch(
            "SELECT event_id, count(*) AS n, count(DISTINCT article_id) AS a FROM event_mentions GROUP BY event_id")}
        assert all(_order_key(e) == placed[i] for i, e in after.items())
        for event_id, added in grown.items():
            old, now = before.get(event_id), after[event_id]
            first = (old["num_mentions"], old["num_articles"]) if old else (1, 1)
            assert (now["num_mentions"], now["num_articles"]) == (first[0] + added, first[1] + added) == (
                counts[event_id]["n"], counts[event_id]["a"])
        assert any(i in before for i in grown) and any(i in ahead for i in grown)


@pytest.mark.parametrize("cursor", [
    "", "junk!", "bm90IGpzb24", base64.urlsafe_b64encode(b"[1,2,3]").decode(),
    base64.urlsafe_b64encode(json.dumps([False, "2024-13-01", "a", 0, "b"]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps([True, "2024-01-01", "a", 0, "b"]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps([False, "2024-01-01", "a", "0", "b"]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps([False, "2024-01-01", "a", 0, None]).encode()).decode(),
    "x" * 2000,
])
def test_junk_cursors_are_refused(cursor: str) -> None:
    with pytest.raises(CursorError):
        decode_cursor(cursor)


def test_analyses_match_the_events(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    build_synthetic_store(db, 3000)
    with open_store(db, read_only=True) as store:
        events = query_events(store)
        dated = [e for e in events if e["date"]]
        series = dyad_series(store, by="month").records()
        assert sum(p["events"] for p in series) == len(dated)
        assert [p["period"] for p in series] == sorted({p["period"] for p in series})
        assert len(series) == 132  # every month of 2015-2025, empty ones with 0 events
        usa_rus = dyad_series(store, "USA", "RUS", by="month").records()
        assert sum(p["events"] for p in usa_rus) == sum(
            1 for e in dated if e["source"].startswith("USA") and e["target"].startswith("RUS"))
        network = actor_network(store, level="code")
        assert sum(e["events"] for e in network.edges) == sum(1 for e in events if e["source"] and e["target"])
        actors = top_actors(store, n=5, level="code").records()
        assert actors[0]["events"] == max(
            sum(1 for e in events if a in (e["source"], e["target"])) for a in {e["source"] for e in events})
        totals = overview(store)
        assert totals["events"] == len(events) and sum(r["events"] for r in totals["by_quad_class"]) == len(events)
        assert totals["intent"] == sum(1 for e in events if e["intent"])
        negated_only = "SELECT count(*) AS n FROM events WHERE negated"
        assert totals["left_out"]["negated"] == store.fetch(negated_only)[0]["n"] > 0
        with pytest.raises(ValueError):
            dyad_series(store, by="fortnight")
        with pytest.raises(ValueError):
            escalation_alerts(store, window=0)
