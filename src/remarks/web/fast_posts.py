"""The fast path for a comment posted through the API (``POST /api/v1/articles/ID/comments``): what the
API's route does (``api.post``), without FastAPI's dependency solving and without holding a worker
thread while the comment waits. With the checks off on SQLite the reads up to the verdict run on the
event loop itself (``_on_loop``); otherwise in one trip to a worker thread, after which the comment
waits for the scoring thread on the event loop. The verdict is then made on the loop and the write is
handed to the group writer (db/group.py), which writes the posts waiting together in one transaction;
the loop answers once it committed. A waiting comment holds no thread, so the scoring thread's batches
are not bounded by the number of threads.

A plain route placed before the API's, inside the app's middleware (the guard counts the post for
surge mode, admission bounds it) and its error handlers: a refusal is answered as the route answers
it. The body is read as FastAPI reads it (``json.loads``, then ``CommentIn``); anything it is not sure
of (another content type, a body that is not a valid comment, no log-in) goes on to the API's route
with the body as sent, which answers it as it always did (422, 401, ...).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.routing import Match, Route
from sqlalchemy.orm import Session
from starlette.types import Receive, Scope, Send

from remarks.db import release
from remarks.models import User
from remarks.services import comments, surge

from remarks.web import api
from remarks.web.deps import SESSION_COOKIE, verify_api_csrf, viewer_of
from remarks.web.permissions import Permission, ensure
from remarks.web.schemas import CommentIn

PASSED = "remarks.fast_post.passed"  # in the scope of a request the fast path left to the app's routes


def install(app: FastAPI) -> None:
    """Put the fast path in front of the app's routes."""
    app.router.routes.insert(0, _Route("/api/v1/articles/{article_id}/comments", FastPost(),
                                       methods=["POST"], include_in_schema=False))


class _Route(Route):
    def matches(self, scope: Scope):
        if scope.get(PASSED):  # left to the API's route
            return Match.NONE, {}
        return super().matches(scope)


def _json(content_type: str | None) -> bool:
    return content_type is not None and content_type.split(";", 1)[0].strip().lower() == "application/json"


class FastPost:
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        body = await request.body()
        comment = None
        ref = scope["path_params"]["article_id"]
        article_id = int(ref) if ref.isascii() and ref.isdigit() and len(ref) <= 18 else None
        if (article_id is not None and _json(request.headers.get("content-type"))
                and ("authorization" in request.headers or SESSION_COOKIE in request.cookies)):
            try:
                comment = CommentIn.model_validate(json.loads(body))
            except Exception:  # noqa: BLE001 - not JSON, or not a comment: the route says why, as it always did
                comment = None
        if comment is None:
            scope[PASSED] = True  # routed again: the API's route answers, with the body as sent
            await scope["router"](scope, _replay(body, receive), send)
            return
        state = request.app.state
        pipeline = state.pipeline
        session = request.state.db = state.sessions()
        try:
            if self._on_loop(state):
                step = self._start(request, session, article_id, comment)
            else:
                # On its way to the scoring thread, whose next batch waits for it (moderation/batching.py)
                # until it is submitted.
                with pipeline.coming() if hasattr(pipeline, "coming") else nullcontext():
                    step = await anyio.to_thread.run_sync(self._start, request, session, article_id, comment)
                    if isinstance(step, _Waiting):
                        step.scores = pipeline.submit([step.scoring.ctx])
            if isinstance(step, _Waiting):  # waits for the scoring thread on the event loop, not in a thread
                results = (await asyncio.wrap_future(step.scores))[0]
                step = api.post_write(request, step.user, comment, step.scoring, results)  # the verdict
            if not isinstance(step, Response):  # the write, with the others waiting (db/group.py), no thread held
                release(session)
                step = api.answer(await asyncio.wrap_future(state.group_commit.submit(step)))
            await step(scope, receive, send)
        finally:
            session.rollback()
            session.close()

    @staticmethod
    def _on_loop(state) -> bool:
        """Whether the reads of a post run on the event loop itself: with the checks off on SQLite (a local
        file, read in WAL mode without waiting for writers; a statement takes well under a millisecond),
        outside a surge (a pending post is written by the request itself, which may wait for the write
        lock). A worker thread per post cost more than the reads: waking it, and every thread wanting the
        interpreter lock at once under load. With checks, the checks may compute what they keep (a story's
        embeddings) before scoring: a worker thread; on PostgreSQL (a server, maybe across a network) too."""
        return (not state.pipeline.checks and state.engine.dialect.name == "sqlite"
                and surge.mode(state.posts_in_flight, state.settings, state.surge_backlog) == "normal")

    @staticmethod
    def _start(request: Request, session: Session, article_id: int,
               comment: CommentIn) -> Response | _Waiting | Callable[[Session], object]:
        """What the route's dependencies and the route do up to scoring: the answer already (a retry, a
        surge), the comment waiting for its scores, or, without checks to wait for, its write."""
        viewer = viewer_of(request, session)
        user = ensure(viewer, Permission.SIGNED_IN)
        verify_api_csrf(request, viewer)
        pipeline = request.app.state.pipeline
        step = api.start_post(request, session, user, article_id, comment)
        if not isinstance(step, comments.Scoring):
            return step
        if pipeline.checks:
            release(session)  # no connection held while the comment is scored or waits for its scores
            if hasattr(pipeline, "submit"):
                return _Waiting(user, step)
        # Nothing to wait for (no checks: the policy's word lists only), or a pipeline without a scoring
        # thread: the verdict here, at once.
        return api.post_write(request, user, comment, step, pipeline.score([step.ctx])[0])


@dataclass
class _Waiting:
    user: User
    scoring: comments.Scoring
    scores: Future | None = None  # its results from the scoring thread, once submitted


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the route: the body already read, then whatever comes next (a disconnect)."""
    sent = False

    async def again():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
