"""The API for closing an article's comments by hand (moderators)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from remarks.errors import NotFound
from remarks.models import Article, User
from remarks.services import closing
from remarks.web.schemas import ERRORS
from remarks.web.deps import Viewer, get_db, get_viewer, verify_api_csrf
from remarks.web.permissions import Permission, require
from remarks.web.uow import write

router = APIRouter(prefix="/api/v1/moderation", responses=ERRORS, tags=["moderation"])


class ClosingIn(BaseModel):
    closed: bool
    reason: str = Field("", max_length=300, description="Why (required to close); readers see it.")


class ClosingOut(BaseModel):
    article_id: int
    closed: bool
    reason: str | None
    since: datetime | None
    automatic: bool


@router.put("/articles/{article_id}/closing", response_model=ClosingOut)
def put_closing(article_id: int, body: ClosingIn, request: Request, db: Session = Depends(get_db),
                viewer: Viewer = Depends(get_viewer),
                moderator: User = Depends(require(Permission.MODERATE))) -> ClosingOut:
    """Close an article's comments (new posts are refused with 409 and the reason), or reopen them."""
    verify_api_csrf(request, viewer)

    def work(session: Session) -> ClosingOut:
        article = session.get(Article, article_id)
        if article is None:
            raise NotFound(f"no article {article_id}")
        if body.closed:
            closing.close(session, moderator, article, reason=body.reason)
        else:
            closing.reopen(session, moderator, article)
        session.flush()
        st = closing.state(article)
        return ClosingOut(article_id=article.id, closed=st.closed, reason=st.reason or None, since=st.since,
                          automatic=st.automatic)

    return write(request, work)
