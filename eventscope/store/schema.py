"""The tables of an event store, as DDL (DuckDB types; plain enough for PostgreSQL to follow).

Ids are the model's content hashes. Only primary keys are indexed: DuckDB's min/max zonemaps serve
range filters, and every extra ART index costs memory and insert time.
CHECK constraints guard values that can only come from a bug (a quad class of 7, a latitude of 200):
such a batch fails as a whole rather than storing nonsense.
"""

from __future__ import annotations

SCHEMA_VERSION = "2"

# how to bring an older store up to SCHEMA_VERSION: (from version, statements)
MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "1",
        (
            "ALTER TABLE events ADD COLUMN IF NOT EXISTS intent BOOLEAN DEFAULT false",
            "ALTER TABLE events ADD COLUMN IF NOT EXISTS asserted BOOLEAN DEFAULT true",
        ),
    ),
)

RUN_STATUSES = ("running", "done", "interrupted", "failed")

# (table, DDL) in creation order
TABLES: tuple[tuple[str, str], ...] = (
    (
        "meta",
        """CREATE TABLE IF NOT EXISTS meta (
            key VARCHAR PRIMARY KEY,
            value VARCHAR
        )""",
    ),
    (
        "runs",
        """CREATE TABLE IF NOT EXISTS runs (
            run_id VARCHAR PRIMARY KEY,
            started_at TIMESTAMP,
            finished_at TIMESTAMP,
            status VARCHAR,
            args JSON,
            counts JSON
        )""",
    ),
    (
        "articles",
        """CREATE TABLE IF NOT EXISTS articles (
            id VARCHAR PRIMARY KEY,
            run_id VARCHAR,
            source VARCHAR,
            kind VARCHAR,
            url VARCHAR,
            outlet VARCHAR,
            title VARCHAR,
            published DATE,
            language VARCHAR,
            status VARCHAR,
            reason VARCHAR,
            text VARCHAR,
            story_id VARCHAR,
            n_sentences INTEGER,
            n_events INTEGER,
            ingested_at TIMESTAMP
        )""",
    ),
    (
        "mentions",
        """CREATE TABLE IF NOT EXISTS mentions (
            id VARCHAR PRIMARY KEY,
            article_id VARCHAR,
            sentence_index INTEGER,
            start_char INTEGER,
            end_char INTEGER,
            text VARCHAR,
            kind VARCHAR,
            actor_code VARCHAR,
            actor_name VARCHAR,
            kb_id VARCHAR,
            why VARCHAR
        )""",
    ),
    (
        "events",
        """CREATE TABLE IF NOT EXISTS events (
            id VARCHAR PRIMARY KEY,
            article_id VARCHAR,
            sentence_index INTEGER,
            start_char INTEGER,
            end_char INTEGER,
            evidence VARCHAR,
            source_code VARCHAR,
            source_country VARCHAR,
            source_sectors VARCHAR,
            source_name VARCHAR,
            target_code VARCHAR,
            target_country VARCHAR,
            target_sectors VARCHAR,
            target_name VARCHAR,
            code VARCHAR,
            root VARCHAR,
            quad_class INTEGER CHECK (quad_class BETWEEN 1 AND 4),
            goldstein DOUBLE CHECK (goldstein BETWEEN -10 AND 10),
            plover VARCHAR,
            plover_mode VARCHAR,
            event_date DATE,
            date_precision VARCHAR,
            date_source VARCHAR,
            location_name VARCHAR,
            location_country VARCHAR,
            location_admin1 VARCHAR,
            lat DOUBLE CHECK (lat BETWEEN -90 AND 90),
            lon DOUBLE CHECK (lon BETWEEN -180 AND 180),
            geo_type VARCHAR,
            location_rule VARCHAR,
            confidence DOUBLE,
            rule VARCHAR,
            negated BOOLEAN,
            reported BOOLEAN,
            reporter VARCHAR,
            hypothetical BOOLEAN,
            intent BOOLEAN,
            asserted BOOLEAN,
            verb_text VARCHAR,
            verb_start INTEGER,
            verb_end INTEGER,
            run_id VARCHAR,
            created_at TIMESTAMP
        )""",
    ),
    (
        # `eventscope watch`: one row per feed URL, what the last poll found and what to send next time
        "feeds",
        """CREATE TABLE IF NOT EXISTS feeds (
            url VARCHAR PRIMARY KEY,
            etag VARCHAR,
            last_modified VARCHAR,
            first_polled TIMESTAMP,
            last_polled TIMESTAMP,
            last_status VARCHAR CHECK (last_status IN ('ok', 'not_modified', 'failed')),
            last_error VARCHAR,
            polls INTEGER,
            not_modified INTEGER,
            failures INTEGER,
            items_last INTEGER,
            items_new INTEGER
        )""",
    ),
)

FEED_STATUSES = ("ok", "not_modified", "failed")
TABLE_NAMES = tuple(name for name, _ in TABLES)
# Tables added within a schema version: a store written before them lacks them until it is next opened for
# writing (every TABLES statement is CREATE IF NOT EXISTS), so a read-only open must not require them.
ADDED_TABLES = frozenset({"feeds"})
