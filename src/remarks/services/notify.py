"""Notifications to users: an outbox. ``queue`` adds a message in the caller's transaction (it is
shown on the user's page at once); the delivery worker e-mails it when SMTP is set, with retries
and backoff, ``failed`` after the last try. Workers in several server processes claim rows
atomically, so a message goes out once. Readers turn each optional kind of e-mail off on their
page or with the signed unsubscribe link every such e-mail carries."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from remarks.events import Event
from remarks.config import Settings
from remarks.db.plain import Plain
from remarks.errors import BadInput
from remarks.i18n import N_, gettext, speaking, translate
from remarks.models import Notification, NotificationPreference, User
from remarks.models.base import utcnow

log = logging.getLogger("remarks.mail")


@dataclass(frozen=True)
class Kind:
    label: str  # what the reader sees on the preferences page
    optional: bool = True  # the reader may turn these e-mails off (they still appear on their page)
    secret: bool = False  # carries a one-time link: hidden on the outbox page and wiped once sent


# Every kind of notification, declared once. Other features add their rows here.
KINDS: dict[str, Kind] = {
    "statement": Kind(N_("Decisions on your comments and your account (statements of reasons)")),
    "appeal": Kind(N_("Answers to your appeals")),
    "report": Kind(N_("Receipts and decisions on the comments you report")),
    "measure_lifted": Kind(N_("A warning, suspension or ban lifted")),
    "general": Kind(N_("Other messages from the moderators")),
    "account": Kind(N_("Account security: your password was changed"), optional=False),
    "password_reset": Kind(N_("Password reset links you ask for"), optional=False, secret=True),
    "verify_email": Kind(N_("Confirming your e-mail address"), optional=False, secret=True),
    # The reader's side (services/alerts.py): each also shows under the bell.
    "reply": Kind(N_("Replies to your comments")),
    "mention": Kind(N_("Mentions of your name (@name) in comments")),
    "featured": Kind(N_("Your comment chosen as a featured comment")),
    "digest": Kind(N_("The daily digest of replies, mentions and featured comments (if you chose it)")),
}
SECRET_WIPED = "(This message carried a one-time link. It was e-mailed and is not kept here.)"

MAX_ATTEMPTS = 6
CLAIM = timedelta(seconds=120)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... capped at an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def queue(session: Session, user: User, subject: str, body: str, *, kind: str = "general") -> Notification:
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    n = Notification(user_id=user.id, kind=kind, subject=subject[:200], body=body)
    session.add(n)
    session.flush()
    return n


def queue_row(session: Session, user_id: int, subject: str, body: str, *, kind: str = "general") -> None:
    """``queue`` for a caller that needs no object back (a post removed by a check): the same row, one plain
    statement, no flush."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    _INSERT.run(session, {"user_id": user_id, "kind": kind, "subject": subject[:200], "body": body})


_INSERT = Plain(insert(Notification.__table__), inserts=True)


# ----- preferences ---------------------------------------------------------------------------

def preferences(session: Session, user: User) -> dict[str, bool]:
    """Each kind of e-mail -> whether this user gets it by e-mail."""
    rows = dict(session.execute(select(NotificationPreference.kind, NotificationPreference.email)
                                .where(NotificationPreference.user_id == user.id)).all())
    return {k: (rows.get(k, True) if kind.optional else True) for k, kind in KINDS.items()}


def wants_email(session: Session, user_id: int, kind: str) -> bool:
    if not KINDS.get(kind, KINDS["general"]).optional:
        return True
    off = session.scalar(select(NotificationPreference.email).where(NotificationPreference.user_id == user_id,
                                                                    NotificationPreference.kind == kind))
    return off is not False


def set_email(session: Session, user: User, kind: str, on: bool) -> None:
    from remarks.services import audit

    if kind not in KINDS:
        raise BadInput(f"unknown kind of e-mail {kind!r}")
    if not KINDS[kind].optional and not on:
        raise BadInput(N_("%(kind)s cannot be turned off"), kind=KINDS[kind].label)
    row = session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user.id,
                                                              NotificationPreference.kind == kind))
    if row is None:
        row = NotificationPreference(user_id=user.id, kind=kind)
        session.add(row)
    if row.email != on or row.id is None:
        row.email, row.updated_at = on, utcnow()
        audit.record(session, Event.USER_EMAIL_PREFERENCE, actor=user, subject_type="user", subject_id=user.id,
                     kind=kind, email=on)
    session.flush()


def _signer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt="remarks-unsubscribe")


