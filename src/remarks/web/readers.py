"""The reader's side of the site: Respect, deleting (and editing) your own comment, featuring (moderators),
muting, the notifications page. Forms post here and are sent back to the page they came from."""

from __future__ import annotations

import json
from urllib.parse import quote
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from remarks.errors import Forbidden, NotAuthenticated, RemarksError
from remarks.services import alerts, featuring, mutes, notify, own_comments, privacy, profiles, reactions, sites
from remarks.models import User
from remarks.web import i18n
from remarks.web.deps import SESSION_COOKIE, Viewer, current_policy, get_db, get_viewer, verify_csrf
from remarks.web.permissions import Permission, require
from remarks.web.responses import page, safe_next, say, see_other
from remarks.web.uow import write

router = APIRouter(include_in_schema=False)


def _back(back: str, anchor: str = "") -> str:
    target = safe_next(back or "/")
    return target + (f"#{anchor}" if anchor and "#" not in target else "")


def _login(back: str) -> Response:
    return see_other(f"/login?next={safe_next(back or '/')}")


def _done(request: Request, back: str, anchor: str, work) -> Response:
    """Run the work in the route's unit of work and go back to the page; a refusal is shown there."""
    try:
        write(request, work)
    except (Forbidden, NotAuthenticated):
        raise  # who may: answered as everywhere else (403, or the log-in form)
    except RemarksError as exc:
        return see_other(_problem(back, say(request, exc), anchor))
    return see_other(_back(back, anchor))


def _problem(back: str, message: str, anchor: str) -> str:
    """Back to the page, with the refusal shown above the comments."""
    target = safe_next(back).split("#")[0]
    return target + ("&" if "?" in target else "?") + "problem=" + quote(message[:200]) + f"#{anchor}"


