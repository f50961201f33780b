"""The publisher API (a CMS, authenticated by X-API-Key) and the admin page of webhook deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from remarks.errors import NotFound
from remarks.events import WEBHOOK_EVENTS
from remarks.models import Article, Comment, Publisher, User, Webhook, WebhookDelivery
from remarks.services import publishing, sites
from remarks.web.schemas import ERRORS
from remarks.web.deps import Viewer, get_db, get_viewer
from remarks.web.permissions import Permission, require
from remarks.web.responses import page
from remarks.web.uow import write

router = APIRouter(prefix="/api/v1/publisher", tags=["publisher"], responses=ERRORS)
desk = APIRouter(prefix="/desk", include_in_schema=False)


def publisher(x_api_key: str | None = Header(None, description="The publisher's API key."),
              db: Session = Depends(get_db)) -> Publisher:
    return publishing.publisher_for_key(db, x_api_key)


class ArticleIn(BaseModel):
    title: str = Field(max_length=300)
    body: str = Field("", max_length=200_000)
    standfirst: str = Field("", max_length=2000)
    byline: str = Field("", max_length=200)
    section: str = Field("News", max_length=80)
    published_at: datetime | None = None


class ArticleOut(BaseModel):
    id: int
    slug: str
    title: str
    created: bool
    url: str


class PublisherComment(BaseModel):
    id: int
    parent_id: int | None
    user_id: int
    author: str
    text: str
    state: str
    created_at: datetime
    scores: dict[str, float]


class WebhookIn(BaseModel):
    url: str = Field(max_length=500)
    events: list[Literal[WEBHOOK_EVENTS]] | None = None


class WebhookOut(BaseModel):
    id: int
    url: str
    events: list[str]
    secret: str | None = None


class DeliveryOut(BaseModel):
    id: str
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


@router.put("/articles/{slug}", response_model=ArticleOut)
def put_article(slug: str, body: ArticleIn, request: Request, response: Response, db: Session = Depends(get_db),
                pub: Publisher = Depends(publisher)) -> ArticleOut:
    """Create or update an article by the CMS's own id, so the relevance check knows the story."""
    art, created = write(request, lambda session: publishing.upsert_article(session, pub, slug=slug,
                                                                             **body.model_dump()))
    response.status_code = 201 if created else 200
    base = request.app.state.settings.base_url.rstrip("/")
    return ArticleOut(id=art.id, slug=art.slug, title=art.title, created=created, url=f"{base}/articles/{art.slug}")


@router.get("/articles/{slug}/comments", response_model=list[PublisherComment])
def article_comments(slug: str, state: Literal["published", "held", "removed", "pending"] | None = None,
                     db: Session = Depends(get_db), pub: Publisher = Depends(publisher)) -> list[PublisherComment]:
    """Every comment of one article with its state and scores (the publisher's moderation view)."""
    art = db.scalar(select(Article).where(Article.slug == slug))
    if art is None:
        raise NotFound(f"no article {slug!r}")
    if art.publisher_id != pub.id:
        raise sites.OutOfScope("that article belongs to another site")
    q = select(Comment).where(Comment.article_id == art.id).order_by(Comment.id)
    if state:
        q = q.where(Comment.state == state)
    return [PublisherComment(id=c.id, parent_id=c.parent_id, user_id=c.author_id, author=c.author.display_name,
                             text=c.text, state=c.state, created_at=c.created_at,
                             scores={r.rule: r.score for r in c.checks}) for c in db.scalars(q.limit(5000))]


@router.post("/webhooks", response_model=WebhookOut, status_code=201)
def add_webhook(body: WebhookIn, request: Request, db: Session = Depends(get_db),
                pub: Publisher = Depends(publisher)) -> WebhookOut:
    """Subscribe a URL; the answer carries the signing secret, once."""
    hook, secret = write(request, lambda session: publishing.add_webhook(session, pub, url=body.url,
                                                                         events=body.events))
    return WebhookOut(id=hook.id, url=hook.url, events=hook.events, secret=secret)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[DeliveryOut])
def deliveries(webhook_id: int, db: Session = Depends(get_db), pub: Publisher = Depends(publisher)) -> list[DeliveryOut]:
    hook = db.get(Webhook, webhook_id)
    if hook is None or hook.publisher_id != pub.id:
        raise NotFound(f"no webhook {webhook_id}")
    rows = db.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id)
                      .order_by(WebhookDelivery.id.desc()).limit(500)).all()
    return [DeliveryOut(id=d.uuid, event=d.event, status=d.status, attempts=d.attempts,
                        last_status_code=d.last_status_code, last_error=d.last_error, created_at=d.created_at,
                        delivered_at=d.delivered_at) for d in rows]


@desk.get("/webhooks")
def webhooks_page(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
                  admin: User = Depends(require(Permission.ADMINISTER))) -> Response:
    sites.require_every_site(db, admin)
    pubs = db.scalars(select(Publisher).order_by(Publisher.name)).all()
    rows = db.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(200)).all()
    return page(request, "desk/webhooks.html", viewer, publishers=pubs, deliveries=rows)
