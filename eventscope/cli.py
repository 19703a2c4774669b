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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, only the summary.")] = False,
) -> None:
    """Code news articles into events and store them (running it again adds nothing new)."""
    from eventscope.dictionaries import DictionaryError
    from eventscope.pipeline import run as run_pipeline
    from eventscope.store import StoreError

    published = _parse_date(date_, "--date")
    config = _coder_config(dictionaries, add_dictionaries)
    fetcher = _fetcher(max_bytes, min_interval, timeout, fetch_linked)
    db = _db(db)
    progress = None if quiet else _progress_printer()
    try:
        summary = run_pipeline(paths, db, default_date=published, config=config, max_bytes=max_bytes,
                               progress=progress, fetcher=fetcher)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]: what was written is kept; run the same command again to resume.")
        raise typer.Exit(130) from None
    except (StoreError, DictionaryError) as exc:
        _fail(str(exc))
    _print_summary(summary, db)


def _progress_printer():
    """A line per batch on a terminal or in a log; issue 6 brings a full progress bar."""
    state = {"last": -1}

    def show(s) -> None:
        if s.articles == state["last"]:
            return
        state["last"] = s.articles
        rate = s.articles / s.elapsed if s.elapsed else 0.0
        err.print(f"[dim]{s.articles} articles read, {s.coded} coded, {s.events} events, {s.skipped} skipped "
                  f"({rate:.1f} articles/s)[/]")

    return show


def _print_summary(s, db: Path) -> None:
    t = Table(title=f"run {s.run_id} ({s.status}) into {db}", title_justify="left", show_header=False)
    t.add_column("what")
    t.add_column("count", justify="right")
    t.add_row("records read", str(s.articles))
    t.add_row("articles coded", str(s.coded))
    t.add_row("events added", str(s.events))
    t.add_row("already stored (skipped, nothing to do)", str(s.already_stored))
    for status, n in sorted(s.by_status.items()):
        if status != "ok":
            t.add_row(f"skipped: {status}", str(n))
    t.add_row("time", f"{s.elapsed:.1f} s")
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
    import threading

    from eventscope.dictionaries import DictionaryError
    from eventscope.watch import FeedWatcher, parse_interval, read_feed_list, stop_on_interrupt

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
