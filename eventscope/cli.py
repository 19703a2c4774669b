"""The ``eventscope`` command: a thin layer over the Python API (pipeline, query, evaluate, explain)."""

from __future__ import annotations

import csv
import json
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eventscope import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="eventscope: political event data from news. Who did what to whom, where and when, and the "
    "sentence that says so.",
)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # messages unbroken: a command in one stays copyable

DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB event store file (default: the config "
                                                                  "file's db, else ./eventscope.duckdb).")]
DictOption = Annotated[
    Path | None,
    typer.Option("--dictionaries", help="Folder of PETRARCH-format (or eventscope TSV) dictionaries used in "
                 "place of the built-in ones of the same kinds."),
]
AddDictOption = Annotated[
    list[Path] | None,
    typer.Option("--add-dictionaries", help="Folder of dictionaries layered over the built-in ones "
                 "(repeatable)."),
]
NerOption = Annotated[bool, typer.Option(
    "--ner", help="Find places and nationalities with spaCy's statistical entity recognizer instead of "
    "eventscope's rules over the tagger, gazetteer and knowledge base (about 1.5 times slower).")]

# the event filters, shared by every command that reads events (eventscope.query.EventFilter)
SourceOption = Annotated[str | None, typer.Option(help="Source actor code prefix (IRN, IRNGOV...).")]
TargetOption = Annotated[str | None, typer.Option(help="Target actor code prefix.")]
CodeOption = Annotated[str | None, typer.Option(help="CAMEO event code (exact).")]
RootOption = Annotated[str | None, typer.Option(help="CAMEO root code (2 digits).")]
SinceOption = Annotated[str | None, typer.Option(help="First event date (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option(help="Last event date (YYYY-MM-DD).")]
ReportedOption = Annotated[bool | None, typer.Option(
    "--reported/--direct", help="Only events in reported speech, or only those stated directly.")]
IntentOption = Annotated[bool | None, typer.Option(
    "--intent/--acts", help="Only expressed intents, threats, refusals and appeals, or only acts.")]
LevelOption = Annotated[str, typer.Option(help="Actors by country (IRN) or by full code (IRNGOVMIL).")]


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def _parse_date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{name} must be a date as YYYY-MM-DD, not {value!r}")
    return None



def _filters(**values) -> dict:
    """Event filters from command-line values: dates checked, unset ones left out."""
    for name in ("since", "until"):
        values[name] = _parse_date(values.get(name), f"--{name}")
    return {k: v for k, v in values.items() if v is not None}


def _wide() -> Console:
    """Where tables go: the terminal as it is, or, into a pipe or file, 160 columns rather than rich's 80."""
    return console if console.is_terminal else Console(width=max(console.width, 160))


def _print_json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1, default=str) + "\n")


def _write_csv(rows: list[dict]) -> None:
    if rows:
        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)

def _settings():
    from eventscope.config import ConfigError, load_settings

    try:
        return load_settings()
    except ConfigError as exc:
        _fail(str(exc))


def _coder_config(dictionaries: Path | None, add: list[Path] | None):
    from eventscope.coder import CoderConfig

    config = CoderConfig.from_settings(str(dictionaries) if dictionaries else None, [str(p) for p in add or []],
                                       _settings())
    for folder in [config.dictionaries, *config.add_dictionaries]:
        if folder is not None and not Path(folder).is_dir():
            _fail(f"dictionary folder not found: {folder}")
    return config


def _db(db: Path | None) -> Path:
    """--db, else the config file's db, else ./eventscope.duckdb."""
    if db is not None:
        return db
    settings = _settings()
    return Path(settings.db) if settings.db else Path("eventscope.duckdb")


def _open(db: Path | None, read_only: bool = True):
    """The event store at --db through the Python API (read-only unless asked; a store opened for writing is
    made when missing), or a clear error."""
    from eventscope.session import EventScope
    from eventscope.store import StoreError

    db = _db(db)
    if read_only and not db.exists():
        _fail(f"no event store at {db}: run `eventscope run PATH --db {db}` first")
    try:
        return EventScope.open(db, read_only=read_only)
    except StoreError as exc:
        _fail(str(exc))


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(f"eventscope {__version__}")
        raise typer.Exit()


# ---- run -----------------------------------------------------------------------------------------
MinIntervalOption = Annotated[float, typer.Option(
    "--min-interval", help="Seconds between two requests to the same host (politeness).")]
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", help="Seconds to wait for a server to connect or send more of its answer.")]
FetchLinkedOption = Annotated[bool, typer.Option(
    "--fetch-linked", help="For feed items whose text is only a short summary, fetch and code the linked page.")]
MaxBytesOption = Annotated[int, typer.Option(
    "--max-bytes", help="Largest article accepted (file, dump row, fetched page), in bytes.")]


