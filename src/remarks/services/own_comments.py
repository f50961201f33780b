"""What a reader may do to their own comment: delete it (and, within the window, edit it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.errors import BadInput, Forbidden, NotFound
from remarks.models import Comment, User
from remarks.models.base import utcnow
from remarks.services import audit


def _own(session: Session, actor: User, comment_id: int) -> Comment:
    c = session.get(Comment, comment_id)
    if c is None or c.state in ("deleted",):
        raise NotFound("there is no such comment")
    if c.author_id != actor.id:
        raise Forbidden("only its author can change a comment")
    return c


def delete(session: Session, actor: User, *, comment_id: int) -> Comment:
    """The comment leaves the page (a placeholder "deleted by its author" stays where it has replies).
    It is kept, with its text, for moderators and the audit log for the retention period."""
    c = _own(session, actor, comment_id)
    if c.state == "removed":
        raise BadInput("this comment was already removed by a moderator")
    before = c.state
    c.state, c.deleted_at, c.featured_at = "deleted", utcnow(), None
    audit.record(session, Event.COMMENT_DELETED, actor=actor, subject_type="comment", subject_id=c.id,
                 state_before=before)
    session.flush()
    return c
