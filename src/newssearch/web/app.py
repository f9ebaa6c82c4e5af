"""The ASGI application: routes, error responses, security headers, the worker threads.

A handler reads its parameters, hands one function of :mod:`newssearch.web.library` to a worker
thread, and renders the result as HTML (:mod:`newssearch.web.html`) or as the CLI's JSON. The
event loop itself never searches, so one slow query does not hold up the others.

Status codes: 200; 400 a bad query or parameter (unknown, repeated, out of bounds); 404 an id
or speaker the index does not hold, or an unknown URL; 405 any method but GET and HEAD (the
server is read-only); 503 a query stopped at the time limit (``Retry-After`` is set), or an
index that cannot be opened; 500 anything else (the message says no more than that). API
errors are JSON: ``{"error": "<one line>", "status": <code>}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newssearch.index import NewsIndex
from newssearch.web import html, library
from newssearch.web import params as p
from newssearch.web.budget import TimeLimitExceeded, within_budget
from newssearch.web.library import (
    IndexUnavailable, NewssearchError, QueryError, ThreadIndexes, UnknownIdError,
)
from newssearch.web.openapi import openapi_document
from newssearch.web.params import ParameterError, SearchState

T = TypeVar("T")
Stage = Callable[[Callable[[], Any], "float | None"], Any]  # runs one step of a request within a budget
log = logging.getLogger("newssearch.web")

DEFAULT_WORKERS = 4
DEFAULT_TIME_LIMIT = 10.0       # seconds a request may search before it is stopped (503)
DEFAULT_FACETS_BUDGET = 0.020   # seconds the search page gives facets and timeline together
GRACE_SECONDS = 1.0             # a call into C may finish past the limit before the stop lands
STATIC = Path(__file__).parent / "static"
SETTINGS_ENV = "NEWSSEARCH_WEB_SETTINGS"  # create_app's arguments, as JSON, for server processes
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class Server:
    """What the handlers share: the index's location, the worker threads and the budgets."""

    def __init__(self, location: Path, *, workers: int, time_limit: float, facets_budget: float | None) -> None:
        self.indexes = ThreadIndexes(location)
        self.workers = workers
        self.time_limit = time_limit
        self.facets_budget = facets_budget
        self.executor: ThreadPoolExecutor | None = None
        self._stats: dict[tuple[object, int], library.IndexStats] = {}
        self._stats_lock = threading.Lock()

    def start(self) -> None:
        self.executor = ThreadPoolExecutor(self.workers, thread_name_prefix="newssearch-web")

    def warm(self) -> None:
        """Open every worker thread's reader now, so the first requests do not pay for it."""
        assert self.executor is not None
        everyone = threading.Barrier(self.workers, timeout=30)

        def open_one() -> None:
            self.indexes.current()
            everyone.wait()  # keeps this thread busy until each of the others has taken one job

        for future in [self.executor.submit(open_one) for _ in range(self.workers)]:
            future.result()

    def stop(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        self.indexes.close_all()

    async def run(self, work: Callable[[NewsIndex], T]) -> T:
        """``work`` on a worker thread, given that thread's index pinned to the latest commit, within the time limit."""
        return await self.run_staged(lambda index, stage: stage(lambda: work(index), None))

    async def run_staged(self, work: Callable[[NewsIndex, Stage], T]) -> T:
        """Like :meth:`run`, for work in stages, each run by ``stage(fn, seconds)`` within its own budget.

        Budgets run one after another, never nested; none outlasts the request's time limit.
        """
        if self.executor is None:
            self.start()
        assert self.executor is not None
        future = asyncio.get_running_loop().run_in_executor(self.executor, self._job, work)
        try:
            return await asyncio.wait_for(future, self.time_limit + GRACE_SECONDS)
        except TimeoutError:
            raise TimeLimitExceeded(self.time_limit) from None

    def _job(self, work: Callable[[NewsIndex, Stage], T]) -> T:
        """Run ``work`` on this thread's index; once more on a fresh one if a file vanished under it.

        A file of an older state can vanish under a request when an indexer merges segments or a
        rebuild swaps in (whoosh opens some files lazily); the request then runs on the new state.
        A stage stopped mid-read leaves the reader usable (every read seeks first; caches are
        filled whole or not at all), so the warm reader is kept: reopening it after each stop
        made every later request cold, and slow enough to be stopped in turn.
        """
        deadline = time.monotonic() + self.time_limit

        def stage(step: Callable[[], Any], seconds: float | None) -> Any:
            left = deadline - time.monotonic()
            return within_budget(step, left if seconds is None else min(seconds, left))

        for attempt in (1, 2):
            index = self.indexes.current()
            try:
                return work(index, stage)
            except OSError:
                self.indexes.discard()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def stats(self, index: NewsIndex, top: int) -> library.IndexStats:
        """The index summary, computed once per committed state (it reads every paragraph's columns)."""
        key = (library.state_key(index), top)
        with self._stats_lock:
            found = self._stats.get(key)
        if found is None:
            found = library.stats(index, top)
            with self._stats_lock:
                if len(self._stats) > 8:
                    self._stats.clear()
                self._stats[key] = found
        return found


def server_of(request: Request) -> Server:
    server: Server = request.app.state.server
    return server


# --------------------------------------------------------------------------- pages


async def search_page(request: Request) -> Response:
    state = SearchState.from_query(request.query_params.multi_items())
    server = server_of(request)
    if not state.q:
        found = await server.run(lambda index: server.stats(index, 10))
        return HTMLResponse(html.render_search(state, stats=found))
    query = state.q
    budget = None if state.full else server.facets_budget

    def work(index: NewsIndex, stage: Stage) -> tuple[library.SearchResults | None, library.PageExtras | None,
                                                          str | None]:
        try:
            results = stage(lambda: library.search(index, query, library.search_arguments(state)), None)
        except QueryError as error:
            return None, None, str(error)
        return results, library.page_extras(index, results, state, budget, stage), None

    results, extras, error = await server.run_staged(work)
    if error is not None:
        return HTMLResponse(html.render_search(state, error=error), status_code=400)
    assert results is not None and extras is not None
    page = html.render_search(state, results, facets=extras.facets, timeline=extras.timeline, skipped=extras.skipped)
    return HTMLResponse(page)


async def article_page(request: Request) -> Response:
    values = p.read_params(p.ARTICLE, request.query_params.multi_items())
    id, query = request.path_params["id"], values["q"]
    view = await server_of(request).run(lambda index: library.article(index, id, query))
    return HTMLResponse(html.render_article(view, query))


async def speaker_page(request: Request) -> Response:
    values = p.read_params(p.SPEAKER_PAGE, request.query_params.multi_items())
    name: str = request.path_params["name"]
    if not name.strip() or len(name) > p.MAX_FILTER_CHARS:
        raise ParameterError(f"a speaker's name is 1 to {p.MAX_FILTER_CHARS} characters")
    state = SearchState(q=values["q"], page=values["page"], sort=values["sort"] or "relevance", by=values["by"])

    def work(index: NewsIndex) -> library.SpeakerView:
        return library.speaker_search(index, name, values["q"], values["page"], values["sort"], values["by"])

    try:
        view = await server_of(request).run(work)
    except QueryError as error:
        return HTMLResponse(html.render_error(400, str(error)), status_code=400)
    if not view.quoted:
        others = ", ".join(value.value for value in view.others[:5])
        hint = f" (names that contain it: {others})" if others else ""
        raise UnknownIdError(f"no paragraph in the index quotes anyone named exactly {name!r}{hint}")
    return HTMLResponse(html.render_speaker(name, view.results, view.timeline, state, quoted=view.quoted,
                                            others=view.others))


# --------------------------------------------------------------------------- JSON API


def exported(text: str, fmt: str, headers: dict[str, str] | None = None) -> Response:
    media = library.CONTENT_TYPES[fmt]
    return Response(text if text.endswith("\n") or fmt == "csv" else text + "\n",
                    media_type=f"{media}; charset=utf-8", headers=headers)


async def api_search(request: Request) -> Response:
    values = p.read_params(p.API_SEARCH, request.query_params.multi_items())
    fmt = values.pop("format")
    query = values.pop("q")

    results = await server_of(request).run(lambda index: library.search(index, query, values))
    shown = len(results.hits)
    headers = {"X-Total-Count": str(results.units), "X-Rows": str(shown)}
    if results.units > shown + (results.page - 1) * results.page_size:
        headers["X-Rows-Capped"] = f"rows {results.first}-{results.last} of {results.units}; limit={results.page_size}"
    return exported(library.export(results, fmt), fmt, headers)


async def api_article(request: Request) -> Response:
    values = p.read_params(p.ARTICLE, request.query_params.multi_items())
    id = request.path_params["id"]
    view = await server_of(request).run(lambda index: library.article(index, id, values["q"]))
    return exported(library.as_json(view.to_dict()), "json")


async def api_similar(request: Request) -> Response:
    values = p.read_params(p.SIMILAR, request.query_params.multi_items())
    id = request.path_params["id"]
    found = await server_of(request).run(
        lambda index: library.similar_paragraphs(index, id, values["limit"], values["other_articles"]))
    return exported(library.export(found, values["format"]), values["format"])


async def api_timeline(request: Request) -> Response:
    values = p.read_params(p.TIMELINE, request.query_params.multi_items())
    filters = {name: values[name] for name in ("section", "speaker", "since", "until")}
    found = await server_of(request).run(
        lambda index: library.timeline(index, values["q"], values["by"], values["articles"], filters))
    return exported(library.export(found, values["format"]), values["format"])


async def api_speakers(request: Request) -> Response:
    values = p.read_params(p.SPEAKERS, request.query_params.multi_items())
    filters = {name: values[name] for name in ("section", "speaker", "since", "until")}
    server = server_of(request)
    if not values["q"] and any(filters.values()):
        raise ParameterError("filters need a query: add q (q=* for every paragraph)")

    def work(index: NewsIndex) -> library.Facet:
        if not values["q"]:
            found = server.stats(index, values["limit"])
            return library.Facet("speaker", found.speakers, found.distinct_speakers, 0)
        return library.speakers(index, values["q"], filters, values["limit"])

    facet = await server.run(work)
    return exported(library.as_json({"query": values["q"], **facet.to_dict()}), "json")


async def api_stats(request: Request) -> Response:
    values = p.read_params(p.STATS, request.query_params.multi_items())
    server = server_of(request)
    found = await server.run(lambda index: server.stats(index, values["top"]))
    return exported(library.as_json(found.to_dict()), "json")


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


# --------------------------------------------------------------------------- errors


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)
    return HTMLResponse(html.render_error(status, message), status_code=status, headers=headers)


