"""The unit of work of a route, one way for every route that writes.

``write(request, work)`` ends the request's read transaction, opens a write transaction on the
request's session (``BEGIN IMMEDIATE`` on SQLite, so it queues on the lock instead of failing
later), runs ``work(session)``, and commits once. A SQLite writer whose snapshot went stale
("database is locked") starts again from the top, a few times, so ``work`` must be safe to re-run
(it is: it only talks to the session). Anything that should happen outside the write lock, such
as scoring a comment, happens before ``write`` is called.

An error with ``keep_work`` set (a failed log-in, which the rate limit counts) commits what the
work did before the error reaches the reader; any other error rolls everything back.

Objects loaded by the work stay usable after it (the session keeps them; ``expire_on_commit``
is off), so the route renders or serialises them directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from remarks.db import release, write_turn

T = TypeVar("T")
ATTEMPTS = 4


def write(request: Request, work: Callable[[Session], T]) -> T:
    session: Session | None = getattr(request.state, "db", None)  # set by deps.get_db
    if session is None:  # a route that read nothing before writing
        with request.app.state.sessions() as own:
            request.state.db = own
            try:
                return write(request, work)
            finally:
                del request.state.db
    for attempt in range(ATTEMPTS):
        session.rollback()  # end the read transaction of the dependencies (log-in lookup, ...)
        try:
            with write_turn(session):  # this process's writers one after the other (db.write_turn)
                session.connection(execution_options={"sqlite_immediate": True})
                try:
                    result = work(session)
                    session.commit()
                except Exception as exc:
                    if getattr(exc, "keep_work", False):
                        session.commit()
                    else:
                        session.rollback()
                    raise
            return result
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def write_together(request: Request, work: Callable[[Session], T]) -> T:
    """``write`` for a write that may share its transaction with other requests' (a posted comment):
    ``work`` runs on the group's session (db/group.py), not the request's; what it returns must not need
    that session afterwards (it is closed once the group commits). The request's read transaction ends
    first, keeping what it loaded usable (``work`` may read its columns)."""
    session: Session | None = getattr(request.state, "db", None)
    if session is not None:
        release(session)
    return request.app.state.group_commit.write(work)
