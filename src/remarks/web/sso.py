"""Single sign-on routes: a publisher's signed token exchanged for a session (API and embed), and
OpenID Connect log-in (authorization code + PKCE)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from remarks.errors import NotFound, RemarksError
from remarks.services import accounts, oidc, sso
from remarks.web import schemas as s
from remarks.web.schemas import ERRORS
from remarks.web.deps import SESSION_COOKIE, Viewer, get_db, get_viewer
from remarks.web.pages import _logged_in
from remarks.web.responses import page, safe_next, say
from remarks.web.uow import write

api = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["accounts"])
router = APIRouter(include_in_schema=False)
FLOW_COOKIE = "remarks_oidc"


class SSOIn(BaseModel):
    token: str = Field(max_length=8000, description="A JWT the publisher's CMS signed (HS256) for its reader: "
                       "iss (the publisher's name), sub, name, email, iat, exp, jti.")


@api.post("/session/sso", response_model=s.TokenOut, status_code=201)
def sso_session(body: SSOIn, request: Request, response: Response, db: Session = Depends(get_db),
                viewer: Viewer = Depends(get_viewer)) -> s.TokenOut:
    """Exchange a publisher-signed token for a session: a bearer token, and the session cookie (for the embed)."""
    settings, old_token = request.app.state.settings, viewer.token

    def work(session: Session):
        user = sso.exchange_publisher_token(session, body.token, max_seconds=settings.sso_token_max_seconds)
        accounts.end_session(session, old_token)
        return accounts.start_session(session, user, days=settings.session_days)

    token, row = write(request, work)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite=settings.cookie_samesite,
                        secure=settings.secure_cookies or settings.cookie_samesite == "none",
                        max_age=settings.session_days * 86400)
    return s.TokenOut(token=token, expires_at=row.expires_at, csrf_token=row.csrf_token)


def _callback_url(request: Request) -> str:
    return request.app.state.settings.base_url.rstrip("/") + "/login/oidc/callback"


@router.get("/login/oidc")
def oidc_start(request: Request, next: str = "/") -> Response:
    settings = request.app.state.settings
    if not oidc.enabled(settings):
        raise NotFound("OpenID Connect log-in is not set up on this site")
    url, flow = oidc.start(settings, _callback_url(request), safe_next(next))
    response = Response(status_code=303, headers={"Location": url})
    response.set_cookie(FLOW_COOKIE, flow, max_age=oidc.FLOW_SECONDS, httponly=True, samesite="lax",
                        secure=settings.secure_cookies, path="/login/oidc")
    return response


@router.get("/login/oidc/callback")
def oidc_callback(request: Request, code: str | None = None, state: str | None = None, error: str | None = None,
                  db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    settings, old_token = request.app.state.settings, viewer.token
    if not oidc.enabled(settings):
        raise NotFound("OpenID Connect log-in is not set up on this site")
    flow = request.cookies.get(FLOW_COOKIE)
    # The code is exchanged once, outside the write (a retried write must not spend it twice).
    try:
        claims = oidc.finish(settings, cookie=flow, redirect_uri=_callback_url(request), code=code, state=state,
                             error=error)
    except RemarksError as exc:
        return page(request, "login.html", viewer, status=exc.status, next="/", error=say(request, exc, viewer.user), username="")

    def work(session: Session) -> str:
        user = oidc.link(session, settings, claims)
        accounts.end_session(session, old_token)
        return accounts.start_session(session, user, days=settings.session_days)[0]

    response = _logged_in(request, write(request, work), claims["next"])
    response.delete_cookie(FLOW_COOKIE, path="/login/oidc")
    return response
