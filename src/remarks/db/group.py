"""Group commit: the writes of requests that arrive together, in one transaction.

SQLite has one write lock per database, so concurrent posts write one after the other anyway; each
paid for its own transaction (a connection from the pool, ``BEGIN IMMEDIATE``, the turn, ``COMMIT``
and its WAL append of the pages it shares with the others: the comments' indexes, the audit table,
the article's thread version). Here a request's write joins whatever other writes are waiting: one
writer thread takes every waiting write (up to ``most``; a lone write at once), runs each
``work(session)`` on one session in one transaction and commits once; the others wait (no CPU) and
get their own result or error. The event loop hands a post's write over without a worker thread
(``submit`` and ``asyncio.wrap_future``), so a post needs no thread of its own while it waits.

What an acknowledgement means is unchanged: a request gets its answer only after the transaction
holding its write committed; if the commit fails, every request of the group gets the error. A
refusal of one write (a ``RemarksError`` such as the rate limit, a reply to a removed comment, any
other error of its own) does not sink the others: the group is rolled back and run again with each
write in a savepoint of its own, so the refused one leaves nothing behind and the rest commit. Errors
of the database itself (``OperationalError``: locked, disk full) are the whole group's: on SQLite a
stale writer starts the group again from the top, a few times, as ``web/uow.write`` does. ``work``
must therefore be safe to re-run (it only talks to the session it is given) and must not keep what
it wrote when it fails (no ``keep_work`` errors: those go through ``uow.write``).

PostgreSQL too: one transaction for the group (rows are locked, not the database, so the gain is the
commits saved).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from remarks.db import write_turn

T = TypeVar("T")
ATTEMPTS = 4


class _Job:
    __slots__ = ("work", "result", "error", "future")

    def __init__(self, work: Callable[[Session], object]) -> None:
        self.work = work
        self.result: object = None
        self.error: BaseException | None = None
        self.future: Future = Future()


class GroupCommit:
    """One per server process and database (``app.state.group_commit``): a writer thread of its own,
    started when a write arrives and gone after ``idle`` seconds without one."""

    def __init__(self, factory: sessionmaker[Session], most: int = 64,
                 observe: Callable[[int], None] | None = None, idle: float = 5.0) -> None:
        self.factory, self.most, self.observe, self.idle = factory, most, observe, idle  # observe: each group's size
        self._cond = threading.Condition()
        self._waiting: list[_Job] = []
        self._writer: threading.Thread | None = None

    def submit(self, work: Callable[[Session], T]) -> Future[T]:
        """``work(session)`` to run in a transaction shared with the writes waiting with it: a future of its
        result once committed (or of its error, or the group's). For the event loop: ``asyncio.wrap_future``."""
        job = _Job(work)
        with self._cond:
            self._waiting.append(job)
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_groups, name="remarks-group-commit", daemon=True)
                self._writer.start()
            else:
                self._cond.notify()
        return job.future

    def write(self, work: Callable[[Session], T]) -> T:
        """``submit``, waiting for the result in this thread."""
        return self.submit(work).result()

    def _write_groups(self) -> None:
        while True:
            with self._cond:
                if not self._waiting:
                    self._cond.wait(self.idle)
                    if not self._waiting:
                        self._writer = None  # the next write starts another
                        return
                group, self._waiting = self._waiting[:self.most], self._waiting[self.most:]
            try:
                self._commit(group)
            finally:
                for job in group:
                    if job.error is not None:
                        job.future.set_exception(job.error)
                    else:
                        job.future.set_result(job.result)
                if self.observe is not None:
                    self.observe(len(group))

    def _commit(self, group: list[_Job]) -> None:
        for attempt in range(ATTEMPTS):
            session = self.factory()
            try:
                with write_turn(session):
                    session.connection(execution_options={"sqlite_immediate": True})
                    if not _run(session, group, nested=False):  # one refused: again, each in a savepoint
                        session.rollback()
                        session.close()  # a fresh session: what the first pass added must not linger
                        session = self.factory()
                        session.connection(execution_options={"sqlite_immediate": True})
                        _run(session, group, nested=True)
                    session.commit()
                return
            except OperationalError as exc:
                session.rollback()
                if "locked" in str(exc.orig) and attempt < ATTEMPTS - 1:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                _fail(group, exc)
                return
            except BaseException as exc:  # noqa: BLE001 - the commit itself failed: nobody's write is kept
                session.rollback()
                _fail(group, exc)
                return
            finally:
                session.close()


def _run(session: Session, group: list[_Job], *, nested: bool) -> bool:
    """Each job's work on the session; False at the first refusal when not ``nested`` (the caller rolls
    back and runs them again nested, where a refusal costs only its own savepoint)."""
    for job in group:
        job.result, job.error = None, None
        # what a job notes in the session's info for after the commit (the audit events the metrics count)
        # goes with its savepoint when it is refused
        noted = {k: len(v) for k, v in session.info.items() if isinstance(v, list)} if nested else {}
        try:
            if nested:
                with session.begin_nested():
                    job.result = job.work(session)
            else:
                job.result = job.work(session)
        except OperationalError:
            raise  # the database's, not the job's: the whole group
        except Exception as exc:  # noqa: BLE001 - this request's refusal, answered to it alone
            job.error = exc
            if not nested:
                return False
            # Its savepoint is rolled back; objects it attached (a row inserted and added as loaded) would
            # stay in the session and clash with the next job's rows. What the others wrote is flushed.
            session.expunge_all()
            for k, n in noted.items():
                del session.info[k][n:]
            for k in [k for k, v in session.info.items() if isinstance(v, list) and k not in noted]:
                del session.info[k]
    return True


def _fail(group: list[_Job], exc: BaseException) -> None:
    for job in group:
        job.result, job.error = None, exc
