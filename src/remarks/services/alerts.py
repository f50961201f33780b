"""In-product notifications (the bell on every page): replies, mentions, a comment featured.

Each kind is declared once in KINDS. An alert is written in the caller's transaction; an e-mail copy
goes through the outbox (services/notify.py) unless the reader turned that kind of e-mail off."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from remarks.models import Alert, Comment, Mute, User
from remarks.models.base import utcnow


@dataclass(frozen=True)
class AlertKind:
    label: str  # on the preferences form
    subject: str  # the e-mail's subject; {actor} is the other reader's display name


KINDS: dict[str, AlertKind] = {
    "reply": AlertKind("Replies to your comments", "{actor} replied to your comment"),
    "mention": AlertKind("Mentions of your name (@name)", "{actor} mentioned you in a comment"),
    "featured": AlertKind("Your comment chosen as a featured comment", "Your comment was featured"),
}

# @username: letters, digits, underscore, dot and hyphen (the sign-up rules); a mention is the
# whole token, so an e-mail address (a@b.com) is not one.
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.-]{2,40})")


def mentioned(session: Session, text: str) -> list[User]:
    names = {m.group(1).rstrip(".-").lower() for m in MENTION.finditer(text)}
    if not names:
        return []
    return list(session.scalars(select(User).where(func.lower(User.username).in_(names))).all())


def tell(session: Session, user: User, kind: str, *, comment: Comment | None, actor: User | None,
         base_url: str = "") -> Alert | None:
    """Alert ``user``; nothing for their own doing, nor from someone they muted."""
    if kind not in KINDS:
        raise ValueError(f"unknown alert kind {kind!r}")
    if actor is not None and actor.id == user.id:
        return None
    if actor is not None and session.scalar(select(Mute.id).where(Mute.user_id == user.id,
                                                                  Mute.muted_id == actor.id)):
        return None
    alert = Alert(user_id=user.id, kind=kind, comment_id=comment.id if comment else None,
                  actor_id=actor.id if actor else None)
    session.add(alert)
    session.flush()
    return alert


def for_new_comment(session: Session, comment: Comment, *, base_url: str = "") -> None:
    """A published comment: tell the author of the comment it answers, and everyone it @mentions."""
    if comment.state != "published":
        return
    if session.scalar(select(Alert.id).where(Alert.comment_id == comment.id).limit(1)):
        return  # a client's retry of the same post
    told: set[int] = set()
    if comment.parent_id is not None:
        parent = session.get(Comment, comment.parent_id)
        if parent is not None and parent.state == "published":
            if tell(session, parent.author, "reply", comment=comment, actor=comment.author, base_url=base_url):
                told.add(parent.author_id)
    for user in mentioned(session, comment.text):
        if user.id not in told:
            tell(session, user, "mention", comment=comment, actor=comment.author, base_url=base_url)


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(Alert)
                          .where(Alert.user_id == user.id, Alert.read_at.is_(None))) or 0


def recent(session: Session, user: User, limit: int = 50) -> list[Alert]:
    return list(session.scalars(
        select(Alert).options(selectinload(Alert.actor), selectinload(Alert.comment).selectinload(Comment.article))
        .where(Alert.user_id == user.id).order_by(Alert.id.desc()).limit(limit)).all())


def mark_read(session: Session, user: User) -> None:
    session.execute(update(Alert).where(Alert.user_id == user.id, Alert.read_at.is_(None)).values(read_at=utcnow()))
