"""Live updates on the article page and the embed: a Server-Sent Events stream per article, and the
server-rendered fragment of new comments the page inserts.

Every few seconds the stream reads what changed (services/live.py) and sends ``published`` (the new
published comments since the page's last one, each with the comment it answers) and ``reactions`` (the
Respect counts) when they change. The page then asks ``/articles/SLUG/comments/fragment?ids=...`` for
those comments rendered by the same template as the thread (escaped by Jinja2, with the reader's own
forms), and puts them in place. Polling the database keeps it right with several server processes. A
stream ends after a few minutes; the browser's EventSource reconnects on its own."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from remarks.errors import BadInput, NotFound
from remarks.models import Article
from remarks.moderation import rules
from remarks.services import live, threads
from remarks.web import caching
from remarks.web.deps import Viewer, get_db, get_viewer
from remarks.web.responses import page

router = APIRouter(include_in_schema=False)
INTERVAL = 2.0  # seconds between two looks at the database
LIFETIME = 300.0  # seconds a stream stays open before the browser reconnects
MAX_IDS = 50  # comments in one fragment


def _read(request: Request, article_id: int, since: int) -> live.Changes:
    with request.app.state.sessions() as session:
        return live.changes(session, article_id, since)


def _article_id(request: Request, slug: str) -> int:
    with request.app.state.sessions() as session:
        aid = session.scalar(select(Article.id).where(Article.slug == slug))
    if aid is None:
        raise NotFound("there is no such article")
    return aid


@router.get("/articles/{slug}/events")
async def events(slug: str, request: Request, since: int = Query(0, ge=0, le=2**62)) -> StreamingResponse:
    article_id = await run_in_threadpool(_article_id, request, slug)

    async def stream() -> AsyncIterator[str]:
        yield f"retry: {int(INTERVAL * 2000)}\n\n"
        sent: set[int] = set()  # the page dedupes too: after a reconnect it is sent the list again
        sent_counts = None
        started = time.monotonic()
        first = True
        while time.monotonic() - started < LIFETIME and not await request.is_disconnected():
            changes = await run_in_threadpool(_read, request, article_id, since)
            fresh = [c for c in changes.fresh if c.id not in sent]
            if fresh or first:
                sent.update(c.id for c in fresh)
                data = {"new": changes.new_comments, "latest": changes.latest,
                        "comments": [{"id": c.id, "parent": c.parent} for c in fresh]}
                yield f"event: published\ndata: {json.dumps(data)}\n\n"
                first = False
            if changes.reactions != sent_counts:
                sent_counts = changes.reactions
                yield f"event: reactions\ndata: {json.dumps({str(k): v for k, v in sent_counts.items()})}\n\n"
            await asyncio.sleep(INTERVAL)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _ids(raw: str) -> list[int]:
    parts = [p for p in raw.split(",") if p]
    if not parts or len(parts) > MAX_IDS or not all(p.isdigit() and len(p) < 19 for p in parts):
        raise BadInput(f"ids is 1 to {MAX_IDS} comment numbers separated by commas")
    return [int(p) for p in parts]


@router.get("/articles/{slug}/comments/fragment")
def fragment(slug: str, request: Request, ids: str = "", view: str = "", sort: str = threads.DEFAULT_SORT,
             page_no: int = Query(1, alias="page", ge=1, le=10**6), db: Session = Depends(get_db),
             viewer: Viewer = Depends(get_viewer)) -> Response:
    """The published comments among ``ids``, each an ``<li>`` as the thread renders it for this reader
    (their Respect, mutes, reply and report forms). Anything not published is left out: a held comment
    never reaches another reader's page."""
    wanted = _ids(ids)
    article = db.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        raise NotFound("there is no such article")
    embed = view == "embed"
    sort = sort if sort in threads.SORTS else threads.DEFAULT_SORT
    nodes = threads.published_nodes(db, article, wanted, viewer=viewer.user,
                                    edit_minutes=request.app.state.settings.edit_minutes)
    here = f"{'/embed/' if embed else '/articles/'}{slug}?sort={sort}&page={page_no}"
    response = page(request, "_live_comments.html", viewer, article=article, nodes=nodes, embed=embed, here=here,
                    report_reasons=rules.reportable(), unread_alerts=0)
    response.headers["Cache-Control"] = caching.PRIVATE
    return response
