"""The run on Spark: JSON Lines or Parquet article dumps in, the store's tables out as Parquet (and, if asked,
into a DuckDB store), with the event ids and counts ``eventscope run`` gives on the same input.

What needs a view of the whole input in input order is done as the local run does it, by the same code; the rest
is spread over the executors:

1. read (executors): each JSON Lines file line by line (``textFile``; line numbers from a count of each
   partition's lines), each Parquet file row by row (``_metadata.row_index``). Each record becomes the article a
   local run makes of it (``ingest.jsonl.article_from_line``, ``ingest.dumps.parquet_row_article``), cleaned and
   dated (``pipeline.prepare_article``) and signed (``dedup.signature``). Its key (file number, line or row) is
   its place in the input: files in name order, folders walked as ``eventscope run`` walks them.
2. stories (driver): only (key, article id, status, signature) are collected; ``pipeline.InputOrder`` goes
   through them in key order, exactly as a local run goes through its input: exact duplicates left out,
   near-duplicates joined to the story of the first article they repeat (``dedup.StoryIndex``).
3. code (executors): ``mapPartitions`` over the articles to code, with one ``Coder`` per Python worker process
   (built at its first article and kept for the next tasks: Spark reuses its Python workers), and
   ``workers.code_safely`` as a local run.
4. rows: ``store.duckdb.article_rows`` for each coded article; then, as the store does it, one event row per
   event key (its first mention in input order) with ``num_mentions``/``num_articles``/``num_sources`` counted
   over all its mentions.
5. write: OUTPUT/events, event_mentions, articles and mentions as Parquet; with ``db``, the coded articles also
   go, in input order, through the store's own ``write`` (``pipeline.write_batch``), as in a local run.

Parquet columns, their checks and row numbers are those of a local run (``ingest.dumps.parquet_columns``;
rows numbered from 1 in file order), so the article ids are the same.

Differences from ``eventscope run``: Spark reads only uncompressed ``.jsonl``/``.ndjson`` and ``.parquet`` files
(other files, CSV dumps, ``.urls`` lists and ``.gz`` files among them, get a record with the status
``unparseable`` saying so; URLs are not fetched); JSON Lines must be UTF-8 (Spark decodes lines itself: bytes
that are not UTF-8 become U+FFFD, where a local run would fall back to cp1252); names starting with ``_`` are
skipped as well as those starting with ``.`` (Spark's ``_SUCCESS`` files).
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventscope.coder import CoderConfig
from eventscope.dedup import DEFAULT_THRESHOLD, StoryIndex, signature, signature_bytes
from eventscope.ingest import DEFAULT_MAX_BYTES, file_kind
from eventscope.ingest.decode import GZIP_SUFFIX
from eventscope.ingest.dumps import DumpSchemaError, parquet_columns, parquet_row_article
from eventscope.ingest.jsonl import article_from_line
from eventscope.ingest.records import make_article
from eventscope.model import STATUS_EMPTY, STATUS_OK, STATUS_UNPARSEABLE, Article, CodedArticle
from eventscope.pipeline import (
    DEFAULT_BATCH_SIZE,
    InputOrder,
    RunSummary,
    count_outcome,
    prepare_article,
    short_reason,
    write_batch,
)

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext
    from pyspark.sql import DataFrame, SparkSession

    from eventscope.coder import Coder
    from eventscope.store import EventStore

INSTALL_HINT = "pip install 'eventscope[spark]'"
JAVA_HINT = "Spark needs a Java runtime (17 or later): on Debian/Ubuntu `apt-get install openjdk-17-jre-headless`"
TABLES = ("events", "event_mentions", "articles", "mentions")  # written under OUTPUT, one Parquet folder each
READ_KINDS = ("jsonl", "parquet")
_HADOOP_SPECIAL = re.compile(r"[,*?\[\]{}\\]")  # characters Hadoop reads as globs or path lists
_MAX_DEPTH = 64
_EPOCH = "_date_epoch_seconds"  # a Parquet timestamp ``date`` column, read as seconds since 1970 (UTC)

Key = tuple[int, int]  # (file number, line or row number): a record's place in the input
Log = Callable[[str], None]


class SparkError(RuntimeError):
    """The Spark run cannot start or failed: the message says why, in words fit for a user."""


class SparkUnavailable(SparkError):
    """pyspark or Java is missing."""


def require_pyspark() -> None:
    """Raise SparkUnavailable, naming what to install, when pyspark or a Java runtime is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable(f"the spark command needs pyspark: {INSTALL_HINT}") from exc
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and shutil.which("java") is None:
        raise SparkUnavailable(f"{JAVA_HINT} (no `java` on PATH and no JAVA_HOME)")


