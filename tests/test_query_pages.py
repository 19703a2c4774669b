"""Keyset pages of events (query_event_page), and the analyses on a synthetic store checked against the events
the query layer lists, on real DuckDB files."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import pytest

from eventscope.analysis import actor_network, dyad_series, escalation_alerts, overview, top_actors
from eventscope.model import Actor, Article, CodedArticle, Event, EventDate, article_id
from eventscope.query import CursorError, EventFilter, decode_cursor, query_event_page, query_events
from eventscope.store import open_store
from eventscope.store.synthetic import build_synthetic_store


def _walk(store, flt: EventFilter, limit: int, between=None) -> list[str]:
    ids: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = query_event_page(store, flt, cursor, limit)
        ids += [e["id"] for e in page.events]
        pages += 1
        if between is not None:
            between(pages)
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


def _article(n: int, day: date, code: str = "190", source: str = "AAA", target: str = "BBB") -> CodedArticle:
    text = f"Report {n}: {source} attacked {target}."
    art = Article(id=article_id(text), text=text, published=day)
    ev = Event(art.id, 0, 0, len(text), text, Actor(source, source), Actor(target, target), code, rule="test",
               root=code[:2], quad_class=4 if code[:2] >= "14" else 1, goldstein=-10.0 if code[:2] >= "14" else 1.0,
               date=EventDate(day, "day", "test"))
    return CodedArticle(art, sentences=[(0, len(text))], events=[ev])


def test_paging_while_events_are_added_has_no_gaps_and_no_repeats(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    build_synthetic_store(db, 600)
    with open_store(db) as store:
        before = [e["id"] for e in query_events(store)]
        run = store.start_run({})
        added = []

        def add(page: int) -> None:
            # after each page, events dated before, inside and after the walked range are stored
            batch = [_article(page * 10 + i, day) for i, day in
                     enumerate((date(2014, 1, 1), date(2019, 5, 5), date(2030, 1, 1)))]
            store.write(run, batch)
            added.extend(e.id for c in batch for e in c.events)

        seen = _walk(store, EventFilter(), 50, between=add)
        assert len(seen) == len(set(seen)), "an event was listed twice"
        assert set(before) <= set(seen), "an event stored before paging began was skipped"
        assert set(seen) <= set(before) | set(added)
        assert any(i in seen for i in added)  # events stored ahead of the cursor are listed as well


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
