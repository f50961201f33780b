"""The FastAPI application factory."""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from remarks import __version__
from remarks.checks.registry import load_checks
from remarks.config import Settings, get_settings
from remarks.db import make_engine, make_sessionmaker
from remarks.db.group import GroupCommit
from remarks.errors import NotAuthenticated, RemarksError
from remarks.moderation.batching import BatchingPipeline
from remarks.moderation.memory import DictMemory
from remarks.moderation.pipeline import Pipeline
from remarks.moderation.policy import Circumstances, PolicyConfig
from remarks.services import surge
from remarks.services.counts import CountCache
from remarks.services.thread_cache import Heads, ThreadCache
from remarks.web import (
    account_pages,
    api,
    api_account,
    api_insight,
    api_notices,
    api_users,
    closing,
    counts,
    desk,
    desk_notices,
    desk_users,
    insight,
    live,
    pages,
    publisher,
    readers,
    sso,
)
from remarks.web.admission import Admission, Slots, connections
from remarks.web import fast_posts
from remarks.web.fast_reads import FastReads
from remarks.web.guard import Guard
from remarks.web.head import HeadAsGet
from remarks.web.errors import error_response, wants_json
from remarks.web.metrics import CONTENT_TYPE, Metrics
from remarks.web.render import make_templates
from remarks.web.responses import see_other

log = logging.getLogger("remarks")
HERE = Path(__file__).parent



