"""Account pages: password change, password reset by e-mail, e-mail verification, and the
unsubscribe link of e-mails (which works without logging in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from remarks.i18n import N_, translate
from remarks.errors import RemarksError
from remarks.models import User
from remarks.services import accounts, notify, recovery, sso
from remarks.web.deps import SESSION_COOKIE, Viewer, get_db, get_viewer, origin_of, verify_csrf
from remarks.web.permissions import Permission, require
from remarks.web.responses import page, safe_next, say, see_other, use_language
from remarks.web.uow import write

router = APIRouter(include_in_schema=False)


def _logged_in(request: Request, token: str, target: str) -> Response:
    """The redirect that sets a fresh session's cookie (after a password change)."""
    settings = request.app.state.settings
    response = see_other(safe_next(target))
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite=settings.cookie_samesite,
                        secure=settings.secure_cookies or settings.cookie_samesite == "none",
                        max_age=settings.session_days * 86400)
    return response


def _message(request: Request, viewer: Viewer, title: str, status: int = 200, message: str | None = None,
             links: tuple = (), **ctx: object) -> Response:
    """A small page for the reader: its title, message and links (marked with N_) in their language."""
    use_language(request, viewer.user)
    return page(request, "account_message.html", viewer, status=status, title=translate(title),
                message=translate(message) if message else None,
                links=[(href, translate(text)) for href, text in links], **ctx)


@router.post("/me/password")
def change_password(request: Request, current_password: Annotated[str, Form()] = "",
                    new_password: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                    db: Session = Depends(get_db), user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    verify_csrf(request, csrf)
    sso.require_local_passwords(request.app.state.settings.local_passwords)
    days = request.app.state.settings.session_days

    def work(session: Session) -> str:
        me = session.get(User, user.id)
        recovery.change_password(session, me, current=current_password, new=new_password)
        return accounts.start_session(session, me, days=days)[0]  # this device stays logged in

    token = write(request, work)
    return _logged_in(request, token, "/me?done=" + N_("Your password was changed; other devices were logged out.") + "#account")


@router.post("/me/verification")
def resend_verification(request: Request, csrf: Annotated[str, Form()] = "", db: Session = Depends(get_db),
                        user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    verify_csrf(request, csrf)
    base = request.app.state.settings.base_url
    write(request, lambda session: recovery.send_verification(session, session.get(User, user.id), base_url=base))
    return see_other("/me?done=" + N_("We e-mailed you a link to confirm your address.") + "#account")


@router.get("/email/verify/{token}")
def verify_email(token: str, request: Request, db: Session = Depends(get_db),
                 viewer: Viewer = Depends(get_viewer)) -> Response:
    try:
        write(request, lambda session: recovery.verify_email(session, token=token))
    except RemarksError as exc:
        return _message(request, viewer, N_("Confirming your address"), status=exc.status, error=say(request, exc, viewer.user),
                        links=[("/me#account", N_("Ask for a new link on your page"))])
    return _message(request, viewer, N_("Address confirmed"), message=N_("Thank you: your e-mail address is confirmed."),
                    links=[("/", N_("Back to the news"))])


@router.get("/password/forgot")
def forgot_form(request: Request, viewer: Viewer = Depends(get_viewer)) -> Response:
    return _message(request, viewer, N_("Forgot your password?"), form="forgot")


@router.post("/password/forgot")
def forgot(request: Request, email: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
           db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    origin, base = origin_of(request).ip_hash, request.app.state.settings.base_url
    try:
        sso.require_local_passwords(request.app.state.settings.local_passwords)
        answer = write(request, lambda session: recovery.request_reset(session, email, origin=origin, base_url=base))
    except RemarksError as exc:
        return _message(request, viewer, N_("Forgot your password?"), status=exc.status, error=say(request, exc, viewer.user), form="forgot")
    return _message(request, viewer, N_("Forgot your password?"), message=answer, links=[("/login", N_("Log in"))])


@router.get("/password/reset/{token}")
def reset_form(token: str, request: Request, db: Session = Depends(get_db),
               viewer: Viewer = Depends(get_viewer)) -> Response:
    try:
        user = recovery.check_reset_token(db, token)
    except RemarksError as exc:
        return _message(request, viewer, N_("Choose a new password"), status=exc.status, error=say(request, exc, viewer.user),
                        links=[("/password/forgot", N_("Ask for a new link"))])
    return _message(request, viewer, N_("Choose a new password"), form="reset", token=token, username=user.username)


@router.post("/password/reset/{token}")
def reset(token: str, request: Request, password: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
          db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    try:
        sso.require_local_passwords(request.app.state.settings.local_passwords)
        user = write(request, lambda session: recovery.reset_password(session, token=token, new=password))
    except RemarksError as exc:
        return _message(request, viewer, N_("Choose a new password"), status=exc.status, error=say(request, exc, viewer.user),
                        form="reset" if "password" in exc.message else None, token=token,
                        links=[("/password/forgot", N_("Ask for a new link"))])
    return _message(request, viewer, N_("Password changed"),
                    message=translate(N_("The password of %(name)s is changed and every device was logged out. "
                                         "Log in with the new password."), {"name": user.username}),
                    links=[("/login", N_("Log in"))])


@router.get("/unsubscribe/{token}")
def unsubscribe_form(token: str, request: Request, db: Session = Depends(get_db),
                     viewer: Viewer = Depends(get_viewer)) -> Response:
    """Opening the link changes nothing (mail scanners open links); the button does."""
    settings = request.app.state.settings
    try:
        user_id, kind = notify.read_unsubscribe_token(settings, token)
    except RemarksError as exc:
        return _message(request, viewer, N_("Unsubscribe"), status=exc.status, error=say(request, exc, viewer.user))
    user = db.get(User, user_id)
    return _message(request, viewer, N_("Unsubscribe"), form="unsubscribe", token=token,
                    label=translate(notify.KINDS[kind].label), username=user.username if user else "")


@router.post("/unsubscribe/{token}")
def unsubscribe(token: str, request: Request, db: Session = Depends(get_db),
                viewer: Viewer = Depends(get_viewer)) -> Response:
    """The signed token is the authority (no log-in, no form token): also the one-click POST of
    mail programs (RFC 8058)."""
    settings = request.app.state.settings
    try:
        user_id, kind = notify.read_unsubscribe_token(settings, token)

        def work(session: Session) -> None:
            user = session.get(User, user_id)
            if user is not None:
                notify.set_email(session, user, kind, False)

        write(request, work)
    except RemarksError as exc:
        return _message(request, viewer, N_("Unsubscribe"), status=exc.status, error=say(request, exc, viewer.user))
    return _message(request, viewer, N_("Unsubscribed"),
                    message=translate(N_("You will no longer get e-mails about: %(kind)s. They still appear on your "
                                         "page."), {"kind": translate(notify.KINDS[kind].label).lower()}),
                    links=[("/notifications#settings", N_("Choose your e-mails"))])