def spark_session(master: str | None = None) -> SparkSession:
    """The Spark session to run in. Under spark-submit, its own (its master and settings stand unless ``master``
    is given); otherwise a new one on ``master`` (default ``local[*]``). Local sessions get settings for one
    machine: the executors' Python is this one, no web UI, the driver on 127.0.0.1, few shuffle partitions."""
    require_pyspark()
    from pyspark.sql import SparkSession

    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started this process (and its JVM)
    if master is None and not submitted:
        master = "local[*]"
    builder = SparkSession.builder.appName("eventscope")
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # on a cluster: the executors' own (see README)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no guessing of a network address
        local = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                 "spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
                 "spark.sql.shuffle.partitions": str(max(2, 2 * _local_cores(master)))}
        for key, value in local.items():
            builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: usually no Java, or a Java too old for this Spark
        where = f" on {master}" if master else ""
        raise SparkUnavailable(f"Spark could not start{where}: {_first_line(exc)}. {JAVA_HINT}.") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def _local_cores(master: str) -> int:
    match = re.fullmatch(r"local\[(\d+|\*)(?:,\s*\d+)?\]", master.strip())
    if match and match.group(1).isdigit():
        return int(match.group(1))
    return os.cpu_count() or 1


# ---- the run --------------------------------------------------------------------------------------------------


def run_spark(
    input_path: str,
    output: str,
    *,
    master: str | None = None,
    db: str | Path | None = None,
    default_date: date | None = None,
    config: CoderConfig | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dedup_threshold: float = DEFAULT_THRESHOLD,
    partitions: int | None = None,
    overwrite: bool = False,
    session: SparkSession | None = None,
    log: Log | None = None,
) -> RunSummary:
    """Code the articles of ``input_path`` (a JSON Lines or Parquet file, a folder or a Hadoop glob; local or a
    URI such as hdfs:// or s3a://) on Spark and write the tables under ``output``; returns what happened.

    ``db``: also write into this DuckDB store, which takes part as in ``eventscope run``: articles it holds are not
    coded again, and new articles can join its stories. ``partitions``: coding tasks (default: ``coding_tasks``).
    ``session``: run in this Spark session (it is left open), else in ``spark_session(master)`` (stopped at the
    end)."""
    log = log or (lambda message: None)
    config = _executor_config(config or CoderConfig())
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, not {batch_size}")
    if partitions is not None and partitions < 1:
        raise ValueError(f"partitions must be at least 1, not {partitions}")
    index = StoryIndex(dedup_threshold)  # checks the threshold before anything starts
    _check_local_paths(input_path, output, overwrite)
    if session is None:
        require_pyspark()
    store = _open_store(db) if db is not None else None
    own_session = session is None
    summary = RunSummary()
    started = time.monotonic()
    try:
        if store is not None:
            args = {"spark": {"input": input_path, "output": output, "master": master}, "date": _iso(default_date),
                    "dictionaries": config.dictionaries, "add_dictionaries": list(config.add_dictionaries),
                    "max_bytes": max_bytes, "batch_size": batch_size, "dedup_threshold": dedup_threshold,
                    "prefilter": config.prefilter, "ner": config.ner}
            summary.run_id = store.start_run(args)
            index.load(store.stored_stories())
        else:
            from eventscope.store import new_run_id

            summary.run_id = new_run_id(datetime.now(UTC))
        session = session or spark_session(master)
        summary.workers = session.sparkContext.defaultParallelism
        try:
            _run(session, input_path, output, store, index, summary, config, default_date, max_bytes, batch_size,
                 partitions, overwrite, started, log)
        except Exception as exc:
            if _from_spark(exc):
                raise SparkError(f"the Spark job failed: {_first_line(exc)}") from exc
            raise
        finally:
            if own_session:
                session.stop()
        summary.status = "done"
    except KeyboardInterrupt:
        summary.status = "interrupted"
        raise
    except BaseException:
        summary.status = "failed"
        raise
    finally:
        summary.elapsed = time.monotonic() - started
        if store is not None:
            try:
                store.finish_run(summary.run_id, summary.status, summary.to_dict())
            finally:
                store.close()
    return summary


