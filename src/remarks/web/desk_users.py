"""Desk actions on a user beyond sanctions: lifting a measure, moderators' notes."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from remarks.i18n import N_, translate
from remarks.models import User
from remarks.services import notes, sanctions
from remarks.web.deps import get_db, verify_csrf
from remarks.web.permissions import Permission, require
from remarks.web.responses import see_other
from remarks.web.uow import write

router = APIRouter(prefix="/desk", include_in_schema=False)


@router.post("/sanctions/{sanction_id}/lift")
def lift(sanction_id: int, request: Request, reason: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
         db: Session = Depends(get_db), moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    verify_csrf(request, csrf)
    row = write(request, lambda session: sanctions.lift_by_id(session, moderator, sanction_id=sanction_id,
                                                              reason=reason,
                                                              base_url=request.app.state.settings.base_url))
    return see_other(f"/desk/users/{row.user_id}?" + urlencode({"done": translate(N_("Measure lifted; the user is told"))}))


@router.post("/users/{user_id}/notes")
def add_note(user_id: int, request: Request, text: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
             db: Session = Depends(get_db), moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    verify_csrf(request, csrf)
    write(request, lambda session: notes.add(session, moderator, user_id=user_id, text=text))
    return see_other(f"/desk/users/{user_id}#notes")
