"""What a reader may do to their own comment: edit it within the window, delete it.

An edit is a door into the same moderation pipeline as a post (``comments.check``): the new text gets
a fresh verdict, stored like a post's, so an edit cannot smuggle abuse past the checks. The earlier
text is kept (comment_revisions) for moderators and written into the audit event."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from remarks.errors import BadInput, Forbidden, NotFound
from remarks.events import Event
from remarks.i18n import N_
from remarks.models import Comment, CommentRevision, Decision, User
from remarks.models.base import utcnow
from remarks.moderation.pipeline import Pipeline
from remarks.moderation.policy import PolicyConfig
from remarks.services import audit, comments


def _own(session: Session, actor: User, comment_id: int) -> Comment:
    c = session.get(Comment, comment_id)
    if c is None or c.state in ("deleted",):
        raise NotFound(N_("there is no such comment"))
    if c.author_id != actor.id:
        raise Forbidden(N_("only its author can change a comment"))
    return c


def editable(c: Comment, minutes: int) -> bool:
    """Still inside the edit window (and not yet decided by a person)."""
    return c.state in ("published", "held", "pending") and utcnow() - c.created_at <= timedelta(minutes=minutes)


def _may_edit(session: Session, actor: User, comment_id: int, minutes: int) -> Comment:
    c = _own(session, actor, comment_id)
    if c.state == "removed":
        raise BadInput(N_("this comment was removed by a moderator and cannot be edited"))
    if not editable(c, minutes):
        raise BadInput(N_("a comment can be edited for %(n)s minutes after posting; this one no longer"), n=minutes)
    if session.scalar(select(Decision.id).where(Decision.comment_id == c.id, Decision.automatic.is_(False))):
        raise BadInput(N_("a moderator has decided on this comment; it can no longer be edited"))
    return c


def check_edit(session: Session, actor: User, *, comment_id: int, text: object, pipeline: Pipeline,
               policy: PolicyConfig, max_chars: int, minutes: int) -> comments.Checked:
    """The new text through the pipeline, as a post would go (reads only: before the write)."""
    c = _may_edit(session, actor, comment_id, minutes)
    if isinstance(text, str) and text == c.text:
        raise BadInput(N_("the text is unchanged"))
    return comments.check(session, actor, article_id=c.article_id, text=text, parent_id=c.parent_id,
                          pipeline=pipeline, policy=policy, max_chars=max_chars)


def store_edit(session: Session, actor: User, *, comment_id: int, checked: comments.Checked, minutes: int,
               base_url: str = "") -> Comment:
    """Keep the earlier text, put the new one in place with its verdict (published, held or removed)."""
    c = _may_edit(session, actor, comment_id, minutes)
    before_text, before_state = c.text, c.state
    session.add(CommentRevision(comment_id=c.id, text=before_text, state=before_state))
    c.text, c.edited_at = checked.text, utcnow()
    audit.record(session, Event.COMMENT_EDITED, actor=actor, subject_type="comment", subject_id=c.id,
                 previous_text=before_text, previous_state=before_state)
    checked.memory.persist(session)
    comments.record_verdict(session, c, checked.verdict, base_url=base_url)
    if c.state != "published":
        c.featured_at = None
    session.flush()
    return c


def delete(session: Session, actor: User, *, comment_id: int) -> Comment:
    """The comment leaves the page (a placeholder "deleted by its author" stays where it has replies).
    It is kept, with its text, for moderators and the audit log for the retention period."""
    c = _own(session, actor, comment_id)
    if c.state == "removed":
        raise BadInput(N_("this comment was already removed by a moderator"))
    before = c.state
    c.state, c.deleted_at, c.featured_at = "deleted", utcnow(), None
    audit.record(session, Event.COMMENT_DELETED, actor=actor, subject_type="comment", subject_id=c.id,
                 state_before=before)
    session.flush()
    return c