def _fetcher(max_bytes: int, min_interval: float, timeout: float, fetch_linked: bool):
    from eventscope.ingest.web import Fetcher, FetchSettings

    if max_bytes <= 0:
        _fail("--max-bytes must be a positive number of bytes")
    if min_interval < 0:
        _fail("--min-interval cannot be negative")
    if timeout <= 0:
        _fail("--timeout must be more than 0 seconds")
    return Fetcher(FetchSettings(max_bytes=max_bytes, min_interval=min_interval, timeout=timeout,
                                 fetch_linked=fetch_linked))


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(
        help="Files, folders and http(s) URLs to code: .txt, .html, .jsonl, .csv, .parquet, RSS/Atom, .urls "
             "lists of URLs, any of them .gz; a URL is read as an HTML page or a feed.")],
    db: DbOption = None,
    date_: Annotated[str | None, typer.Option("--date", help="Publication date (YYYY-MM-DD) of articles "
                                                 "whose source gives none.")] = None,
    dictionaries: DictOption = None,
    add_dictionaries: AddDictOption = None,
    max_bytes: MaxBytesOption = 5_000_000,
    fetch_linked: FetchLinkedOption = False,
    min_interval: MinIntervalOption = 1.0,
    timeout: TimeoutOption = 15.0,
    workers: Annotated[int | None, typer.Option("--workers", "-w", help="Coding processes (default: all cores; "
                                                   "1 codes in this process).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles per batch (one transaction each).")] = 32,
    dedup_threshold: Annotated[float, typer.Option(
        "--dedup-threshold", help="Similarity (0-1, estimated Jaccard of word 5-grams) above which an article "
        "is a near-duplicate and joins the story of the earlier one.")] = 0.8,
    prefilter: Annotated[bool, typer.Option(
        "--prefilter/--no-prefilter", help="Parse only the sentences that can change what is coded (the same "
        "events either way; --no-prefilter is slower).")] = True,
    ner: NerOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, only the summary.")] = False,
    progress_interval: Annotated[float, typer.Option(
        "--progress-interval", help="Seconds between progress lines when the output is not a terminal "
        "(0: a line per batch).")] = 10.0,
) -> None:
    """Code news articles into events and store them (running it again adds nothing new)."""
    from eventscope.dictionaries import DictionaryError
    from eventscope.pipeline import estimate_records, stop_on_interrupt
    from eventscope.pipeline import run as run_pipeline
    from eventscope.store import StoreError
    from eventscope.workers import WorkerError

    published = _parse_date(date_, "--date")
    if workers is not None and workers < 1:
        _fail("--workers must be at least 1")
    if batch_size < 1:
        _fail("--batch-size must be at least 1")
    if not 0.0 < dedup_threshold <= 1.0:
        _fail("--dedup-threshold must be above 0 and at most 1")
    config = _coder_config(dictionaries, add_dictionaries)
    fetcher = _fetcher(max_bytes, min_interval, timeout, fetch_linked)
    config.prefilter = prefilter
    config.ner = ner
    db = _db(db)
    if progress_interval < 0:
        _fail("--progress-interval must be 0 or more")
    display = None if quiet else RunProgress(estimate_records(paths), live=err.is_terminal, every=progress_interval)
    stop = threading.Event()

    def notify() -> None:
        err.print("[yellow]stopping[/] after the batch being written (Ctrl-C again to stop at once)")

    try:
        with stop_on_interrupt(stop, notify):
            summary = run_pipeline(paths, db, default_date=published, config=config, max_bytes=max_bytes,
                                   workers=workers, batch_size=batch_size, dedup_threshold=dedup_threshold,
                                   progress=display, fetcher=fetcher, stop=stop)
    except KeyboardInterrupt:
        if display:
            display.close()
        err.print("[yellow]interrupted[/]: what was written is kept; run the same command again to resume.")
        raise typer.Exit(130) from None
    except (StoreError, DictionaryError, WorkerError) as exc:
        if display:
            display.close()
        _fail(str(exc))
    if display:
        display.close()
    _print_summary(summary, db)


