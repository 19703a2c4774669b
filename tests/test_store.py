"""The DuckDB event store and the query layer, on real DuckDB files in tmp_path."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from eventscope.model import (
    STATUS_EMPTY,
    STATUS_OK,
    STATUS_TOO_LARGE,
    Actor,
    Article,
    CodedArticle,
    Event,
    EventDate,
    Location,
    Mention,
    article_id,
    event_key,
)
from eventscope.query import (
    EventFilter,
    count_events,
    get_article,
    get_event,
    query_articles,
    query_events,
    query_runs,
    summary_counts,
)
from eventscope.store import EventStore, StoreError, WriteResult, open_store
from eventscope.store.duckdb import DuckDBStore
from eventscope.store.schema import SCHEMA_VERSION

INGESTED = datetime(2024, 3, 6, 8, 30, tzinfo=UTC)

IRN_MIL = Actor("IRNMIL", "IRN", ("MIL",), "Iranian troops", None)
KUR_REB = Actor("KURREB", None, ("REB",), "Kurdish rebels", "kb:kurdish-rebels")
TUR = Actor("TUR", "TUR", (), "Turkey", "kb:country:TUR")
IRN_GOV_MIL = Actor("IRNGOVMIL", "IRN", ("GOV", "MIL"), "the Iranian defence ministry", "kb:irn-mod")
USA_GOV = Actor("USAGOV", "USA", ("GOV",), "Washington", None)
IRQ = Actor("IRQ", "IRQ", (), "Iraq", None)


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def mention(art: Article, sentence: int, words: str, kind: str, actor: Actor | None, why: str) -> Mention:
    start, end = span(art.text, words)
    return Mention(art.id, sentence, start, end, words, kind, actor, why)


def event(art: Article, sentence: int, evidence: str, source, target, code: str, **kw) -> Event:
    start, end = span(art.text, evidence)
    return Event(art.id, sentence, start, end, evidence, source, target, code, **kw)


def make_article(text: str, url: str | None = None, **kw) -> Article:
    return Article(id=article_id(text, url), text=text, url=url, ingested_at=INGESTED, **kw)


def raid_article() -> CodedArticle:
    """Two sentences, three mentions, two events: one with location and day date, one with neither."""
    s0 = "Iranian troops attacked Kurdish rebels near Erbil on Tuesday."
    s1 = "Turkey condemned the attack."
    art = make_article(
        f"{s0} {s1}",
        url="https://example.org/raid",
        title="Iran strikes rebels",
        outlet="example.org",
        published=date(2024, 3, 6),
        language="en",
        source="feeds/example.xml#item 1",
        kind="rss",
        story_id="story-1",
    )
    mentions = [
        mention(art, 0, "Iranian troops", "nationality", IRN_MIL, "demonym"),
        mention(art, 0, "Kurdish rebels", "group", KUR_REB, "kb:kurdish-rebels"),
        mention(art, 0, "Erbil", "place", None, ""),
        mention(art, 1, "Turkey", "place", TUR, "kb:country:TUR"),
    ]
    verb_start, verb_end = span(art.text, "attacked")
    events = [
        event(
            art,
            0,
            s0,
            IRN_MIL,
            KUR_REB,
            "190",
            rule="verb:attack",
            root="19",
            quad_class=4,
            goldstein=-10.0,
            plover="ASSAULT",
            plover_mode="",
            date=EventDate(date(2024, 3, 5), "day", "on Tuesday"),
            location=Location("Erbil", "IRQ", "Erbil", 36.19, 44.01, "city", "sentence:near"),
            confidence=0.9,
            verb_text="attacked",
            verb_start=verb_start,
            verb_end=verb_end,
        ),
        event(
            art,
            1,
            s1,
            TUR,
            None,
            "122",
            rule="verb:condemn",
            root="12",
            quad_class=3,
            goldstein=-4.0,
            plover="DISAPPROVE",
            confidence=0.6,
            reported=True,
            reporter="Turkey",
            negated=False,
            hypothetical=False,
            verb_text="condemned",
        ),
    ]
    return CodedArticle(
        art, sentences=[span(art.text, s0), span(art.text, s1)], mentions=mentions, events=events
    )


def talks_article() -> CodedArticle:
    """Events in January and February 2024, one without a source actor, one an intent."""
    s0 = "The Iranian defence ministry asked Iraq for talks."
    s1 = "Washington will impose sanctions on Iran."
    art = make_article(f"{s0} {s1}", title="Talks", published=date(2024, 2, 1), language="en", kind="txt")
    events = [
        event(
            art,
            0,
            s0,
            IRN_GOV_MIL,
            IRQ,
            "0332",
            rule="verb:ask-for-talks",
            root="03",
            quad_class=1,
            goldstein=3.4,
            plover="CONSULT",
            date=EventDate(date(2024, 1, 10), "day", "publication"),
        ),
        event(
            art,
            1,
            s1,
            USA_GOV,
            IRN_GOV_MIL,
            "163",
            rule="verb:impose-sanctions",
            root="16",
            quad_class=3,
            goldstein=-8.0,
            intent=True,
            date=EventDate(date(2024, 2, 1), "day", "publication"),
        ),
        event(
            art,
            1,
            s1,
            None,
            IRN_GOV_MIL,
            "160",
            rule="noun:sanctions",
            root="",
            quad_class=3,
            goldstein=-4.0,
            date=EventDate(date(2024, 2, 1), "month", "publication"),
        ),
    ]
    mentions = [mention(art, 1, "Washington", "place", USA_GOV, "kb:capital")]
    return CodedArticle(
        art, sentences=[span(art.text, s0), span(art.text, s1)], mentions=mentions, events=events
    )


def failed_articles() -> list[CodedArticle]:
    empty = make_article("", source="inbox/empty.txt", kind="txt", status=STATUS_EMPTY, reason="no text")
    empty.id = article_id("", fallback="inbox/empty.txt")
    big = make_article(
        "x" * 50, source="inbox/huge.html", kind="html", status=STATUS_TOO_LARGE, reason="12 MB, over 5 MB"
    )
    return [CodedArticle(empty), CodedArticle(big)]


def batch() -> list[CodedArticle]:
    return [raid_article(), talks_article(), *failed_articles()]


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "events.duckdb") as s:
        yield s


@pytest.fixture
def filled(store: DuckDBStore) -> DuckDBStore:
    run_id = store.start_run({"inputs": ["feeds/"]})
    store.write(run_id, batch())
    store.finish_run(run_id, "done", {"articles": 4})
    return store


def table_counts(store: DuckDBStore) -> dict[str, int]:
    return {
        t: store.fetch(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in ("articles", "mentions", "events")
    }


# -- schema, runs --------------------------------------------------------------------------------


def test_schema_is_created_once_with_version(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "events.duckdb"  # parent directories are made
    with open_store(path) as s:
        assert isinstance(s, EventStore)
        tables = {r["table_name"] for r in s.fetch("SELECT table_name FROM information_schema.tables")}
        assert {"meta", "runs", "articles", "mentions", "events"} <= tables
        assert s.fetch("SELECT value FROM meta WHERE key = 'schema_version'") == [{"value": SCHEMA_VERSION}]
        cols = {
            r["column_name"]
            for r in s.fetch("SELECT column_name FROM information_schema.columns WHERE table_name = 'events'")
        }
        assert {"source_sectors", "plover_mode", "event_date", "location_rule", "created_at"} <= cols
    with open_store(path) as s:  # reopening keeps one meta row
        assert s.fetch("SELECT count(*) AS n FROM meta")[0]["n"] == 1


def test_version_1_store_is_migrated_with_its_events(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with open_store(path) as s:
        s.write(s.start_run({}), [raid_article()])
    con = duckdb.connect(str(path))  # make it look like a store from before the flag columns
    _make_version_2(con)
    con.execute("ALTER TABLE events DROP COLUMN asserted")
    con.execute("ALTER TABLE events DROP COLUMN intent")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    with open_store(path) as s:
        assert s.fetch("SELECT value FROM meta WHERE key = 'schema_version'") == [{"value": SCHEMA_VERSION}]
        rows = query_events(s)
        assert len(rows) == 2 and all(r["asserted"] and r["intent"] is False for r in rows)


def _make_version_2(con: duckdb.DuckDBPyConnection) -> None:
    """Turn a current store into what version 2 wrote: one event row per article sentence (the mention's id),
    no story columns, no event mentions, no signatures."""
    con.execute("UPDATE events SET id = (SELECT min(m.article_id || ':' || m.sentence_index) FROM event_mentions m "
                "WHERE m.event_id = events.id)")
    for column in ("story_id", "num_mentions", "num_sources", "num_articles"):
        con.execute(f"ALTER TABLE events DROP COLUMN {column}")
    con.execute("DROP TABLE event_mentions")
    con.execute("DROP TABLE article_signatures")
    con.execute("UPDATE articles SET story_id = NULL")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def test_version_2_store_is_migrated_to_event_keys_and_mentions(tmp_path: Path) -> None:
    path = tmp_path / "v2.duckdb"
    coded = raid_article()
    with open_store(path) as s:
        s.write(s.start_run({}), [coded])
    con = duckdb.connect(str(path))
    _make_version_2(con)
    con.close()
    with open_store(path) as s:
        assert s.fetch("SELECT value FROM meta WHERE key = 'schema_version'") == [{"value": SCHEMA_VERSION}]
        rows = query_events(s)
        # each article is its own story; the ids are the event keys the pipeline writes today
        assert sorted(r["id"] for r in rows) == sorted(event_key(coded.article.id, e) for e in coded.events)
        assert all(r["story_id"] == coded.article.id and r["num_mentions"] == 1 and r["num_articles"] == 1
                   and r["num_sources"] == 1 for r in rows)
        assert s.fetch("SELECT count(*) AS n FROM event_mentions") == [{"n": len(coded.events)}]
        assert s.fetch("SELECT story_id FROM articles") == [{"story_id": coded.article.id}]
        # and it takes new batches as a version 3 store does
        again = raid_article()
        again.article.id = "another-article"
        for e in again.events:
            e.article_id = "another-article"
        for m in again.mentions:
            m.article_id = "another-article"
        assert s.write(s.start_run({}), [again]).events_added == len(again.events)


def test_negated_and_hypothetical_events_are_stored_but_listed_only_on_request(tmp_path: Path) -> None:
    coded = raid_article()
    coded.events[0].negated = True  # "did not attack"
    coded.events[1].hypothetical = True  # "could condemn"
    with open_store(tmp_path / "flags.duckdb") as s:
        s.write(s.start_run({}), [coded])
        assert query_events(s) == []
        assert [r["negated"] for r in query_events(s, EventFilter(include_negated=True))] == [True]
        both = query_events(s, EventFilter(include_negated=True, include_hypothetical=True))
        assert len(both) == 2 and not any(r["asserted"] for r in both)
        assert s.fetch("SELECT n_events FROM articles") == [{"n_events": 0}]


def test_other_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.duckdb"
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="schema version '99'"):
        open_store(path)


def test_not_a_store_gives_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no event store"):
        open_store(tmp_path / "missing.duckdb", read_only=True)
    junk = tmp_path / "junk.duckdb"
    junk.write_text("this is not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open event store"):
        open_store(junk)
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(StoreError, match="not an eventscope store"):
        open_store(other, read_only=True)


def test_runs_are_recorded(store: DuckDBStore) -> None:
    run_id = store.start_run({"inputs": ["a.txt"], "since": date(2024, 1, 1)})
    (run,) = query_runs(store)
    assert run["run_id"] == run_id and run["status"] == "running" and run["finished_at"] is None
    assert run["args"] == {"inputs": ["a.txt"], "since": "2024-01-01"}
    store.finish_run(run_id, "interrupted", {"articles": 3, "events": 7})
    (run,) = query_runs(store)
    assert run["status"] == "interrupted" and run["counts"] == {"articles": 3, "events": 7}
    assert datetime.fromisoformat(run["finished_at"]) >= datetime.fromisoformat(run["started_at"])
    with pytest.raises(ValueError, match="run status"):
        store.finish_run(run_id, "running", {})
    with pytest.raises(StoreError, match="no run"):
        store.finish_run("nope", "done", {})
    assert store.start_run({}) != run_id


# -- write -----------------------------------------------------------------------------------------


def test_write_reads_back_every_field(store: DuckDBStore) -> None:
    run_id = store.start_run({})
    raid = raid_article()
    result = store.write(run_id, [raid])
    assert result == WriteResult(articles_added=1, events_added=2, mentions_added=4, event_mentions_added=2)

    art = store.fetch("SELECT * FROM articles")[0]
    a = raid.article
    assert art == {
        "id": a.id,
        "run_id": run_id,
        "source": "feeds/example.xml#item 1",
        "kind": "rss",
        "url": "https://example.org/raid",
        "outlet": "example.org",
        "title": "Iran strikes rebels",
        "published": date(2024, 3, 6),
        "language": "en",
        "status": "ok",
        "reason": None,
        "text": a.text,
        "story_id": "story-1",
        "n_sentences": 2,
        "n_events": 2,
        "ingested_at": datetime(2024, 3, 6, 8, 30),
    }

    attack, condemn = raid.events
    rows = {r["id"]: r for r in store.fetch("SELECT * FROM events")}
    row = rows[event_key("story-1", attack)]
    created_at = row.pop("created_at")
    assert isinstance(created_at, datetime)
    assert row == {
        "id": event_key("story-1", attack),
        "article_id": a.id,
        "sentence_index": 0,
        "start_char": attack.start,
        "end_char": attack.end,
        "evidence": attack.evidence,
        "source_code": "IRNMIL",
        "source_country": "IRN",
        "source_sectors": "MIL",
        "source_name": "Iranian troops",
        "target_code": "KURREB",
        "target_country": None,
        "target_sectors": "REB",
        "target_name": "Kurdish rebels",
        "code": "190",
        "root": "19",
        "quad_class": 4,
        "goldstein": -10.0,
        "plover": "ASSAULT",
        "plover_mode": "",
        "event_date": date(2024, 3, 5),
        "date_precision": "day",
        "date_source": "on Tuesday",
        "location_name": "Erbil",
        "location_country": "IRQ",
        "location_admin1": "Erbil",
        "lat": 36.19,
        "lon": 44.01,
        "geo_type": "city",
        "location_rule": "sentence:near",
        "confidence": 0.9,
        "rule": "verb:attack",
        "negated": False,
        "reported": False,
        "reporter": None,
        "hypothetical": False,
        "intent": False,
        "asserted": True,
        "verb_text": "attacked",
        "verb_start": attack.verb_start,
        "verb_end": attack.verb_end,
        "run_id": run_id,
        "story_id": "story-1",
        "num_mentions": 1,
        "num_sources": 1,
        "num_articles": 1,
    }
    assert a.text[row["start_char"] : row["end_char"]] == attack.evidence
    (reported,) = store.fetch("SELECT * FROM event_mentions WHERE event_id = ?", [event_key("story-1", attack)])
    assert reported.pop("created_at") == created_at
    assert reported == {
        "event_id": event_key("story-1", attack), "article_id": a.id, "sentence_index": 0,
        "start_char": attack.start, "end_char": attack.end, "evidence": attack.evidence,
        "verb_start": attack.verb_start, "verb_end": attack.verb_end, "rule": "verb:attack", "confidence": 0.9,
        "outlet": "example.org", "url": "https://example.org/raid", "published": date(2024, 3, 6),
        "run_id": run_id, "source_key": "example.org",
    }
    row = rows[event_key("story-1", condemn)]
    assert (row["source_code"], row["target_code"], row["target_sectors"]) == ("TUR", None, None)
    assert (row["event_date"], row["date_precision"], row["date_source"]) == (None, "unknown", "none")
    assert row["location_name"] is None and row["lat"] is None
    assert (row["reported"], row["reporter"], row["confidence"]) == (True, "Turkey", 0.6)

    mentions = {r["id"]: r for r in store.fetch("SELECT * FROM mentions")}
    kurds = raid.mentions[1]
    assert mentions[kurds.id] == {
        "id": kurds.id,
        "article_id": a.id,
        "sentence_index": 0,
        "start_char": kurds.start,
        "end_char": kurds.end,
        "text": "Kurdish rebels",
        "kind": "group",
        "actor_code": "KURREB",
        "actor_name": "Kurdish rebels",
        "kb_id": "kb:kurdish-rebels",
        "why": "kb:kurdish-rebels",
    }
    erbil = mentions[raid.mentions[2].id]
    assert (erbil["actor_code"], erbil["actor_name"], erbil["kb_id"]) == (None, None, None)


def test_non_ok_articles_are_stored_with_reason(store: DuckDBStore) -> None:
    empty, big = failed_articles()
    result = store.write(store.start_run({}), [empty, big])
    assert result == WriteResult(articles_added=2, events_added=0, mentions_added=0)
    rows = {r["id"]: r for r in store.fetch("SELECT id, status, reason, text, n_events FROM articles")}
    assert rows[empty.article.id] == {
        "id": empty.article.id,
        "status": "empty",
        "reason": "no text",
        "text": "",
        "n_events": 0,
    }
    assert rows[big.article.id]["status"] == "too_large" and rows[big.article.id]["text"] == "x" * 50


def test_rewrite_is_idempotent(store: DuckDBStore) -> None:
    run_id = store.start_run({})
    first = store.write(run_id, batch())
    assert first == WriteResult(articles_added=4, events_added=5, mentions_added=5,
                                 event_mentions_added=5)
    before = table_counts(store)
    again = batch()
    # nothing added, and every article of the batch reported as already stored
    assert store.write(store.start_run({}), again) == WriteResult(
        0, 0, 0, already_stored=frozenset(c.article.id for c in again))
    assert table_counts(store) == before
    # a later coding of a stored article is skipped whole: its events stay those of the first coding
    recoded = raid_article()
    recoded.events.append(
        event(recoded.article, 1, "Turkey condemned the attack.", TUR, IRN_MIL, "1221", rule="verb:accuse")
    )
    assert store.write(run_id, [recoded]) == WriteResult(0, 0, 0, already_stored=frozenset({recoded.article.id}))
    assert table_counts(store) == before
    # duplicates inside one batch are stored once: articles, events (same id) and mentions
    fresh = CodedArticle(make_article("Turkey condemned Iraq."))
    condemn = event(fresh.article, 0, "Turkey condemned Iraq.", TUR, IRQ, "122", rule="verb:condemn")
    fresh.events = [condemn, condemn]
    fresh.mentions = [mention(fresh.article, 0, "Turkey", "place", TUR, "kb")] * 2
    assert store.write(run_id, [fresh, fresh]) == WriteResult(1, 1, 1, 1)
    assert store.fetch("SELECT n_events FROM articles WHERE id = ?", [fresh.article.id]) == [{"n_events": 1}]


def test_coded_article_ids(filled: DuckDBStore) -> None:
    ids = [c.article.id for c in batch()]
    assert filled.coded_article_ids(ids + ["0000000000000000"]) == set(ids)
    assert filled.coded_article_ids(iter([])) == set()
    assert filled.coded_article_ids(["0000000000000000"]) == set()


def test_failed_write_stores_nothing_of_the_batch(store: DuckDBStore) -> None:
    run_id = store.start_run({})
    store.write(run_id, [talks_article()])
    before = table_counts(store)
    bad = raid_article()
    bad.events[1].quad_class = 7  # the articles and mentions insert fine; the events insert fails
    good = CodedArticle(make_article("A fine article with nothing to code."))
    with pytest.raises(StoreError, match="nothing of it was stored"):
        store.write(run_id, [good, bad])
    assert table_counts(store) == before
    assert store.coded_article_ids([good.article.id, bad.article.id]) == set()
    # the store is usable afterwards, and the same batch goes in once fixed
    bad.events[1].quad_class = 3
    assert store.write(run_id, [good, bad]) == WriteResult(2, 2, 4, 2)


def test_values_that_cannot_be_stored_raise_before_writing(store: DuckDBStore) -> None:
    run_id = store.start_run({})
    bad = raid_article()
    bad.events[0].goldstein = "very bad"  # type: ignore[assignment]
    with pytest.raises(ValueError, match="events table"):
        store.write(run_id, [talks_article(), bad])
    orphan = talks_article()
    orphan.events[0].article_id = "someone-else"
    with pytest.raises(ValueError, match="belongs to article"):
        store.write(run_id, [orphan])
    with pytest.raises(TypeError):
        store.write(run_id, [orphan.article])  # type: ignore[list-item]
    assert table_counts(store) == {"articles": 0, "mentions": 0, "events": 0}


def test_large_batch(store: DuckDBStore) -> None:
    run_id = store.start_run({})
    coded = []
    for i in range(2_000):
        art = make_article(
            f"Story {i}: Iranian troops attacked Kurdish rebels. " * 10, published=date(2024, 1, 1)
        )
        c = CodedArticle(art, sentences=[(0, 40)] * 10)
        for s in range(10):
            start = s * 49
            c.events.append(
                Event(
                    art.id,
                    s,
                    start,
                    start + 48,
                    "Iranian troops attacked Kurdish rebels.",
                    IRN_MIL,
                    KUR_REB,
                    "190",
                    rule="verb:attack",
                    quad_class=4,
                    goldstein=-10.0,
                    date=EventDate(date(2024, 1, 1) + timedelta(days=i % 300), "day", "x"),
                )
            )
            c.mentions.append(Mention(art.id, s, start, start + 14, "Iranian troops", "nationality", IRN_MIL))
        coded.append(c)
    result = store.write(run_id, coded)
    # ten sentences of one article report one event: one event key per article, ten mentions of it
    assert result == WriteResult(articles_added=2_000, events_added=2_000, mentions_added=20_000,
                                 event_mentions_added=20_000)
    assert table_counts(store) == {"articles": 2_000, "mentions": 20_000, "events": 2_000}
    assert store.fetch("SELECT DISTINCT num_mentions, num_articles, num_sources FROM events") == [
        {"num_mentions": 10, "num_articles": 1, "num_sources": 1}]
    assert count_events(store, EventFilter(since=date(2024, 1, 1), until=date(2024, 1, 1))) == 7


# -- reading ---------------------------------------------------------------------------------------


def ids_of(events: list[dict]) -> list[str]:
    return [e["id"] for e in events]


def test_query_events_dict_shape(filled: DuckDBStore) -> None:
    attack = raid_article().events[0]
    (e,) = query_events(filled, EventFilter(code="190"))
    assert list(e) == [
        "id",
        "article_id",
        "sentence_index",
        "start",
        "end",
        "evidence",
        "source",
        "source_name",
        "target",
        "target_name",
        "code",
        "event_name",
        "root",
        "quad_class",
        "goldstein",
        "plover",
        "plover_mode",
        "date",
        "date_precision",
        "location",
        "rule",
        "negated",
        "reported",
        "reporter",
        "hypothetical",
        "intent",
        "asserted",
        "verb_text",
        "confidence",
        "story_id",
        "num_mentions",
        "num_sources",
        "num_articles",
    ]
    assert e["id"] == event_key("story-1", attack) and (e["start"], e["end"]) == (attack.start, attack.end)
    assert (e["story_id"], e["num_mentions"], e["num_sources"], e["num_articles"]) == ("story-1", 1, 1, 1)
    assert (e["source"], e["target"], e["source_name"]) == ("IRNMIL", "KURREB", "Iranian troops")
    assert e["date"] == "2024-03-05" and e["date_precision"] == "day"
    assert e["location"] == {
        "name": "Erbil",
        "country": "IRQ",
        "admin1": "Erbil",
        "lat": 36.19,
        "lon": 44.01,
        "geo_type": "city",
        "rule": "sentence:near",
    }
    try:  # the ontology module is optional for the store; when it loads, names come from it
        from eventscope.ontology import Ontology

        expected_name = Ontology.load().event_type("190").name
    except Exception:
        expected_name = None
    assert e["event_name"] == expected_name
    (condemn,) = query_events(filled, EventFilter(code="122"))
    assert condemn["location"] is None and condemn["date"] is None and condemn["target"] is None


def test_order_is_by_date_with_undated_last(filled: DuckDBStore) -> None:
    events = query_events(filled, EventFilter())
    assert [e["date"] for e in events] == ["2024-01-10", "2024-02-01", "2024-02-01", "2024-03-05", None]
    # same date: article, sentence, then id
    same_day = events[1:3]
    assert ids_of(same_day) == sorted(ids_of(same_day))


def test_actor_filters_match_code_prefix_in_any_case(filled: DuckDBStore) -> None:
    assert {e["source"] for e in query_events(filled, EventFilter(source="irn"))} == {"IRNMIL", "IRNGOVMIL"}
    assert {e["source"] for e in query_events(filled, EventFilter(source="IRNGOV"))} == {"IRNGOVMIL"}
    assert {e["target"] for e in query_events(filled, EventFilter(target="irngov"))} == {"IRNGOVMIL"}
    assert query_events(filled, EventFilter(source="IRNGOVMILX")) == []
    assert query_events(filled, EventFilter(source="MIL")) == []  # a prefix, not a substring
    # LIKE wildcards are plain characters here
    assert query_events(filled, EventFilter(source="%")) == []
    assert query_events(filled, EventFilter(source="IRN_")) == []
    both = query_events(filled, EventFilter(source="USA", target="IRN"))
    assert [(e["source"], e["target"], e["code"]) for e in both] == [("USAGOV", "IRNGOVMIL", "163")]


def test_code_root_plover_quad_filters(filled: DuckDBStore) -> None:
    assert [e["code"] for e in query_events(filled, EventFilter(code="0332"))] == ["0332"]
    assert query_events(filled, EventFilter(code="03")) == []  # code is exact
    assert [e["code"] for e in query_events(filled, EventFilter(root="03"))] == ["0332"]
    assert [e["code"] for e in query_events(filled, EventFilter(root="3"))] == ["0332"]
    # a coder that leaves root empty still gets it from the code
    assert sorted(e["code"] for e in query_events(filled, EventFilter(root="16"))) == ["160", "163"]
    assert [e["code"] for e in query_events(filled, EventFilter(plover="consult"))] == ["0332"]
    assert sorted(e["code"] for e in query_events(filled, EventFilter(quad_class=3))) == ["122", "160", "163"]
    talks_id = talks_article().article.id
    assert len(query_events(filled, EventFilter(article_id=talks_id))) == 3
    assert query_events(filled, EventFilter(code="'; DROP TABLE events; --")) == []
    assert table_counts(filled)["events"] == 5


def test_date_filters_are_inclusive_and_drop_undated(filled: DuckDBStore) -> None:
    def dates(**kw) -> list[str]:
        return [e["date"] for e in query_events(filled, EventFilter(**kw))]

    assert dates(since=date(2024, 2, 1)) == ["2024-02-01", "2024-02-01", "2024-03-05"]
    assert dates(until=date(2024, 2, 1)) == ["2024-01-10", "2024-02-01", "2024-02-01"]
    assert dates(since=date(2024, 2, 1), until=date(2024, 2, 1)) == ["2024-02-01", "2024-02-01"]
    assert dates(since="2024-03-05") == ["2024-03-05"]  # ISO strings are accepted
    assert dates(since=date(2024, 3, 6)) == []
    with pytest.raises(ValueError, match="since must be a date"):
        query_events(filled, EventFilter(since="last week"))  # type: ignore[arg-type]


def test_limit_and_offset_page_through_the_order(filled: DuckDBStore) -> None:
    everything = ids_of(query_events(filled, EventFilter()))
    pages = [ids_of(query_events(filled, EventFilter(limit=2, offset=o))) for o in (0, 2, 4, 6)]
    assert pages == [everything[0:2], everything[2:4], everything[4:], []]
    assert ids_of(query_events(filled, EventFilter(offset=3))) == everything[3:]
    assert query_events(filled, EventFilter(limit=0)) == []
    assert count_events(filled, EventFilter(limit=1)) == 5
    with pytest.raises(ValueError, match="limit"):
        query_events(filled, EventFilter(limit=-1))


def test_get_event(filled: DuckDBStore) -> None:
    raid = raid_article()
    attack = raid.events[0]
    got = get_event(filled, event_key("story-1", attack))
    assert got is not None and got["id"] == event_key("story-1", attack) and got["code"] == "190"
    assert got["article"] == {
        "id": raid.article.id,
        "title": "Iran strikes rebels",
        "url": "https://example.org/raid",
        "published": "2024-03-06",
        "source": "feeds/example.xml#item 1",
    }
    # the mentions of the event's sentence only, in text order
    assert [m["text"] for m in got["mentions"]] == ["Iranian troops", "Kurdish rebels", "Erbil"]
    assert got["mentions"][0] == {
        "id": raid.mentions[0].id,
        "sentence_index": 0,
        "start": 0,
        "end": 14,
        "text": "Iranian troops",
        "kind": "nationality",
        "actor": "IRNMIL",
        "actor_name": "Iranian troops",
        "kb_id": None,
        "why": "demonym",
    }
    assert [m["text"] for m in get_event(filled, event_key("story-1", raid.events[1]))["mentions"]] == ["Turkey"]
    # every report of the event: here one article, one sentence
    assert got["event_mentions"] == [{
        "article_id": raid.article.id, "sentence_index": 0, "start": attack.start, "end": attack.end,
        "evidence": attack.evidence, "verb_start": attack.verb_start, "verb_end": attack.verb_end,
        "rule": "verb:attack", "confidence": 0.9, "outlet": "example.org", "url": "https://example.org/raid",
        "published": "2024-03-06", "title": "Iran strikes rebels",
    }]
    assert get_event(filled, "no-such-event") is None


def test_query_articles_and_get_article(filled: DuckDBStore) -> None:
    articles = query_articles(filled)
    assert len(articles) == 4
    raid = raid_article().article
    row = next(a for a in articles if a["id"] == raid.id)
    assert row == {
        "id": raid.id,
        "status": "ok",
        "reason": None,
        "title": "Iran strikes rebels",
        "source": "feeds/example.xml#item 1",
        "kind": "rss",
        "url": "https://example.org/raid",
        "outlet": "example.org",
        "published": "2024-03-06",
        "language": "en",
        "events": 2,
        "n_sentences": 2,
        "ingested_at": "2024-03-06T08:30:00+00:00",
    }
    assert [a["status"] for a in query_articles(filled, status=STATUS_EMPTY)] == ["empty"]
    assert {a["status"] for a in query_articles(filled, status=STATUS_OK)} == {"ok"}
    assert len(query_articles(filled, limit=3)) == 3
    assert query_articles(filled, status="no-such-status") == []
    full = get_article(filled, raid.id)
    assert full["text"] == raid.text and full["story_id"] == "story-1" and full["events"] == 2
    assert get_article(filled, "nope") is None


def test_summary_counts(filled: DuckDBStore) -> None:
    summary = summary_counts(filled)
    assert summary["articles"] == 4
    assert summary["articles_by_status"] == {"ok": 2, "empty": 1, "too_large": 1}
    assert summary["reasons"] == {"empty": {"no text": 1}, "too_large": {"12 MB, over 5 MB": 1}}
    assert (summary["events"], summary["mentions"]) == (5, 5)

    run_id = filled.start_run({"inputs": ["more/"]})
    filled.write(run_id, [CodedArticle(make_article("Later story.")), *batch()])
    per_run = summary_counts(filled, run_id)
    assert per_run["articles"] == 1 and per_run["articles_by_status"] == {"ok": 1}
    assert (per_run["events"], per_run["mentions"], per_run["reasons"]) == (0, 0, {})
    assert per_run["run"]["status"] == "running" and per_run["run"]["args"] == {"inputs": ["more/"]}
    assert summary_counts(filled)["articles"] == 5
    assert summary_counts(filled, "no-such-run")["articles"] == 0


def test_read_only_open(tmp_path: Path) -> None:
    path = tmp_path / "events.duckdb"
    with open_store(path) as s:
        s.write(s.start_run({}), batch())
    with open_store(path, read_only=True) as ro:
        assert len(query_events(ro, EventFilter())) == 5
        assert summary_counts(ro)["articles"] == 4
        with pytest.raises(StoreError, match="read-only"):
            ro.start_run({})
        with pytest.raises(StoreError, match="read-only"):
            ro.write("r", [talks_article()])
    # the query layer also takes a raw DuckDB connection
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert [e["code"] for e in query_events(con, EventFilter(code="190"))] == ["190"]
    finally:
        con.close()


def test_open_while_another_process_writes_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "events.duckdb"
    with open_store(path):
        script = textwrap.dedent(f"""
            from eventscope.store import StoreError, open_store
            try:
                open_store({str(path)!r}, read_only=True)
            except StoreError as exc:
                print("StoreError:", exc)
        """)
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.stdout.startswith("StoreError:") and "in use by another process" in out.stdout, out.stderr


def test_closed_store(tmp_path: Path) -> None:
    s = open_store(tmp_path / "events.duckdb")
    s.close()
    s.close()  # closing twice is fine
    with pytest.raises(StoreError, match="closed"):
        query_events(s, EventFilter())


# ---- the synthetic store (eventscope.store.synthetic): laid out as a run with story deduplication writes -----

def _check_synthetic_layout(s: DuckDBStore) -> None:
    def one(sql: str) -> int:
        return s.fetch(sql)[0]["n"]

    # the counts are those of the event's reports, as DuckDBStore.write counts them
    assert one("""SELECT count(*) AS n FROM events e LEFT JOIN (
                      SELECT event_id, count(*) AS m, count(DISTINCT article_id) AS a, count(DISTINCT source_key) AS k
                      FROM event_mentions GROUP BY event_id) c ON c.event_id = e.id
                  WHERE c.m IS DISTINCT FROM e.num_mentions OR c.a IS DISTINCT FROM e.num_articles
                     OR c.k IS DISTINCT FROM e.num_sources""") == 0
    # an event's row is its first report: the story's first article (whose id is the story's), its sentence there
    assert one("""SELECT count(*) AS n FROM events e LEFT JOIN event_mentions m ON m.event_id = e.id
                  AND m.article_id = e.article_id AND m.sentence_index = e.sentence_index
                  WHERE m.event_id IS NULL OR e.story_id IS DISTINCT FROM e.article_id""") == 0
    assert one("""SELECT count(*) AS n FROM event_mentions m JOIN events e ON e.id = m.event_id
                  LEFT JOIN articles a ON a.id = m.article_id LEFT JOIN articles f ON f.id = e.article_id
                  WHERE a.story_id IS DISTINCT FROM e.story_id OR a.url IS DISTINCT FROM m.url
                     OR a.outlet IS DISTINCT FROM m.outlet OR a.ingested_at < f.ingested_at""") == 0
    # an article's n_events: the asserted events it reports
    assert one("""SELECT count(*) AS n FROM articles a LEFT JOIN (
                      SELECT m.article_id, count(DISTINCT m.event_id) FILTER (WHERE e.asserted) AS k
                      FROM event_mentions m JOIN events e ON e.id = m.event_id GROUP BY 1) c ON c.article_id = a.id
                  WHERE coalesce(c.k, 0) != a.n_events""") == 0


def test_synthetic_store_is_a_story_store(tmp_path: Path) -> None:
    from eventscope.store.synthetic import build_synthetic_store, ensure_synthetic_store

    path = tmp_path / "synthetic.duckdb"
    # batches and calls end inside stories (events 5 a story): a story's events are written in two goes
    assert build_synthetic_store(path, 603, batch_size=250) == 603
    assert build_synthetic_store(path, 1500, batch_size=333, start=603) == 897
    with open_store(path, read_only=True) as s:
        _check_synthetic_layout(s)
        rows = s.fetch("SELECT * FROM events")
        assert len(rows) == 1500 and len({r["story_id"] for r in rows}) == 300
        counts = [(r["num_mentions"], r["num_articles"], r["num_sources"]) for r in rows]
        assert {a for _, a, _ in counts} >= {1, 2, 3, 4} and any(m > a for m, a, _ in counts)
        assert any(k < a for _, a, k in counts)  # two articles of a story from one outlet
        # ids are the event keys the pipeline writes: a further report joins the event
        for r in rows[::37]:
            ev = Event(r["article_id"], r["sentence_index"], r["start_char"], r["end_char"], r["evidence"],
                       Actor(r["source_code"]), Actor(r["target_code"]), r["code"], r["rule"], negated=r["negated"],
                       hypothetical=r["hypothetical"])
            assert r["id"] == event_key(r["story_id"], ev)
    # a store of this generator is reused; one without its mark (an older generator's) is rebuilt
    assert ensure_synthetic_store(path, 1500) is False
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM meta WHERE key = 'synthetic'")
    con.close()
    assert ensure_synthetic_store(path, 1500) is True
    with open_store(path, read_only=True) as s:
        _check_synthetic_layout(s)
        assert s.fetch("SELECT count(*) AS n FROM events") == [{"n": 1500}]
