"""The default event store: one DuckDB file.

Batches go in through Arrow tables (``INSERT INTO t SELECT ... FROM <registered table>``), because
DuckDB's executemany manages under a thousand rows a second. Each ``write`` is one transaction.
An article that is already stored is skipped with its mentions and events, so re-writing a batch
adds nothing and an article's events always come from one coding of it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from eventscope.model import Actor, CodedArticle, event_key, source_key
from eventscope.store import StoreError, WriteResult, new_run_id
from eventscope.store.schema import (
    ADDED_TABLES,
    FEED_STATUSES,
    MIGRATIONS,
    RUN_STATUSES,
    SCHEMA_VERSION,
    TABLE_NAMES,
    TABLES,
)

try:
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - pyarrow ships with the [all] extra
    pa = pc = None

_MEMORY = ":memory:"


def _utc_naive(value: datetime | None) -> datetime | None:
    """Timestamps are stored as naive UTC (TIMESTAMP columns); aware values are converted first."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _as_date(value: Any, what: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(f"{what} must be a date, not {value!r}")


def _sectors(actor: Actor | None) -> str | None:
    if actor is None or not actor.sectors:
        return None
    return "+".join(actor.sectors)


def _json(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)


# Arrow column types per table; the names are the table's columns (the DDL in schema.py).
if pa is not None:
    _S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    _D, _T = pa.date32(), pa.timestamp("us")
    _ARTICLE_COLUMNS = {
        "id": _S, "run_id": _S, "source": _S, "kind": _S, "url": _S, "outlet": _S, "title": _S,
        "published": _D, "language": _S, "status": _S, "reason": _S, "text": _S, "story_id": _S,
        "n_sentences": _I, "n_events": _I, "ingested_at": _T,
    }  # fmt: skip
    _MENTION_COLUMNS = {
        "id": _S, "article_id": _S, "sentence_index": _I, "start_char": _I, "end_char": _I, "text": _S,
        "kind": _S, "actor_code": _S, "actor_name": _S, "kb_id": _S, "why": _S,
    }  # fmt: skip
    _EVENT_COLUMNS = {
        "id": _S, "article_id": _S, "sentence_index": _I, "start_char": _I, "end_char": _I, "evidence": _S,
        "source_code": _S, "source_country": _S, "source_sectors": _S, "source_name": _S,
        "target_code": _S, "target_country": _S, "target_sectors": _S, "target_name": _S,
        "code": _S, "root": _S, "quad_class": _I, "goldstein": _F, "plover": _S, "plover_mode": _S,
        "event_date": _D, "date_precision": _S, "date_source": _S,
        "location_name": _S, "location_country": _S, "location_admin1": _S, "lat": _F, "lon": _F,
        "geo_type": _S, "location_rule": _S, "confidence": _F, "rule": _S, "negated": _B, "reported": _B,
        "reporter": _S, "hypothetical": _B, "intent": _B, "asserted": _B,
        "verb_text": _S, "verb_start": _I, "verb_end": _I,
        "run_id": _S, "created_at": _T, "story_id": _S, "num_mentions": _I, "num_sources": _I, "num_articles": _I,
    }  # fmt: skip
    _EVENT_MENTION_COLUMNS = {
        "event_id": _S, "article_id": _S, "sentence_index": _I, "start_char": _I, "end_char": _I, "evidence": _S,
        "verb_start": _I, "verb_end": _I, "rule": _S, "confidence": _F, "outlet": _S, "url": _S, "published": _D,
        "run_id": _S, "created_at": _T, "source_key": _S,
    }  # fmt: skip
    _SIGNATURE_COLUMNS = {"article_id": _S, "seq": _I, "signature": pa.binary()}
    # the rows each table takes, for writers outside this module (eventscope.spark writes the same tables)
    ARROW_COLUMNS: dict[str, dict[str, pa.DataType]] = {
        "articles": _ARTICLE_COLUMNS, "mentions": _MENTION_COLUMNS, "events": _EVENT_COLUMNS,
        "event_mentions": _EVENT_MENTION_COLUMNS, "article_signatures": _SIGNATURE_COLUMNS,
    }


