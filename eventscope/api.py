"""The HTTP API (FastAPI): stored events, articles, actors, dyads, time series, the actor network,
escalation alerts and counts, read through the Python API (``eventscope.session.EventScope``: the same query
layer and the same analyses as the CLI); OpenAPI docs at /docs.

Read-only unless started with a token: then ``POST /articles`` codes submitted text into the store
(``Authorization: Bearer <token>``, compared in constant time). Request bodies over ``max_body`` bytes are
refused with 413 before they are read in full; pages hold at most ``max_page`` items; bad parameters are
422 with the reason, never 500. Every SQL value is a bound parameter (see ``eventscope.query``).

DuckDB allows one writing process and no readers while it writes: a read-only server and ``eventscope run``
on the same file exclude each other; a server with a token is the store's one writer.
"""

import csv
import datetime as dt
import hmac
import io
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from eventscope import __version__
from eventscope.analysis.grouping import LEVELS, PERIODS
from eventscope.apidocs import openapi_html
from eventscope.model import STATUS_OK, CodedArticle
from eventscope.query import EventFilter, flat_event, get_article, query_events
from eventscope.results import arrow_records
from eventscope.session import EventScope
from eventscope.store import DuckDBStore, StoreError

DEFAULT_MAX_PAGE = 1000
DEFAULT_MAX_BODY = 1_000_000  # bytes
MAX_ARTICLES_PER_POST = 100


@dataclass
class ApiSettings:
    db: str | Path
    token: str | None = None  # None: read-only
    max_page: int = DEFAULT_MAX_PAGE
    max_body: int = DEFAULT_MAX_BODY

    def __post_init__(self) -> None:
        if self.token is not None and not self.token.strip():
            raise ValueError("the API token is empty")
        if self.max_page < 1 or self.max_body < 1:
            raise ValueError("max_page and max_body must be at least 1")


# ---- request body size -------------------------------------------------------------------------------

class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the limit of {limit:,} bytes")


class BodySizeLimit:
    """ASGI middleware: 413 for a declared Content-Length over the limit (nothing is read), and for a body
    that grows over it while being received (chunked uploads), before it is read in full."""

    def __init__(self, app: Callable, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope.get("headers", []) if k == b"content-length"), None)
        if length is not None:
            if not length.isdigit():
                await _plain_error(send, 400, "Content-Length is not a number")
                return
            if int(length) > self.max_body:
                await _plain_error(send, 413, f"request body over the limit of {self.max_body:,} bytes")
                return
        received = 0
        started = False

        async def limited_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            if not started:
                await _plain_error(send, 413, str(exc.detail))


async def _plain_error(send: Callable, status: int, detail: str) -> None:
    body = JSONResponse({"detail": detail}, status_code=status).body
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


# ---- submitted articles --------------------------------------------------------------------------------

