"""Admission: at most ``slots`` requests inside the application at once; the others wait their turn
in the event loop, holding nothing (no worker thread, no database connection).

Why: a request's sync steps (dependencies, the route, the response's validation) each wait for a
worker thread of their own, and a request that has read something may hold its database connection
between two of them. Without a bound, a crowd of requests each holding a connection while waiting
for a thread empties any pool, and the threads then wait on the pool: nothing moves until the pool
times out. With the bound, the pool is sized to it (``connections``) and nobody waits for a
connection. Posts are counted for surge mode before they wait here (web/app.py), so a queue of
posts still turns on surge mode.

Static files, the health check and live event streams (which hold no connection between their
looks at the database) are not counted.
"""

from __future__ import annotations

import asyncio
from weakref import WeakKeyDictionary

from starlette.types import ASGIApp, Receive, Scope, Send

BACKGROUND = 4  # the app's own workers that use the database: surge scoring, webhooks, mail, digest


def connections(slots: int, threads: int) -> int:
    """The pool one server process needs: a connection per admitted request (its session), one more
    per worker thread (a route that opens a second session while running: the thread cache, a
    write without a request session), and the background workers'."""
    return slots + threads + BACKGROUND


def exempt(path: str) -> bool:
    return path.startswith("/static/") or path == "/healthz" or path.endswith("/events")


class Slots:
    """The bound: ``n`` requests at once, one semaphore per event loop (a server has one; tests may run
    the app in several in turn). Shared by Admission and the fast path's logged-in reads
    (web/fast_reads.py), which use the same worker threads and connections."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._sems: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()

    def held(self) -> asyncio.Semaphore:
        """``async with slots.held():`` while a request is inside."""
        loop = asyncio.get_running_loop()
        sem = self._sems.get(loop)
        if sem is None:
            sem = self._sems[loop] = asyncio.Semaphore(self.n)
        return sem


class Admission:
    def __init__(self, app: ASGIApp, slots: Slots) -> None:
        self.app, self.slots = app, slots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or exempt(scope["path"]):
            await self.app(scope, receive, send)
            return
        async with self.slots.held():  # until the response is sent and the request's session closed
            await self.app(scope, receive, send)