class RunProgress:
    """The run's progress: a rich progress bar on a terminal (articles, articles/s, events, skipped, ETA), a plain
    line every ``every`` seconds otherwise (logs, pipes)."""

    def __init__(self, total: int | None, live: bool, every: float = 10.0) -> None:
        self.total = total
        self.every = every
        self._last = float("-inf")
        self._printed = -1
        self._bar = None
        if live:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("[bold]coding[/]"), BarColumn(),
                TextColumn("{task.completed:>6.0f}{task.fields[of]} articles"),
                TextColumn("{task.fields[rate]:>6.1f} articles/s"),
                TextColumn("{task.fields[events]} events"), TextColumn("{task.fields[skipped]} skipped"),
                TextColumn("ETA"), TimeRemainingColumn(),
                console=err, transient=False,
            )
            self._task = self._bar.add_task("run", total=total, of=f"/{total}" if total else "", rate=0.0,
                                            events=0, skipped=0)
            self._bar.start()

    def __call__(self, s) -> None:
        done = sum(s.by_status.values()) + s.already_stored
        rate = done / s.elapsed if s.elapsed > 0 else 0.0
        if self._bar is not None:
            total = max(self.total, done) if self.total else None
            self._bar.update(self._task, completed=done, total=total, of=f"/{total}" if total else "", rate=rate,
                             events=s.events, skipped=s.skipped)
            return
        now = s.elapsed
        if (now - self._last < self.every and s.status == "running") or done == self._printed:
            return
        self._last = now
        self._printed = done
        eta = ""
        if self.total and rate > 0 and done < self.total:
            eta = f", ETA {(self.total - done) / rate:.0f} s"
        of = f"/{self.total}" if self.total else ""
        err.print(f"{done}{of} articles ({rate:.1f}/s), {s.events} events, {s.skipped} skipped{eta}",
                  highlight=False, soft_wrap=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _print_summary(s, db: Path | str) -> None:
    t = Table(title=f"run {s.run_id} ({s.status}) into {db}", title_justify="left", show_header=False)
    t.add_column("what")
    t.add_column("count", justify="right")
    t.add_row("records read", str(s.articles))
    t.add_row("articles coded", str(s.coded))
    t.add_row("near-duplicates (joined an earlier story)", str(s.near_duplicates))
    t.add_row("events added", str(s.events))
    t.add_row("event mentions added", str(s.event_mentions))
    t.add_row("already stored (skipped, nothing to do)", str(s.already_stored))
    for status, n in sorted(s.by_status.items()):
        if status != "ok":
            t.add_row(f"skipped: {status}", str(n))
    rate = f", {s.coded / s.elapsed:.1f} articles/s" if s.elapsed > 0 and s.coded else ""
    t.add_row("time", f"{s.elapsed:.1f} s ({s.workers} worker{'s' if s.workers != 1 else ''}{rate})")
    console.print(t)
    if s.reasons:
        r = Table(title="why articles were skipped", title_justify="left")
        r.add_column("status")
        r.add_column("reason")
        r.add_column("n", justify="right")
        for (status, reason), n in s.reasons.most_common(20):
            r.add_row(status, escape(reason), str(n))
        console.print(r)


# ---- watch ---------------------------------------------------------------------------------------
def _log_warnings_to_console() -> None:
    import logging

    class ConsoleHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            colour = "red" if record.levelno >= logging.ERROR else "yellow"
            err.print(f"  [{colour}]{record.levelname.lower()}[/] {escape(record.getMessage())}")

    logger = logging.getLogger("eventscope")
    if not any(h.get_name() == "eventscope-console" for h in logger.handlers):
        handler = ConsoleHandler(logging.WARNING)
        handler.set_name("eventscope-console")
        logger.addHandler(handler)


@app.command()
def watch(
    feedlist: Annotated[Path, typer.Argument(
        help="File of feed URLs, one a line (# comments); read again at every poll.")],
    every: Annotated[str, typer.Option("--every", help="Time between polls: 30s, 15m, 1h.")] = "15m",
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once and stop (for cron).")] = False,
    max_polls: Annotated[int | None, typer.Option("--max-polls", help="Stop after this many polls.")] = None,
    dictionaries: DictOption = None,
    add_dictionaries: AddDictOption = None,
    max_bytes: MaxBytesOption = 5_000_000,
    fetch_linked: FetchLinkedOption = False,
    min_interval: MinIntervalOption = 1.0,
    timeout: TimeoutOption = 15.0,
) -> None:
    """Poll RSS/Atom feeds and code each new item once (conditional requests; Ctrl-C stops between polls)."""

    from eventscope.dictionaries import DictionaryError
    from eventscope.pipeline import stop_on_interrupt
    from eventscope.watch import FeedWatcher, parse_interval, read_feed_list

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        _fail(f"--every: {exc}")
    if max_polls is not None and max_polls < 1:
        _fail("--max-polls must be at least 1")
    if not feedlist.is_file():
        _fail(f"feed list not found: {feedlist}")
    try:
        urls, problems = read_feed_list(feedlist)
    except OSError as exc:
        _fail(f"cannot read the feed list: {exc}")
    if not urls:
        _fail(f"no http(s) feed URLs in {feedlist}" + "".join(f"; {p}" for p in problems[:5]))
    config = _coder_config(dictionaries, add_dictionaries)
    fetcher = _fetcher(max_bytes, min_interval, timeout, fetch_linked)
    db = _db(db)
    try:
        watcher = FeedWatcher(feedlist, db, fetcher=fetcher, config=config, max_bytes=max_bytes)
    except DictionaryError as exc:
        _fail(str(exc))
    _log_warnings_to_console()  # failed feeds, bad lines added to the feed list while it runs
    stop = threading.Event()
    polls = 1 if once else max_polls
    err.print(f"watching {len(urls)} feeds into {escape(str(db))}, every {every}"
              + (f", {polls} poll(s)" if polls else "; Ctrl-C stops"))

    def notify() -> None:
        err.print("[yellow]stopping after this poll[/] (Ctrl-C again to stop at once)")

    def show(report) -> None:
        stamp = report.started_at.astimezone().strftime("%H:%M:%S")
        coded = report.run.coded if report.run else 0
        events = report.run.events if report.run else 0
        err.print(f"poll {report.number} at {stamp}: {len(report.feeds)} feeds, {report.count('ok')} read, "
                  f"{report.count('not_modified')} not modified, {report.count('failed')} failed; "
                  f"{report.new_items} new items, {coded} coded, {events} events ({report.elapsed:.1f} s)")

    try:
        with stop_on_interrupt(stop, notify):
            summary = watcher.watch(interval, max_polls=polls, stop=stop, on_poll=show)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted during a poll[/]: what was written is kept; the next watch goes on from it.")
        raise typer.Exit(130) from None
    console.print(f"watch into {escape(str(db))} stopped by {summary.stopped_by}")
    t = Table(show_header=False)
    t.add_column("what")
    t.add_column("count", justify="right")
    for label, value in (("polls", summary.polls), ("new items", summary.new_items),
                         ("articles coded", summary.coded), ("events added", summary.events),
                         ("feeds not modified (304)", summary.not_modified),
                         ("feed polls failed", summary.failures), ("polls lost (store error)", summary.store_errors)):
        t.add_row(label, str(value))
    console.print(t)
    if summary.store_errors:
        raise typer.Exit(1)


# ---- spark -----------------------------------------------------------------------------------------
@app.command()
def spark(
    input_: Annotated[str, typer.Argument(metavar="INPUT", help="JSON Lines (.jsonl, .ndjson) or Parquet file, "
                                          "folder or glob: a local path or a URI (hdfs://, s3a://).")],
    output: Annotated[str, typer.Argument(metavar="OUTPUT", help="Folder (local or URI) for the Parquet tables "
                                          "events, event_mentions, articles and mentions.")],
    master: Annotated[str | None, typer.Option("--master", help="Spark master, e.g. local[*], spark://host:7077, "
                                                  "yarn (default: spark-submit's, else local[*]).")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Also write into this DuckDB event store, as `eventscope "
                                            "run` does (articles it holds are not coded again).")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="Publication date (YYYY-MM-DD) of articles "
                                                 "whose source gives none.")] = None,
    dictionaries: DictOption = None,
    add_dictionaries: AddDictOption = None,
    max_bytes: MaxBytesOption = 5_000_000,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles coded together in a task.")] = 32,
    dedup_threshold: Annotated[float, typer.Option(
        "--dedup-threshold", help="Similarity (0-1) above which an article joins the story of an earlier one "
        "(as for run).")] = 0.8,
    prefilter: Annotated[bool, typer.Option("--prefilter/--no-prefilter", help="As for run.")] = True,
    ner: NerOption = False,
    partitions: Annotated[int | None, typer.Option("--partitions", help="Coding tasks (default: every core busy, "
                                                      "about 500 articles a task).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace the tables already in OUTPUT.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines, only the summary.")] = False,
) -> None:
    """Code JSON Lines or Parquet article dumps on Spark: the same events (ids and counts) as run, as Parquet."""
    from eventscope.dictionaries import DictionaryError
    from eventscope.spark import SparkError, run_spark
    from eventscope.store import StoreError

    published = _parse_date(date_, "--date")
    if max_bytes <= 0:
        _fail("--max-bytes must be a positive number of bytes")
    if batch_size < 1:
        _fail("--batch-size must be at least 1")
    if partitions is not None and partitions < 1:
        _fail("--partitions must be at least 1")
    if not 0.0 < dedup_threshold <= 1.0:
        _fail("--dedup-threshold must be above 0 and at most 1")
    config = _coder_config(dictionaries, add_dictionaries)
    config.prefilter = prefilter
    config.ner = ner
    try:
        summary = run_spark(input_, output, master=master, db=db, default_date=published, config=config,
                            max_bytes=max_bytes, batch_size=batch_size, dedup_threshold=dedup_threshold,
                            partitions=partitions, overwrite=overwrite,
                            log=None if quiet else lambda m: err.print(m, highlight=False, soft_wrap=True))
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]")
        raise typer.Exit(130) from None
    except (SparkError, StoreError, DictionaryError) as exc:
        _fail(str(exc))
    _print_summary(summary, output if db is None else f"{output} and {db}")