class ArticleIn(BaseModel):
    """An article to code: its text, and what is known about it."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="The article's text (plain text).")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=4000, description="The article's URL; its id is a hash of it.")
    outlet: str | None = Field(None, max_length=300)
    date: dt.date | None = Field(None, description="Publication date (YYYY-MM-DD); relative dates resolve from it.")


_SUBMISSION = TypeAdapter(ArticleIn | list[ArticleIn])


def _validation_detail(exc: ValidationError) -> list[dict]:
    return [{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]


def _unprocessable(name: str, where: str, message: str) -> HTTPException:
    return HTTPException(422, [{"loc": [where, name], "msg": message, "type": "value_error"}])


# ---- the app ----------------------------------------------------------------------------------------------

class _Coders:
    """Coders built on demand (the spaCy model and dictionaries take seconds), one per dictionary setting,
    used one request at a time (spaCy pipelines are not meant to be shared between threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._coders: dict[tuple, Any] = {}

    def get(self, config: Any) -> Any:
        from eventscope.coder import Coder

        key = (config.dictionaries, tuple(config.add_dictionaries))
        if key not in self._coders:
            self._coders[key] = Coder.from_config(config)
        return self._coders[key]


def create_app(settings: ApiSettings, es: EventScope | None = None) -> FastAPI:
    """The FastAPI app over the store at ``settings.db`` (opened read-write only when there is a token), or over
    ``es``, an open store (closed when the app stops)."""
    if es is None:
        es = EventScope.open(settings.db, read_only=settings.token is None)
    store = es.store
    coders = _Coders()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        es.close()

    app = FastAPI(
        title="eventscope",
        version=__version__,
        description="Political events coded from news: who did what to whom, where and when, with the "
        "sentence that says so. Events default to asserted ones (negated and merely possible events only "
        "with include_negated / include_hypothetical).",
        lifespan=lifespan,
        docs_url=None,  # the default page loads Swagger UI from a CDN; /docs below works offline
        redoc_url=None,
    )
    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return HTMLResponse(openapi_html(app.openapi()))

    app.state.settings = settings
    app.state.session = es
    app.add_middleware(BodySizeLimit, max_body=settings.max_body)
    max_page = settings.max_page

    def event_filters(
        source: Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9]+$",
                                            description="Source actor code prefix (IRN, IRNGOV...).")] = None,
        target: Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9]+$",
                                            description="Target actor code prefix.")] = None,
        code: Annotated[str | None, Query(max_length=8, pattern=r"^[0-9A-Za-z]+$",
                                          description="CAMEO event code (exact).")] = None,
        root: Annotated[str | None, Query(pattern=r"^[0-9]{1,2}$", description="CAMEO root (2 digits).")] = None,
        since: Annotated[date | None, Query(description="First event date (YYYY-MM-DD).")] = None,
        until: Annotated[date | None, Query(description="Last event date (YYYY-MM-DD).")] = None,
        article_id: Annotated[str | None, Query(max_length=64)] = None,
        plover: Annotated[str | None, Query(max_length=20, pattern=r"^[A-Za-z_-]+$",
                                            description="PLOVER event type.")] = None,
        quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
        reported: Annotated[bool | None, Query(description="Only reported (true) or only direct (false).")] = None,
        intent: Annotated[bool | None, Query(description="Only intents/threats/appeals (true) or acts.")] = None,
        include_negated: Annotated[bool, Query(description="Also negated events (flagged).")] = False,
        include_hypothetical: Annotated[bool, Query(description="Also merely possible events.")] = False,
    ) -> dict[str, Any]:
        """The filters of ``EventScope`` methods (the fields of ``eventscope.query.EventFilter``)."""
        return {"source": source, "target": target, "code": code, "root": root, "since": since, "until": until,
                "article_id": article_id, "plover": plover, "quad_class": quad_class, "reported": reported,
                "intent": intent, "include_negated": include_negated, "include_hypothetical": include_hypothetical}

    Filters = Annotated[dict, Depends(event_filters)]
    Limit = Annotated[int, Query(ge=1, le=max_page, description=f"Items per page (at most {max_page}).")]
    # default page sizes, never over the cap
    page_10, page_100, page_500 = (min(n, max_page) for n in (10, 100, 500))
    Top = Annotated[int, Query(ge=1, le=max_page, description=f"How many to list (at most {max_page}).")]
    # the analyses' own choices (eventscope.analysis.grouping), so that the API offers exactly what they take
    Period = Annotated[Literal[PERIODS], Query(description="Period: day, week (from Monday) or month.")]
    Level = Annotated[Literal[LEVELS], Query(description="Actors by country (IRN; organisations keep their code) "
                                                         "or by full code (IRNGOVMIL).")]
    MinEvents = Annotated[int, Query(ge=1, le=1_000_000)]

    def checked(fn: Callable, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ValueError as exc:  # a parameter value the query layer refuses (its message says why)
            raise _unprocessable("parameters", "query", str(exc)) from exc

    @app.exception_handler(StoreError)
    async def store_error(_request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.get("/health", tags=["service"])
    def health() -> dict:
        """The server is up and its store answers."""
        store.fetch("SELECT 1 AS ok")
        return {"status": "ok", "version": __version__, "read_only": settings.token is None,
                "max_page": max_page, "max_body": settings.max_body}

    @app.get("/events", tags=["events"])
    def events(request: Request, flt: Filters, limit: Limit = page_100,
               cursor: Annotated[str | None, Query(max_length=1000, description="next_cursor of the previous "
                                                   "page.")] = None,
               format: Annotated[Literal["json", "csv"], Query()] = "json") -> Any:
        """Events in the stable order (date, article, sentence, id), a page at a time: pass ``next_cursor``
        back as ``cursor`` until it is null. Paging is gap-free and repeat-free while events are added."""
        try:
            page = es.event_page(cursor, limit=limit, **flt)
        except ValueError as exc:
            raise _unprocessable("cursor" if cursor else "parameters", "query", str(exc)) from exc
        headers = {}
        if page.next_cursor:
            headers["X-Next-Cursor"] = page.next_cursor
            headers["Link"] = f'<{request.url.include_query_params(cursor=page.next_cursor)}>; rel="next"'
        if format == "csv":
            buf = io.StringIO()
            rows = [flat_event(e) for e in page.events]
            if rows:
                writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
        return JSONResponse({"events": page.events, "count": len(page.events), "limit": limit,
                             "next_cursor": page.next_cursor}, headers=headers)

    @app.get("/events/{event_id}", tags=["events"])
    def event(event_id: str,
              explain: Annotated[bool, Query(description="Re-code the sentence to show the parse and the "
                                             "pattern (slower).")] = True) -> dict:
        """One event with its evidence, article, the actor mentions of its sentence and, with explain, why
        it was coded: the pattern that fired, the coder's reasons and the parse around the trigger."""
        if len(event_id) > 64:
            raise HTTPException(404, f"no event {event_id!r}")
        if not explain:
            ev = es.event(event_id)
            if ev is None:
                raise HTTPException(404, f"no event {event_id!r}")
            return ev
        return explained_event(event_id)

    def explained_event(event_id: str) -> dict:
        from eventscope.explain import explain_event, run_config

        run = store.fetch("SELECT run_id FROM events WHERE id = ?", [event_id])
        if not run:
            raise HTTPException(404, f"no event {event_id!r}")
        config = run_config(store, run[0]["run_id"])
        with coders.lock:
            try:
                coder = coders.get(config)
            except Exception:  # the run's dictionaries are gone: explain_event says so and shows what is stored
                coder = None
            out = explain_event(store, event_id, coder)
        if out is None:
            raise HTTPException(404, f"no event {event_id!r}")
        ev = out["event"]
        ev["explanation"] = {k: out.get(k) for k in ("pattern", "recoded", "why", "parse")}
        return ev

    @app.get("/articles/{article_id}", tags=["articles"])
    def article(article_id: str) -> dict:
        """One stored article: status, metadata, cleaned text and the ids of its events."""
        art = es.article(article_id) if len(article_id) <= 64 else None
        if art is None:
            raise HTTPException(404, f"no article {article_id!r}")
        rows = store.fetch("SELECT id FROM events WHERE article_id = ? ORDER BY sentence_index, id", [article_id])
        art["event_ids"] = [r["id"] for r in rows]
        return art

    @app.get("/actors", tags=["analysis"])
    def actors(flt: Filters, n: Top = page_10, level: Level = "country") -> dict:
        """The ``n`` actors in most of the selected events (as source or target), with their events as source
        and as target, mean Goldstein score and conflict share (``EventScope.top_actors``)."""
        return {"level": level, "actors": checked(es.top_actors, n, level=level, **flt).records()}

    @app.get("/dyads", tags=["analysis"])
    def dyads(flt: Filters, n: Top = page_10, level: Level = "country") -> dict:
        """The ``n`` directed (source, target) pairs with most events: mean Goldstein score, conflict share, first
        and last date (``EventScope.top_dyads``)."""
        return {"level": level, "dyads": checked(es.top_dyads, n, level=level, **flt).records()}

    @app.get("/timeseries", tags=["analysis"])
    def timeseries(flt: Filters, by: Period = "month",
                   both_directions: Annotated[bool, Query(description="Count events between source and target "
                                                                      "either way.")] = False) -> dict:
        """Events per period (``source`` and ``target`` make it a dyad's series): count, mean Goldstein score,
        the share of each quad class and the conflict share; periods without events between the first and the
        last (or ``since`` and ``until``) are listed with 0 events (``EventScope.dyad``)."""
        series = checked(es.dyad, by=by, both_directions=both_directions, **flt)
        return {"by": by, "source": flt["source"], "target": flt["target"], "both_directions": both_directions,
                "series": series.records()}

    @app.get("/network", tags=["analysis"])
    def network(flt: Filters, level: Level = "country", min_events: MinEvents = 1,
                max_edges: Annotated[int, Query(ge=1, le=max_page, description=f"Keep only the dyads with most "
                                                f"events (at most {max_page}).")] = page_500) -> dict:
        """The directed actor network in networkx's node-link layout: an edge per dyad (``weight`` = events, mean
        Goldstein, conflict share, first and last date), a node per actor on a kept edge (``EventScope.network``)."""
        return checked(es.network, level=level, min_events=min_events, max_edges=max_edges, **flt).to_dict()

    @app.get("/alerts", tags=["analysis"])
    def alerts(flt: Filters, by: Period = "week",
               window: Annotated[int, Query(ge=1, le=366, description="Baseline: this many periods before.")] = 8,
               k: Annotated[float, Query(ge=0, le=100, description="Alert when a measure moves more than k "
                                                                  "standard deviations from its baseline.")] = 3.0,
               min_events: Annotated[int, Query(ge=1, le=1_000_000, description="Periods with fewer events (for "
                                                "the dyad) are skipped.")] = 3,
               min_periods: Annotated[int, Query(ge=2, le=366, description="Fewest baseline periods for an "
                                                 "alert.")] = 4,
               level: Level = "country", limit: Limit = page_100) -> dict:
        """Escalation alerts, newest period first: dyads whose conflict share, number of conflict events or mean
        Goldstein score moved more than ``k`` standard deviations from their own trailing baseline
        (``EventScope.alerts``). ``since`` picks
        the periods reported (earlier events still make the baseline); ``total`` counts all alerts, ``alerts``
        lists the first ``limit``."""
        found = checked(es.alerts, by=by, window=window, k=k, min_events=min_events, min_periods=min_periods,
                        level=level, **flt).to_arrow()
        return {"by": by, "k": k, "window": window, "total": found.num_rows,
                "alerts": arrow_records(found.slice(0, limit))}

    @app.get("/stats", tags=["analysis"])
    def stats(flt: Filters, n: Top = page_10, level: Level = "country") -> dict:
        """Store counts (articles by status, events, mentions) and the selected events at a glance: totals,
        dates, quad classes, flags, the flagged events left out, and the top ``n`` actors, dyads, event codes
        and roots (``EventScope.stats``)."""
        return {"store": es.summary(), **checked(es.stats, n, level=level, **flt)}

    # ---- writes --------------------------------------------------------------------------------------
    def authorise(request: Request) -> None:
        if settings.token is None:
            raise HTTPException(403, "this server is read-only (start it with a token to accept articles)")
        scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
        ok = scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), settings.token.encode())
        if not ok:
            raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})

    @app.post("/articles", tags=["articles"], status_code=201, openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": _SUBMISSION.json_schema(ref_template="#/components/schemas/{model}")}}}})
    async def post_articles(request: Request) -> dict:
        """Code one article (an object) or several (a list of up to 100) and store them; returns each
        article's id, status and asserted events. Needs ``Authorization: Bearer <token>``."""
        authorise(request)  # before the body is read
        body = await request.body()
        try:
            parsed = _SUBMISSION.validate_json(body)
        except ValidationError as exc:
            raise HTTPException(422, _validation_detail(exc)) from exc
        items = parsed if isinstance(parsed, list) else [parsed]
        if not items or len(items) > MAX_ARTICLES_PER_POST:
            raise _unprocessable("articles", "body", f"send 1 to {MAX_ARTICLES_PER_POST} articles at a time")
        return await run_in_threadpool(submit, items)

    def submit(items: list[ArticleIn]) -> dict:
        from eventscope.coder import CoderConfig

        with coders.lock:  # one coding at a time: it also makes this server's writes one at a time
            return submit_articles(store, coders.get(CoderConfig.from_settings()), items)

    # the request body schema of POST /articles in the OpenAPI components
    original_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = original_openapi()
            defs = _SUBMISSION.json_schema(ref_template="#/components/schemas/{model}").get("$defs", {})
            schema.setdefault("components", {}).setdefault("schemas", {}).update(defs)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def submit_articles(store: DuckDBStore, coder: Any, items: list[ArticleIn]) -> dict:
    """Clean, code and store submitted articles as one run; an article already stored is not coded again."""
    from eventscope.clean import clean_article
    from eventscope.dates import publication_date_from_text
    from eventscope.ingest.records import make_article

    articles = {}
    for n, item in enumerate(items):
        art = make_article(source=f"api:{n}", fallback=f"api:{n}", kind="api", text=item.text, title=item.title,
                           url=item.url, outlet=item.outlet, published=item.date)
        art = clean_article(art)
        if art.published is None and art.ok:
            art.published = publication_date_from_text(art.text)
        articles.setdefault(art.id, art)
    run_id = store.start_run({"api": True, "articles": len(articles)})
    status = "failed"
    try:
        stored = store.coded_article_ids(articles)
        todo = [a for a in articles.values() if a.id not in stored]
        coded: list[CodedArticle] = list(coder.code_articles(todo))
        result = store.write(run_id, coded)
        status = "done"
    finally:
        store.finish_run(run_id, status, {"api": True, "articles": len(articles)})
    out = []
    for art in articles.values():
        row = get_article(store, art.id) or {}
        events = query_events(store, EventFilter(article_id=art.id)) if row.get("status") == STATUS_OK else []
        out.append({"id": art.id, "status": row.get("status", art.status), "reason": row.get("reason"),
                    "already_stored": art.id in stored, "events": events})
    return {"run_id": run_id, "events_added": result.events_added, "articles": out}
