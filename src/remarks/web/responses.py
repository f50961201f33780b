"""The shapes a page route answers with: a rendered page (with its CSRF cookie), a 303 redirect,
and the Content-Security-Policy both use. Kept apart so every router imports it, not each other."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import object_session

from remarks.config import Settings
from remarks.errors import RemarksError
from remarks.services import alerts
from remarks.web import i18n
from remarks.web.deps import Viewer, csrf_token, set_csrf_cookie

# No inline script anywhere: the policy forbids it, so an injected <script> cannot run.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")


def embed_csp(settings: Settings) -> str:
    """The embed may be framed by the publisher's pages (REMARKS_EMBED_ORIGINS); nothing else is relaxed."""
    return CSP.replace("frame-ancestors 'self'", f"frame-ancestors 'self' {settings.embed_origins}")


def use_language(request: Request, user: object | None = None) -> str:
    """The language this request's page is rendered in (the reader's setting, else Accept-Language)."""
    return i18n.use(i18n.choose(getattr(user, "locale", None), request.cookies.get(i18n.COOKIE),
                                request.headers.get("accept-language")))


def say(request: Request, exc: RemarksError, user: object | None = None) -> str:
    """An error's message in the reader's language (the same one the page is rendered in)."""
    use_language(request, user)
    return i18n.translate(exc.template, exc.params)


def page(request: Request, name: str, viewer: Viewer, status: int = 200, **ctx: object) -> Response:
    """Render a template with the app's own template environment (never a module-global one)."""
    settings = request.app.state.settings
    ctx.update(viewer=viewer.user, csrf=csrf_token(request), local_passwords=settings.local_passwords,
               oidc_label=settings.oidc_label if settings.oidc_issuer and settings.oidc_client_id else None)
    use_language(request, viewer.user)
    if viewer.user is not None and "unread_alerts" not in ctx:  # the bell on every page
        ctx["unread_alerts"] = alerts.unread_count(object_session(viewer.user), viewer.user)
    response = request.app.state.templates.TemplateResponse(request, name, ctx, status_code=status)
    set_csrf_cookie(request, response, request.app.state.settings)
    if str(ctx.get("next", "")).startswith("/embed/"):
        # Log-in from inside the embed: the publisher's page frames this form too.
        response.headers["Content-Security-Policy"] = embed_csp(request.app.state.settings)
    return response


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(url: str) -> str:
    """A local path to go back to after a form, never another site (``//host``, ``\\host``)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"