# ---- events / articles ---------------------------------------------------------------------------
@app.command()
def events(
    db: DbOption = None,
    source: SourceOption = None,
    target: TargetOption = None,
    code: CodeOption = None,
    root: RootOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    reported: ReportedOption = None,
    intent: IntentOption = None,
    include_negated: Annotated[bool, typer.Option(
        help="Also list negated events (\"did not attack\"), flagged.")] = False,
    include_hypothetical: Annotated[bool, typer.Option(
        help="Also list merely possible events (\"could attack\"), flagged.")] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """List stored events (negated and merely possible ones only when asked for)."""
    from eventscope.query import flat_event

    if fmt not in ("table", "json", "csv"):
        _fail("--format must be table, json or csv")
    filters = _filters(source=source, target=target, code=code, root=root, since=since, until=until,
                       reported=reported, intent=intent, include_negated=include_negated,
                       include_hypothetical=include_hypothetical)
    with _open(db) as es:
        try:
            rows = es.events(limit=limit, **filters).to_list()
        except ValueError as exc:
            _fail(str(exc))
    if fmt == "json":
        _print_json(rows)
        return
    if fmt == "csv":
        _write_csv([flat_event(r) for r in rows])
        return
    wide = _wide()
    t = Table(title=f"{len(rows)} events", title_justify="left")
    for col in ("id", "date", "source", "code", "target", "where", "flags"):
        t.add_column(col, no_wrap=True)
    t.add_column("evidence (trigger in bold)", overflow="fold", ratio=1)
    for r in rows:
        loc = r.get("location") or {}
        t.add_row(r["id"][:8], r["date"] or "-", r["source"] or "-", r["code"], r["target"] or "-",
                  escape(_clip(loc.get("name"), 16) or "-"), _flag_letters(r), _evidence_markup(r, 140))
    wide.print(t)


def _flag_letters(r: dict) -> str:
    """N negated, H hypothetical, I intent, R reported: short enough for a table column."""
    letters = "".join(c for f, c in (("negated", "N"), ("hypothetical", "H"), ("intent", "I"), ("reported", "R"))
                      if r.get(f))
    return letters or "-"


def _evidence_markup(r: dict, n: int) -> str:
    text = " ".join((r.get("evidence") or "").split())
    verb = r.get("verb_text") or ""
    clipped = _clip(text, n)
    if verb and verb in clipped:
        a, _, b = clipped.partition(verb)
        return f"{escape(a)}[bold]{escape(verb)}[/]{escape(b)}"
    return escape(clipped)


def _clip(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


@app.command()
def articles(
    db: DbOption = None,
    status: Annotated[str | None, typer.Option(help="Only articles with this status (ok, empty, binary...).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """List stored articles with their status and number of events."""
    if fmt not in ("table", "json"):
        _fail("--format must be table or json")
    with _open(db) as es:
        rows = es.articles(status=status)
    if fmt == "json":
        _print_json(rows)
        return
    t = Table(title=f"{len(rows)} articles", title_justify="left")
    for col in ("id", "status", "events", "title", "source", "reason"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r["id"][:10], r["status"], str(r["events"]), escape(_clip(r["title"], 50)),
                  escape(_clip(r["source"], 50)), escape(_clip(r["reason"], 60)))
    console.print(t)


# ---- analysis: dyad, alerts, network, stats ---------------------------------------------------------------
def _analysis_errors():
    """The errors an analysis can raise that are the user's to fix: a bad value, a missing optional package."""
    from eventscope.extras import MissingExtraError

    return (ValueError, MissingExtraError)


def _share(value) -> str:
    return "-" if value is None else f"{value:.0%}"


def _number(value, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


@app.command()
def dyad(
    source: Annotated[str, typer.Argument(help="Source actor code prefix (IRN, IRNGOV...).")],
    target: Annotated[str, typer.Argument(help="Target actor code prefix.")],
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="Period: day, week (from Monday) or month.")] = "month",
    both_directions: Annotated[bool, typer.Option(
        "--both-directions", help="Count events between the two either way, not only SOURCE -> TARGET.")] = False,
    code: CodeOption = None,
    root: RootOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    reported: ReportedOption = None,
    intent: IntentOption = None,
    chart: Annotated[Path | None, typer.Option(
        help="Also write a chart here (self-contained HTML that opens offline).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """A dyad's events per period: count, mean Goldstein, quad-class shares (periods without events included)."""
    if fmt not in ("table", "json", "csv"):
        _fail("--format must be table, json or csv")
    if chart is not None and chart.suffix.lower() not in (".html", ".htm"):
        _fail(f"--chart writes HTML: give a file name ending in .html, not {chart}")
    filters = _filters(code=code, root=root, since=since, until=until, reported=reported, intent=intent)
    arrow = " <-> " if both_directions else " -> "
    title = f"{source.upper()}{arrow}{target.upper()} by {by}"
    with _open(db) as es:
        try:
            series = es.dyad(source, target, by=by, both_directions=both_directions, **filters)
            if chart is not None:
                from eventscope.analysis.charts import dyad_figure, write_html

                write_html(dyad_figure(series, title), chart)
        except _analysis_errors() as exc:
            _fail(str(exc))
    rows = series.records()
    if chart is not None:
        err.print(f"chart written to {chart}")
    if fmt == "json":
        _print_json(rows)
        return
    if fmt == "csv":
        _write_csv(rows)
        return
    total = sum(r["events"] for r in rows)
    t = Table(title=f"{title}: {total} events", title_justify="left")
    for col in ("period", "events", "mean Goldstein", "verbal coop.", "material coop.", "verbal conflict",
                "material conflict", "conflict share"):
        t.add_column(col, justify="left" if col == "period" else "right", no_wrap=True)
    for r in rows:
        t.add_row(r["period"], str(r["events"]), _number(r["goldstein_mean"]), _share(r["verbal_cooperation_share"]),
                  _share(r["material_cooperation_share"]), _share(r["verbal_conflict_share"]),
                  _share(r["material_conflict_share"]), _share(r["conflict_share"]))
    _wide().print(t)


@app.command()
def alerts(
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="Period: day, week (from Monday) or month.")] = "week",
    window: Annotated[int, typer.Option(help="Baseline: this many periods before each period.")] = 8,
    k: Annotated[float, typer.Option("--k", help="Alert when a measure moves more than k standard deviations "
                                                 "from its baseline.")] = 3.0,
    min_events: Annotated[int, typer.Option(help="Periods with fewer events (for the dyad) are skipped.")] = 3,
    min_periods: Annotated[int, typer.Option(help="Fewest baseline periods for an alert.")] = 4,
    level: LevelOption = "country",
    source: SourceOption = None,
    target: TargetOption = None,
    code: CodeOption = None,
    root: RootOption = None,
    since: Annotated[str | None, typer.Option(help="Report periods from this date (YYYY-MM-DD); earlier events "
                                                   "still make the baseline.")] = None,
    until: UntilOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Escalation alerts: dyads whose conflict share, conflict events or mean Goldstein left their trailing
    baseline."""
    if fmt not in ("table", "json", "csv"):
        _fail("--format must be table, json or csv")
    filters = _filters(source=source, target=target, code=code, root=root, since=since, until=until)
    with _open(db) as es, err.status("looking for escalations ..."):
        try:
            rows = es.alerts(by=by, window=window, k=k, min_events=min_events, min_periods=min_periods, level=level,
                             **filters).records()
        except _analysis_errors() as exc:
            _fail(str(exc))
    if fmt == "json":
        _print_json(rows)
        return
    if fmt == "csv":
        _write_csv(rows)
        return
    settings = f"k={k:g}, baseline {window} {by}s, periods with at least {min_events} events"
    if not rows:
        console.print(f"no alerts ({settings})")
        return
    t = Table(title=f"{len(rows)} alert{'s' if len(rows) != 1 else ''} ({settings})", title_justify="left")
    for col in ("period", "dyad", "measure", "value", "baseline", "z", "direction", "events"):
        t.add_column(col, justify="right" if col in ("value", "z", "events") else "left")
    for r in rows:
        fmt_value = {"conflict_share": _share, "conflict_events": lambda v: _number(v, 1)}.get(r["metric"], _number)
        colour = "red" if r["direction"] == "escalation" else "green"
        t.add_row(r["period"], f"{r['source']} -> {r['target']}", r["metric"].replace("_", " "), fmt_value(r["value"]),
                  f"{fmt_value(r['baseline_mean'])} ± {fmt_value(r['baseline_sd'])}", f"{r['z']:+.1f}",
                  f"[{colour}]{r['direction']}[/]", str(r["events"]))
    _wide().print(t)


@app.command()
def network(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="graphml or json (node-link, as networkx reads it).")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (default: print).")] = None,
    level: LevelOption = "country",
    min_events: Annotated[int, typer.Option(help="Leave out dyads with fewer events.")] = 1,
    max_edges: Annotated[int | None, typer.Option(help="Keep only the dyads with most events.")] = None,
    source: SourceOption = None,
    target: TargetOption = None,
    code: CodeOption = None,
    root: RootOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """The actor network: an edge per directed dyad, weighted by event count, with its mean Goldstein."""
    if fmt not in ("graphml", "json"):
        _fail("--format must be graphml or json")
    filters = _filters(source=source, target=target, code=code, root=root, since=since, until=until)
    with _open(db) as es:
        try:
            net = es.network(level=level, min_events=min_events, max_edges=max_edges, **filters)
            text = net.graphml() if fmt == "graphml" else json.dumps(net.to_dict(), ensure_ascii=False, indent=1)
        except _analysis_errors() as exc:
            _fail(str(exc))
    if output is None:
        sys.stdout.write(text.rstrip("\n") + "\n")
        return
    try:
        output.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc}")
    console.print(f"{len(net.nodes)} actors, {len(net.edges)} dyads written to {output} ({fmt})")


@app.command()
def stats(
    db: DbOption = None,
    top: Annotated[int, typer.Option(help="How many actors, dyads and event types to list.")] = 10,
    level: LevelOption = "country",
    source: SourceOption = None,
    target: TargetOption = None,
    code: CodeOption = None,
    root: RootOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """The events at a glance: totals, dates, quad classes, top actors, dyads and event types."""
    if fmt not in ("text", "json"):
        _fail("--format must be text or json")
    filters = _filters(source=source, target=target, code=code, root=root, since=since, until=until)
    with _open(db) as es, err.status("counting ..."):
        try:
            out = es.stats(n=top, level=level, **filters)
        except _analysis_errors() as exc:
            _fail(str(exc))
    if fmt == "json":
        _print_json(out)
        return
    out_console = _wide()
    dates = f"{out['first_date']} .. {out['last_date']}" if out["first_date"] else "no dates"
    out_console.print(f"[bold]{out['events']} events[/] ({out['dated']} dated: {dates}); mean Goldstein "
                  f"{_number(out['goldstein_mean'])}, conflict share {_share(out['conflict_share'])}; "
                  f"{out['intent']} intents (threats, appeals, refusals), {out['reported']} in reported speech")
    left = out["left_out"]
    if left["negated"] or left["hypothetical"]:
        out_console.print(f"[dim]not counted: {left['negated']} negated, {left['hypothetical']} hypothetical "
                      "(--include-negated / --include-hypothetical on `events` lists them)[/]")
    q = Table(title="quad classes", title_justify="left")
    for col in ("quad class", "events", "share", "mean Goldstein"):
        q.add_column(col, justify="left" if col == "quad class" else "right")
    for r in out["by_quad_class"]:
        q.add_row(f"{r['quad_class'] or '-'} {r['name'] or 'none'}", str(r["events"]), _share(r["share"]),
                  _number(r["goldstein_mean"]))
    out_console.print(q)
    a = Table(title=f"top {top} actors", title_justify="left")
    for col in ("actor", "name", "events", "as source", "as target", "mean Goldstein", "conflict share"):
        a.add_column(col, justify="left" if col in ("actor", "name") else "right")
    for r in out["top_actors"]:
        a.add_row(r["actor"], escape(r["name"] or ""), str(r["events"]), str(r["as_source"]), str(r["as_target"]),
                  _number(r["goldstein_mean"]), _share(r["conflict_share"]))
    out_console.print(a)
    d = Table(title=f"top {top} dyads", title_justify="left")
    for col in ("dyad", "events", "mean Goldstein", "conflict share", "first", "last"):
        d.add_column(col, justify="left" if col in ("dyad", "first", "last") else "right")
    for r in out["top_dyads"]:
        d.add_row(f"{r['source']} -> {r['target']}", str(r["events"]), _number(r["goldstein_mean"]),
                  _share(r["conflict_share"]), r["first_date"] or "-", r["last_date"] or "-")
    out_console.print(d)
    for key, title in (("top_codes", "event codes"), ("top_roots", "event roots")):
        c = Table(title=f"top {top} {title}", title_justify="left")
        for col in ("code", "name", "events", "share", "mean Goldstein"):
            c.add_column(col, justify="left" if col in ("code", "name") else "right")
        for r in out[key]:
            c.add_row(r.get("code") or r.get("root") or "-", escape(r["name"] or ""), str(r["events"]),
                      _share(r["share"]), _number(r["goldstein_mean"]))
        out_console.print(c)


# ---- export / serve --------------------------------------------------------------------------------
@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="Output file.")],
    fmt: Annotated[str, typer.Option("--format", help="gdelt, gdelt-mentions, icews, plover, parquet or csv.")],
    db: DbOption = None,
    source: SourceOption = None,
    target: TargetOption = None,
    code: CodeOption = None,
    root: RootOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    reported: ReportedOption = None,
    intent: IntentOption = None,
    include_negated: Annotated[bool, typer.Option(help="Also negated events (flagged where the format can).")] = False,
    include_hypothetical: Annotated[bool, typer.Option(help="Also merely possible events.")] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many events.", min=0)] = None,
) -> None:
    """Export stored events: GDELT 2.0 events or mentions, ICEWS, PLOVER JSON Lines, Parquet or CSV."""
    from eventscope.export import EXPORT_FORMATS

    if fmt not in EXPORT_FORMATS:
        _fail(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    if out.is_dir():
        _fail(f"{out} is a directory; give a file name")
    filters = _filters(source=source, target=target, code=code, root=root, since=since, until=until,
                       reported=reported, intent=intent, include_negated=include_negated,
                       include_hypothetical=include_hypothetical)
    with _open(db) as es:
        try:
            result = es.export(out, fmt, limit=limit, **filters)
        except (ValueError, OSError) as exc:
            _fail(f"export failed: {exc}")
    console.print(f"{result.rows} rows written to {escape(str(out))} ({fmt})")
    for note in result.notes:
        console.print(f"  [dim]{escape(note)}[/]")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    token_file: Annotated[Path | None, typer.Option(
        "--token-file", help="File holding the bearer token that allows POST /articles (or set "
        "EVENTSCOPE_API_TOKEN). Without a token the server is read-only.")] = None,
    max_page: Annotated[int, typer.Option(help="Most items in one page.", min=1)] = 1000,
    max_body: Annotated[int, typer.Option(help="Largest request body, in bytes.", min=1)] = 1_000_000,
) -> None:
    """Serve the event store over HTTP (FastAPI; OpenAPI docs at /docs)."""
    import os

    try:
        import uvicorn

        from eventscope.api import ApiSettings, create_app
    except ImportError as exc:
        _fail(f"serve needs the serve extra (pip install 'eventscope[serve]'): {exc}")
    token = os.environ.get("EVENTSCOPE_API_TOKEN") or None
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"cannot read the token file {token_file}: {exc}")
        if not token:
            _fail(f"the token file {token_file} is empty")
    es = _open(db, read_only=token is None)
    app_ = create_app(ApiSettings(db=_db(db), token=token, max_page=max_page, max_body=max_body), es)
    mode = "read-write (POST /articles needs the token)" if token else "read-only"
    err.print(f"serving {escape(str(_db(db)))} {mode} on http://{host}:{port} (docs at /docs)")
    uvicorn.run(app_, host=host, port=port, log_level="warning")


# ---- explain ---------------------------------------------------------------------------------------
@app.command()
def explain(
    event_id: Annotated[str, typer.Argument(help="Event id (or a unique prefix of it).")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Show why an event was coded: sentence, parse, actor resolutions, pattern, flags."""
    with _open(db) as es:
        try:
            full_id = es.find_event_id(event_id)
        except KeyError as exc:
            _fail(f"{exc.args[0]} in {_db(db)}")
        out = es.explain(full_id)
    if fmt == "json":
        _print_json(out)
        return
    _render_explanation(out)


def _render_explanation(out: dict) -> None:
    ev = out["event"]
    art = out["article"]
    console.print(f"[bold]event {ev['id']}[/]  {ev['source'] or '-'} --{ev['code']} "
                  f"({escape(ev.get('event_name') or '')})--> {ev['target'] or '-'}")
    console.print(f"  root {ev['root']}  quad class {ev['quad_class']}  Goldstein {ev['goldstein']}  "
                  f"PLOVER {ev['plover'] or '-'}  date {ev['date'] or 'unknown'}")
    flags = [f for f in ("negated", "hypothetical", "intent", "reported") if ev.get(f)]
    reporter = f" (reported by {ev['reporter']})" if ev.get("reporter") else ""
    counted = "counted" if ev.get("asserted", True) else "not counted (negated or merely possible)"
    console.print(f"  flags: {', '.join(flags) or 'none'}{reporter}; {counted}")
    if ev.get("location"):
        loc = ev["location"]
        console.print(f"  where: {escape(loc['name'])} ({loc.get('country')}, {loc.get('lat')}, {loc.get('lon')}; "
                      f"rule {loc.get('rule')})")
    console.print(f"[bold]article[/] {art.get('id')}  {escape(str(art.get('title') or ''))}  "
                  f"[dim]{escape(str(art.get('source') or ''))}[/]")
    console.print(f"[bold]sentence {ev['sentence_index']}[/] (characters {ev['start']}-{ev['end']}):")
    console.print(f"  {escape(ev['evidence'])}")
    console.print(f"[bold]rule[/] {ev['rule']}" + (f": {escape(out['pattern'])}" if out.get("pattern") else ""))
    why = out.get("why") or {}
    for k in ("group", "verb", "noun", "pattern", "source", "target", "passive"):
        if why.get(k) not in (None, ""):
            console.print(f"  {k}: {escape(str(why[k]))}")
    if out.get("recoded"):
        console.print(f"  [dim]{escape(out['recoded'])}[/]")
    reports = ev.get("event_mentions") or []
    if ev.get("num_mentions") is not None:
        console.print(f"[bold]story[/] {ev.get('story_id')}: {ev['num_mentions']} mention(s) in "
                      f"{ev['num_articles']} article(s) from {ev['num_sources']} source(s)")
    if len(reports) > 1:
        t = Table(title="every mention of this event (the first is the one explained)", title_justify="left")
        for col in ("article", "sentence", "outlet", "published", "evidence"):
            t.add_column(col, overflow="fold")
        for m in reports:
            t.add_row(m["article_id"][:10], str(m["sentence_index"]), escape(m.get("outlet") or m.get("url") or "-"),
                      m.get("published") or "-", escape(_clip(m.get("evidence"), 100)))
        console.print(t)
    if out.get("mentions"):
        t = Table(title="actor resolutions in this sentence", title_justify="left")
        for col in ("text", "actor", "kind", "why"):
            t.add_column(col, overflow="fold")
        for m in out["mentions"]:
            t.add_row(escape(m["text"]), m["actor"] or "-", m["kind"] or "", escape(m["why"] or ""))
        console.print(t)
    if out.get("parse"):
        t = Table(title="parse around the trigger", title_justify="left")
        for col in ("i", "token", "tag", "dep", "head"):
            t.add_column(col)
        for p in out["parse"]:
            tok = f"[bold]{escape(p['text'])}[/]" if p.get("trigger") else escape(p["text"])
            t.add_row(str(p["i"]), tok, p["tag"], p["dep"], str(p["head"]))
        console.print(t)


# ---- eval ------------------------------------------------------------------------------------------
@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="Gold records, JSON Lines (see shared/eval/FORMAT.md).")],
    dictionaries: DictOption = None,
    add_dictionaries: AddDictOption = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the report as JSON here.")] = None,
    errors: Annotated[Path | None, typer.Option("--errors", help="Write mismatched records (JSONL) here.")] = None,
    prefilter: Annotated[bool, typer.Option(
        "--prefilter/--no-prefilter", help="Code with the sentence pre-filter (the default, as `run` does) or "
        "parse every sentence: the figures are the same.")] = True,
    ner: NerOption = False,
) -> None:
    """Score the coder against gold records: P/R/F1 at root, code, full and PLOVER levels."""
    from eventscope.coder import Coder
    from eventscope.dictionaries import DictionaryError
    from eventscope.evaluate import GoldFormatError, coder_predictor, evaluate, gazetteer_locator, load_gold

    if not gold.exists():
        _fail(f"gold file not found: {gold}")
    try:
        records = load_gold(gold)
    except GoldFormatError as exc:
        _fail(str(exc))
    config = _coder_config(dictionaries, add_dictionaries)
    config.prefilter = prefilter
    config.ner = ner
    try:
        coder = Coder.from_config(config)
    except DictionaryError as exc:
        _fail(str(exc))
    locate = gazetteer_locator()
    with console.status(f"coding {len(records)} records ..."):
        report = evaluate(records, coder_predictor(coder), locate=locate)
    report.render(console)
    if json_out:
        json_out.write_text(json.dumps(report.to_dict(), indent=1) + "\n", encoding="utf-8")
        console.print(f"report written to {json_out}")
    if errors:
        n = report.write_errors(errors)
        console.print(f"{n} mismatched records written to {errors}")


# ---- kb --------------------------------------------------------------------------------------------
kb_app = typer.Typer(no_args_is_help=True, help="The knowledge base: look names up, add entries, check it.")
app.add_typer(kb_app, name="kb")


@kb_app.command("lookup")
def kb_lookup(
    name: Annotated[str, typer.Argument(help="A name or phrase: 'Ali Mahmoud Abbas', 'Iranian defense minister'.")],
    date_: Annotated[str | None, typer.Option("--date", help="The date the code is for (YYYY-MM-DD).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    dictionaries: DictOption = None,
    add_dictionaries: AddDictOption = None,
) -> None:
    """The code a name gets on a date, the entry it comes from, and why."""
    from eventscope.actors import ActorMatcher
    from eventscope.dictionaries import DictionaryError, assemble
    from eventscope.kb.lookup import lookup
    from eventscope.nlp import load_nlp

    if fmt not in ("text", "json"):
        _fail("--format must be text or json")
    day = _parse_date(date_, "--date")
    config = _coder_config(dictionaries, add_dictionaries)
    try:
        kb, _ = assemble(config.dictionaries, config.layers())
    except DictionaryError as exc:
        _fail(str(exc))
    out = lookup(name, day, ActorMatcher(kb), load_nlp())
    if fmt == "json":
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return
    console.print(f"[bold]{escape(name)}[/] on {out['date'] or 'no date'}: [bold]{out['code'] or 'no code'}[/]")
    console.print(f"  why: {escape(out['why'])}")
    entry = out.get("entry") or {}
    if entry.get("id"):
        source = escape(str(entry.get("source") or ""))
        console.print(f"  entry: {escape(str(entry['id']))} ({entry.get('kind')}) {source}")
    for p in entry.get("periods") or []:
        console.print(f"    {p['code']:<12} {p['start'] or '...':>10} .. {p['end'] or 'open'}")


@kb_app.command("add")
def kb_add(
    name: Annotated[str, typer.Argument(help="The actor's name as written in news.")],
    code: Annotated[str, typer.Argument(help="CAMEO actor code, e.g. SYRGOVMIL.")],
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Another name (repeatable).")] = None,
    start: Annotated[str | None, typer.Option(help="First day of the role (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option(help="Last day of the role (YYYY-MM-DD); empty = open.")] = None,
    kind: Annotated[str, typer.Option(help="person, organisation, group, country or actor.")] = "person",
    role: Annotated[str, typer.Option(help="Role, for people: 'Defence Minister'.")] = "",
    note: Annotated[str, typer.Option(help="Where this comes from.")] = "",
    folder: Annotated[Path | None, typer.Option("--dir", help="Dictionary folder to add to (default: the "
                                                   "user knowledge base, layered on top of everything).")] = None,
) -> None:
    """Append an entry to a user dictionary (the user knowledge base by default)."""
    from eventscope.config import user_kb_dir
    from eventscope.kb.check import code_problem
    from eventscope.kb.user import add_actor

    s, e = _parse_date(start, "--start"), _parse_date(end, "--end")
    why = code_problem(code)
    if why:
        _fail(why)
    if s and e and s > e:
        _fail(f"--start {s} is after --end {e}")
    folder = folder or user_kb_dir()
    row = add_actor(folder, name, code.upper(), aliases=alias or [], start=s, end=e, kind=kind, role=role, note=note)
    console.print(f"added to {folder / 'actors.tsv'}: {escape(row['names'])} -> {row['code']} "
                  f"({row['start'] or '...'} .. {row['end'] or 'open'})")


@kb_app.command("check")
def kb_check(
    dictionaries: DictOption = None,
    add_dictionaries: AddDictOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Validate the knowledge base: codes against the CAMEO tables, dated ranges, names that mean two actors."""
    from eventscope.kb.user import check_all

    config = _coder_config(dictionaries, add_dictionaries)
    report = check_all(config.dictionaries, config.layers())
    errors = [p for p in report["problems"] if p["level"] == "error"]
    if fmt == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    else:
        for layer in report["layers"]:
            console.print(f"{layer['name']}: {layer['actors']} actors, {layer['periods']} coded periods, "
                          f"{layer['agents']} agents, {layer['discards']} discards; "
                          f"{layer['errors']} errors, {layer['warnings']} warnings")
        for p in report["problems"][:50]:
            console.print(f"  [{'red' if p['level'] == 'error' else 'yellow'}]{p['level']}[/] {p['layer']} "
                          f"{escape(p['entry'])}: {escape(p['message'])}")
        if len(report["problems"]) > 50:
            console.print(f"  ... and {len(report['problems']) - 50} more (--format json lists all)")
    if errors:
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
