"""An in-process cache of built threads, one entry per (article, page, order), valid while the
article's ``thread_version`` (models/versions.py) is the one it was built at. Any change to the
thread, made by this process or another, bumps the version in the database, so the next read here
sees a new number and builds afresh.

The cached thread is what an anonymous reader sees (threads.thread with no viewer), its comments
detached from any session (fully loaded, read-only). A logged-in reader gets a copy with their own
Respect and mutes marked (``marks``); one who has comments waiting (held or pending) on this article
gets the thread built for them alone, so they always see those.

One build per thread at a time: readers who miss together (after a change) wait for the one build
instead of each building the same thread. ``head`` reads what a cached answer depends on (the
version, whether comments are closed, the site) in one primary-key look-up, without loading the
article: the fast path (web/fast_reads.py) asks it before every answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, literal, select, union_all
from sqlalchemy.orm import Session, sessionmaker

from remarks.models import Article, Comment, LoginSession, Mute, Publisher, Reaction, User
from remarks.models.base import utcnow
from remarks.services import accounts, closing, live, own_comments, threads
from remarks.services.threads import ThreadNode


@dataclass
class Snapshot:
    article_id: int
    version: int
    page: int
    sort: str
    thread: list[ThreadNode]
    featured: list[Comment]
    pages: int
    count: int
    last_id: int
    # Renderings of this snapshot (JSON bytes, HTML pages by language), made once on first use.
    rendered: dict[Any, Any] = field(default_factory=dict)
    lock: Any = field(default_factory=threading.RLock)  # one rendering may use another (JSON from its data)

    def render(self, key: Any, make: Callable[[], Any]) -> Any:
        if key not in self.rendered:
            with self.lock:
                if key not in self.rendered:
                    self.rendered[key] = make()
        return self.rendered[key]

    def comments(self) -> list[Comment]:
        out: list[Comment] = []
        stack = list(self.thread)
        while stack:
            n = stack.pop()
            out.append(n.comment)
            stack.extend(n.replies)
        return out

    def ids(self) -> list[int]:
        return [c.id for c in self.comments()]


class ThreadCache:
    def __init__(self, sessions: sessionmaker[Session], size: int = 512) -> None:
        self._sessions = sessions
        self._size = size
        self._items: OrderedDict[tuple[int, int, str], Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[tuple[int, int, str], threading.Lock] = {}  # one build per key at a time
        self.hits = self.misses = 0

    def get(self, article: Article, *, page: int = 1, sort: str = threads.DEFAULT_SORT) -> Snapshot:
        """The anonymous thread of ``article`` as of its ``thread_version`` (read by the caller in its own
        transaction), or newer."""
        sort = sort if sort in threads.SORTS else threads.DEFAULT_SORT
        key = (article.id, page, sort)
        snap = self.peek(article.id, page, sort, article.thread_version)
        if snap is not None:
            return snap
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:  # whoever missed at the same time waits here for the one build
            snap = self.peek(article.id, page, sort, article.thread_version)
            if snap is not None:
                return snap
            self.misses += 1
            snap = self._build(article.id, page, sort)
            with self._lock:
                old = self._items.get(key)
                if old is None or old.version <= snap.version:
                    self._items[key] = snap
                    self._items.move_to_end(key)
                while len(self._items) > self._size:
                    gone, _ = self._items.popitem(last=False)
                    self._building.pop(gone, None)
        return snap

    def peek(self, article_id: int, page: int, sort: str, version: int) -> Snapshot | None:
        """The cached snapshot if it is as new as ``version`` (the database's, read by the caller), else None."""
        with self._lock:
            snap = self._items.get((article_id, page, sort))
            if snap is None or snap.version < version:
                return None
            self._items.move_to_end((article_id, page, sort))
            self.hits += 1
            return snap

    def _build(self, article_id: int, page: int, sort: str) -> Snapshot:
        with self._sessions() as session:  # its own read transaction; closing detaches what it loaded
            article = session.get(Article, article_id)
            snap = Snapshot(article_id, article.thread_version, page, sort,
                            thread=threads.thread(session, article, viewer=None, page=page, sort=sort),
                            featured=threads.featured(session, article),
                            pages=threads.thread_pages(session, article),
                            count=threads.published_count(session, article_id),
                            last_id=live.latest_id(session, article_id))
            session.expunge_all()
        return snap


@dataclass(frozen=True)
class Head:
    """What a cached answer depends on besides the thread: read per request, cheaply."""
    id: int
    version: int
    closed: bool
    site: str | None


_HEAD = (select(Article.id, Article.thread_version, Article.closed_at, Article.published_at,
                Publisher.close_after_days, Publisher.name)
         .outerjoin(Publisher, Publisher.id == Article.publisher_id))
_HEAD_BY_ID = _HEAD.where(Article.id == bindparam("ref"))
_HEAD_BY_SLUG = _HEAD.where(Article.slug == bindparam("ref"))


def head(conn: Connection | Session, *, article_id: int | None = None, slug: str | None = None) -> Head | None:
    """The article's thread version, closed or not, and site, by id or slug; None if there is no such article."""
    row = conn.execute(_HEAD_BY_ID if article_id is not None else _HEAD_BY_SLUG,
                       {"ref": article_id if article_id is not None else slug}).first()
    if row is None:
        return None
    return Head(row[0], row[1], closing.closed(row[2], row[3], row[4]), row[5])


class Heads:
    """``head`` for the hottest path, on one database connection of its own kept open in autocommit (so
    each look-up sees the latest commit): the statement compiled once for the engine's dialect and run on
    the driver's connection, its values read by the columns' own types (dates as SQLAlchemy reads them),
    without SQLAlchemy's per-statement work, which cost ~15x the query itself on SQLite. A failed look-up
    drops the connection; the next one opens another."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._held: Connection | None = None
        self._lock = threading.Lock()
        dialect = engine.dialect
        self._sql = {}
        for by, stmt in (("id", _HEAD_BY_ID), ("slug", _HEAD_BY_SLUG)):
            compiled = stmt.compile(dialect=dialect)
            self._sql[by] = (str(compiled), compiled.positiontup)
        self._types = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in _HEAD.selected_columns]

    def get(self, *, article_id: int | None = None, slug: str | None = None) -> Head | None:
        sql, positions = self._sql["id" if article_id is not None else "slug"]
        ref = article_id if article_id is not None else slug
        with self._lock:
            if self._held is None:
                self._held = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            cursor = self._held.connection.dbapi_connection.cursor()
            try:
                cursor.execute(sql, (ref,) if positions else {"ref": ref})
                row = cursor.fetchone()
            except Exception:
                self.close()
                raise
            finally:
                cursor.close()
        if row is None:
            return None
        row = [f(v) if f else v for f, v in zip(self._types, row)]
        return Head(row[0], row[1], closing.closed(row[2], row[3], row[4]), row[5])

    def close(self) -> None:
        if self._held is not None:
            self._held.invalidate()
            self._held = None


# A logged-in reader's look-ups on a thread, in one statement built once (each of their reads asks it): their
# comments there that only they see (held or pending), the comments there they gave Respect, the authors
# they muted; the reader known by their user id or, from the fast path, by their log-in token.
_TOKEN_USER = (select(LoginSession.user_id).where(LoginSession.token_hash == bindparam("token"),
                                                  LoginSession.expires_at > bindparam("now")).scalar_subquery())


def _looks(viewer) -> list:
    return [select(literal("w"), Comment.id).where(Comment.article_id == bindparam("article"), Comment.author_id == viewer,
                                                   Comment.state.in_(("held", "pending"))),
            select(literal("r"), Reaction.comment_id).join(Comment, Comment.id == Reaction.comment_id)
            .where(Reaction.user_id == viewer, Comment.article_id == bindparam("article")),
            select(literal("m"), Mute.muted_id).where(Mute.user_id == viewer)]


_BY_USER = union_all(*_looks(bindparam("viewer")))
_BY_TOKEN = union_all(select(literal("u"), _TOKEN_USER), *_looks(_TOKEN_USER))


@dataclass(frozen=True)
class Marks:
    """One reader's own marks on a cached thread, as comment ids: those they gave Respect, those whose
    author they muted, their own they may still edit."""
    reacted: frozenset[int]
    muted: frozenset[int]
    editable: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.reacted or self.muted or self.editable)


def marks(session: Session, snap: Snapshot, viewer: User, *, edit_minutes: int = 0) -> Marks | None:
    """``viewer``'s marks on the snapshot, or None when they have comments waiting on this article
    (the caller builds the thread for them alone)."""
    rows = session.execute(_BY_USER, {"article": snap.article_id, "viewer": viewer.id}).all()
    return _marks(rows, snap, viewer.id, edit_minutes)


def marks_for_token(session: Session, snap: Snapshot, token: str, *,
                    edit_minutes: int = 0) -> tuple[int | None, Marks | None]:
    """The same for the reader whose log-in ``token`` this is: (their user id, or None for a token unknown
    or expired; their marks, or None when they have comments waiting here)."""
    if len(token) > 200:
        return None, None
    rows = session.execute(_BY_TOKEN, {"article": snap.article_id, "token": accounts.token_hash(token),
                                       "now": utcnow()}).all()
    user = next((i for kind, i in rows if kind == "u" and i is not None), None)
    return (None, None) if user is None else (user, _marks(rows, snap, user, edit_minutes))


def _marks(rows, snap: Snapshot, viewer_id: int, edit_minutes: int) -> Marks | None:
    found: dict[str, set[int]] = {"w": set(), "r": set(), "m": set()}
    for kind, i in rows:
        found.setdefault(kind, set()).add(i)
    if found["w"]:
        return None
    comments = snap.comments()
    return Marks(frozenset(found["r"]), frozenset(c.id for c in comments if c.author_id in found["m"]),
                 frozenset(c.id for c in comments if c.author_id == viewer_id and own_comments.editable(c, edit_minutes)))


def for_viewer(session: Session, snap: Snapshot, viewer: User | None, *, edit_minutes: int = 0) -> list[ThreadNode] | None:
    """The snapshot's thread as ``viewer`` sees it (their Respect, mutes and editable comments marked), or
    None when they have comments waiting on this article (the caller builds the thread for them alone)."""
    if viewer is None:
        return snap.thread
    m = marks(session, snap, viewer, edit_minutes=edit_minutes)
    if m is None:
        return None

    def copy(n: ThreadNode) -> ThreadNode:
        c = n.comment
        return ThreadNode(c, [copy(r) for r in n.replies], n.reactions, reacted=c.id in m.reacted,
                          muted=c.id in m.muted, editable=c.id in m.editable)

    return [copy(n) for n in snap.thread]


def marked(tree: dict, m: Marks) -> dict:
    """A copy of an article's thread as plain data (the anonymous answer, ``ArticleOut`` dumped) with a
    reader's marks set; comments they did not mark are shared with the cached one, not copied."""
    if not m:
        return tree

    def node(c: dict) -> dict:
        replies = [node(r) for r in c["replies"]]
        flags = {"reacted": c["id"] in m.reacted, "muted": c["id"] in m.muted, "editable": c["id"] in m.editable}
        if all(c[k] == v for k, v in flags.items()) and all(a is b for a, b in zip(replies, c["replies"])):
            return c
        return {**c, **flags, "replies": replies}

    return {**tree, "comments": [node(c) for c in tree["comments"]]}
