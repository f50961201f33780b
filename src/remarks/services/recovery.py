"""Passwords and e-mail addresses: change, reset by e-mail, verification.

Links sent by e-mail carry a random token; only its hash is stored; each is single-use and
expires. Asking for a reset gets the same answer whether or not the address has an account, and
is rate-limited per network address and per account. A changed password ends every session of
the user."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.errors import BadInput, Forbidden, NotAuthenticated, RateLimited
from remarks.i18n import N_
from remarks.models import AccountToken, AuditEvent, LoginSession, User
from remarks.models.base import utcnow
from remarks.services import accounts, audit, notify

RESET_LIFETIME = timedelta(hours=1)
VERIFY_LIFETIME = timedelta(days=7)
RESETS_PER_ADDRESS_HOUR = 5  # requests from one network address
RESETS_PER_ACCOUNT_HOUR = 3  # links sent to one account (more are silently not sent)
SAME_ANSWER = N_("If an account has this e-mail address, we sent it a link to choose a new password. The link "
               "works once, for one hour.")


def _check_password(password: str) -> None:
    if len(password or "") < 8:
        raise BadInput(N_("a password needs at least 8 characters"))
    if len(password) > 1024:
        raise BadInput(N_("that password is too long"))


def _set_password(session: Session, user: User, password: str) -> int:
    """Store the new hash and end every session of the user; returns how many ended."""
    user.password_hash = accounts.hash_password(password)
    ended = session.execute(delete(LoginSession).where(LoginSession.user_id == user.id)).rowcount or 0
    notify.queue(session, user, "Your password was changed",
                 f"The password of your account \"{user.username}\" was changed on {utcnow():%d %B %Y, %H:%M} UTC, "
                 "and every device was logged out. If this was not you, ask for a password reset at once and "
                 "tell the moderators.", kind="account")
    return ended


def change_password(session: Session, user: User, *, current: str, new: str) -> int:
    """Change the password of a logged-in user who knows the current one; every session ends
    (the caller starts a fresh one for the device that asked). Returns how many sessions ended."""
    try:
        accounts.verify_password(user, current)
    except NotAuthenticated:
        raise BadInput(N_("the current password is wrong")) from None
    _check_password(new)
    if new == current:
        raise BadInput(N_("the new password is the same as the current one"))
    ended = _set_password(session, user, new)
    audit.record(session, Event.USER_PASSWORD_CHANGED, actor=user, subject_type="user", subject_id=user.id,
                 sessions_ended=ended)
    return ended


def _new_token(session: Session, user: User, purpose: str, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=accounts.token_hash(token),
                             expires_at=utcnow() + lifetime))
    session.flush()
    return token


def request_reset(session: Session, email: str, *, origin: str | None, base_url: str) -> str:
    """E-mail a reset link to every account with this address; the answer never says whether one exists."""
    email = (email or "").strip()
    if not email or len(email) > 254 or "@" not in email:
        raise BadInput(N_("give the e-mail address of your account"))
    since = utcnow() - timedelta(hours=1)
    if origin:
        asked = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.name == Event.USER_PASSWORD_RESET_REQUESTED, AuditEvent.created_at >= since,
            AuditEvent.data["origin"].as_string() == origin)) or 0
        if asked >= RESETS_PER_ADDRESS_HOUR:
            raise RateLimited(N_("too many password resets asked from this network; try again in an hour"),
                              retry_after=3600)
    audit.record(session, Event.USER_PASSWORD_RESET_REQUESTED, actor=None, subject_type="user", subject_id=None,
                 origin=origin)
    for user in session.scalars(select(User).where(func.lower(User.email) == email.lower())).all():
        sent = session.scalar(select(func.count()).select_from(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose == "reset", AccountToken.created_at >= since)) or 0
        if sent >= RESETS_PER_ACCOUNT_HOUR:
            continue
        token = _new_token(session, user, "reset", RESET_LIFETIME)
        notify.queue(session, user, "Choose a new password",
                     f"Someone (we hope you) asked to reset the password of your account \"{user.username}\".\n\n"
                     f"Choose a new password here: {base_url.rstrip('/')}/password/reset/{token}\n\n"
                     "The link works once, for one hour. If you did not ask, ignore this e-mail: your password "
                     "stays as it is.", kind="password_reset")
    return SAME_ANSWER


def _redeem(session: Session, token: str, purpose: str) -> AccountToken:
    row = None
    if token and len(token) <= 200:
        row = session.scalar(select(AccountToken).where(AccountToken.token_hash == accounts.token_hash(token),
                                                        AccountToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise BadInput(N_("this link is not valid any more (used, expired or mistyped); ask for a new one"))
    return row


def check_reset_token(session: Session, token: str) -> User:
    return _redeem(session, token, "reset").user


def reset_password(session: Session, *, token: str, new: str) -> User:
    row = _redeem(session, token, "reset")
    _check_password(new)
    user = row.user
    now = utcnow()
    # This link and every other open reset link of the account stop working.
    session.execute(update(AccountToken).where(AccountToken.user_id == user.id, AccountToken.purpose == "reset",
                                               AccountToken.used_at.is_(None)).values(used_at=now))
    ended = _set_password(session, user, new)
    audit.record(session, Event.USER_PASSWORD_RESET, actor=user, subject_type="user", subject_id=user.id,
                 sessions_ended=ended)
    return user


# ----- e-mail verification --------------------------------------------------------------------

def send_verification(session: Session, user: User, *, base_url: str) -> None:
    if not user.email:
        raise BadInput(N_("add an e-mail address first"))
    if user.email_verified_at is not None:
        return
    recent = session.scalar(select(func.count()).select_from(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == "verify",
        AccountToken.created_at >= utcnow() - timedelta(hours=1))) or 0
    if recent >= RESETS_PER_ACCOUNT_HOUR:
        raise RateLimited(N_("we sent you several links in the last hour; look for them, or try again later"),
                          retry_after=3600)
    token = _new_token(session, user, "verify", VERIFY_LIFETIME)
    notify.queue(session, user, "Confirm your e-mail address",
                 f"Welcome, {user.display_name}. Confirm that {user.email} is your address: "
                 f"{base_url.rstrip('/')}/email/verify/{token}\n\nThe link works once, for seven days.",
                 kind="verify_email")


def verify_email(session: Session, *, token: str) -> User:
    row = _redeem(session, token, "verify")
    row.used_at = utcnow()
    user = row.user
    if user.email_verified_at is None:
        user.email_verified_at = row.used_at
        audit.record(session, Event.USER_EMAIL_VERIFIED, actor=user, subject_type="user", subject_id=user.id)
    return user


def awaiting_verification(user: User, required: bool) -> bool:
    return required and user.email_verified_at is None and not user.is_moderator


def ensure_verified(user: User, required: bool) -> None:
    """With REMARKS_REQUIRE_VERIFIED_EMAIL, a new account's comments wait for a confirmed address."""
    if awaiting_verification(user, required):
        raise Forbidden(N_("confirm your e-mail address first (%(email)s): open the link we e-mailed you, or ask "
                           "for a new one on your page (/me). Your comment has not been posted."),
                        code="unverified", email=user.email or "-")
