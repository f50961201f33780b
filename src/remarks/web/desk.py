"""The moderator desk: the queue, decisions, sanctions and a user's history. Every action is a
POST with the CSRF token, answered with a 303 redirect."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from remarks.errors import BadInput, NotFound
from remarks.models import User
from remarks.services import moderation, sanctions
from remarks.web.deps import Viewer, get_db, get_viewer, require_moderator, verify_csrf
from remarks.web.pages import page, see_other

router = APIRouter(prefix="/desk", include_in_schema=False)


def _moderator_or_login(viewer: Viewer) -> Response | None:
    if viewer.user is None:
        return see_other("/login?next=/desk")
    require_moderator(viewer)
    return None


@router.get("")
def queue_page(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    if (redirect := _moderator_or_login(viewer)) is not None:
        return redirect
    items = moderation.queue(db)
    flash = request.query_params.get("done", "")[:200]
    return page(request, "desk/queue.html", viewer, items=items, size=moderation.queue_size(db), flash=flash)


def _days(value: str) -> float | None:
    try:
        return float(value) if value.strip() else None
    except ValueError:
        raise BadInput("the suspension length is a number of days") from None


@router.post("/comments/{comment_id}")
def decide(
    comment_id: int,
    request: Request,
    action: Annotated[str, Form()] = "",
    rule: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    sanction: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = Depends(get_db),
    moderator: User = Depends(require_moderator),
) -> Response:
    verify_csrf(request, csrf)
    decision = moderation.decide(db, moderator, comment_id=comment_id, action=action, rule=rule or None,
                                 reason=reason)
    done = f"Comment {comment_id} {'approved' if action == 'approve' else 'removed'}"
    if sanction:
        sanctions.sanction(db, moderator, user_id=decision.comment.author_id, kind=sanction, rule=rule or None,
                           reason=reason, days=_days(days), comment_id=comment_id)
        done += f"; author {'banned' if sanction == 'ban' else sanction + ' recorded'}"
    db.commit()
    return see_other(f"/desk?done={done}")


@router.get("/users/{user_id}")
def user_page(user_id: int, request: Request, db: Session = Depends(get_db),
              viewer: Viewer = Depends(get_viewer)) -> Response:
    if (redirect := _moderator_or_login(viewer)) is not None:
        return redirect
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    active = sanctions.active_sanction(db, user)
    return page(request, "desk/user.html", viewer, subject=user, history=moderation.user_history(db, user),
                active=sanctions.describe(active) if active else None)


@router.post("/users/{user_id}/sanctions")
def sanction_user(
    user_id: int,
    request: Request,
    kind: Annotated[str, Form()] = "",
    rule: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = Depends(get_db),
    moderator: User = Depends(require_moderator),
) -> Response:
    verify_csrf(request, csrf)
    sanctions.sanction(db, moderator, user_id=user_id, kind=kind, rule=rule or None, reason=reason,
                       days=_days(days))
    db.commit()
    return see_other(f"/desk/users/{user_id}")