def _run(session: SparkSession, input_path: str, output: str, store: EventStore | None, index: StoryIndex,
         summary: RunSummary, config: CoderConfig, default_date: date | None, max_bytes: int, batch_size: int,
         partitions: int | None, overwrite: bool, started: float, log: Log) -> None:
    from pyspark import StorageLevel

    sc = session.sparkContext
    files = list_inputs(session, input_path)
    _check_output(session, output, overwrite)
    log(f"{len(files)} input file(s); reading and signing articles on {sc.master}")
    records, made = _records(session, files, max_bytes, default_date)
    records = records.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        found = records.map(_story_input).collect()
        made = made + _empty_files(files, made, {key[0] for key, *_ in found})
        found += [(key, art.id, False, None) for key, art in made]

        # stories, in input order, as a local run decides them
        order = InputOrder(index, store.next_story_seq() if store is not None else 0, summary)
        plan: dict[Key, tuple[int, str | None]] = {}  # key -> (input position, story id) of each article to code
        signatures: dict[str, tuple[int, bytes | None]] = {}
        for position, (key, article_id, ok, sig) in enumerate(sorted(found, key=lambda row: row[0])):
            if not order.admit(article_id):
                continue
            story = None
            if ok:
                story, signatures[article_id] = order.assign(article_id, sig)
            plan[key] = (position, story)
        log(f"{summary.articles} records, {len(plan)} articles to code, {summary.near_duplicates} near-duplicates")

        planned = sc.broadcast(plan)
        todo = records.map(_without_signature)
        if made:
            todo = todo.union(sc.parallelize(made, 1))
        todo = todo.filter(partial(_planned, planned))
        tasks = partitions or coding_tasks(len(plan), sc.defaultParallelism, batch_size)
        if tasks != todo.getNumPartitions():
            todo = todo.repartition(tasks)
        coded = todo.mapPartitions(partial(_code_partition, planned, config, batch_size))
        coded = coded.persist(StorageLevel.MEMORY_AND_DISK)
        log(f"coding {len(plan)} articles in {tasks} task(s)")
        created_at = datetime.now(UTC).replace(tzinfo=None)
        try:
            # coded once here (and kept), before the tables' jobs read it
            outcomes = _spark_call("coding", lambda: coded.map(_outcome).countByValue())
            records.unpersist()
            log(f"writing {', '.join(TABLES)} under {output}")
            counts = write_tables(session, coded, output, summary.run_id, created_at, overwrite)
            if store is None:
                summary.events, summary.event_mentions = counts["events"], counts["event_mentions"]
                summary.mentions = counts["mentions"]
                for (status, reason), n in outcomes.items():
                    count_outcome(summary, status, reason, n)
            else:
                log(f"writing into {getattr(store, 'path', 'the store')}")
                _write_store(store, summary, coded, signatures, batch_size, started)
        finally:
            coded.unpersist()
            planned.destroy()
    finally:
        records.unpersist()


def _write_store(store: EventStore, summary: RunSummary, coded: RDD, signatures: dict[str, tuple[int, bytes | None]],
                 batch_size: int, started: float) -> None:
    """The coded articles, in input order, through the store's own write, as a local run writes them."""
    in_order = coded.map(lambda row: (row[0], row[2])).sortByKey().values().toLocalIterator()
    batch: list[CodedArticle] = []
    for item in in_order:
        batch.append(item)
        if len(batch) >= batch_size:
            write_batch(store, summary, batch, _signatures_of(batch, signatures), started, None)
            batch = []
    if batch:
        write_batch(store, summary, batch, _signatures_of(batch, signatures), started, None)


def _signatures_of(batch: list[CodedArticle], signatures: dict) -> dict:
    return {c.article.id: signatures[c.article.id] for c in batch if c.article.id in signatures}


# ---- input ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputFile:
    number: int  # place in input order
    uri: str  # as Spark reads it
    source: str  # the articles' source, as a local run names it (local files: from INPUT as given)
    fallback: str  # what identifies its records that have no text nor URL (local files: the real absolute path)
    kind: str | None  # "jsonl", "parquet", or None: not read by Spark
    size: int


