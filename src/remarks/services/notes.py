"""Moderators' notes on a user: read by moderators only; adding one is an audit event."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from remarks.events import Event
from remarks.errors import BadInput, Forbidden, NotFound
from remarks.models import User, UserNote
from remarks.services import audit, sites


def add(session: Session, moderator: User, *, user_id: int, text: str) -> UserNote:
    if not moderator.is_moderator:
        raise Forbidden("only moderators write notes on users")
    text = (text or "").strip()
    if not 1 <= len(text) <= 5000:
        raise BadInput("a note is 1 to 5,000 characters")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    sites.require_user(session, moderator, user)
    note = UserNote(user_id=user_id, author_id=moderator.id, text=text)
    session.add(note)
    session.flush()
    audit.record(session, Event.USER_NOTE_ADDED, actor=moderator, subject_type="user", subject_id=user_id,
                 note_id=note.id)
    return note


def for_user(session: Session, moderator: User, user_id: int) -> list[UserNote]:
    if not moderator.is_moderator:
        raise Forbidden("notes on users are for moderators")
    user = session.get(User, user_id)
    if user is not None:
        sites.require_user(session, moderator, user)
    return list(session.scalars(select(UserNote).options(selectinload(UserNote.author))
                                .where(UserNote.user_id == user_id).order_by(UserNote.id.desc())).all())