async def bad_request(request: Request, error: Exception) -> Response:
    return error_response(request, 400, str(error))


async def not_found(request: Request, error: Exception) -> Response:
    return error_response(request, 404, str(error))


async def too_slow(request: Request, error: Exception) -> Response:
    seconds = getattr(error, "seconds", 0)
    return error_response(request, 503, f"the query ran longer than the server's time limit of {seconds:g} s "
                                         f"and was stopped; narrow it (a phrase, a filter) and try again",
                          headers={"Retry-After": "1"})


async def unavailable(request: Request, error: Exception) -> Response:
    return error_response(request, 503, str(error), headers={"Retry-After": "1"})


async def library_error(request: Request, error: Exception) -> Response:
    """Any other library error, with the HTTP status its class carries (``http_status``)."""
    status = int(getattr(error, "http_status", 500))
    return error_response(request, status, str(error), headers={"Retry-After": "1"} if status == 503 else None)


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    messages = {404: f"no such page: {request.url.path}", 405: "the server is read-only: only GET and HEAD"}
    response = error_response(request, error.status_code, messages.get(error.status_code, str(error.detail)))
    if error.headers:
        response.headers.update(error.headers)
    return response


async def internal_error(request: Request, error: Exception) -> Response:
    log.error("error serving %s", request.url.path, exc_info=error)
    return error_response(request, 500, "internal error (the server's log has the details)")