@router.post("/comments/{comment_id}/respect")
def respect(comment_id: int, request: Request, on: Annotated[str, Form()] = "1", back: Annotated[str, Form()] = "/",
            csrf: Annotated[str, Form()] = "", db: Session = Depends(get_db),
            viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    if viewer.user is None:
        return _login(back)
    return _done(request, back, f"c{comment_id}",
                 lambda db: reactions.respect(db, viewer.user, comment_id=comment_id, on=on == "1"))


@router.post("/comments/{comment_id}/delete")
def delete(comment_id: int, request: Request, back: Annotated[str, Form()] = "/", csrf: Annotated[str, Form()] = "",
           db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    if viewer.user is None:
        return _login(back)
    return _done(request, back, "comments", lambda db: own_comments.delete(db, viewer.user, comment_id=comment_id))


@router.post("/comments/{comment_id}/feature")
def feature(comment_id: int, request: Request, on: Annotated[str, Form()] = "1", back: Annotated[str, Form()] = "/",
            csrf: Annotated[str, Form()] = "", moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    verify_csrf(request, csrf)
    return _done(request, back, f"c{comment_id}", lambda db: featuring.feature(
        db, moderator, comment_id=comment_id, on=on == "1", base_url=request.app.state.settings.base_url))


@router.post("/users/{user_id}/mute")
def mute(user_id: int, request: Request, on: Annotated[str, Form()] = "1", back: Annotated[str, Form()] = "/",
         csrf: Annotated[str, Form()] = "", db: Session = Depends(get_db),
         viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    if viewer.user is None:
        return _login(back)
    return _done(request, back, "comments", lambda db: mutes.mute(db, viewer.user, user_id=user_id, on=on == "1"))


@router.get("/notifications")
def notifications(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    if viewer.user is None:
        return see_other("/login?next=/notifications")
    rows = alerts.recent(db, viewer.user)
    unread = {a.id for a in rows if a.read_at is None}
    muted = mutes.muted(db, viewer.user)
    if unread:
        user = viewer.user
        write(request, lambda session: alerts.mark_read(session, user))
    wants = notify.preferences(db, viewer.user)
    return page(request, "notifications.html", viewer, alerts=rows, unread=unread, kinds=alerts.KINDS,
                muted=muted, unread_alerts=0, wants=wants)


@router.get("/users/{username}")
def profile_page(username: str, request: Request, db: Session = Depends(get_db),
                 viewer: Viewer = Depends(get_viewer)) -> Response:
    return page(request, "profile.html", viewer, profile=profiles.profile(db, username))


@router.post("/me/profile")
def profile_visibility(request: Request, public: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                       db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    if viewer.user is None:
        return _login("/me")
    user = viewer.user
    write(request, lambda session: profiles.set_public(session, user, public == "1"))
    return see_other("/me#profile")


@router.post("/notifications/settings")
def notification_settings(request: Request, csrf: Annotated[str, Form()] = "", digest: Annotated[str, Form()] = "",
                          email: Annotated[list[str] | None, Form()] = None,
                          user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    """Which kinds of notification come by e-mail (the due-process preferences), and the daily digest."""
    verify_csrf(request, csrf)
    chosen = set(email or [])

    def work(session: Session) -> None:
        for kind in alerts.KINDS:
            notify.set_email(session, user, kind, kind in chosen)
        user.daily_digest = digest == "1"

    write(request, work)
    return see_other("/notifications#settings")


@router.get("/me/data.json")
def my_data(db: Session = Depends(get_db), user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    """Everything about you, as one JSON file (GDPR Art. 15 and 20)."""
    body = json.dumps(privacy.export(db, user), ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="remarks-{user.username}.json"'})


@router.get("/me/delete")
def delete_account_form(request: Request, viewer: Viewer = Depends(get_viewer),
                        user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    return page(request, "delete_account.html", viewer, kept=privacy.KEPT, error=None)


@router.post("/me/delete")
def delete_account(request: Request, password: Annotated[str, Form()] = "", comments: Annotated[str, Form()] = "",
                   csrf: Annotated[str, Form()] = "", viewer: Viewer = Depends(get_viewer),
                   user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    verify_csrf(request, csrf)
    try:
        write(request, lambda session: privacy.delete_account(session, user, password=password, comments=comments))
    except RemarksError as exc:
        return page(request, "delete_account.html", viewer, status=exc.status, kept=privacy.KEPT, error=say(request, exc, viewer.user))
    response = see_other("/?deleted=1")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/language")
def language(request: Request, locale: Annotated[str, Form()] = "", back: Annotated[str, Form()] = "/",
             csrf: Annotated[str, Form()] = "", viewer: Viewer = Depends(get_viewer)) -> Response:
    """The interface language: kept in a cookie, and in the account of a reader who is logged in."""
    verify_csrf(request, csrf)
    chosen = locale if locale in i18n.LOCALES else ""
    if viewer.user is not None:
        user = viewer.user

        def work(session: Session) -> None:
            user.locale = chosen

        write(request, work)
    response = see_other(safe_next(back))
    response.set_cookie(i18n.COOKIE, chosen, max_age=365 * 86400, httponly=True,
                        samesite=request.app.state.settings.cookie_samesite)
    return response


@router.post("/comments/{comment_id}/edit")
def edit(comment_id: int, request: Request, text: Annotated[str, Form()] = "", back: Annotated[str, Form()] = "/",
         csrf: Annotated[str, Form()] = "", db: Session = Depends(get_db),
         viewer: Viewer = Depends(get_viewer)) -> Response:
    """Your own comment, edited within the window: through the moderation pipeline again, as a post."""
    verify_csrf(request, csrf)
    if viewer.user is None:
        return _login(back)
    settings, user = request.app.state.settings, viewer.user
    try:
        checked = own_comments.check_edit(db, user, comment_id=comment_id, text=text,
                                          pipeline=request.app.state.pipeline,
                                          policy=current_policy(request, db, sites.of_comment(db, comment_id)),
                                          max_chars=settings.max_comment_chars, minutes=settings.edit_minutes)
    except (Forbidden, NotAuthenticated):
        raise
    except RemarksError as exc:
        return see_other(_problem(back, say(request, exc), f"c{comment_id}"))
    return _done(request, back, f"c{comment_id}", lambda session: own_comments.store_edit(
        session, user, comment_id=comment_id, checked=checked, minutes=settings.edit_minutes,
        base_url=settings.base_url))
