"""A reader's public profile: display name, member since, comment count and (unless they opted out)
their published comments."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from remarks.events import Event
from remarks.errors import NotFound
from remarks.i18n import N_
from remarks.models import Comment, User
from remarks.services import audit


@dataclass
class Profile:
    user: User
    comment_count: int
    comments: list[Comment]  # empty when the reader opted out of the public list


def profile(session: Session, username: str, *, limit: int = 50) -> Profile:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.username.startswith("deleted-"):
        raise NotFound(N_("there is no such reader"))
    published = (Comment.author_id == user.id) & (Comment.state == "published")
    count = session.scalar(select(func.count()).select_from(Comment).where(published)) or 0
    rows = []
    if user.profile_public:
        rows = list(session.scalars(select(Comment).options(selectinload(Comment.article)).where(published)
                                    .order_by(Comment.created_at.desc()).limit(limit)).all())
    return Profile(user, count, rows)


def set_public(session: Session, actor: User, public: bool) -> None:
    if actor.profile_public != public:
        actor.profile_public = public
        audit.record(session, Event.USER_PROFILE_VISIBILITY, actor=actor, subject_type="user", subject_id=actor.id,
                     public=public)
    session.flush()
