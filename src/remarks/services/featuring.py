"""Featured comments (editor's picks): moderators choose; the comment shows first; its author is told."""

from __future__ import annotations

from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.errors import BadInput, Forbidden, NotFound
from remarks.models import Comment, User
from remarks.models.base import utcnow
from remarks.services import alerts, audit, sites


def feature(session: Session, actor: User, *, comment_id: int, on: bool = True, base_url: str = "") -> Comment:
    if not actor.is_moderator:
        raise Forbidden("moderators choose the featured comments")
    c = session.get(Comment, comment_id)
    if c is None:
        raise NotFound("there is no such comment")
    sites.require_comment(session, actor, c)
    if on and c.state != "published":
        raise BadInput("only a published comment can be featured")
    if on and c.featured_at is None:
        c.featured_at, c.featured_by_id = utcnow(), actor.id
        audit.record(session, Event.COMMENT_FEATURED, actor=actor, subject_type="comment", subject_id=c.id)
        alerts.tell(session, c.author, "featured", comment=c, actor=None, base_url=base_url)
    elif not on and c.featured_at is not None:
        c.featured_at, c.featured_by_id = None, None
        audit.record(session, Event.COMMENT_UNFEATURED, actor=actor, subject_type="comment", subject_id=c.id)
    session.flush()
    return c
