"""A synthetic event store: N plausible events (real CAMEO codes, actor codes, dates, places and flags) with
their reports, for benchmarks and tests of the read side (queries, HTTP API, exports) at sizes no test corpus
reaches.

The store is laid out as a run with story deduplication writes it (schema version 3, eventscope.dedup):
events come ``events_per_story`` to a story, and a story is reported by one to six articles (55% by one, about
two on average) from eight outlets. An event's row is its first report (the story's first article, the
event's sentence there); each later article of the story reports it again with probability 0.75, and any
article may report it a second time, in another sentence, with probability 0.15. Every report is a row of
``event_mentions`` and ``num_mentions``/``num_articles``/``num_sources`` count them, as ``DuckDBStore.write``
counts. Event ids are event keys (``model.event_key``: story, dyad, code and flags), so a further report
written through the store joins a synthetic event as it would join a coded one; the events of a story draw
their codes from disjoint sets (position j in the story: codes j, j + k, j + 2k, ... of the table), so no two
of them share a key.

Rows are generated as NumPy arrays and loaded through Arrow (``INSERT INTO ... SELECT FROM <Arrow table>``);
DuckDB's executemany would take about 20 minutes per million rows. The same ``n`` and ``seed`` always give
the same store. Articles have a one-line text and no actor mentions, and no MinHash signatures (a run into a
synthetic store would sign them again from their text).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from eventscope.ontology import Ontology
from eventscope.store import open_store
from eventscope.store.schema import event_key_sql

# (ISO alpha-3, capital, lat, lon): event places and actor countries
_COUNTRIES = (
    ("USA", "Washington", 38.90, -77.04), ("RUS", "Moscow", 55.75, 37.62), ("UKR", "Kyiv", 50.45, 30.52),
    ("CHN", "Beijing", 39.90, 116.40), ("IRN", "Tehran", 35.69, 51.42), ("ISR", "Jerusalem", 31.77, 35.21),
    ("SYR", "Damascus", 33.51, 36.29), ("IRQ", "Baghdad", 33.31, 44.36), ("TUR", "Ankara", 39.93, 32.86),
    ("SAU", "Riyadh", 24.71, 46.68), ("EGY", "Cairo", 30.04, 31.24), ("PSE", "Ramallah", 31.90, 35.20),
    ("LBN", "Beirut", 33.89, 35.50), ("DEU", "Berlin", 52.52, 13.40), ("FRA", "Paris", 48.86, 2.35),
    ("GBR", "London", 51.51, -0.13), ("IND", "New Delhi", 28.61, 77.21), ("PAK", "Islamabad", 33.69, 73.05),
    ("AFG", "Kabul", 34.53, 69.17), ("NGA", "Abuja", 9.08, 7.40), ("KEN", "Nairobi", -1.29, 36.82),
    ("ETH", "Addis Ababa", 9.03, 38.74), ("COD", "Kinshasa", -4.44, 15.27), ("SDN", "Khartoum", 15.50, 32.56),
    ("MLI", "Bamako", 12.64, -8.00), ("BRA", "Brasilia", -15.79, -47.88), ("VEN", "Caracas", 10.48, -66.90),
    ("COL", "Bogota", 4.71, -74.07), ("MEX", "Mexico City", 19.43, -99.13), ("JPN", "Tokyo", 35.68, 139.69),
    ("KOR", "Seoul", 37.57, 126.98), ("PRK", "Pyongyang", 39.04, 125.76), ("TWN", "Taipei", 25.03, 121.57),
    ("PHL", "Manila", 14.60, 120.98), ("IDN", "Jakarta", -6.21, 106.85), ("MMR", "Naypyidaw", 19.76, 96.08),
    ("YEM", "Sanaa", 15.37, 44.19), ("LBY", "Tripoli", 32.89, 13.19), ("SOM", "Mogadishu", 2.05, 45.32),
    ("EST", "Tallinn", 59.44, 24.75),
)  # fmt: skip
_SECTORS = ("", "GOV", "MIL", "GOVMIL", "REB", "CVL", "COP", "OPP", "BUS", "MED")
_ORGANISATIONS = ("IGOUNO", "IGOEUREEC", "IGOWSTNAT", "IGOAFRAFU", "NGOAMN")
_OUTLETS = ("Reuters", "AP", "AFP", "BBC", "Al Jazeera", "Xinhua", "DW", "The Hindu")
_FIRST_DAY = date(2015, 1, 1)
_DAYS = (date(2025, 12, 31) - _FIRST_DAY).days + 1
_CREATED = datetime(2026, 1, 5, 12, 0, 0)
_ARTICLE_SALT = 1 << 40  # article ids come from another stretch of the id space than event ids
_STORY_SALT = 1 << 41  # and the draws that depend on the story or article alone from yet another
_OUTLET_SALT = 1 << 42
_ARTICLE_SHARES = (0.55, 0.20, 0.10, 0.07, 0.05, 0.03)  # stories reported by 1, 2, ... 6 articles
_MAX_ARTICLES = len(_ARTICLE_SHARES)
_LATER_REPORT = 0.75  # a later article of the story reports a given event of it
_SECOND_REPORT = 0.15  # an article reports the event a second time, in another sentence
_EVENTS_PER_STORY = 5
_LAYOUT = "2"  # the generator's version (meta 'synthetic'): a store from an older one is rebuilt, not reused


def _actor_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """code, country, sectors ("+"-joined) and name of every synthetic actor."""
    codes, countries, sectors, names = [], [], [], []
    for iso3, capital, _, _ in _COUNTRIES:
        for sector in _SECTORS:
            codes.append(iso3 + sector)
            countries.append(iso3)
            parts = [sector[i : i + 3] for i in range(0, len(sector), 3)]
            sectors.append("+".join(parts) or None)
            names.append(f"{capital} {sector.lower() or 'state'}")
    for code in _ORGANISATIONS:
        codes.append(code)
        countries.append(None)
        sectors.append(code[:3])
        names.append(code[3:].lower())
    return np.array(codes, object), np.array(countries, object), np.array(sectors, object), np.array(names, object)


def _hex_ids(numbers: np.ndarray, salt: int) -> np.ndarray:
    """Distinct 16-hex-digit ids: an odd multiplier is a bijection on 64-bit integers."""
    mixed = (numbers.astype(np.uint64) + np.uint64(salt)) * np.uint64(0x9E3779B97F4A7C15)
    return np.array([f"{v:016x}" for v in mixed.tolist()], dtype=object)


def _uniform(numbers: np.ndarray, salt: int) -> np.ndarray:
    """A value in [0, 1) for each number, the same whichever batch asks (SplitMix64's finaliser)."""
    z = numbers.astype(np.uint64) + np.uint64((salt * 0x9E3779B97F4A7C15) & (2**64 - 1))
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _zipf_choice(rng: np.random.Generator, k: int, size: int) -> np.ndarray:
    """Indexes 0..k-1, the low ones far more often (news is about a few actors)."""
    weights = 1.0 / np.arange(1, k + 1) ** 0.9
    return rng.choice(k, size=size, p=weights / weights.sum())


def _articles_per_story(stories: np.ndarray, seed: int) -> np.ndarray:
    """How many articles report each story: a function of the story alone, as its events may fall in two
    batches (and its articles are written with the first)."""
    cumulative = np.cumsum(_ARTICLE_SHARES)
    picks = np.searchsorted(cumulative, _uniform(stories, seed + _STORY_SALT), side="right") + 1
    return np.minimum(picks, _MAX_ARTICLES)


def _article_numbers(stories: np.ndarray, k: np.ndarray) -> np.ndarray:
    """The number of the k-th article of each story (ids, outlets and URLs derive from it)."""
    return stories.astype(np.int64) * _MAX_ARTICLES + k


def _outlet_index(numbers: np.ndarray, seed: int) -> np.ndarray:
    return (_uniform(numbers, seed + _OUTLET_SALT) * len(_OUTLETS)).astype(np.int64)


def _url(article_ids: np.ndarray) -> np.ndarray:
    return np.char.add("https://news.example/", article_ids.astype(str)).astype(object)


def _event_keys(con: duckdb.DuckDBPyConnection, columns: dict[str, pa.Array]) -> pa.Array:
    """The event key of each row (eventscope.model.event_key, in the store's SQL form), in row order."""
    names = ("story_id", "source_code", "target_code", "code", "negated", "hypothetical")
    table = pa.table({**{k: columns[k] for k in names}, "_row": pa.array(np.arange(len(columns["code"])))})
    view = f"_synthetic_keys_{uuid.uuid4().hex}"
    con.register(view, table)
    try:
        return con.sql(f"SELECT {event_key_sql('story_id')} AS id FROM {view} ORDER BY _row").to_arrow_table()["id"]
    finally:
        con.unregister(view)


def synthetic_batch(start: int, n: int, seed: int = 7, events_per_story: int = _EVENTS_PER_STORY,
                    con: duckdb.DuckDBPyConnection | None = None) -> tuple[dict[str, pa.Array], dict[str, pa.Array]]:
    """Events ``start .. start+n-1`` of the synthetic store and their reports, as Arrow columns named like the
    ``events`` and ``event_mentions`` tables (``run_id`` left out). ``con`` computes the event keys (by default
    an in-memory DuckDB)."""
    rng = np.random.default_rng([seed, start])
    ontology = Ontology.load()
    types = [t for t in ontology.event_types() if len(t.code) >= 3 and t.goldstein is not None]
    if events_per_story > len(types):
        raise ValueError(f"events_per_story must be at most {len(types)} (one CAMEO code set per position)")
    codes = np.array([t.code for t in types], object)
    roots = np.array([t.root for t in types], object)
    quads = np.array([t.quad_class for t in types], np.int64)
    goldstein = np.array([t.goldstein for t in types], np.float64)
    plover = np.array([t.plover for t in types], object)
    modes = np.array([t.plover_mode for t in types], object)
    a_code, a_country, a_sectors, a_name = _actor_table()

    index = np.arange(start, start + n, dtype=np.int64)
    story = index // events_per_story
    position = index % events_per_story
    n_articles = _articles_per_story(story, seed)
    first_article = _hex_ids(_article_numbers(story, 0), seed + _ARTICLE_SALT)
    src = _zipf_choice(rng, len(a_code), n)
    tgt = _zipf_choice(rng, len(a_code), n)
    tgt = np.where(tgt == src, (tgt + 1) % len(a_code), tgt)
    # position j takes the codes j, j + k, j + 2k ... (k events a story): a story's events never share a key
    per_position = (len(types) - position + events_per_story - 1) // events_per_story
    ev = position + events_per_story * rng.integers(0, per_position)
    undated = rng.random(n) < 0.03
    days = rng.integers(0, _DAYS, n)
    event_date = pa.array(
        (np.datetime64(_FIRST_DAY, "D") + days.astype("timedelta64[D]")).astype("datetime64[D]"),
        type=pa.date32(), mask=undated,
    )
    place = rng.integers(0, len(_COUNTRIES), n)
    located = rng.random(n) < 0.6
    city = rng.random(n) < 0.5
    place_iso = np.array([c[0] for c in _COUNTRIES], object)[place]
    country_names = np.array([ontology.country_name(c[0]) or c[0] for c in _COUNTRIES], object)
    place_name = np.where(city, np.array([c[1] for c in _COUNTRIES], object)[place], country_names[place])
    lat = np.array([c[2] for c in _COUNTRIES])[place] + rng.normal(0, 0.05, n)
    lon = np.array([c[3] for c in _COUNTRIES])[place] + rng.normal(0, 0.05, n)
    negated = rng.random(n) < 0.03
    hypothetical = rng.random(n) < 0.02
    confidence = np.round(rng.uniform(0.3, 1.0, n), 2)
    evidence = np.char.add(np.char.add(a_name[src].astype(str), " acted towards "), a_name[tgt].astype(str))
    verb_offset = np.char.str_len(a_name[src].astype(str)) + 1  # "acted" follows the source actor's name

    # reports: article k of the story (k = 0 always, later ones with probability 0.75), sometimes twice
    k = np.arange(_MAX_ARTICLES)
    in_story = k[None, :] < n_articles[:, None]
    reported = (k[None, :] == 0) | (in_story & (rng.random((n, _MAX_ARTICLES)) < _LATER_REPORT))
    again = reported & (rng.random((n, _MAX_ARTICLES)) < _SECOND_REPORT)
    numbers = _article_numbers(story[:, None], k[None, :])
    outlet = _outlet_index(numbers, seed)
    outlet_bits = np.bitwise_or.reduce(np.where(reported, np.int64(1) << outlet, 0), axis=1)
    num_sources = sum((outlet_bits >> b) & 1 for b in range(len(_OUTLETS)))
    num_articles = reported.sum(axis=1)
    num_mentions = num_articles + again.sum(axis=1)

    def located_only(values, arrow_type):
        return pa.array(values, type=arrow_type, mask=~located)

    events = {
        "article_id": pa.array(first_article, pa.string()),
        "sentence_index": pa.array(position, pa.int64()),
        "start_char": pa.array(position * 80, pa.int64()),
        "end_char": pa.array(position * 80 + 79, pa.int64()),
        "evidence": pa.array(evidence.astype(object), pa.string()),
        "source_code": pa.array(a_code[src], pa.string()),
        "source_country": pa.array(a_country[src], pa.string()),
        "source_sectors": pa.array(a_sectors[src], pa.string()),
        "source_name": pa.array(a_name[src], pa.string()),
        "target_code": pa.array(a_code[tgt], pa.string()),
        "target_country": pa.array(a_country[tgt], pa.string()),
        "target_sectors": pa.array(a_sectors[tgt], pa.string()),
        "target_name": pa.array(a_name[tgt], pa.string()),
        "code": pa.array(codes[ev], pa.string()),
        "root": pa.array(roots[ev], pa.string()),
        "quad_class": pa.array(quads[ev], pa.int64()),
        "goldstein": pa.array(goldstein[ev], pa.float64()),
        "plover": pa.array(plover[ev], pa.string()),
        "plover_mode": pa.array(modes[ev], pa.string()),
        "event_date": event_date,
        "date_precision": pa.array(np.where(undated, "unknown", "day").astype(object), pa.string()),
        "date_source": pa.array(np.where(undated, "none", "publication").astype(object), pa.string()),
        "location_name": located_only(place_name, pa.string()),
        "location_country": located_only(place_iso, pa.string()),
        "lat": located_only(lat, pa.float64()),
        "lon": located_only(lon, pa.float64()),
        "geo_type": located_only(np.where(city, "city", "country").astype(object), pa.string()),
        "location_rule": located_only(np.full(n, "synthetic", object), pa.string()),
        "confidence": pa.array(confidence, pa.float64()),
        "rule": pa.array(np.full(n, "synthetic", object), pa.string()),
        "negated": pa.array(negated, pa.bool_()),
        "reported": pa.array(rng.random(n) < 0.25, pa.bool_()),
        "hypothetical": pa.array(hypothetical, pa.bool_()),
        "intent": pa.array(rng.random(n) < 0.08, pa.bool_()),
        "asserted": pa.array(~(negated | hypothetical), pa.bool_()),
        "verb_text": pa.array(np.full(n, "acted", object), pa.string()),
        "verb_start": pa.array(position * 80 + verb_offset, pa.int64()),
        "verb_end": pa.array(position * 80 + verb_offset + 5, pa.int64()),
        "created_at": pa.array(np.full(n, np.datetime64(_CREATED, "us")), pa.timestamp("us")),
        "story_id": pa.array(first_article, pa.string()),
        "num_mentions": pa.array(num_mentions, pa.int64()),
        "num_sources": pa.array(num_sources, pa.int64()),
        "num_articles": pa.array(num_articles, pa.int64()),
    }
    own = con is None
    con = duckdb.connect() if own else con
    try:
        ids = _event_keys(con, events)
    finally:
        if own:
            con.close()
    events = {"id": ids, **events}

    # one row per report: (event, article k, sentence); article k carries position j in sentence (j + k) mod
    # events_per_story, a second report in that sentence + events_per_story
    rows, ks = np.nonzero(reported)
    rows2, ks2 = np.nonzero(again)
    row = np.concatenate([rows, rows2])
    k_of = np.concatenate([ks, ks2])
    sentence = (position[row] + k_of) % events_per_story + np.concatenate(
        [np.zeros(len(rows), np.int64), np.full(len(rows2), events_per_story, np.int64)])
    number = numbers[row, k_of]
    article = _hex_ids(number, seed + _ARTICLE_SALT)
    first_report = (k_of == 0) & (sentence == position[row])
    m = len(row)
    mentions = {
        "event_id": ids.take(pa.array(row)),
        "article_id": pa.array(article, pa.string()),
        "sentence_index": pa.array(sentence, pa.int64()),
        "start_char": pa.array(sentence * 80, pa.int64()),
        "end_char": pa.array(sentence * 80 + 79, pa.int64()),
        "evidence": pa.array(evidence[row].astype(object), pa.string()),
        "verb_start": pa.array(sentence * 80 + verb_offset[row], pa.int64()),
        "verb_end": pa.array(sentence * 80 + verb_offset[row] + 5, pa.int64()),
        "rule": pa.array(np.full(m, "synthetic", object), pa.string()),
        "confidence": pa.array(np.where(first_report, confidence[row], np.round(rng.uniform(0.3, 1.0, m), 2)),
                               pa.float64()),
        "outlet": pa.array(np.array(_OUTLETS, object)[outlet[row, k_of]], pa.string()),
        "url": pa.array(_url(article), pa.string()),
        "published": pa.nulls(m, pa.date32()),
        "created_at": pa.array(np.datetime64(_CREATED, "us") + k_of.astype("timedelta64[h]"), pa.timestamp("us")),
        "source_key": pa.array(np.array(_OUTLETS, object)[outlet[row, k_of]], pa.string()),
    }
    return events, mentions


def _article_batch(stories: np.ndarray, seed: int, events_per_story: int, run_id: str) -> dict[str, pa.Array]:
    """The articles of ``stories``, first article first (its id is the story's id)."""
    counts = _articles_per_story(stories, seed)
    story = np.repeat(stories, counts)
    k = np.arange(len(story)) - np.repeat(np.cumsum(counts) - counts, counts)
    numbers = _article_numbers(story, k)
    ids = _hex_ids(numbers, seed + _ARTICLE_SALT)
    text = np.char.add("Synthetic article ", numbers.astype(str)).astype(object)
    count = len(ids)
    return {
        "id": pa.array(ids, pa.string()),
        "run_id": pa.array(np.full(count, run_id, object), pa.string()),
        "source": pa.array(np.full(count, "synthetic", object), pa.string()),
        "kind": pa.array(np.full(count, "synthetic", object), pa.string()),
        "url": pa.array(_url(ids), pa.string()),
        "outlet": pa.array(np.array(_OUTLETS, object)[_outlet_index(numbers, seed)], pa.string()),
        "title": pa.array(text, pa.string()),
        "language": pa.array(np.full(count, "en", object), pa.string()),
        "status": pa.array(np.full(count, "ok", object), pa.string()),
        "text": pa.array(text, pa.string()),
        "story_id": pa.array(_hex_ids(_article_numbers(story, 0), seed + _ARTICLE_SALT), pa.string()),
        "n_sentences": pa.array(np.full(count, 2 * events_per_story), pa.int64()),
        "n_events": pa.array(np.zeros(count, np.int64), pa.int64()),  # counted once the reports are stored
        # the story's articles come in one after the other, an hour apart: the first one is its first report
        "ingested_at": pa.array(np.datetime64(_CREATED, "us") + k.astype("timedelta64[h]"), pa.timestamp("us")),
    }


def _insert(con, table: str, columns: dict[str, pa.Array]) -> None:
    view = f"_synthetic_{uuid.uuid4().hex}"
    arrow = pa.table(columns)
    con.register(view, arrow)
    try:
        names = ", ".join(arrow.column_names)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
    finally:
        con.unregister(view)


def _layout(seed: int, events_per_story: int) -> str:
    return f"layout {_LAYOUT}, seed {seed}, {events_per_story} events a story"


def build_synthetic_store(path: str | Path, n_events: int = 1_000_000, seed: int = 7,
                          events_per_story: int = _EVENTS_PER_STORY, batch_size: int = 250_000, start: int = 0) -> int:
    """Write events ``start .. n_events-1`` (with their reports and articles) into the store at ``path``; returns
    the number of events added. Calling it again with a larger ``n_events`` and ``start`` = the old size
    extends a store."""
    if n_events < 0 or start < 0 or batch_size < 1 or events_per_story < 1:
        raise ValueError("n_events, start must be >= 0; batch_size, events_per_story >= 1")
    with open_store(path) as store:
        con = store.connection
        run_id = store.start_run({"synthetic": {"n_events": n_events, "seed": seed, "start": start}})
        for first in range(start, n_events, batch_size):
            count = min(batch_size, n_events - first)
            con.execute("BEGIN TRANSACTION")
            try:
                events, mentions = synthetic_batch(first, count, seed, events_per_story, con)
                events["run_id"] = pa.array(np.full(count, run_id, object), pa.string())
                mentions["run_id"] = pa.array(np.full(len(mentions["event_id"]), run_id, object), pa.string())
                _insert(con, "events", events)
                _insert(con, "event_mentions", mentions)
                s_first = -(-first // events_per_story)  # stories whose first event is in this batch
                s_last = (first + count - 1) // events_per_story
                if s_last >= s_first:
                    _insert(con, "articles", _article_batch(np.arange(s_first, s_last + 1, dtype=np.int64), seed,
                                                            events_per_story, run_id))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        # an article's n_events: the asserted events it reports (as DuckDBStore.write counts them)
        con.execute(
            """UPDATE articles SET n_events = c.n FROM (
                   SELECT m.article_id, count(DISTINCT m.event_id) FILTER (WHERE e.asserted) AS n
                   FROM event_mentions m JOIN events e ON e.id = m.event_id
                   WHERE m.article_id IN (SELECT article_id FROM event_mentions WHERE run_id = ?)
                   GROUP BY m.article_id) c
               WHERE articles.id = c.article_id""",
            [run_id],
        )
        con.execute("INSERT INTO meta VALUES ('synthetic', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [_layout(seed, events_per_story)])
        store.finish_run(run_id, "done", {"events": max(0, n_events - start)})
    return max(0, n_events - start)


def ensure_synthetic_store(path: str | Path, n_events: int, seed: int = 7) -> bool:
    """A synthetic store of ``n_events`` at ``path``: reused when the file holds that many events, written by
    this version of the generator with this seed, else (re)built. Returns True when it was built."""
    path = Path(path)
    if path.exists():
        try:
            con = duckdb.connect(str(path), read_only=True)
            try:
                layout = con.execute("SELECT value FROM meta WHERE key = 'synthetic'").fetchall()
                if (layout == [(_layout(seed, _EVENTS_PER_STORY),)]
                        and con.execute("SELECT count(*) FROM events").fetchone()[0] == n_events):
                    return False
            finally:
                con.close()
        except duckdb.Error:
            pass  # not a store, or another one: rebuilt below
        path.unlink()
    build_synthetic_store(path, n_events, seed)
    return True
