"""A reader's own data (GDPR Art. 15, 17, 20): everything held about them as JSON, and deleting the account.

What is kept after a deletion, and why, is said in KEPT (shown on the page before the reader confirms):
moderation records are kept because the law asks the newspaper to answer for its decisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.errors import BadInput, NotAuthenticated
from remarks.i18n import N_
from remarks.models import (
    AccountToken,
    Alert,
    Appeal,
    AuditEvent,
    Comment,
    CommentRevision,
    LoginSession,
    Mute,
    Notification,
    NotificationPreference,
    Reaction,
    Report,
    Sanction,
    Statement,
    User,
)
from remarks.models.base import utcnow
from remarks.services import accounts, audit

# Every table that holds rows about a reader, with the column that names them. Declared once: the
# export reads it; a new table about readers adds a row here.
ABOUT_YOU: dict[str, tuple[type, str]] = {
    "comments": (Comment, "author_id"),
    "reactions": (Reaction, "user_id"),
    "mutes": (Mute, "user_id"),
    "notifications_in_product": (Alert, "user_id"),
    "messages": (Notification, "user_id"),
    "email_preferences": (NotificationPreference, "user_id"),
    "reports_you_filed": (Report, "reporter_id"),
    "appeals": (Appeal, "user_id"),
    "statements_of_reasons": (Statement, "user_id"),
    "moderation_measures": (Sanction, "user_id"),
    "log_ins": (LoginSession, "user_id"),
    "account_links": (AccountToken, "user_id"),
    "your_actions_in_the_audit_log": (AuditEvent, "actor_id"),
}
SECRETS = {"password_hash", "token_hash", "csrf_token"}  # never exported: they would open the account
MODES = ("anonymise", "remove")
KEPT = ("Kept after you delete your account, as the law allows: the statements of reasons, moderation "
        "decisions, measures (warnings, suspensions, bans) and appeals about your account, and the audit "
        "log, so the newspaper can answer for its decisions (EU Digital Services Act, Art. 17 and 20); "
        "comments a moderator removed or that are under a report or appeal keep their text for the same "
        "reason. They no longer carry your name, e-mail address or log-in.")


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(obj: object) -> dict[str, Any]:
    return {c.name: _plain(getattr(obj, c.key)) for c in obj.__table__.columns if c.name not in SECRETS}


def export(session: Session, user: User) -> dict[str, Any]:
    """Everything about ``user``, as JSON-ready data."""
    out: dict[str, Any] = {"format": "remarks personal data export, version 1", "exported_at": utcnow().isoformat(),
                           "account": _row(user)}
    for name, (model, column) in ABOUT_YOU.items():
        out[name] = [_row(r) for r in session.scalars(select(model).where(getattr(model, column) == user.id)
                                                      .order_by(model.id)).all()]
    mine = select(Comment.id).where(Comment.author_id == user.id)
    out["earlier_versions_of_your_comments"] = [
        _row(r) for r in session.scalars(select(CommentRevision).where(CommentRevision.comment_id.in_(mine))
                                         .order_by(CommentRevision.id)).all()]
    return out


def delete_account(session: Session, user: User, *, password: str, comments: str) -> None:
    """Delete the account: ``comments`` "anonymise" keeps them on the pages as a former reader's,
    "remove" takes them off (text erased unless a moderation record needs it). Either way the name,
    e-mail, password, log-ins, reactions, mutes and notifications go."""
    if comments not in MODES:
        raise BadInput(N_("choose what happens to your comments: anonymise or remove"))
    try:
        accounts.authenticate(session, user.username, password)  # the password again, as for any grave step
    except NotAuthenticated:
        raise BadInput(N_("that is not your password; your account was not deleted")) from None
    uid = user.id
    if comments == "remove":
        needed = or_(Comment.state == "removed",
                     exists().where(Statement.comment_id == Comment.id),
                     exists().where(Report.comment_id == Comment.id))
        now = utcnow()
        session.execute(update(Comment).where(Comment.author_id == uid, Comment.state != "removed")
                        .values(state="deleted", deleted_at=now, featured_at=None))
        erased = select(Comment.id).where(Comment.author_id == uid, ~needed)
        session.execute(delete(CommentRevision).where(CommentRevision.comment_id.in_(erased))
                        .execution_options(synchronize_session=False))
        session.execute(update(Comment).where(Comment.id.in_(erased)).values(text="")
                        .execution_options(synchronize_session=False))
    for model, column in ((Reaction, Reaction.user_id), (Mute, Mute.user_id), (Mute, Mute.muted_id),
                          (Alert, Alert.user_id), (NotificationPreference, NotificationPreference.user_id),
                          (LoginSession, LoginSession.user_id), (AccountToken, AccountToken.user_id)):
        session.execute(delete(model).where(column == uid).execution_options(synchronize_session=False))
    session.execute(delete(Notification).where(Notification.user_id == uid, Notification.status == "pending")
                    .execution_options(synchronize_session=False))
    user.username, user.display_name, user.email = f"deleted-{uid}", "Former reader", None
    user.password_hash, user.profile_public, user.daily_digest = "!", False, False
    audit.record(session, Event.USER_DELETED, actor=None, subject_type="user", subject_id=uid, comments=comments)
    session.flush()
    session.expire_all()
