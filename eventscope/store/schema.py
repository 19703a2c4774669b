"""The tables of an event store, as DDL (DuckDB types; plain enough for PostgreSQL to follow).

``events`` holds one row per event key, GDELT 2.0 style: the same dyad, code and flags in one story (a cluster
of near-duplicate articles, see eventscope.dedup) is one event, whatever the number of articles and sentences
that report it. Its evidence, article, sentence, location and date are those of its first mention;
``num_mentions`` (sentences), ``num_articles`` and ``num_sources`` (distinct outlets, else URL hosts, else
articles) count the rows of ``event_mentions``, one per (event, article, sentence). ``source_key`` is what
``num_sources`` counts. ``article_signatures`` keeps each article's MinHash signature and its place in input
order (``seq``), so that story detection resumes where it stopped.

Ids are the model's content hashes. Only primary keys are indexed: DuckDB's min/max zonemaps serve
range filters, and every extra ART index costs memory and insert time.
CHECK constraints guard values that can only come from a bug (a quad class of 7, a latitude of 200):
such a batch fails as a whole rather than storing nonsense.
"""

from __future__ import annotations

SCHEMA_VERSION = "3"


def event_key_sql(story: str) -> str:
    """model.event_key in SQL: the first 16 hex digits of sha256 over the parts joined by U+001F."""
    flags = ("CASE WHEN coalesce(negated, false) THEN chr(31) || 'negated' ELSE '' END || "
             "CASE WHEN coalesce(hypothetical, false) THEN chr(31) || 'hypothetical' ELSE '' END")
    return (f"substr(sha256({story} || chr(31) || coalesce(source_code, '') || chr(31) || "
            f"coalesce(target_code, '') || chr(31) || coalesce(code, '') || {flags}), 1, 16)")


# Version 2 stored one event per article sentence. Each article becomes its own story (no signatures are kept:
# the next run signs stored articles again from their text), each old event row a mention, and events with
# the same key in one article merge into one, first mention first.
_MIGRATE_2_TO_3 = (
    "UPDATE articles SET story_id = id WHERE story_id IS NULL AND status = 'ok'",
    """CREATE TABLE IF NOT EXISTS event_mentions (
        event_id VARCHAR, article_id VARCHAR, sentence_index INTEGER, start_char INTEGER, end_char INTEGER,
        evidence VARCHAR, verb_start INTEGER, verb_end INTEGER, rule VARCHAR, confidence DOUBLE, outlet VARCHAR,
        url VARCHAR, published DATE, run_id VARCHAR, created_at TIMESTAMP, source_key VARCHAR,
        PRIMARY KEY (event_id, article_id, sentence_index))""",
    "CREATE TABLE IF NOT EXISTS article_signatures (article_id VARCHAR PRIMARY KEY, seq BIGINT, signature BLOB)",
    "CREATE TEMP TABLE _v2_events AS SELECT e.*, coalesce(a.story_id, e.article_id) AS _story, "
    "a.outlet AS _outlet, a.url AS _url, a.published AS _published, a.ingested_at AS _ingested "
    "FROM events e LEFT JOIN articles a ON a.id = e.article_id",
    "ALTER TABLE _v2_events ADD COLUMN _key VARCHAR",
    f"UPDATE _v2_events SET _key = {event_key_sql('_story')}",
    """INSERT INTO event_mentions SELECT _key, article_id, sentence_index, start_char, end_char, evidence,
        verb_start, verb_end, rule, confidence, _outlet, _url, _published, run_id, created_at,
        coalesce(nullif(_outlet, ''),
                 nullif(lower(regexp_extract(_url, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#:@]+@)?([^/?#:]+)', 2)), ''),
                 article_id)
        FROM _v2_events ON CONFLICT DO NOTHING""",
    "DROP TABLE events",
    "<events>",  # the version 3 events table (schema.TABLES), created here
    """INSERT INTO events BY NAME SELECT * EXCLUDE (_story, _outlet, _url, _published, _ingested, _key, _n)
        REPLACE (_key AS id) FROM (
        SELECT *, _story AS story_id, 0 AS num_mentions, 0 AS num_sources, 0 AS num_articles,
               row_number() OVER (PARTITION BY _key ORDER BY _ingested NULLS LAST, article_id, sentence_index) AS _n
        FROM _v2_events) WHERE _n = 1""",
    """UPDATE events SET num_mentions = c.n, num_articles = c.a, num_sources = c.s FROM (
        SELECT event_id, count(*) AS n, count(DISTINCT article_id) AS a, count(DISTINCT source_key) AS s
        FROM event_mentions GROUP BY event_id) c WHERE events.id = c.event_id""",
    "DROP TABLE _v2_events",
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
            created_at TIMESTAMP,
            story_id VARCHAR,
            num_mentions INTEGER,
            num_sources INTEGER,
            num_articles INTEGER
        )""",
    ),
    (
        "event_mentions",
        """CREATE TABLE IF NOT EXISTS event_mentions (
            event_id VARCHAR,
            article_id VARCHAR,
            sentence_index INTEGER,
            start_char INTEGER,
            end_char INTEGER,
            evidence VARCHAR,
            verb_start INTEGER,
            verb_end INTEGER,
            rule VARCHAR,
            confidence DOUBLE,
            outlet VARCHAR,
            url VARCHAR,
            published DATE,
            run_id VARCHAR,
            created_at TIMESTAMP,
            source_key VARCHAR,
            PRIMARY KEY (event_id, article_id, sentence_index)
        )""",
    ),
    (
        "article_signatures",
        """CREATE TABLE IF NOT EXISTS article_signatures (
            article_id VARCHAR PRIMARY KEY,
            seq BIGINT,
            signature BLOB
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


def _ddl(name: str) -> str:
    return dict(TABLES)[name]


# how to bring an older store up to SCHEMA_VERSION: (from version, statements); "<events>" stands for the DDL
# of the current events table
MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "1",
        (
            "ALTER TABLE events ADD COLUMN IF NOT EXISTS intent BOOLEAN DEFAULT false",
            "ALTER TABLE events ADD COLUMN IF NOT EXISTS asserted BOOLEAN DEFAULT true",
        ),
    ),
    ("2", tuple(_ddl("events") if sql == "<events>" else sql for sql in _MIGRATE_2_TO_3)),
)
