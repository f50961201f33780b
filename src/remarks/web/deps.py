"""Request dependencies: the database session, who is asking, CSRF, permissions."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from remarks.config import Settings
from remarks.db import release
from remarks.errors import Forbidden, NotAuthenticated
from remarks.i18n import N_
from remarks.models import LoginSession, User
from remarks.services import accounts

SESSION_COOKIE = "remarks_session"
CSRF_COOKIE = "remarks_csrf"


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session for the request. Writes go through ``remarks.web.uow.write`` (one unit of work,
    committed once); anything uncommitted is rolled back here. A coroutine: making a session does no
    I/O and closing one at most ends a transaction, so neither waits for a worker thread (under load
    each such trip waited for the interpreter lock too)."""
    session = request.state.db = request.app.state.sessions()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@dataclass
class Viewer:
    user: User | None
    login: LoginSession | None
    token: str | None
    via_bearer: bool = False


def get_viewer(request: Request, db: Session = Depends(get_db)) -> Viewer:
    """Who is asking. The route runs in another turn of the thread pool, which may be a wait: the
    look-up's connection goes back to the pool first (the user and log-in rows stay loaded)."""
    viewer = viewer_of(request, db)
    release(db)
    return viewer


def viewer_of(request: Request, db: Session) -> Viewer:
    """Who is asking, by their bearer token or session cookie (an unknown bearer token is refused)."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        token = auth[7:].strip()
        login = accounts.session_for_token(db, token)
        if login is None:
            raise NotAuthenticated(N_("the bearer token is unknown or expired"))
        return Viewer(login.user, login, token, via_bearer=True)
    token = request.cookies.get(SESSION_COOKIE)
    login = accounts.session_for_token(db, token)
    return Viewer(login.user if login else None, login, token if login else None)


def csrf_token(request: Request) -> str:
    """The double-submit token for forms: read from the cookie, or made new (set by set_csrf_cookie)."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) > 100:
        token = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


def set_csrf_cookie(request: Request, response, settings: Settings) -> None:
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite=settings.cookie_samesite,
                            secure=settings.secure_cookies or settings.cookie_samesite == "none")


def verify_csrf(request: Request, submitted: str | None) -> None:
    """Every state-changing form posts the token that matches its cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise Forbidden(N_("the form's security token is missing or stale; reload the page and try again"))


def verify_api_csrf(request: Request, viewer: Viewer) -> None:
    """Cookie-authenticated API writes need the X-CSRF-Token header; bearer tokens don't."""
    if viewer.user is not None and not viewer.via_bearer:
        verify_csrf(request, request.headers.get("x-csrf-token"))


DEVICE_COOKIE = "remarks_device"


def keyed_hash(settings: Settings, value: str | None) -> str | None:
    """A keyed hash for ban-evasion signals: comparable, not reversible, no raw address stored."""
    if not value:
        return None
    import hashlib

    return hmac.new(settings.secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()[:40]


def origin_of(request: Request):
    from remarks.services.comments import Origin

    settings = request.app.state.settings
    ip = request.client.host if request.client else None
    device = request.cookies.get(DEVICE_COOKIE) or getattr(request.state, "new_device", None)
    return Origin(ip_hash=keyed_hash(settings, ip), device_hash=keyed_hash(settings, device))


def current_policy(request: Request, db: Session, site_id: int | None = None):
    """The policy of a site (``services.sites.of_article`` / ``of_comment`` find it), or the installation's."""
    from remarks.services import policy

    return policy.current(db, request.app.state.settings, site_id)
