"""A synthetic event store: N plausible events (real CAMEO codes, actor codes, dates, places and flags) for
benchmarks and tests of the read side (queries, HTTP API, exports) at sizes no test corpus reaches.

Rows are generated as NumPy arrays and loaded through Arrow (``INSERT INTO ... SELECT FROM <Arrow table>``);
DuckDB's executemany would take about 20 minutes per million rows. The same ``n`` and ``seed`` always give
the same store. Its articles have a one-line text and no mentions.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa

from eventscope.ontology import Ontology
from eventscope.store import open_store

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


def _zipf_choice(rng: np.random.Generator, k: int, size: int) -> np.ndarray:
    """Indexes 0..k-1, the low ones far more often (news is about a few actors)."""
    weights = 1.0 / np.arange(1, k + 1) ** 0.9
    return rng.choice(k, size=size, p=weights / weights.sum())


def synthetic_event_batch(start: int, n: int, seed: int = 7, events_per_article: int = 5) -> dict[str, pa.Array]:
    """Events ``start .. start+n-1`` of the synthetic store, as Arrow columns named like the events table."""
    rng = np.random.default_rng([seed, start])
    ontology = Ontology.load()
    types = [t for t in ontology.event_types() if len(t.code) >= 3 and t.goldstein is not None]
    codes = np.array([t.code for t in types], object)
    roots = np.array([t.root for t in types], object)
    quads = np.array([t.quad_class for t in types], np.int64)
    goldstein = np.array([t.goldstein for t in types], np.float64)
    plover = np.array([t.plover for t in types], object)
    modes = np.array([t.plover_mode for t in types], object)
    a_code, a_country, a_sectors, a_name = _actor_table()

    index = np.arange(start, start + n, dtype=np.int64)
    article = index // events_per_article
    src = _zipf_choice(rng, len(a_code), n)
    tgt = _zipf_choice(rng, len(a_code), n)
    tgt = np.where(tgt == src, (tgt + 1) % len(a_code), tgt)
    ev = rng.integers(0, len(types), n)
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
    sentence = index % events_per_article
    evidence = np.char.add(np.char.add(a_name[src].astype(str), " acted towards "), a_name[tgt].astype(str))

    def located_only(values, arrow_type):
        return pa.array(values, type=arrow_type, mask=~located)

    return {
        "id": pa.array(_hex_ids(index, seed), pa.string()),
        "article_id": pa.array(_hex_ids(article, seed + _ARTICLE_SALT), pa.string()),
        "sentence_index": pa.array(sentence, pa.int64()),
        "start_char": pa.array(sentence * 80, pa.int64()),
        "end_char": pa.array(sentence * 80 + 79, pa.int64()),
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
        "confidence": pa.array(np.round(rng.uniform(0.3, 1.0, n), 2), pa.float64()),
        "rule": pa.array(np.full(n, "synthetic", object), pa.string()),
        "negated": pa.array(negated, pa.bool_()),
        "reported": pa.array(rng.random(n) < 0.25, pa.bool_()),
        "hypothetical": pa.array(hypothetical, pa.bool_()),
        "intent": pa.array(rng.random(n) < 0.08, pa.bool_()),
        "asserted": pa.array(~(negated | hypothetical), pa.bool_()),
        "verb_text": pa.array(np.full(n, "acted", object), pa.string()),
        "created_at": pa.array(np.full(n, np.datetime64(_CREATED, "us")), pa.timestamp("us")),
    }


def _article_batch(first: int, count: int, seed: int, events_per_article: int, run_id: str) -> dict[str, pa.Array]:
    numbers = np.arange(first, first + count, dtype=np.int64)
    ids = _hex_ids(numbers, seed + _ARTICLE_SALT)
    text = np.char.add("Synthetic article ", numbers.astype(str)).astype(object)
    return {
        "id": pa.array(ids, pa.string()),
        "run_id": pa.array(np.full(count, run_id, object), pa.string()),
        "source": pa.array(np.full(count, "synthetic", object), pa.string()),
        "kind": pa.array(np.full(count, "synthetic", object), pa.string()),
        "url": pa.array(np.char.add("https://news.example/", ids.astype(str)).astype(object), pa.string()),
        "outlet": pa.array(np.array(_OUTLETS, object)[numbers % len(_OUTLETS)], pa.string()),
        "title": pa.array(text, pa.string()),
        "language": pa.array(np.full(count, "en", object), pa.string()),
        "status": pa.array(np.full(count, "ok", object), pa.string()),
        "text": pa.array(text, pa.string()),
        "n_sentences": pa.array(np.full(count, events_per_article), pa.int64()),
        "n_events": pa.array(np.full(count, events_per_article), pa.int64()),
        "ingested_at": pa.array(np.full(count, np.datetime64(_CREATED, "us")), pa.timestamp("us")),
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


def build_synthetic_store(path: str | Path, n_events: int = 1_000_000, seed: int = 7, events_per_article: int = 5,
                          batch_size: int = 250_000, start: int = 0) -> int:
    """Write events ``start .. n_events-1`` (and their articles) into the store at ``path``; returns the number
    of events added. Calling it again with a larger ``n_events`` and ``start`` = the old size extends a store."""
    if n_events < 0 or start < 0 or batch_size < 1 or events_per_article < 1:
        raise ValueError("n_events, start must be >= 0; batch_size, events_per_article >= 1")
    with open_store(path) as store:
        con = store.connection
        run_id = store.start_run({"synthetic": {"n_events": n_events, "seed": seed, "start": start}})
        for first in range(start, n_events, batch_size):
            count = min(batch_size, n_events - first)
            con.execute("BEGIN TRANSACTION")
            try:
                events = synthetic_event_batch(first, count, seed, events_per_article)
                events["run_id"] = pa.array(np.full(count, run_id, object), pa.string())
                _insert(con, "events", events)
                a_first = -(-first // events_per_article)  # articles whose first event is in this batch
                a_last = (first + count - 1) // events_per_article
                if a_last >= a_first:
                    _insert(con, "articles", _article_batch(a_first, a_last - a_first + 1, seed,
                                                            events_per_article, run_id))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        store.finish_run(run_id, "done", {"events": max(0, n_events - start)})
    return max(0, n_events - start)


def ensure_synthetic_store(path: str | Path, n_events: int, seed: int = 7) -> bool:
    """A synthetic store of ``n_events`` at ``path``: reused when the file holds that many events, else
    (re)built. Returns True when it was built."""
    import duckdb

    path = Path(path)
    if path.exists():
        try:
            con = duckdb.connect(str(path), read_only=True)
            try:
                if con.execute("SELECT count(*) FROM events").fetchone()[0] == n_events:
                    return False
            finally:
                con.close()
        except duckdb.Error:
            pass  # not a store, or another one: rebuilt below
        path.unlink()
    build_synthetic_store(path, n_events, seed)
    return True
