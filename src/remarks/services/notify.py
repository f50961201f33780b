"""Notifications to users: kept in the outbox table, and sent by e-mail when SMTP is set."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from sqlalchemy.orm import Session

from remarks.config import Settings
from remarks.models import Notification, User
from remarks.models.base import utcnow


def queue(session: Session, user: User, subject: str, body: str) -> Notification:
    n = Notification(user_id=user.id, subject=subject[:200], body=body)
    session.add(n)
    session.flush()
    return n


def deliver(session: Session, settings: Settings, limit: int = 50) -> int:
    """Send unsent notifications to users with an e-mail address; returns how many went out.
    Without SMTP settings they stay in the outbox page (development)."""
    from sqlalchemy import select

    if not settings.smtp_host:
        return 0
    rows = session.scalars(select(Notification).where(Notification.sent_at.is_(None), Notification.error.is_(None))
                           .limit(limit)).all()
    sent = 0
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            for n in rows:
                if not n.user.email:
                    n.error = "no e-mail address"
                    continue
                msg = EmailMessage()
                msg["From"], msg["To"], msg["Subject"] = settings.mail_from, n.user.email, n.subject
                msg.set_content(n.body)
                smtp.send_message(msg)
                n.sent_at = utcnow()
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        for n in rows:
            if n.sent_at is None and n.error is None:
                n.error = f"SMTP: {exc}"[:500]
    return sent
