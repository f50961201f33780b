"""The API of measures on users beyond sanctions: lifting a measure, moderators' notes."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from remarks.models import User, UserNote
from remarks.services import notes, sanctions
from remarks.web import schemas as s
from remarks.web.schemas import ERRORS
from remarks.web.deps import Viewer, get_db, get_viewer, verify_api_csrf
from remarks.web.permissions import Permission, require
from remarks.web.uow import write

router = APIRouter(prefix="/api/v1", responses=ERRORS)


@router.post("/moderation/sanctions/{sanction_id}/lift", response_model=s.LiftedOut, tags=["moderation"])
def lift(sanction_id: int, body: s.LiftIn, request: Request, db: Session = Depends(get_db),
         viewer: Viewer = Depends(get_viewer), moderator: User = Depends(require(Permission.MODERATE))) -> s.LiftedOut:
    """Lift a warning, suspension or ban at once; the user is told why and their statement says so."""
    verify_api_csrf(request, viewer)
    row = write(request, lambda session: sanctions.lift_by_id(session, moderator, sanction_id=sanction_id,
                                                              reason=body.reason,
                                                              base_url=request.app.state.settings.base_url))
    return s.LiftedOut(id=row.id, user_id=row.user_id, kind=row.kind, lifted_at=row.lifted_at,
                       lift_reason=row.lift_reason)


def _note(n: UserNote) -> s.NoteOut:
    return s.NoteOut(id=n.id, user_id=n.user_id, author=n.author.display_name if n.author else None, text=n.text,
                     created_at=n.created_at)


@router.get("/moderation/users/{user_id}/notes", response_model=list[s.NoteOut], tags=["moderation"])
def user_notes(user_id: int, db: Session = Depends(get_db),
               moderator: User = Depends(require(Permission.MODERATE))) -> list[s.NoteOut]:
    """Moderators' notes on a user (moderators only)."""
    return [_note(n) for n in notes.for_user(db, moderator, user_id)]


@router.post("/moderation/users/{user_id}/notes", response_model=s.NoteOut, status_code=201, tags=["moderation"])
def add_note(user_id: int, body: s.NoteIn, request: Request, db: Session = Depends(get_db),
             viewer: Viewer = Depends(get_viewer), moderator: User = Depends(require(Permission.MODERATE))) -> s.NoteOut:
    verify_api_csrf(request, viewer)
    n = write(request, lambda session: notes.add(session, moderator, user_id=user_id, text=body.text))
    return _note(n)
