"""Engine and session factory. SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker


POOL_TIMEOUT = 10  # seconds; with the server's admission bound (web/admission.py) nobody should wait at all
WRITE_WAIT = 30  # seconds a writer waits for its turn (as long as SQLite's busy timeout)

# SQLite has one write lock per database. Writers of one process take their turn on a lock of ours
# first: they are handed the turn as soon as it is free, instead of polling SQLite's lock with sleeps
# that grow to 100 ms (its busy handler), which made the slowest posts wait seconds under load.
# Other processes still meet at SQLite's own lock (busy_timeout). PostgreSQL locks rows: no turn.
_WRITE_TURNS: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()


def make_engine(url: str, connections: int = 30) -> Engine:
    """An engine whose pool holds up to ``connections`` connections. The server sizes it from its
    admission bound and thread count (web/app.py), so a request never waits for a connection."""
    pool = {"pool_size": connections, "max_overflow": 0, "pool_timeout": POOL_TIMEOUT}
    if url.startswith("sqlite"):
        _make_parent(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)

        _WRITE_TURNS[engine] = threading.RLock()

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:
            # pysqlite's own transaction handling breaks SAVEPOINTs (a released savepoint commits
            # early); let SQLAlchemy emit BEGIN itself, as its documentation recommends.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:
            # A writer takes the write lock up front (BEGIN IMMEDIATE) so it waits on busy_timeout
            # instead of failing at once when its read snapshot goes stale under concurrent writers.
            immediate = conn.get_execution_options().get("sqlite_immediate")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


def _make_parent(url: str) -> None:
    """A SQLite file in a folder that does not exist yet: make the folder (not the file's job to fail)."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


@contextmanager
def write_turn(session: Session, wait: float | None = None) -> Iterator[None]:
    """This process's turn to write to the session's SQLite database (nothing to wait for elsewhere).
    A writer that waited ``wait`` seconds (``WRITE_WAIT``) gets the pool's timeout error (answered 503,
    try again)."""
    turn = _WRITE_TURNS.get(session.get_bind())
    if turn is None:
        yield
        return
    wait = WRITE_WAIT if wait is None else wait
    if not turn.acquire(timeout=wait):
        raise PoolTimeout(f"waited {wait:.0f} s for this process's other writers")
    try:
        yield
    finally:
        turn.release()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def release(session: Session) -> None:
    """End the session's read transaction and give its connection back to the pool, keeping the
    objects it loaded usable (a commit with ``expire_on_commit`` off does not expire them; a rollback
    would). Called before a wait (for a worker thread, for the scoring thread): a connection is held
    only while statements run, so the pool is never emptied by requests that are waiting. Unsaved
    changes are not for this: they are dropped, as a route's write (web/uow.py) would drop them."""
    if session.new or session.dirty or session.deleted:
        session.rollback()
    else:
        session.commit()


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def retrying(factory: sessionmaker[Session], work, attempts: int = 4):
    """Run ``work(session)`` in a transaction and commit; on SQLite, a writer whose read snapshot
    went stale ("database is locked") starts again from the top, a few times."""
    import time

    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        session = factory()
        try:
            with write_turn(session):
                session.connection(execution_options={"sqlite_immediate": True})
                result = work(session)
                session.commit()
            return result
        except OperationalError as exc:
            session.rollback()
            if "locked" not in str(exc.orig) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
        finally:
            session.close()
    raise AssertionError("unreachable")


MIGRATIONS = Path(__file__).parent / "migrations"


def upgrade(url: str, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision``."""
    from alembic import command
    from alembic.config import Config

    if url.startswith("sqlite"):
        _make_parent(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, revision)
