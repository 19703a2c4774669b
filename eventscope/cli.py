"""The ``eventscope`` command: a thin layer over the Python API (pipeline, query, evaluate, explain)."""

from __future__ import annotations

import csv
import json
import sys
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
err = Console(stderr=True)

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


def _open_store(db: Path | None, read_only: bool = True):
    from eventscope.store import StoreError, open_store

    db = _db(db)
    if read_only and not db.exists():
        _fail(f"no event store at {db}: run `eventscope run PATH --db {db}` first")
    try:
        return open_store(db, read_only=read_only)
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
@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to code (.txt, .html, .jsonl, .parquet, "
                                                "RSS/Atom).")],
    db: DbOption = None,
    date_: Annotated[str | None, typer.Option("--date", help="Publication date (YYYY-MM-DD) of articles "
                                                 "whose source gives none.")] = None,
    dictionaries: DictOption = None,
    add_dictionaries: AddDictOption = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest article accepted, in bytes.")] = 5_000_000,
    workers: Annotated[int | None, typer.Option("--workers", "-w", help="Coding processes (default: all cores; "
                                                   "1 codes in this process).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles per batch (one transaction each).")] = 32,
    dedup_threshold: Annotated[float, typer.Option(
        "--dedup-threshold", help="Similarity (0-1, estimated Jaccard of word 5-grams) above which an article "
        "is a near-duplicate and joins the story of the earlier one.")] = 0.8,
    prefilter: Annotated[bool, typer.Option(
        "--prefilter/--no-prefilter", help="Parse only the sentences that can change what is coded (the same "
        "events either way; --no-prefilter is slower).")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, only the summary.")] = False,
    progress_interval: Annotated[float, typer.Option(
        "--progress-interval", help="Seconds between progress lines when the output is not a terminal "
        "(0: a line per batch).")] = 10.0,
) -> None:
    """Code news articles into events and store them (running it again adds nothing new)."""
    from eventscope.dictionaries import DictionaryError
    from eventscope.pipeline import estimate_records
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
    config.prefilter = prefilter
    db = _db(db)
    if progress_interval < 0:
        _fail("--progress-interval must be 0 or more")
    display = None if quiet else RunProgress(estimate_records(paths), live=err.is_terminal, every=progress_interval)
    try:
        summary = run_pipeline(paths, db, default_date=published, config=config, max_bytes=max_bytes,
                               workers=workers, batch_size=batch_size, dedup_threshold=dedup_threshold,
                               progress=display)
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
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest article accepted, in bytes.")] = 5_000_000,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles coded together in a task.")] = 32,
    dedup_threshold: Annotated[float, typer.Option(
        "--dedup-threshold", help="Similarity (0-1) above which an article joins the story of an earlier one "
        "(as for run).")] = 0.8,
    prefilter: Annotated[bool, typer.Option("--prefilter/--no-prefilter", help="As for run.")] = True,
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
    if batch_size < 1:
        _fail("--batch-size must be at least 1")
    if partitions is not None and partitions < 1:
        _fail("--partitions must be at least 1")
    if not 0.0 < dedup_threshold <= 1.0:
        _fail("--dedup-threshold must be above 0 and at most 1")
    config = _coder_config(dictionaries, add_dictionaries)
    config.prefilter = prefilter
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
    source: Annotated[str | None, typer.Option(help="Source actor code prefix (IRN, IRNGOV...).")] = None,
    target: Annotated[str | None, typer.Option(help="Target actor code prefix.")] = None,
    code: Annotated[str | None, typer.Option(help="CAMEO event code (exact).")] = None,
    root: Annotated[str | None, typer.Option(help="CAMEO root code (2 digits).")] = None,
    since: Annotated[str | None, typer.Option(help="First event date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last event date (YYYY-MM-DD).")] = None,
    reported: Annotated[bool | None, typer.Option(
        "--reported/--direct", help="Only events in reported speech, or only those stated directly.")] = None,
    intent: Annotated[bool | None, typer.Option(
        "--intent/--acts", help="Only expressed intents, threats, refusals and appeals, or only acts.")] = None,
    include_negated: Annotated[bool, typer.Option(
        help="Also list negated events (\"did not attack\"), flagged.")] = False,
    include_hypothetical: Annotated[bool, typer.Option(
        help="Also list merely possible events (\"could attack\"), flagged.")] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """List stored events (negated and merely possible ones only when asked for)."""
    from eventscope.query import EventFilter, query_events

    if fmt not in ("table", "json", "csv"):
        _fail("--format must be table, json or csv")
    flt = EventFilter(source=source, target=target, code=code, root=root,
                      since=_parse_date(since, "--since"), until=_parse_date(until, "--until"), limit=limit,
                      reported=reported, intent=intent, include_negated=include_negated,
                      include_hypothetical=include_hypothetical)
    store = _open_store(db)
    try:
        rows = query_events(store, flt)
    except ValueError as exc:
        _fail(str(exc))
    finally:
        store.close()
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    if fmt == "csv":
        flat = [{**{k: v for k, v in r.items() if k != "location"}, **_location_columns(r.get("location"))}
                for r in rows]
        if flat:
            w = csv.DictWriter(sys.stdout, fieldnames=list(flat[0]))
            w.writeheader()
            w.writerows(flat)
        return
    wide = Console(width=max(console.width, 160)) if not console.is_terminal else console
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


