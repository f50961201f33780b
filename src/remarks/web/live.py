"""Live updates on the article page and the embed: a Server-Sent Events stream per article.

Every few seconds the stream reads what changed (services/live.py) and sends ``comments`` (how many new
comments since the page's last one: the page shows "N new comments — show") and ``reactions`` (the
Respect counts) when they change. Polling the database keeps it right with several server processes.
A stream ends after a few minutes; the browser's EventSource reconnects on its own."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from remarks.errors import NotFound
from remarks.models import Article
from remarks.services import live

router = APIRouter(include_in_schema=False)
INTERVAL = 2.0  # seconds between two looks at the database
LIFETIME = 300.0  # seconds a stream stays open before the browser reconnects


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
        sent_new, sent_counts = -1, None
        started = time.monotonic()
        while time.monotonic() - started < LIFETIME and not await request.is_disconnected():
            changes = await run_in_threadpool(_read, request, article_id, since)
            if changes.new_comments != sent_new:
                sent_new = changes.new_comments
                yield f"event: comments\ndata: {json.dumps({'new': sent_new, 'latest': changes.latest})}\n\n"
            if changes.reactions != sent_counts:
                sent_counts = changes.reactions
                yield f"event: reactions\ndata: {json.dumps({str(k): v for k, v in sent_counts.items()})}\n\n"
            await asyncio.sleep(INTERVAL)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
