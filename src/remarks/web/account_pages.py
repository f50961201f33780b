"""Account pages: password change, password reset by e-mail, e-mail verification, and the
unsubscribe link of e-mails (which works without logging in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from remarks.errors import RemarksError
from remarks.models import User
from remarks.services import accounts, notify, recovery, sso
from remarks.web.deps import SESSION_COOKIE, Viewer, get_db, get_viewer, origin_of, verify_csrf
from remarks.web.permissions import Permission, require
from remarks.web.responses import page, safe_next, see_other
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


def _message(request: Request, viewer: Viewer, title: str, status: int = 200, **ctx: object) -> Response:
    return page(request, "account_message.html", viewer, status=status, title=title, **ctx)


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
    return _logged_in(request, token, "/me?done=Your password was changed; other devices were logged out.#account")


@router.post("/me/verification")
def resend_verification(request: Request, csrf: Annotated[str, Form()] = "", db: Session = Depends(get_db),
                        user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    verify_csrf(request, csrf)
    base = request.app.state.settings.base_url
    write(request, lambda session: recovery.send_verification(session, session.get(User, user.id), base_url=base))
    return see_other("/me?done=We e-mailed you a link to confirm your address.#account")


@router.get("/email/verify/{token}")
def verify_email(token: str, request: Request, db: Session = Depends(get_db),
                 viewer: Viewer = Depends(get_viewer)) -> Response:
    try:
        write(request, lambda session: recovery.verify_email(session, token=token))
    except RemarksError as exc:
        return _message(request, viewer, "Confirming your address", status=exc.status, error=exc.message,
                        links=[("/me#account", "Ask for a new link on your page")])
    return _message(request, viewer, "Address confirmed", message="Thank you: your e-mail address is confirmed.",
                    links=[("/", "Back to the news")])


@router.get("/password/forgot")
def forgot_form(request: Request, viewer: Viewer = Depends(get_viewer)) -> Response:
    return _message(request, viewer, "Forgot your password?", form="forgot")


@router.post("/password/forgot")
def forgot(request: Request, email: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
           db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    origin, base = origin_of(request).ip_hash, request.app.state.settings.base_url
    try:
        sso.require_local_passwords(request.app.state.settings.local_passwords)
        answer = write(request, lambda session: recovery.request_reset(session, email, origin=origin, base_url=base))
    except RemarksError as exc:
        return _message(request, viewer, "Forgot your password?", status=exc.status, error=exc.message, form="forgot")
    return _message(request, viewer, "Forgot your password?", message=answer, links=[("/login", "Log in")])


@router.get("/password/reset/{token}")
def reset_form(token: str, request: Request, db: Session = Depends(get_db),
               viewer: Viewer = Depends(get_viewer)) -> Response:
    try:
        user = recovery.check_reset_token(db, token)
    except RemarksError as exc:
        return _message(request, viewer, "Choose a new password", status=exc.status, error=exc.message,
                        links=[("/password/forgot", "Ask for a new link")])
    return _message(request, viewer, "Choose a new password", form="reset", token=token, username=user.username)


@router.post("/password/reset/{token}")
def reset(token: str, request: Request, password: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
          db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    try:
        sso.require_local_passwords(request.app.state.settings.local_passwords)
        user = write(request, lambda session: recovery.reset_password(session, token=token, new=password))
    except RemarksError as exc:
        return _message(request, viewer, "Choose a new password", status=exc.status, error=exc.message,
                        form="reset" if "password" in exc.message else None, token=token,
                        links=[("/password/forgot", "Ask for a new link")])
    return _message(request, viewer, "Password changed",
                    message=f"The password of {user.username} is changed and every device was logged out. "
                            "Log in with the new password.", links=[("/login", "Log in")])


@router.get("/unsubscribe/{token}")
def unsubscribe_form(token: str, request: Request, db: Session = Depends(get_db),
                     viewer: Viewer = Depends(get_viewer)) -> Response:
    """Opening the link changes nothing (mail scanners open links); the button does."""
    settings = request.app.state.settings
    try:
        user_id, kind = notify.read_unsubscribe_token(settings, token)
    except RemarksError as exc:
        return _message(request, viewer, "Unsubscribe", status=exc.status, error=exc.message)
    user = db.get(User, user_id)
    return _message(request, viewer, "Unsubscribe", form="unsubscribe", token=token,
                    label=notify.KINDS[kind].label, username=user.username if user else "")


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
        return _message(request, viewer, "Unsubscribe", status=exc.status, error=exc.message)
    return _message(request, viewer, "Unsubscribed",
                    message=f"You will no longer get e-mails about: {notify.KINDS[kind].label.lower()}. They still "
                            "appear on your page.", links=[("/notifications#settings", "Choose your e-mails")])
