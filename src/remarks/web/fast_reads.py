"""The fast path for what a breaking story's readers ask most: an article's thread, answered from the
thread cache (services/thread_cache.py) before FastAPI's routing, dependencies, the request's database
session and the HTTP middleware.

- An anonymous reader's thread JSON (``GET /api/v1/articles/ID``), article page (``/articles/SLUG``)
  and embed (``/embed/SLUG``): the cached bytes (a page with the reader's own form token put in),
  with the same ETag, ``Cache-Control``, cookies and headers as the routes give, or 304 when the
  reader's copy is current. On the event loop, with no worker thread: what it costs is one
  primary-key look-up (services/thread_cache.Heads) on a database connection of its own.
- A logged-in reader's thread JSON: their log-in, the article's version and their own marks
  (Respect, mutes, what they may edit) read in one worker thread, within the admission bound
  (web/admission.py), and the cached thread's data copied with those marks.

Freshness is the routes': every answer first reads the article's ``thread_version`` from the
database, so a change made by any server process, or by a script, is seen by the next read. No
staleness is added here (HTTP caches in front may keep an anonymous answer for its ``max-age``, 5 s,
as before).

Whatever it is not sure of goes on to the app, which answers as it always did and fills the cache:
a thread not built or not yet rendered in this language, a reader with comments only they see,
other query parameters, an unknown or expired log-in, a database error.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import anyio
import anyio.to_thread
from fastapi import Request
from fastapi.responses import Response
from pydantic_core import to_json
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Receive, Scope, Send

from remarks.config import Settings
from remarks.services import thread_cache, threads
from remarks.services.thread_cache import Heads, ThreadCache
from remarks.web import caching, i18n, pages, served
from remarks.web.admission import Slots
from remarks.web.deps import SESSION_COOKIE, csrf_token, set_csrf_cookie
from remarks.web.metrics import Metrics
from remarks.web.responses import embed_csp

log = logging.getLogger("remarks")

JSON_PATH = re.compile(r"/api/v1/articles/([0-9]{1,18})")
PAGE_PATH = re.compile(r"/(articles|embed)/([^/]+)")
JSON_QUERY = frozenset({"page", "sort"})
MAX_PAGE = 100_000  # as the API's ``page`` parameter
LOGGED_IN_THREADS = 2


@dataclass(frozen=True)
class Ask:
    """A request the fast path may answer."""
    json: bool
    ref: int | str  # article id (JSON) or slug (page)
    embed: bool
    page: int
    sort: str


def _ask(request: Request, path: str) -> Ask | None:
    q = request.query_params
    m = JSON_PATH.fullmatch(path)
    if m:
        if not set(q) <= JSON_QUERY:
            return None
        page, sort = q.get("page", "1"), q.get("sort", threads.DEFAULT_SORT)
        if not (page.isdigit() and len(page) < 7 and 1 <= int(page) <= MAX_PAGE) or sort not in threads.SORTS:
            return None  # the route answers 422
        return Ask(True, int(m.group(1)), False, int(page), sort)
    m = PAGE_PATH.fullmatch(path)
    if m and set(q) <= pages.PLAIN_QUERY:
        return Ask(False, m.group(2), m.group(1) == "embed", *pages.page_and_sort(request))
    return None


def _token(request: Request) -> str | None:
    """The log-in token the request carries (bearer or session cookie), or None for an anonymous reader."""
    auth = request.headers.get("authorization")
    if auth is not None:
        return auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    return request.cookies.get(SESSION_COOKIE)


class FastReads:
    def __init__(self, app: ASGIApp, *, cache: ThreadCache, heads: Heads, sessions: sessionmaker[Session],
                 settings: Settings, metrics: Metrics, slots: Slots) -> None:
        self.app, self.cache, self.heads, self.sessions = app, cache, heads, sessions
        self.settings, self.metrics, self.slots = settings, metrics, slots
        self._limiters: WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = WeakKeyDictionary()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request = Request(scope)
        path = request.url.path
        ask = _ask(request, path)
        response = kind = None
        if ask is not None:
            token = _token(request)
            try:
                if token is None:
                    response, kind = self._anonymous(request, path, ask), "json" if ask.json else "page"
                elif ask.json and token:
                    response, kind = await self._logged_in(token, ask), "viewer"
            except SQLAlchemyError as exc:  # database trouble: the app answers (503 with Retry-After)
                log.warning("fast path: %r on %s; the app answers", exc, path)
                response = None
        if response is None:
            await self.app(scope, receive, send)
            return
        self.metrics.fast_reads.labels(kind="304" if response.status_code == 304 else kind).inc()
        served.finish(request, response.headers, self.settings)
        await response(scope, receive, send)
        served.record(self.metrics, "GET", path, response.status_code, time.perf_counter() - started)

    def _limiter(self) -> anyio.CapacityLimiter:
        """At most LOGGED_IN_THREADS threads at once make logged-in answers (one per event loop): the work
        is Python and holds the interpreter lock, so more threads only wait for it, each longer."""
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = self._limiters[loop] = anyio.CapacityLimiter(LOGGED_IN_THREADS)
        return limiter

    def _anonymous(self, request: Request, path: str, ask: Ask) -> Response | None:
        head = self.heads.get(**({"article_id": ask.ref} if ask.json else {"slug": ask.ref}))
        if head is None:
            return None
        snap = self.cache.peek(head.id, ask.page, ask.sort, head.version)
        if snap is None:
            return None
        closed = int(head.closed)
        if ask.json:
            body = snap.rendered.get(caching.json_key(closed))
            if body is None:
                return None
            tag = caching.json_tag(head.id, snap.version, ask.page, ask.sort, closed)
            if caching.fresh(request, tag):
                return caching.not_modified(tag)
            return Response(body, media_type="application/json", headers=caching.headers(tag))
        site = request.query_params.get("site")
        if ask.embed and site and site[:100] != head.site:
            return None  # the route says there is no such article on that site
        lang = i18n.choose(None, request.cookies.get(i18n.COOKIE), request.headers.get("accept-language"))
        name = "embed.html" if ask.embed else "article.html"
        body = snap.rendered.get(caching.page_key(name, lang, path, closed))
        if body is None:
            return None
        token = csrf_token(request)
        tag = caching.page_tag(head.id, snap.version, ask.page, ask.sort, lang, ask.embed, closed, token)
        if caching.fresh(request, tag):
            return caching.not_modified(tag, caching.PAGE)
        response = Response(body.replace(caching.FORM_TOKEN.encode(), token.encode()),
                            media_type="text/html; charset=utf-8", headers=caching.headers(tag, caching.PAGE))
        set_csrf_cookie(request, response, self.settings)
        if ask.embed:
            response.headers["Content-Security-Policy"] = embed_csp(self.settings)
        return response

    async def _logged_in(self, token: str, ask: Ask) -> Response | None:
        async with self.slots.held():
            body = await anyio.to_thread.run_sync(self._marked_json, token, ask, limiter=self._limiter())
        if body is None:
            return None
        return Response(body, media_type="application/json", headers={"Cache-Control": caching.PRIVATE})

    def _marked_json(self, token: str, ask: Ask) -> bytes | None:
        """The cached thread JSON with the reader's marks, or None (the route answers). Two statements: the
        thread's version, then the reader's log-in and marks together (thread_cache.marks_for_token)."""
        with self.sessions() as session:
            head = thread_cache.head(session, article_id=ask.ref)
            snap = self.cache.peek(head.id, ask.page, ask.sort, head.version) if head else None
            closed = int(head.closed) if head else 0
            tree = snap.rendered.get(caching.tree_key(closed)) if snap else None
            if tree is None:
                return None
            user, marks = thread_cache.marks_for_token(session, snap, token, edit_minutes=self.settings.edit_minutes)
        if user is None or marks is None:
            return None  # an unknown log-in (the route refuses it), or comments only they see (built for them)
        if not marks:
            return snap.rendered.get(caching.json_key(closed))
        return to_json(thread_cache.marked(tree, marks))