# --------------------------------------------------------------------------- headers


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends, and ``Server-Timing: app;dur=<ms>``, to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = (time.perf_counter() - started) * 1000
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS,
                                      (b"server-timing", f"app;dur={elapsed:.2f}".encode())]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --------------------------------------------------------------------------- the app


def create_app(location: str | Path, *, workers: int = DEFAULT_WORKERS, time_limit: float = DEFAULT_TIME_LIMIT,
               facets_budget: float | None = DEFAULT_FACETS_BUDGET, warm: bool = False) -> ASGIApp:
    """The web application over the index at ``location`` (opened read-only, on first request).

    ``time_limit`` bounds every request's searching (503 past it); ``facets_budget`` bounds the
    facets and timeline of the search page (None: only the time limit). ``warm`` opens the
    index on every worker thread at start-up.
    """
    server = Server(Path(location), workers=workers, time_limit=time_limit, facets_budget=facets_budget)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        server.start()
        if warm:
            await asyncio.get_running_loop().run_in_executor(None, server.warm)
        try:
            yield
        finally:
            server.stop()

    get = ["GET"]
    routes = [
        Route("/", search_page, methods=get),
        Route("/article/{id:path}", article_page, methods=get),
        Route("/speaker/{name:path}", speaker_page, methods=get),
        Route("/api/search", api_search, methods=get),
        Route("/api/article/{id:path}", api_article, methods=get),
        Route("/api/similar/{id:path}", api_similar, methods=get),
        Route("/api/timeline", api_timeline, methods=get),
        Route("/api/speakers", api_speakers, methods=get),
        Route("/api/stats", api_stats, methods=get),
        Route("/openapi.json", openapi, methods=get),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers: dict[Any, Callable[..., Any]] = {
        ParameterError: bad_request, QueryError: bad_request, UnknownIdError: not_found,
        TimeLimitExceeded: too_slow, IndexUnavailable: unavailable, NewssearchError: library_error,
        HTTPException: http_error,
        Exception: internal_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.state.server = server
    return SecurityHeaders(app)


def app_from_environment() -> ASGIApp:
    """The app of a server process started by ``newssearch serve --processes N`` (settings in the environment)."""
    return create_app(**json.loads(os.environ[SETTINGS_ENV]))
