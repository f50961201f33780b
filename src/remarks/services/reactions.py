"""Respect: one reaction, one per reader per comment.

Coral's "Respect" rather than a like: it asks readers to mark a comment they respect, also when they
disagree with it, which rewards the civil argument the comment policy asks for rather than agreement."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remarks.errors import BadInput, NotFound
from remarks.i18n import N_
from remarks.models import Comment, Reaction, User


def _comment(session: Session, comment_id: int) -> Comment:
    c = session.get(Comment, comment_id)
    if c is None or c.state != "published":
        raise NotFound(N_("there is no such published comment"))
    return c


def respect(session: Session, actor: User, *, comment_id: int, on: bool = True) -> int:
    """Give (or take back) the actor's Respect; returns the comment's count. Giving twice counts once."""
    c = _comment(session, comment_id)
    if c.author_id == actor.id and on:
        raise BadInput(N_("you cannot give Respect to your own comment"))
    row = session.scalar(select(Reaction).where(Reaction.comment_id == c.id, Reaction.user_id == actor.id))
    if on and row is None:
        with session.begin_nested():
            session.add(Reaction(comment_id=c.id, user_id=actor.id))
    elif not on and row is not None:
        session.delete(row)
    session.flush()
    return count(session, c.id)


def count(session: Session, comment_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Reaction).where(Reaction.comment_id == comment_id)) or 0
