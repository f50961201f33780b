"""Users, passwords and log-in sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from remarks.db.plain import Loaded, Plain
from remarks.events import Event
from remarks.errors import BadInput, Conflict, FailedLogin, NotAuthenticated
from remarks.i18n import N_
from remarks.models import LoginSession, User
from remarks.models.base import utcnow
from remarks.models.people import ROLES
from remarks.services import audit

_hasher = PasswordHasher()  # argon2id with the library's current parameters
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")
# Verifying against a dummy hash keeps the time of "no such user" equal to "wrong password".
_DUMMY_HASH = _hasher.hash("dummy-password-for-timing")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    actor: User | None,
    *,
    username: str,
    password: str,
    display_name: str | None = None,
    email: str | None = None,
    role: str = "commenter",
    origin: str | None = None,
    password_hash: str | None = None,
) -> User:
    """A new account. ``password_hash`` (from ``hash_password``, made before the write transaction
    opens: argon2 is slow and must not hold the database's write lock) saves hashing here."""
    username = (username or "").strip()
    if not _USERNAME.match(username):
        raise BadInput(N_("a username is 3 to 40 letters, digits, '.', '_' or '-'"))
    if len(password or "") < 8:
        raise BadInput(N_("a password needs at least 8 characters"))
    if len(password) > 1024:
        raise BadInput(N_("that password is too long"))
    if role not in ROLES:
        raise BadInput(f"role must be one of {', '.join(ROLES)}")
    display_name = (display_name or username).strip()
    if not display_name or len(display_name) > 80 or any(ord(c) < 32 for c in display_name):
        raise BadInput(N_("a display name is 1 to 80 printable characters"))
    if session.scalar(select(User).where(User.username == username)):
        raise Conflict(N_("the username '%(name)s' is taken"), name=username)
    user = User(username=username, display_name=display_name, email=email, role=role,
                password_hash=password_hash or _hasher.hash(password))
    session.add(user)
    session.flush()
    audit.record(session, Event.USER_CREATED, actor=actor, subject_type="user", subject_id=user.id, role=role,
                 origin=origin)
    return user


LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_FAILURES = 10


SIGNUPS_PER_HOUR = 10


def check_signup_rate(session: Session, origin_hash: str | None) -> None:
    """At most ten new accounts an hour from one network address (a keyed hash of it)."""
    from sqlalchemy import func

    from remarks.errors import RateLimited
    from remarks.models import AuditEvent

    if not origin_hash:
        return
    since = utcnow() - timedelta(hours=1)
    made = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.name == Event.USER_CREATED, AuditEvent.created_at >= since,
        AuditEvent.data["origin"].as_string() == origin_hash)) or 0
    if made >= SIGNUPS_PER_HOUR:
        raise RateLimited(N_("too many new accounts from this network in the last hour; try again later"),
                          retry_after=3600)


def check_login_rate(session: Session, username: str, origin_hash: str | None) -> None:
    """At most ten failed log-ins in fifteen minutes for one username, or from one address."""
    from sqlalchemy import func, or_

    from remarks.errors import RateLimited
    from remarks.models import AuditEvent

    since = utcnow() - LOGIN_WINDOW
    conds = [AuditEvent.data["username"].as_string() == (username or "").strip()[:40]]
    if origin_hash:
        conds.append(AuditEvent.data["origin"].as_string() == origin_hash)
    failures = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.name == Event.USER_LOGIN_FAILED, AuditEvent.created_at >= since, or_(*conds))) or 0
    if failures >= LOGIN_FAILURES:
        raise RateLimited(N_("too many failed log-ins; wait fifteen minutes and try again"), retry_after=900)


def record_login_failure(session: Session, username: str, origin_hash: str | None) -> None:
    audit.record(session, Event.USER_LOGIN_FAILED, actor=None, subject_type="user", subject_id=None,
                 username=(username or "").strip()[:40], origin=origin_hash)


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        raise NotAuthenticated(N_("wrong username or password"))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def verify(session: Session, username: str, password: str) -> int | None:
    """The password check alone, in a read transaction before the write one opens (argon2 is slow and
    must not hold the write lock): the user's id, or None for a wrong username or password."""
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return user.id if user else None


_UNVERIFIED = object()


def log_in(session: Session, username: str, password: str, *, origin_hash: str | None, days: int,
           replacing: str | None = None, verified: int | None | object = _UNVERIFIED) -> tuple[str, LoginSession]:
    """The log-in use-case for every door (page form, API): the rate limit, the password, a failed
    attempt recorded (``FailedLogin`` keeps it: the caller's unit of work commits it), then a new
    session, ending the one it replaces. ``verified`` is ``verify``'s answer when the caller checked
    the password before the write transaction."""
    check_login_rate(session, username, origin_hash)
    try:
        if verified is _UNVERIFIED:
            user = authenticate(session, username, password)
        elif verified is None or (user := session.get(User, verified)) is None:
            raise NotAuthenticated(N_("wrong username or password"))
    except NotAuthenticated as exc:
        record_login_failure(session, username, origin_hash)
        raise FailedLogin(exc.template, **exc.params) from None
    end_session(session, replacing)
    return start_session(session, user, days=days)


def start_session(session: Session, user: User, *, days: int) -> tuple[str, LoginSession]:
    """A fresh session on every log-in; returns the secret token (shown once) and the row."""
    token = secrets.token_urlsafe(32)
    row = LoginSession(token_hash=_token_hash(token), csrf_token=secrets.token_urlsafe(24), user_id=user.id,
                       expires_at=utcnow() + timedelta(days=days))
    session.add(row)
    session.flush()
    audit.record(session, Event.USER_LOGGED_IN, actor=user, subject_type="user", subject_id=user.id)
    return token, row


# The user with it, in the same statement: whoever asks for the log-in wants to know who it is. Built once
# and run on the driver (db/plain.py): every signed-in request asks it; the two rows are made into the
# objects the ORM would have loaded (the log-in with its user set).
_LOGIN_AND_USER = Loaded(LoginSession, User)
_BY_TOKEN = Plain(select(*_LOGIN_AND_USER.columns()).join_from(LoginSession, User, User.id == LoginSession.user_id)
                  .where(LoginSession.token_hash == bindparam("token_hash")))


def session_for_token(session: Session, token: str | None) -> LoginSession | None:
    if not token or len(token) > 200:
        return None
    row = _BY_TOKEN.first(session, {"token_hash": _token_hash(token)})
    if row is None:
        return None
    login, user = _LOGIN_AND_USER.objects(session, row)
    if login.expires_at <= utcnow():
        return None
    set_committed_value(login, "user", user)
    return login


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == _token_hash(token)))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> None:
    """Raises NotAuthenticated unless ``password`` is the user's."""
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated(N_("wrong password")) from None


def token_hash(token: str) -> str:
    """The stored form of a secret token (sessions, e-mailed links)."""
    return _token_hash(token)
