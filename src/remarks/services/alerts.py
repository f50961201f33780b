"""In-product notifications (the bell on every page): replies, mentions, a comment featured.

Each kind is declared once in KINDS (its e-mail kind is the row of the same name in notify.KINDS).
An alert is written in the caller's transaction with its e-mail queued in the outbox, which the
delivery worker sends unless the reader turned that kind off; a reader who chose the daily digest
gets one e-mail a day listing them instead (``queue_digests``, run by the worker)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from remarks.i18n import N_, gettext, speaking, translate
from remarks.models import Alert, Comment, Mute, Notification, User
from remarks.models.base import utcnow
from remarks.services import notify


@dataclass(frozen=True)
class AlertKind:
    label: str  # on the preferences form
    subject: str  # the e-mail's subject; %(actor)s is the other reader's display name (marked with N_)


KINDS: dict[str, AlertKind] = {
    "reply": AlertKind("Replies to your comments", N_("%(actor)s replied to your comment")),
    "mention": AlertKind("Mentions of your name (@name)", N_("%(actor)s mentioned you in a comment")),
    "featured": AlertKind("Your comment chosen as a featured comment", N_("Your comment was featured")),
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
    if not user.daily_digest:
        with speaking(user.locale):  # the e-mail in the reader's own language (their setting), else English
            words = subject(alert, actor), body(alert, comment, actor, base_url)
        notify.queue(session, user, *words, kind=kind)
        alert.emailed_at = utcnow()
    session.flush()
    return alert


def subject(alert: Alert, actor: User | None) -> str:
    """In the current language: the bell's list for the reader who reads it, the e-mail for its recipient."""
    return translate(KINDS[alert.kind].subject, {"actor": actor.display_name if actor else gettext("Someone")})


def link(comment: Comment | None, base_url: str) -> str:
    if comment is None:
        return f"{base_url.rstrip('/')}/notifications"
    return f"{base_url.rstrip('/')}/articles/{comment.article.slug}#c{comment.id}"


def body(alert: Alert, comment: Comment | None, actor: User | None, base_url: str) -> str:
    head = subject(alert, actor)
    lines = [translate(N_("%(what)s on “%(title)s”."), {"what": head, "title": comment.article.title}) if comment
             else head + "."]
    if comment is not None:
        quoted = comment.text if len(comment.text) <= 600 else comment.text[:600] + "…"
        lines += ["", *("> " + line for line in quoted.splitlines()), "", translate(N_("Read it: %(url)s"), {"url": link(comment, base_url)})]
    return "\n".join(lines)


def queue_digests(session: Session, *, now: datetime | None = None, base_url: str = "") -> int:
    """One e-mail per reader who chose the daily digest, at most once a day, listing the alerts not
    yet e-mailed; returns how many were queued."""
    now = now or utcnow()
    waiting = session.scalars(select(Alert.user_id).join(User, User.id == Alert.user_id)
                              .where(Alert.emailed_at.is_(None), User.daily_digest.is_(True)).distinct()).all()
    queued = 0
    for user_id in waiting:
        last = session.scalar(select(func.max(Notification.created_at))
                              .where(Notification.user_id == user_id, Notification.kind == "digest"))
        if last is not None and now - last < timedelta(days=1):
            continue
        rows = session.scalars(select(Alert).where(Alert.user_id == user_id, Alert.emailed_at.is_(None))
                               .order_by(Alert.id)).all()
        reader = session.get(User, user_id)
        with speaking(reader.locale):
            parts = [translate(N_("%(n)s new since your last digest:"), {"n": len(rows)}), ""]
            for a in rows:
                parts.append(f"- {subject(a, a.actor)}: {link(a.comment, base_url)}")
                a.emailed_at = now
            title = translate(N_("Your daily digest: %(n)s new"), {"n": len(rows)})
        notify.queue(session, reader, title, "\n".join(parts), kind="digest")
        queued += 1
    session.flush()
    return queued


def digest_pass(factory: sessionmaker, base_url: str) -> int:
    """The worker's step: queue the digests that are due, in a transaction of their own."""
    with factory() as session:
        session.connection(execution_options={"sqlite_immediate": True})
        n = queue_digests(session, base_url=base_url)
        session.commit()
        return n


def for_new_comment(session: Session, comment: Comment, *, base_url: str = "") -> None:
    """A published comment: tell the author of the comment it answers, and everyone it @mentions."""
    if comment.state != "published" or (comment.parent_id is None and "@" not in comment.text):
        return  # nobody to tell (no statement needed)
    if session.scalar(select(Alert.id).where(Alert.comment_id == comment.id).limit(1)):
        return  # a client's retry of the same post
    told: set[int] = set()
    if comment.parent_id is not None:
        parent = session.get(Comment, comment.parent_id)
        if parent is not None and parent.state == "published" and tell(
                session, parent.author, "reply", comment=comment, actor=comment.author, base_url=base_url):
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


def suggest(session: Session, prefix: str, limit: int = 8) -> list[User]:
    """Readers to @mention whose username starts with ``prefix`` (deleted accounts left out)."""
    cleaned = "".join(ch for ch in prefix if ch.isalnum() or ch in "_.-")[:40]
    if not cleaned:
        return []
    escaped = cleaned.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(session.scalars(select(User).where(func.lower(User.username).like(escaped.lower() + "%", escape="\\"),
                                                   ~User.username.like("deleted-%"))
                                .order_by(User.username).limit(limit)).all())
