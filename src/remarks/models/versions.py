"""Each article's thread version (``articles.thread_version``), bumped in the same transaction as any
change to what its thread shows: a comment posted, decided on, edited, deleted or featured, a reaction
given or taken back, an author renamed, its site renamed or given another closing rule (a cached page
shows both). Server processes cache rendered threads by this number, so a
change made by any process (or by the command line) makes every process's next read fresh.

The one place: two session listeners that look at what a flush or a bulk statement touched, so no
service has to remember to call anything.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from remarks.db.plain import Plain
from remarks.models.content import Article, Comment
from remarks.models.people import User
from remarks.models.publishing import Publisher
from remarks.models.readers import Reaction

# Columns of a comment that the thread does not show: changing them leaves cached threads valid.
QUIET = frozenset({"claimed_by_id", "claimed_until", "risk", "ip_hash", "device_hash"})


def bump(session: Session, article_ids) -> None:
    ids = sorted({a for a in article_ids if a is not None})
    if len(ids) == 1:  # one article (a post, a decision), the common case: a statement built once
        _BUMP_ONE.run(session, {"article": ids[0]})
    elif ids:
        t = Article.__table__
        session.connection().execute(update(t).where(t.c.id.in_(ids)).values(thread_version=t.c.thread_version + 1))


_BUMP_ONE = Plain(update(Article.__table__).where(Article.__table__.c.id == bindparam("article"))
                  .values(thread_version=Article.__table__.c.thread_version + 1))


def _changed(obj, ignore: frozenset[str] = frozenset(), only: frozenset[str] | None = None) -> bool:
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in ignore or (only is not None and attr.key not in only):
            continue
        if state.attrs[attr.key].history.has_changes():
            return True
    return False


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    articles: set[int] = set()
    comment_ids: set[int] = set()
    authors: set[int] = set()
    sites: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        dirty = obj in session.dirty
        if isinstance(obj, Comment):
            if not dirty or _changed(obj, ignore=QUIET):
                articles.add(obj.article_id)
        elif isinstance(obj, Reaction):
            comment_ids.add(obj.comment_id)
        elif isinstance(obj, Article):
            if dirty and _changed(obj, ignore=frozenset({"thread_version"})):
                articles.add(obj.id)
        elif isinstance(obj, User) and dirty and _changed(obj, only=frozenset({"display_name", "username"})):
            authors.add(obj.id)
        elif isinstance(obj, Publisher) and dirty and _changed(obj, only=frozenset({"name", "close_after_days"})):
            sites.add(obj.id)
    conn = session.connection()
    if comment_ids:
        articles.update(conn.execute(select(Comment.article_id).distinct().where(Comment.id.in_(comment_ids))).scalars())
    if authors:
        articles.update(conn.execute(select(Comment.article_id).distinct().where(Comment.author_id.in_(authors))).scalars())
    if sites:  # every article of the site, in one statement (a site may have many)
        t = Article.__table__
        conn.execute(update(t).where(t.c.publisher_id.in_(sorted(sites))).values(thread_version=t.c.thread_version + 1))
    bump(session, articles)


@event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> None:
    """``update(Comment)`` / ``delete(Reaction)`` statements (account deletion, desk claims) skip the flush."""
    if not (state.is_update or state.is_delete):
        return
    stmt = state.statement
    table = getattr(stmt, "table", None)
    name = getattr(table, "name", None)
    if name not in ("comments", "reactions"):
        return
    if name == "comments" and state.is_update:
        keys = {getattr(k, "key", str(k)) for k in (getattr(stmt, "_values", None) or {})}
        if keys and keys <= QUIET:
            return
    where = stmt.whereclause
    q = select(Comment.article_id).distinct()
    if name == "reactions":
        q = q.join(Reaction, Reaction.comment_id == Comment.id)
    if where is not None:
        q = q.where(where)
    bump(state.session, state.session.connection().execute(q).scalars().all())