def _back_to(request: Request) -> str:
    """Where to return after logging in: the page asked for, or for a form post the page it was sent from."""
    if request.method == "GET":
        return quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="/")
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = not referer.netloc or referer.netloc == request.url.netloc
    return quote(referer.path, safe="/") if same_site and referer.path.startswith("/") else "/"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        import anyio.to_thread

        # Few threads per process (REMARKS_THREADS): more only fight over the interpreter lock.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        # Load the models now, not on the first reader's comment; the dotted word loads the link finder
        # too (50-240 ms at the first comment with a web address otherwise).
        from remarks.checks.base import CommentContext

        Pipeline(app.state.pipeline.checks).run_one(  # not observed: no request was made
            CommentContext(text="Warming up the checks: the details are at example.org.", article_title="Warm-up",
                           article_body="Loading the models first."), DictMemory(), PolicyConfig(), Circumstances())
        from remarks.services.worker import Periodic as _Periodic

        # Comments accepted as pending in a surge are scored here (and any left from before a restart).
        def surge_pass() -> None:
            # Only while there is surge work (and once at start, for what a restart left pending); batch
            # after batch for up to 5 s (so a stop is heard), then again a fifth of a second later: a
            # second's rest after every 5 s left the queue unscored a sixth of the time.
            started = time.monotonic()
            while app.state.surge_due and time.monotonic() - started < 5:
                done = surge.score_waiting(app.state.sessions, app.state.pipeline, settings)
                with app.state.sessions() as session:
                    app.state.surge_backlog = surge.backlog(session)  # read by the refusal bound
                app.state.surge_due = done > 0 or app.state.surge_backlog > 0

        workers = [_Periodic("surge-scoring", surge_pass, 0.2)]
        if settings.webhooks_enabled:
            from remarks.services.webhooks import Worker

            workers.append(Worker(app.state.sessions, allow_private=settings.webhook_allow_private))
        if settings.mail_enabled and settings.smtp_host:
            from remarks.services import notify
            from remarks.services.worker import Periodic

            workers.append(Periodic("mail", lambda: notify.deliver_due(app.state.sessions, settings),
                                    settings.mail_interval))
            from remarks.services import alerts

            workers.append(Periodic("digest", lambda: alerts.digest_pass(app.state.sessions, settings.base_url), 300))
        for w in workers:
            w.start()
        # What start-up made (modules, models, the app) lives as long as the process: out of the garbage
        # collector's full passes, which otherwise walk all of it every so often, stalling every request.
        gc.collect()
        gc.freeze()
        yield
        for w in workers:
            w.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="remarks",
        version=__version__,
        description="Comments for news sites, moderated by the newspaper's published comment policy.",
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    # At most 2 requests per worker thread inside the app at once (web/admission.py); the pool is sized
    # to that, so no request ever waits for a database connection.
    slots = Slots(2 * settings.threads)
    engine = make_engine(settings.database_url, connections(slots.n, settings.threads))
    app.state.settings = settings
    app.state.counts = CountCache()
    app.state.templates = make_templates(settings)
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.metrics = metrics = Metrics(app.state.sessions)
    # posts' writes, together (db/group.py)
    app.state.group_commit = GroupCommit(app.state.sessions, observe=metrics.write_groups.observe)
    app.state.thread_cache = ThreadCache(app.state.sessions)
    app.state.posts_in_flight = 0
    app.state.surge_backlog = 0  # comments stored pending, not yet scored (as of the last scoring pass)
    app.state.surge_due = True
    # Scoring micro-batched across concurrent requests (moderation/batching.py); the writes stay short.
    checks = load_checks(settings.checks)
    app.state.pipeline = (BatchingPipeline(checks, observe=metrics.observe_check, max_batch=settings.score_batch,
                                           linger=settings.score_wait_ms / 1000)
                          if settings.score_batch > 1 else Pipeline(checks, observe=metrics.observe_check))

    app.add_middleware(Admission, slots=slots)  # inside the guard, which counts posts before they wait

    app.add_middleware(Guard, settings=settings, metrics=metrics, state=app.state)  # web/guard.py

    # Outside the guard and everything else: reads of a cached thread (web/fast_reads.py). Its version
    # look-ups use a database connection of their own, on the event loop only.
    app.state.heads = Heads(make_engine(settings.database_url, 1))
    app.add_middleware(FastReads, cache=app.state.thread_cache, heads=app.state.heads, sessions=app.state.sessions,
                       settings=settings, metrics=metrics, slots=slots)
    app.add_middleware(HeadAsGet)  # outermost: HEAD is GET without the body (web/head.py)

    @app.exception_handler(RemarksError)
    async def _remarks_error(request: Request, exc: RemarksError):
        if isinstance(exc, NotAuthenticated) and not wants_json(request):
            return see_other(f"/login?next={_back_to(request)}")  # a page that needs a log-in: ask for one
        headers = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
        return error_response(request, exc.status, exc.code, exc.template, headers=headers, params=exc.params)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors()[:5]:
            where = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
            parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else e.get("msg", "invalid"))
        return error_response(request, 422, "invalid", "; ".join(parts) or "the request is not valid")

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)  # every connection busy waiting on a lock
    @app.exception_handler(InterfaceError)
    async def _database_down(request: Request, exc: Exception):
        # The database went away (restart, failover, locked too long): nothing was saved; retry.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return error_response(request, 503, "unavailable", "the database is unavailable right now; nothing was "
                              "saved, please try again in a moment", headers={"Retry-After": "5"})

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: Exception):
        return error_response(request, 400, "bad_input", "a number in the request is out of range")

    @app.exception_handler(IntegrityError)
    async def _conflict(request: Request, exc: Exception):
        log.warning("integrity conflict on %s %s: %s", request.method, request.url.path, exc)
        return error_response(request, 409, "conflict", "a simultaneous change conflicted with this one; nothing "
                              "was saved, please try again", headers={"Retry-After": "1"})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal", "something went wrong on our side; nothing was saved")

    @app.get("/metrics", include_in_schema=False)
    def prometheus(request: Request) -> Response:
        if settings.metrics_token and request.headers.get("authorization") != f"Bearer {settings.metrics_token}":
            return error_response(request, 401, "not_authenticated", "the metrics need the bearer token")
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        from sqlalchemy import text

        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - health reports, never raises
            log.warning("health check failed: %s", exc)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "version": __version__})

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(api_notices.router)
    app.include_router(api_account.router)
    app.include_router(api_insight.router)
    app.include_router(api_users.router)
    app.include_router(pages.router)
    app.include_router(account_pages.router)
    app.include_router(readers.router)
    app.include_router(live.router)
    app.include_router(desk.router)
    app.include_router(desk_notices.router)
    app.include_router(desk_users.router)
    app.include_router(insight.router)
    app.include_router(publisher.router)
    app.include_router(publisher.desk)
    app.include_router(sso.api)
    app.include_router(counts.router)
    app.include_router(closing.router)
    app.include_router(sso.router)
    fast_posts.install(app)  # in front of the API's route for posting (web/fast_posts.py)
    return app