def list_inputs(session: SparkSession, given: str) -> list[InputFile]:
    """The files under ``given`` (a file, folder or Hadoop glob), in the order ``eventscope run`` reads them:
    folders walked recursively with their entries sorted by name; names starting with '.' or '_' skipped."""
    sc = session.sparkContext
    jvm, conf = sc._jvm, sc._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(given)
    try:
        fs = path.getFileSystem(conf)
        matches = fs.globStatus(path)
    except Exception as exc:
        raise SparkError(f"cannot read {given}: {_first_line(exc)}") from exc
    if not matches:
        raise SparkError(f"no such file or directory: {given}")
    out: list[InputFile] = []
    base = os.path.abspath(given)

    def walk(status: Any, depth: int) -> None:
        if status.isDirectory():
            if depth > _MAX_DEPTH:
                raise SparkError(f"folders nested more than {_MAX_DEPTH} deep under {given} (a link loop?)")
            children = sorted(fs.listStatus(status.getPath()), key=lambda s: s.getPath().getName())
            for child in children:
                if not child.getPath().getName().startswith((".", "_")):
                    walk(child, depth + 1)
            return
        uri = status.getPath().toString()
        source = fallback = uri
        if uri.startswith("file:"):
            source = fallback = status.getPath().toUri().getPath()
            if _is_local(given) and (source == base or source.startswith(base + os.sep)):
                source = str(Path(given, source[len(base) + 1:]))  # as `eventscope run` names it
            fallback = os.path.realpath(fallback)
        kind, suffix = file_kind(Path(source))
        readable = kind in READ_KINDS and not suffix.endswith(GZIP_SUFFIX)
        out.append(InputFile(len(out), uri, source, fallback, kind if readable else None,
                             int(status.getLen())))

    for status in matches:
        walk(status, 0)
    return out


def _records(session: SparkSession, files: list[InputFile], max_bytes: int,
             default_date: date | None) -> tuple[RDD, list[tuple[Key, Article]]]:
    """(key, article, signature bytes) of every record Spark reads, and the articles made on the driver for files
    it does not read (their key: (file number, 0))."""
    sc = session.sparkContext
    made: list[tuple[Key, Article]] = []
    parts: list[RDD] = []
    jsonl: list[InputFile] = []
    for f in files:
        if f.kind is None:
            made.append(((f.number, 0), _file_record(f, STATUS_UNPARSEABLE, _unread_reason(f))))
        elif _HADOOP_SPECIAL.search(f.uri.split("://", 1)[-1]):
            made.append(((f.number, 0), _file_record(f, STATUS_UNPARSEABLE, "Spark cannot read a file whose name "
                                                     "has , * ? [ ] { } or \\ in it: rename it")))
        elif f.size == 0:
            continue  # an empty-file record is made once the records are counted (_empty_files)
        elif f.kind == "jsonl":
            jsonl.append(f)
        else:
            rdd = _parquet_rows(session, f)
            if isinstance(rdd, Article):
                made.append(((f.number, 0), rdd))
            else:
                parts.append(rdd.mapPartitions(partial(_parquet_articles, f, max_bytes, default_date)))
    if jsonl:
        parts.insert(0, _jsonl_articles(sc, jsonl, max_bytes, default_date))
    if not parts:
        return sc.parallelize([], 1), made
    return (sc.union(parts) if len(parts) > 1 else parts[0]), made


def _jsonl_articles(sc: SparkContext, files: list[InputFile], max_bytes: int, default_date: date | None) -> RDD:
    rdds = [sc.textFile(f.uri, use_unicode=False) for f in files]
    union = sc.union(rdds) if len(rdds) > 1 else rdds[0]
    owner: list[int] = []  # partition -> its file (in ``files``)
    for i, rdd in enumerate(rdds):
        owner += [i] * rdd.getNumPartitions()
    # line numbers: each partition's first line is the number of lines before it in its file
    sizes = union.mapPartitions(_count_lines).collect()
    first: list[int] = []
    for p in range(len(sizes)):
        first.append(first[p - 1] + sizes[p - 1] if p and owner[p - 1] == owner[p] else 0)
    return union.mapPartitionsWithIndex(partial(_jsonl_partition, [files[i] for i in owner], first, max_bytes,
                                                default_date))


def _count_lines(lines: Iterable[bytes]) -> Iterator[int]:
    yield sum(1 for _ in lines)


def _jsonl_partition(owners: list[InputFile], first: list[int], max_bytes: int, default_date: date | None,
                     partition: int, lines: Iterable[bytes]) -> Iterator[tuple[Key, Article, bytes | None]]:
    f, number = owners[partition], first[partition]
    for line in lines:
        number += 1
        if not line.strip():
            continue  # blank lines separate nothing (as in a local run)
        art = article_from_line(line, number, source=f.source, fallback=f.fallback, max_bytes=max_bytes)
        yield _signed((f.number, number), art, default_date)