def _location_columns(loc: dict | None) -> dict:
    loc = loc or {}
    return {f"location_{k}": loc.get(k) for k in ("name", "country", "admin1", "lat", "lon", "geo_type", "rule")}


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
    from eventscope.query import query_articles

    if fmt not in ("table", "json"):
        _fail("--format must be table or json")
    store = _open_store(db)
    try:
        rows = query_articles(store, status=status)
    finally:
        store.close()
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    t = Table(title=f"{len(rows)} articles", title_justify="left")
    for col in ("id", "status", "events", "title", "source", "reason"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r["id"][:10], r["status"], str(r["events"]), escape(_clip(r["title"], 50)),
                  escape(_clip(r["source"], 50)), escape(_clip(r["reason"], 60)))
    console.print(t)


# ---- explain ---------------------------------------------------------------------------------------
@app.command()
def explain(
    event_id: Annotated[str, typer.Argument(help="Event id (or a unique prefix of it).")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Show why an event was coded: sentence, parse, actor resolutions, pattern, flags."""
    from eventscope.explain import explain_event

    store = _open_store(db)
    try:
        ids = store.fetch("SELECT id FROM events WHERE id LIKE ? || '%' ORDER BY id LIMIT 3", [event_id])
        if not ids:
            _fail(f"no event {event_id!r} in {db}")
        if len(ids) > 1 and ids[0]["id"] != event_id:
            _fail(f"{event_id!r} matches several events; give more of the id")
        out = explain_event(store, ids[0]["id"])
    finally:
        store.close()
    if fmt == "json":
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    _render_explanation(out)


def _render_explanation(out: dict) -> None:
    ev = out["event"]
    art = out["article"]
    console.print(f"[bold]event {ev['id']}[/]  {ev['source'] or '-'} --{ev['code']} "
                  f"({escape(ev.get('event_name') or '')})--> {ev['target'] or '-'}")
    console.print(f"  root {ev['root']}  quad class {ev['quad_class']}  Goldstein {ev['goldstein']}  "
                  f"PLOVER {ev['plover'] or '-'}  date {ev['date'] or 'unknown'}")
    flags = [f for f in ("negated", "reported", "hypothetical") if ev.get(f)]
    reporter = f" (reported by {ev['reporter']})" if ev.get("reporter") else ""
    console.print(f"  flags: {', '.join(flags) or 'none'}{reporter}")
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
) -> None:
    """Score the coder against gold records: P/R/F1 at root, code, full and PLOVER levels."""
    from eventscope.coder import Coder
    from eventscope.dictionaries import DictionaryError
    from eventscope.evaluate import GoldFormatError, coder_predictor, evaluate, load_gold

    if not gold.exists():
        _fail(f"gold file not found: {gold}")
    try:
        records = load_gold(gold)
    except GoldFormatError as exc:
        _fail(str(exc))
    try:
        coder = Coder.from_config(_coder_config(dictionaries, add_dictionaries))
    except DictionaryError as exc:
        _fail(str(exc))
    locate = _gold_locator()
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


def _gold_locator():
    """Gold locations that carry only a name are placed with the same gazetteer the coder uses."""
    try:
        from eventscope.geo import Gazetteer
    except ImportError:
        return None
    gaz = Gazetteer.load()

    def locate(loc: dict) -> dict | None:
        place = gaz.resolve(loc.get("name") or "")
        if place is None:
            return None
        return {"country": place.country, "lat": place.lat, "lon": place.lon}

    return locate


def main() -> None:
    app()


if __name__ == "__main__":
    main()
