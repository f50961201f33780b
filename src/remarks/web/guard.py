"""The app's outer guard, as a plain ASGI middleware (a ``BaseHTTPMiddleware`` ran every request through
a task group and memory streams of its own; this wraps ``send`` instead): bodies too large are refused,
the reader's language is set, comment posts are counted for surge mode and refused past its second bound
before they wait for admission, and every answer gets what web/served.py adds (device cookie, security
headers, latency in the metrics, the access log line)."""

from __future__ import annotations

import time

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from remarks.config import Settings
from remarks.services import surge
from remarks.web import served
from remarks.web.errors import error_response
from remarks.web.head import asked_method
from remarks.web.metrics import Metrics
from remarks.web.responses import use_language

MAX_BODY = 256 * 1024


class Guard:
    def __init__(self, app: ASGIApp, *, settings: Settings, metrics: Metrics, state) -> None:
        self.app, self.settings, self.metrics, self.state = app, settings, metrics, state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        started = time.perf_counter()
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await self._answer(request, error_response(
                request, 413, "too_large", f"request bodies are limited to {MAX_BODY // 1024} KiB"), started, send)
            return
        use_language(request)  # services' words to the reader (a refusal, a sanction) are in their language
        state = self.state
        posting = scope["method"] == "POST" and scope["path"].endswith("/comments")
        state.posts_in_flight += posting  # the surge bound (services/surge.py) reads this
        try:
            if posting and surge.mode(state.posts_in_flight, self.settings, state.surge_backlog) == "refuse":
                # Past the second bound: refused at once, before waiting for admission (nothing stored).
                busy = surge.Busy("too many comments are waiting to be checked; nothing was saved, try again shortly")
                await self._answer(request, error_response(request, busy.status, busy.code, busy.message, headers={
                    "Retry-After": str(busy.retry_after)}), started, send)
                return
            status = 500

            async def finishing(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    served.finish(request, MutableHeaders(scope=message), self.settings)
                await send(message)

            await self.app(scope, receive, finishing)
        finally:
            state.posts_in_flight -= posting
        served.record(self.metrics, asked_method(scope), request.url.path, status, time.perf_counter() - started)

    async def _answer(self, request: Request, response, started: float, send: Send) -> None:
        served.finish(request, response.headers, self.settings)
        await response(request.scope, request.receive, send)
        served.record(self.metrics, asked_method(request.scope), request.url.path, response.status_code,
                      time.perf_counter() - started)