def _parquet_rows(session: SparkSession, f: InputFile) -> RDD | Article:
    """The rows of one Parquet file with their row numbers, or the record saying why it cannot be read."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, TimestampType

    try:
        frame = session.read.parquet(f.uri)
        fields = {field.name: field.dataType for field in frame.schema.fields}
    except Exception as exc:
        return _file_record(f, STATUS_UNPARSEABLE, f"not a readable Parquet file ({_first_line(exc)})")

    def non_text_type(column: str) -> str | None:
        return None if isinstance(fields[column], StringType) else _arrow_type_name(fields[column])

    try:
        wanted = parquet_columns(list(fields), non_text_type)  # the columns and checks of a local run
    except DumpSchemaError as exc:
        return _file_record(f, STATUS_UNPARSEABLE, str(exc))
    columns = [F.col("_metadata.row_index").alias("_row")]
    for name, column_name in wanted.items():
        column = F.col(f"`{column_name}`")
        if isinstance(fields[column_name], TimestampType):
            # an instant: read as seconds since 1970, so that its date is the UTC one whatever the session's zone
            column, name = column.cast("long"), _EPOCH
        columns.append(column.alias(name))
    return frame.select(*columns).rdd


def _arrow_type_name(spark_type: Any) -> str:
    """A Spark column type named as pyarrow names it (as a local run's reasons name Parquet types)."""
    from pyspark.sql.pandas.types import to_arrow_type

    try:
        return str(to_arrow_type(spark_type))
    except Exception:  # a type Arrow conversion does not cover (or wants a time zone for)
        return spark_type.simpleString()


def _parquet_articles(f: InputFile, max_bytes: int, default_date: date | None,
                      rows: Iterable[Any]) -> Iterator[tuple[Key, Article, bytes | None]]:
    for row in rows:
        values = row.asDict()
        number = values.pop("_row") + 1
        if _EPOCH in values:
            seconds = values.pop(_EPOCH)
            values["date"] = datetime.fromtimestamp(seconds, UTC) if seconds is not None else None
        art = parquet_row_article(values, number, source=f.source, fallback=f.fallback, max_bytes=max_bytes)
        yield _signed((f.number, number), art, default_date)


def _signed(key: Key, art: Article, default_date: date | None) -> tuple[Key, Article, bytes | None]:
    art = prepare_article(art, default_date)
    sig = signature(art.text) if art.status == STATUS_OK else None
    return key, art, signature_bytes(sig) if sig is not None else None


def _story_input(row: tuple[Key, Article, bytes | None]) -> tuple[Key, str, bool, bytes | None]:
    key, art, sig = row
    return key, art.id, art.status == STATUS_OK, sig


def _empty_files(files: list[InputFile], made: list[tuple[Key, Article]],
                 with_records: set[int]) -> list[tuple[Key, Article]]:
    """A record for each file that gave none (as a local run records an empty file)."""
    recorded = with_records | {key[0] for key, _ in made}
    out = []
    for f in files:
        if f.number in recorded:
            continue
        if f.size == 0:
            reason = "empty file (0 bytes)"
        else:
            reason = "no JSON lines (only blank lines)" if f.kind == "jsonl" else "no rows"
        out.append(((f.number, 0), _file_record(f, STATUS_EMPTY, reason)))
    return out


def _file_record(f: InputFile, status: str, reason: str) -> Article:
    return make_article(source=f.source, fallback=f.fallback, kind=f.kind, status=status, reason=reason)


def _unread_reason(f: InputFile) -> str:
    suffix = file_kind(Path(f.source))[1]
    what = f"'{suffix}'" if suffix else "(no extension)"
    return (f"eventscope spark reads JSON Lines (.jsonl, .ndjson) and Parquet (.parquet), not {what} files: "
            "code them with `eventscope run`")


# ---- coding (executors) ---------------------------------------------------------------------------------------

_CODERS: dict[bytes, Coder] = {}  # one per Python worker process and configuration, kept across tasks


def _coder(config: CoderConfig) -> Coder:
    key = pickle.dumps(config)
    coder = _CODERS.get(key)
    if coder is None:
        from eventscope.coder import Coder

        coder = _CODERS[key] = Coder.from_config(config)
    return coder


def coding_tasks(articles: int, parallelism: int, batch_size: int, per_task: int = 500) -> int:
    """How many tasks code ``articles``: every core busy, tasks of at most about ``per_task`` articles (each
    worker process loads the coder once, in a few seconds, then keeps it), and no task without a full batch."""
    full_batches = max(1, -(-articles // batch_size))
    return max(1, min(full_batches, max(parallelism, -(-articles // per_task))))


def _without_signature(row: tuple[Key, Article, bytes | None]) -> tuple[Key, Article]:
    return row[0], row[1]


def _planned(planned: Any, row: tuple[Key, Article]) -> bool:
    return row[0] in planned.value


def _code_partition(planned: Any, config: CoderConfig, batch_size: int,
                    rows: Iterable[tuple[Key, Article]]) -> Iterator[tuple[int, Key, CodedArticle]]:
    """(input position, key, coded article) for a partition's articles, coded a batch at a time."""
    from eventscope.workers import code_safely

    plan = planned.value
    batch: list[tuple[int, Key, Article]] = []

    def flush() -> Iterator[tuple[int, Key, CodedArticle]]:
        articles = [art for _, _, art in batch]
        if any(art.status == STATUS_OK for art in articles):
            coded = code_safely(_coder(config), articles)
        else:
            coded = [CodedArticle(art) for art in articles]  # nothing to code: no model to load
        for (position, key, _), c in zip(batch, coded, strict=True):
            yield position, key, c

    for key, art in rows:
        position, story = plan[key]
        art.story_id = story
        batch.append((position, key, art))
        if len(batch) >= batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def _outcome(row: tuple[int, Key, CodedArticle]) -> tuple[str, str | None]:
    art = row[2].article
    return art.status, None if art.status == STATUS_OK else short_reason(art.reason)


# ---- tables ---------------------------------------------------------------------------------------------------


def write_tables(session: SparkSession, coded: RDD, output: str, run_id: str, created_at: datetime,
                 overwrite: bool = False) -> dict[str, int]:
    """Write the store's tables for the coded articles (an RDD of (input position, key, CodedArticle)) under
    ``output`` as Parquet (each file's rows in input order); returns the rows written per table. Events are
    aggregated as the store aggregates them: one row per event key, its first mention's, with counts over all its
    mentions."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from eventscope.store.duckdb import ARROW_COLUMNS

    def frame(table: str) -> DataFrame:
        rows = coded.flatMap(partial(_table_rows, table, run_id, created_at))
        return session.createDataFrame(rows, _spark_schema(table))

    mentions_of_events = frame("event_mentions")
    counts = mentions_of_events.groupBy(F.col("event_id").alias("_key")).agg(
        F.count(F.lit(1)).alias("_mentions"), F.countDistinct("article_id").alias("_articles"),
        F.countDistinct("source_key").alias("_sources"))
    first = Window.partitionBy("id").orderBy("_seq", "_pos")
    events = (frame("events").withColumn("_n", F.row_number().over(first)).where(F.col("_n") == 1)
              .join(counts, F.col("id") == F.col("_key"), "left")
              .withColumn("num_mentions", F.coalesce(F.col("_mentions"), F.lit(0)).cast("long"))
              .withColumn("num_articles", F.coalesce(F.col("_articles"), F.lit(0)).cast("long"))
              .withColumn("num_sources", F.coalesce(F.col("_sources"), F.lit(0)).cast("long")))
    tables = {"events": events, "event_mentions": mentions_of_events, "articles": frame("articles"),
              "mentions": frame("mentions")}
    mode = "overwrite" if overwrite else "errorifexists"
    written: dict[str, int] = {}
    for table in TABLES:
        columns = list(ARROW_COLUMNS[table])
        path = f"{output.rstrip('/')}/{table}"
        # each file's rows in input order (a global sort would cost a shuffle of every row)
        _spark_call(f"writing {path}", lambda t=table, c=columns, p=path:
                    tables[t].sortWithinPartitions("_seq", "_pos").select(*c).write.mode(mode).parquet(p))
        written[table] = _spark_call(f"reading {path}", lambda p=path: session.read.parquet(p).count())
    return written


def _table_rows(table: str, run_id: str, created_at: datetime,
                row: tuple[int, Key, CodedArticle]) -> list[tuple]:
    """One coded article's rows for ``table``, as the store makes them (types included), with their order."""
    import pyarrow as pa

    from eventscope.store.duckdb import ARROW_COLUMNS, article_rows

    position, _, coded = row
    article, mentions, events, event_mentions = article_rows(coded, run_id)
    rows = {"articles": [article], "mentions": mentions, "events": events, "event_mentions": event_mentions}[table]
    if not rows:
        return []
    if table in ("events", "event_mentions"):
        for r in rows:
            r["created_at"] = created_at
    types = ARROW_COLUMNS[table]
    typed = pa.Table.from_pylist(rows, schema=pa.schema(list(types.items()))).to_pylist()
    return [(*(r[name] for name in types), position, i) for i, r in enumerate(typed)]


def _spark_schema(table: str) -> Any:
    import pyarrow as pa
    from pyspark.sql import types as T

    from eventscope.store.duckdb import ARROW_COLUMNS

    def spark_type(t: pa.DataType) -> Any:
        if pa.types.is_string(t):
            return T.StringType()
        if pa.types.is_integer(t):
            return T.LongType()
        if pa.types.is_floating(t):
            return T.DoubleType()
        if pa.types.is_boolean(t):
            return T.BooleanType()
        if pa.types.is_date(t):
            return T.DateType()
        if pa.types.is_timestamp(t):
            return T.TimestampNTZType()  # the store's timestamps are naive UTC
        if pa.types.is_binary(t):
            return T.BinaryType()
        raise TypeError(f"no Spark type for {t}")

    fields = [T.StructField(name, spark_type(t), True) for name, t in ARROW_COLUMNS[table].items()]
    fields += [T.StructField("_seq", T.LongType(), False), T.StructField("_pos", T.LongType(), False)]
    return T.StructType(fields)


# ---- checks and helpers ---------------------------------------------------------------------------------------


def _executor_config(config: CoderConfig) -> CoderConfig:
    """The coder configuration as the driver sees it, fixed for the executors: dictionary folders as absolute
    paths, the user knowledge base (if any) as one of them, so that executors do not look for their own."""
    def absolute(folder: str) -> str:
        return folder if "://" in folder else str(Path(folder).expanduser().resolve())

    return CoderConfig(dictionaries=absolute(config.dictionaries) if config.dictionaries else None,
                       add_dictionaries=[absolute(p) for p in config.layers()], options=config.options,
                       user_kb=False, prefilter=config.prefilter, ner=config.ner)


def _is_local(path: str) -> bool:
    return "://" not in path and not path.startswith("file:")


def _check_local_paths(input_path: str, output: str, overwrite: bool) -> None:
    """Fail before Spark starts when a local INPUT is missing or a local OUTPUT is in the way."""
    if _is_local(input_path) and not re.search(r"[*?\[{]", input_path) and not Path(input_path).exists():
        raise SparkError(f"no such file or directory: {input_path}")
    if _is_local(output):
        out = Path(output)
        if out.is_file():
            raise SparkError(f"{output} is a file; the output is a folder of Parquet tables")
        if not overwrite and out.is_dir() and any(out.iterdir()):
            raise SparkError(f"{output} is not empty: choose another folder or pass --overwrite")


def _check_output(session: SparkSession, output: str, overwrite: bool) -> None:
    if overwrite:
        return
    sc = session.sparkContext
    path = sc._jvm.org.apache.hadoop.fs.Path(output)
    try:
        fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
        taken = fs.exists(path) and (not fs.getFileStatus(path).isDirectory() or len(fs.listStatus(path)) > 0)
    except Exception as exc:
        raise SparkError(f"cannot use {output} as the output: {_first_line(exc)}") from exc
    if taken:
        raise SparkError(f"{output} is not empty: choose another folder or pass --overwrite")


def _open_store(db: str | Path) -> EventStore:
    from eventscope.store import open_store

    return open_store(db)


def _spark_call(what: str, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except Exception as exc:
        if _from_spark(exc):
            raise SparkError(f"{what} failed: {_first_line(exc)}") from exc
        raise


def _from_spark(exc: BaseException) -> bool:
    """An error raised by Spark or its JVM (py4j), as opposed to one of ours."""
    return type(exc).__module__.split(".")[0] in ("py4j", "pyspark")


def _first_line(exc: BaseException) -> str:
    """The useful line of a Spark or Java error (they come with pages of stack trace)."""
    text = str(exc).strip()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("at ", "py4j", "Traceback", "File ")):
            return line[:500]
    return type(exc).__name__


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