class DuckDBStore:
    """An EventStore in one DuckDB file (or ``":memory:"``). Use as a context manager, or call close()."""

    def __init__(self, path: str | Path = "eventscope.duckdb", read_only: bool = False) -> None:
        if pa is None:  # pragma: no cover
            raise StoreError("the DuckDB store needs pyarrow (pip install 'eventscope[all]')")
        self.path = str(path)
        self.read_only = read_only
        in_memory = self.path == _MEMORY
        if read_only and in_memory:
            raise StoreError("an in-memory store cannot be opened read-only")
        if not in_memory:
            file = Path(self.path)
            if read_only and not file.exists():
                raise StoreError(f"no event store at {self.path}")
            if file.is_dir():
                raise StoreError(f"{self.path} is a directory, not an event store file")
            if not read_only:
                file.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con: duckdb.DuckDBPyConnection | None = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(self._open_error(exc)) from exc
        try:
            self._prepare_schema()
        except BaseException:
            self._con.close()
            self._con = None
            raise

    def _open_error(self, exc: Exception) -> str:
        text = str(exc)
        if "lock" in text.lower():
            return (
                f"event store {self.path} is in use by another process (DuckDB allows one writer, and no "
                f"readers while it writes): {text}"
            )
        if "different configuration" in text:
            return (
                f"event store {self.path} is already open in this process in another mode "
                f"(read-only and read-write connections cannot be mixed): {text}"
            )
        return f"cannot open event store {self.path}: {text}"

    def _prepare_schema(self) -> None:
        con = self.connection
        present = {
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        if "meta" in present:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = row[0] if row else None
            if version != SCHEMA_VERSION and not self.read_only:
                version = self._migrate(version)
            if version != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {version!r}; "
                    f"this eventscope reads version {SCHEMA_VERSION}"
                )
        if self.read_only:
            missing = [name for name in TABLE_NAMES if name not in present and name not in ADDED_TABLES]
            if missing:
                raise StoreError(
                    f"{self.path} is not an eventscope store (missing tables: {', '.join(missing)})"
                )
            return
        con.execute("BEGIN TRANSACTION")
        try:
            for _, ddl in TABLES:
                con.execute(ddl)
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING", [SCHEMA_VERSION]
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _migrate(self, version: str | None) -> str | None:
        """Bring a store written by an older eventscope up to date, in one transaction per step."""
        con = self.connection
        for start, statements in MIGRATIONS:
            if version != start:
                continue
            con.execute("BEGIN TRANSACTION")
            try:
                for sql in statements:
                    con.execute(sql)
                nxt = str(int(start) + 1)
                con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [nxt])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            version = nxt
        return version

    # -- plumbing ---------------------------------------------------------------------------------

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open DuckDB connection (for exports and ad-hoc SQL)."""
        if self._con is None:
            raise StoreError(f"event store {self.path} is closed")
        return self._con

    def _writable(self) -> duckdb.DuckDBPyConnection:
        if self.read_only:
            raise StoreError(f"event store {self.path} was opened read-only")
        return self.connection

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict]:
        """Run a read query with ``?`` placeholders; rows come back as dicts."""
        # a cursor per call: DuckDB connections must not be shared between threads (the API serves
        # requests from a thread pool), cursors may
        with self.connection.cursor() as cur:
            cur.execute(sql, list(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        state = "closed" if self._con is None else "open"
        return f"DuckDBStore({self.path!r}, {mode}, {state})"

    # -- runs -------------------------------------------------------------------------------------

    def start_run(self, args: dict) -> str:
        con = self._writable()
        started = _now()
        # DuckDB lets one process write: a run still 'running' here was killed before it could close itself
        con.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'",
            [started],
        ).fetchall()
        run_id = new_run_id(started)
        con.execute(
            "INSERT INTO runs (run_id, started_at, status, args) VALUES (?, ?, 'running', ?)",
            [run_id, started, _json(args)],
        )
        return run_id

    def finish_run(self, run_id: str, status: str, counts: dict) -> None:
        if status not in RUN_STATUSES or status == "running":
            raise ValueError(f"run status must be done, interrupted or failed, not {status!r}")
        con = self._writable()
        row = con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE run_id = ?",
            [_now(), status, _json(counts), run_id],
        ).fetchone()
        if not row or row[0] == 0:
            raise StoreError(f"no run {run_id!r} in {self.path}")

    # -- feeds (eventscope watch) ---------------------------------------------------------------------

    def feed_states(self, urls: Iterable[str]) -> dict[str, dict]:
        """url -> its row of the feeds table (etag, last_modified, counts ...), for the feeds polled before."""
        wanted = sorted(set(urls))
        if not wanted:
            return {}
        placeholders = ", ".join("?" for _ in wanted)
        return {row["url"]: row for row in self.fetch(f"SELECT * FROM feeds WHERE url IN ({placeholders})", wanted)}

    def save_feed_state(self, url: str, *, status: str, polled_at: datetime, etag: str | None = None,
                        last_modified: str | None = None, error: str | None = None, items: int | None = None,
                        new_items: int = 0) -> None:
        """Record one poll of a feed: counts go up, the validators (ETag, Last-Modified) are replaced when the
        answer carried them, and kept when it did not (a 304 or a failure)."""
        if status not in FEED_STATUSES:
            raise ValueError(f"feed status must be one of {', '.join(FEED_STATUSES)}, not {status!r}")
        con = self._writable()
        polled_at = _utc_naive(polled_at)
        con.execute(
            """INSERT INTO feeds AS f (url, etag, last_modified, first_polled, last_polled, last_status, last_error,
                   polls, not_modified, failures, items_last, items_new)
               VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
               ON CONFLICT (url) DO UPDATE SET
                   etag = coalesce(excluded.etag, f.etag),
                   last_modified = coalesce(excluded.last_modified, f.last_modified),
                   last_polled = excluded.last_polled,
                   last_status = excluded.last_status,
                   last_error = excluded.last_error,
                   polls = f.polls + 1,
                   not_modified = f.not_modified + excluded.not_modified,
                   failures = f.failures + excluded.failures,
                   items_last = coalesce(excluded.items_last, f.items_last),
                   items_new = f.items_new + excluded.items_new""",
            [url, etag, last_modified, polled_at, polled_at, status, error,
             int(status == "not_modified"), int(status == "failed"), items, new_items],
        )

    # -- articles ---------------------------------------------------------------------------------

    def coded_article_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return set()
        return self._stored_ids(self.connection, wanted)

    def _stored_ids(self, con: duckdb.DuckDBPyConnection, ids: list[str]) -> set[str]:
        # a join against a registered Arrow column: a long IN (?, ?, ...) list is slow to bind
        view = f"_ids_{uuid.uuid4().hex}"
        con.register(view, _arrow_table({"id": ids}, {"id": pa.string()}))
        try:
            rows = con.execute(f"SELECT a.id FROM articles a JOIN {view} v ON a.id = v.id").fetchall()
        finally:
            con.unregister(view)
        return {r[0] for r in rows}

    def write(self, run_id: str, coded: list[CodedArticle],
              signatures: dict[str, tuple[int, bytes | None]] | None = None) -> WriteResult:
        """Store a batch in one transaction: articles, actor mentions, event mentions and, for each event key,
        its row (new keys, with their first mention in batch order) and its counts (all keys the batch touched).
        ``signatures``: article id -> (place in input order, MinHash signature), for eventscope.dedup."""
        con = self._writable()
        batch = _unique_articles(coded)
        if not batch:
            return WriteResult()
        # build every row and Arrow table before the transaction: bad values fail here, with nothing begun
        tables = _batch_tables(list(batch.values()), run_id, signatures or {})
        views: list[str] = []
        added: dict[str, int] = {}

        def insert(table: str, arrow: pa.Table) -> int:
            if arrow.num_rows == 0:
                return 0
            view = f"_batch_{table}_{uuid.uuid4().hex}"
            con.register(view, arrow)
            views.append(view)
            names = ", ".join(arrow.column_names)
            row = con.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {view} ON CONFLICT DO NOTHING"
            ).fetchone()
            return int(row[0]) if row else 0

        con.execute("BEGIN TRANSACTION")
        try:
            stored = self._stored_ids(con, list(batch))
            new_ids = pa.array([cid for cid in batch if cid not in stored], type=pa.string())
            for table, (key, arrow) in tables.items():
                # articles already stored are skipped whole: their mentions and events too
                if stored:
                    arrow = arrow.filter(pc.is_in(arrow[key], value_set=new_ids))
                if table == "events":
                    arrow = _first_per_id(arrow)
                added[table] = insert(table, arrow)
            keys = tables["event_mentions"][1]
            if stored:
                keys = keys.filter(pc.is_in(keys["article_id"], value_set=new_ids))
            if keys.num_rows:
                view = f"_batch_keys_{uuid.uuid4().hex}"
                con.register(view, pa.table({"id": pc.unique(keys["event_id"])}))
                views.append(view)
                # the counts of every event key this batch reported, old keys (earlier articles of the story,
                # earlier runs) included
                con.execute(
                    f"""UPDATE events SET num_mentions = c.n, num_articles = c.a, num_sources = c.s
                    FROM (SELECT m.event_id, count(*) AS n, count(DISTINCT m.article_id) AS a,
                                 count(DISTINCT m.source_key) AS s
                          FROM event_mentions m JOIN {view} k ON m.event_id = k.id GROUP BY m.event_id) c
                    WHERE events.id = c.event_id"""
                )
            con.execute("COMMIT")
        except BaseException as exc:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the transaction is already gone; nothing of it was committed
            if interrupted_query(exc):
                raise KeyboardInterrupt from exc  # Ctrl-C during the query: an interruption, not a store error
            if isinstance(exc, duckdb.Error):
                raise StoreError(
                    f"writing a batch of {len(batch)} articles failed; nothing of it was stored: {exc}"
                ) from exc
            raise
        finally:
            for view in views:
                try:
                    con.unregister(view)
                except duckdb.Error:
                    pass
        return WriteResult(articles_added=added.get("articles", 0), mentions_added=added.get("mentions", 0),
                           events_added=added.get("events", 0),
                           event_mentions_added=added.get("event_mentions", 0), already_stored=frozenset(stored))

    # -- stories (eventscope.dedup) ---------------------------------------------------------------------------

    def stored_stories(self) -> list[tuple[str, str | None, bytes | None, str | None]]:
        """Every stored article in input order: (id, story id, MinHash signature, text). The text comes only for
        coded articles stored without a signature (by a store version before 3), to be signed again."""
        rows = self.connection.execute(
            """SELECT a.id, a.story_id, s.signature,
                      CASE WHEN s.article_id IS NULL AND a.status = 'ok' THEN a.text END AS text
               FROM articles a LEFT JOIN article_signatures s ON s.article_id = a.id
               ORDER BY s.seq IS NOT NULL, s.seq, a.ingested_at, a.id"""
        ).fetchall()
        return [(r[0], r[1], bytes(r[2]) if r[2] is not None else None, r[3]) for r in rows]

    def next_story_seq(self) -> int:
        """The input-order position the next new article gets (see ``stored_stories``)."""
        rows = self.connection.execute("SELECT coalesce(max(seq), -1) + 1 FROM article_signatures").fetchall()
        return int(rows[0][0]) if rows else 0


def _first_per_id(arrow: pa.Table) -> pa.Table:
    """The first row of each id, in table order: an event key's row is its first mention's."""
    if arrow.num_rows == 0:
        return arrow
    seen: set[str] = set()
    keep = []
    for i, value in enumerate(arrow["id"].to_pylist()):
        if value not in seen:
            seen.add(value)
            keep.append(i)
    return arrow if len(keep) == arrow.num_rows else arrow.take(pa.array(keep, type=pa.int64()))


def _arrow_table(columns: dict[str, list], types: dict[str, Any]) -> pa.Table:
    return pa.table({name: pa.array(columns[name], type=types[name]) for name in types})


def _batch_tables(batch: list[CodedArticle], run_id: str,
                  signatures: dict[str, tuple[int, bytes | None]]) -> dict[str, tuple[str, pa.Table]]:
    """table name -> (its article-id column, Arrow table of the batch's rows for it)."""
    rows: dict[str, list[dict]] = {"articles": [], "mentions": [], "events": [], "event_mentions": [],
                                   "article_signatures": []}
    for coded in batch:
        article, mentions, events, event_mentions = article_rows(coded, run_id)
        rows["articles"].append(article)
        rows["mentions"].extend(mentions)
        rows["events"].extend(events)
        rows["event_mentions"].extend(event_mentions)
        if coded.article.id in signatures:
            seq, sig = signatures[coded.article.id]
            rows["article_signatures"].append({"article_id": coded.article.id, "seq": seq, "signature": sig})
    created_at = _now()
    for table in ("events", "event_mentions"):
        for e in rows[table]:
            e["created_at"] = created_at
    out = {}
    for table, key, types in (
        ("articles", "id", _ARTICLE_COLUMNS),
        ("mentions", "article_id", _MENTION_COLUMNS),
        ("event_mentions", "article_id", _EVENT_MENTION_COLUMNS),
        ("events", "article_id", _EVENT_COLUMNS),
        ("article_signatures", "article_id", _SIGNATURE_COLUMNS),
    ):
        columns = {name: [r[name] for r in rows[table]] for name in types}
        try:
            out[table] = (key, _arrow_table(columns, types))
        except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
            raise ValueError(f"a value in this batch does not fit the {table} table: {exc}") from exc
    return out


def interrupted_query(exc: BaseException) -> bool:
    """Whether ``exc`` is DuckDB's answer to a Ctrl-C that landed inside a query: ``InterruptException``, or
    (DuckDB 2.0's Python client) a plain RuntimeError saying so."""
    return isinstance(exc, duckdb.InterruptException) or (
        type(exc) is RuntimeError and str(exc) == "Query interrupted")


def _unique_articles(coded: Iterable[CodedArticle]) -> dict[str, CodedArticle]:
    """Batch articles by id; the first of two with one id wins (as the store would keep it)."""
    out: dict[str, CodedArticle] = {}
    for c in coded:
        if not isinstance(c, CodedArticle):
            raise TypeError(f"write() takes CodedArticle objects, not {type(c).__name__}")
        if not c.article.id:
            raise ValueError("an article without an id cannot be stored")
        out.setdefault(c.article.id, c)
    return out


def article_rows(coded: CodedArticle, run_id: str) -> tuple[dict, list[dict], list[dict], list[dict]]:
    """The article row, actor mention rows, event rows (one per event key, first mention first) and event mention
    rows of one coded article (duplicate ids dropped). Events and event mentions get ``created_at`` when stored;
    their ``num_*`` counts are 0 here (they count the event mentions of the whole story)."""
    art = coded.article
    story = art.story_id or art.id
    reporter_key = source_key(art.outlet, art.url, art.id)
    published = _as_date(art.published, f"published date of article {art.id}")
    event_mentions: list[dict] = []
    mentions: dict[str, dict] = {}
    for m in coded.mentions:
        mention_id = m.id  # a hash: computed once
        if m.article_id != art.id:
            raise ValueError(f"mention {mention_id} belongs to article {m.article_id}, not {art.id}")
        if mention_id in mentions:
            continue
        actor = m.actor
        mentions[mention_id] = {
            "id": mention_id,
            "article_id": m.article_id,
            "sentence_index": m.sentence_index,
            "start_char": m.start,
            "end_char": m.end,
            "text": m.text,
            "kind": m.kind,
            "actor_code": actor.code if actor else None,
            "actor_name": actor.name if actor else None,
            "kb_id": actor.kb_id if actor else None,
            "why": m.why,
        }
    events: dict[str, dict] = {}
    mentioned: set[str] = set()
    for ev in coded.events:
        mention_id = ev.id  # a hash: computed once
        if ev.article_id != art.id:
            raise ValueError(f"event {mention_id} belongs to article {ev.article_id}, not {art.id}")
        if mention_id in mentioned:
            continue  # same article, sentence, dyad and code: one mention (the first rule that fired)
        mentioned.add(mention_id)
        event_id = event_key(story, ev)
        event_mentions.append({
            "event_id": event_id, "article_id": ev.article_id, "sentence_index": ev.sentence_index,
            "start_char": ev.start, "end_char": ev.end, "evidence": ev.evidence, "verb_start": ev.verb_start,
            "verb_end": ev.verb_end, "rule": ev.rule, "confidence": ev.confidence, "outlet": art.outlet,
            "url": art.url, "published": published, "run_id": run_id, "source_key": reporter_key,
        })
        if event_id in events:
            continue  # the event's row is its first mention in the article
        src, tgt, loc, when = ev.source, ev.target, ev.location, ev.date
        events[event_id] = {
            "id": event_id,
            "article_id": ev.article_id,
            "sentence_index": ev.sentence_index,
            "start_char": ev.start,
            "end_char": ev.end,
            "evidence": ev.evidence,
            "source_code": src.code if src else None,
            "source_country": src.country if src else None,
            "source_sectors": _sectors(src),
            "source_name": src.name if src else None,
            "target_code": tgt.code if tgt else None,
            "target_country": tgt.country if tgt else None,
            "target_sectors": _sectors(tgt),
            "target_name": tgt.name if tgt else None,
            "code": ev.code,
            # the CAMEO root is the code's first two digits; filled in when the coder left it empty
            "root": ev.root or (ev.code[:2] if ev.code else None),
            "quad_class": ev.quad_class,
            "goldstein": ev.goldstein,
            "plover": ev.plover,
            "plover_mode": ev.plover_mode,
            "event_date": _as_date(when.value, f"date of event {event_id}") if when else None,
            "date_precision": when.precision if when else None,
            "date_source": when.source if when else None,
            "location_name": loc.name if loc else None,
            "location_country": loc.country if loc else None,
            "location_admin1": loc.admin1 if loc else None,
            "lat": loc.lat if loc else None,
            "lon": loc.lon if loc else None,
            "geo_type": loc.geo_type if loc else None,
            "location_rule": loc.rule if loc else None,
            "confidence": ev.confidence,
            "rule": ev.rule,
            "negated": bool(ev.negated),
            "reported": bool(ev.reported),
            "reporter": ev.reporter,
            "hypothetical": bool(ev.hypothetical),
            "intent": bool(ev.intent),
            "asserted": bool(ev.asserted),
            "verb_text": ev.verb_text,
            "verb_start": ev.verb_start,
            "verb_end": ev.verb_end,
            "run_id": run_id,
            "story_id": story,
            "num_mentions": 0,  # counted from event_mentions when the batch is written
            "num_sources": 0,
            "num_articles": 0,
        }
    article = {
        "id": art.id,
        "run_id": run_id,
        "source": art.source,
        "kind": art.kind,
        "url": art.url,
        "outlet": art.outlet,
        "title": art.title,
        "published": published,
        "language": art.language,
        "status": art.status,
        "reason": art.reason,
        "text": art.text if art.text is not None else "",
        "story_id": art.story_id,
        "n_sentences": len(coded.sentences),
        "n_events": sum(1 for e in events.values() if e["asserted"]),
        "ingested_at": _utc_naive(art.ingested_at),
    }
    return article, list(mentions.values()), list(events.values()), event_mentions
