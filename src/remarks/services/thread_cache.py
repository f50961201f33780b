"""An in-process cache of built threads, one entry per (article, page, order), valid while the
article's ``thread_version`` (models/versions.py) is the one it was built at. Any change to the
thread, made by this process or another, bumps the version in the database, so the next read here
sees a new number and builds afresh.

The cached thread is what an anonymous reader sees (threads.thread with no viewer), its comments
detached from any session (fully loaded, read-only). A logged-in reader gets a copy with their own
Respect and mutes marked; one who has comments waiting (held or pending) on this article gets the
thread built for them alone, so they always see those.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from remarks.models import Article, Comment, Mute, Reaction, User
from remarks.services import live, own_comments, threads
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
    lock: threading.Lock = field(default_factory=threading.Lock)

    def render(self, key: Any, make: Callable[[], Any]) -> Any:
        if key not in self.rendered:
            with self.lock:
                if key not in self.rendered:
                    self.rendered[key] = make()
        return self.rendered[key]

    def ids(self) -> list[int]:
        out: list[int] = []
        stack = list(self.thread)
        while stack:
            n = stack.pop()
            out.append(n.comment.id)
            stack.extend(n.replies)
        return out


class ThreadCache:
    def __init__(self, sessions: sessionmaker[Session], size: int = 512) -> None:
        self._sessions = sessions
        self._size = size
        self._items: OrderedDict[tuple[int, int, str], Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, article: Article, *, page: int = 1, sort: str = threads.DEFAULT_SORT) -> Snapshot:
        """The anonymous thread of ``article`` as of its ``thread_version`` (read by the caller in its own
        transaction), or newer."""
        sort = sort if sort in threads.SORTS else threads.DEFAULT_SORT
        key = (article.id, page, sort)
        with self._lock:
            snap = self._items.get(key)
            if snap is not None and snap.version >= article.thread_version:
                self._items.move_to_end(key)
                self.hits += 1
                return snap
        self.misses += 1
        snap = self._build(article.id, page, sort)
        with self._lock:
            old = self._items.get(key)
            if old is None or old.version <= snap.version:
                self._items[key] = snap
                self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
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


def waiting(session: Session, viewer: User, article_id: int) -> bool:
    """Does the viewer have comments on this article that only they see (held or pending)?"""
    return session.scalar(select(Comment.id).where(
        Comment.article_id == article_id, Comment.author_id == viewer.id,
        Comment.state.in_(("held", "pending"))).limit(1)) is not None


def for_viewer(session: Session, snap: Snapshot, viewer: User | None, *, edit_minutes: int = 0) -> list[ThreadNode] | None:
    """The snapshot's thread as ``viewer`` sees it (their Respect, mutes and editable comments marked), or
    None when they have comments waiting on this article (the caller builds the thread for them alone)."""
    if viewer is None:
        return snap.thread
    if waiting(session, viewer, snap.article_id):
        return None
    ids = snap.ids()
    mine = set(session.scalars(select(Reaction.comment_id).where(Reaction.user_id == viewer.id,
                                                                 Reaction.comment_id.in_(ids))).all()) if ids else set()
    muted = set(session.scalars(select(Mute.muted_id).where(Mute.user_id == viewer.id)).all())

    def copy(n: ThreadNode) -> ThreadNode:
        c = n.comment
        return ThreadNode(c, [copy(r) for r in n.replies], n.reactions, reacted=c.id in mine,
                          muted=c.author_id in muted,
                          editable=c.author_id == viewer.id and own_comments.editable(c, edit_minutes))

    return [copy(n) for n in snap.thread]