def unsubscribe_token(settings: Settings, user_id: int, kind: str) -> str:
    """A signed (not secret) token naming the user and the kind: the link works without log-in."""
    return _signer(settings).dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(settings: Settings, token: str) -> tuple[int, str]:
    try:
        data = _signer(settings).loads(token)
        user_id, kind = int(data["u"]), str(data["k"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise BadInput(N_("this unsubscribe link is not valid; you can choose your e-mails on your page")) from None
    if kind not in KINDS:
        raise BadInput(N_("this unsubscribe link is not valid; you can choose your e-mails on your page"))
    return user_id, kind


# ----- delivery ------------------------------------------------------------------------------

def email_for(n: Notification, settings: Settings) -> EmailMessage:
    """The e-mail for a notification: its text, and for optional kinds the unsubscribe link
    (also as List-Unsubscribe, one-click, RFC 8058)."""
    base = settings.base_url.rstrip("/")
    text = n.body
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.mail_from, n.user.email, n.subject
    msg["Message-ID"] = make_msgid(idstring=f"notification-{n.id}", domain=settings.mail_from.rpartition("@")[2]
                                   or "localhost")
    if KINDS.get(n.kind, KINDS["general"]).optional:
        link = f"{base}/unsubscribe/{unsubscribe_token(settings, n.user_id, n.kind)}"
        with speaking(n.user.locale):  # the reader's own language (their setting), else English
            text += "\n\n--\n" + translate(N_(
                "You get these e-mails (%(kind)s) because you have an account at %(site)s. To stop them: %(link)s\n"
                "To choose which e-mails you get: %(page)s"), {"kind": gettext(KINDS[n.kind].label).lower(),
                                                              "site": settings.site_name, "link": link,
                                                              "page": f"{base}/me#email"})
        msg["List-Unsubscribe"] = f"<{link}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    else:
        with speaking(n.user.locale):
            text += "\n\n--\n" + translate(N_("%(site)s. You get this e-mail because it concerns your account's "
                                               "security."), {"site": settings.site_name})
    msg.set_content(text)
    return msg


def _claim(session: Session, now: datetime, limit: int) -> list[int]:
    """Take up to ``limit`` due rows for this worker: an UPDATE that only one worker can win per row."""
    free = or_(Notification.locked_until.is_(None), Notification.locked_until < now)
    due = session.scalars(select(Notification.id).where(Notification.status == "pending",
                                                        Notification.next_attempt_at <= now, free)
                          .order_by(Notification.id).limit(limit)).all()
    mine = []
    for nid in due:
        res = session.execute(update(Notification).where(and_(Notification.id == nid, Notification.status == "pending",
                                                              free)).values(locked_until=now + CLAIM))
        if res.rowcount == 1:
            mine.append(nid)
    session.commit()
    return mine


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=10)
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10)
        if settings.smtp_tls == "starttls":
            smtp.starttls()
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password or "")
    return smtp


def _settle(n: Notification, now: datetime, error: str | None, counts: dict[str, int]) -> None:
    n.attempts += 1
    n.locked_until = None
    if error is None:
        n.status, n.sent_at, n.error = "sent", now, None
    else:
        n.error = error[:500]
        if n.attempts >= MAX_ATTEMPTS:
            n.status = "failed"
            log.warning("notification %s failed for good: %s", n.id, n.error)
        else:
            n.next_attempt_at = now + backoff(n.attempts)
    counts["sent" if error is None else "failed" if n.status == "failed" else "retry"] += 1
    if n.status != "pending" and KINDS.get(n.kind, KINDS["general"]).secret:
        n.body = SECRET_WIPED


def deliver_due(factory: sessionmaker[Session], settings: Settings, *, now: datetime | None = None,
                limit: int = 50) -> dict[str, int]:
    """One pass of the delivery worker: e-mail every due notification it can claim. Without SMTP
    settings nothing is sent (the messages wait on the outbox page and the users' pages)."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    if not settings.smtp_host:
        return counts
    now = now or utcnow()
    smtp: smtplib.SMTP | None = None
    down: str | None = None  # the server could not be reached: the rest of this pass waits too
    try:
        with factory() as session:
            _write(session)
            for nid in _claim(session, now, limit):
                n = session.get(Notification, nid)
                skip = ("no e-mail address" if not n.user.email else
                        "the reader turned these e-mails off" if not wants_email(session, n.user_id, n.kind) else None)
                msg = None if skip else email_for(n, settings)
                session.rollback()  # no transaction stays open while the SMTP server answers
                error = skip or down
                if error is None:
                    try:
                        smtp = smtp or _connect(settings)
                        smtp.send_message(msg)
                    except (OSError, smtplib.SMTPException) as exc:
                        error = f"SMTP: {type(exc).__name__}: {exc}"
                        if smtp is None:
                            down = error = f"SMTP server unreachable: {type(exc).__name__}: {exc}"
                        elif isinstance(exc, (OSError, smtplib.SMTPServerDisconnected)):
                            smtp = _close(smtp)  # reconnect for the next message
                _write(session)
                n = session.get(Notification, nid)
                if skip:
                    n.status, n.error, n.locked_until = "skipped", skip, None
                    counts["skipped"] += 1
                else:
                    _settle(n, now, error, counts)
                session.commit()  # one message at a time: a crash never re-sends what went out
    finally:
        _close(smtp)
    return counts


def _write(session: Session) -> None:
    """Start a writing transaction (BEGIN IMMEDIATE on SQLite: it waits for other writers)."""
    session.connection(execution_options={"sqlite_immediate": True})


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return None
