"""Publishers: a CMS creates and updates its articles (so relevance knows the text) with an API key."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from remarks.events import WEBHOOK_EVENTS, Event
from remarks.errors import BadInput, Conflict, Forbidden, NotAuthenticated
from remarks.models import Article, Publisher, User, Webhook
from remarks.models.publishing import DEFAULT_SITE
from remarks.models.base import utcnow
from remarks.services import audit, netguard, webhooks

EVENTS = WEBHOOK_EVENTS
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_publisher(session: Session, actor: User | None, name: str) -> tuple[Publisher, str]:
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise BadInput("a publisher's name is 1 to 100 characters")
    if session.scalar(select(Publisher).where(Publisher.name == name)):
        raise Conflict(f"there is a publisher called {name!r} already")
    key = "rk_" + secrets.token_urlsafe(32)
    pub = Publisher(name=name, api_key_hash=_hash(key))
    session.add(pub)
    session.flush()
    audit.record(session, Event.PUBLISHER_CREATED, actor=actor, subject_type="publisher", subject_id=pub.id, publisher_name=name)
    return pub, key


def new_key(session: Session, actor: User | None, pub: Publisher) -> str:
    """A new API key for a site's CMS (shown once); the old one stops working."""
    key = "rk_" + secrets.token_urlsafe(32)
    pub.api_key_hash = _hash(key)
    session.flush()
    audit.record(session, Event.SITE_KEY_SET, actor=actor, subject_type="publisher", subject_id=pub.id)
    return key


def publisher_for_key(session: Session, key: str | None) -> Publisher:
    if not key or len(key) > 200:
        raise NotAuthenticated("the X-API-Key header with a publisher's key is required")
    pub = session.scalar(select(Publisher).where(Publisher.api_key_hash == _hash(key)))
    if pub is None or pub.revoked_at is not None:
        raise NotAuthenticated("that API key is unknown or revoked")
    return pub


def upsert_article(session: Session, publisher: Publisher, *, slug: str, title: str, body: str, byline: str = "",
                   section: str = "News", standfirst: str = "", published_at: datetime | None = None) -> tuple[Article, bool]:
    if not _SLUG.match(slug or ""):
        raise BadInput("an article id is 1 to 200 letters, digits, '.', '_' or '-'")
    title, body = (title or "").strip(), body or ""
    if not 1 <= len(title) <= 300:
        raise BadInput("a title is 1 to 300 characters")
    if len(body) > 200_000 or len(standfirst) > 2000 or len(byline) > 200 or len(section) > 80:
        raise BadInput("the body is at most 200,000 characters (standfirst 2,000, byline 200, section 80)")
    art = session.scalar(select(Article).where(Article.slug == slug))
    created = art is None
    if created:
        art = Article(slug=slug, title=title, body=body, byline=byline, section=section or "News",
                      standfirst=standfirst, published_at=published_at or utcnow(), publisher_id=publisher.id)
        session.add(art)
    else:
        owner = session.get(Publisher, art.publisher_id) if art.publisher_id else None
        if owner is not None and owner.id != publisher.id and owner.name != DEFAULT_SITE:
            raise Forbidden("that article belongs to another site (article ids are unique in the installation: "
                            "prefix yours, e.g. with the site's name)")
        art.title, art.body, art.byline, art.section, art.standfirst = title, body, byline, section or "News", standfirst
        if published_at:
            art.published_at = published_at
        # An article of the default site (made by the embed before the CMS sent it) moves to the CMS's site.
        art.publisher_id = publisher.id
    session.flush()
    audit.record(session, Event.ARTICLE_CREATED if created else Event.ARTICLE_UPDATED, actor=None, subject_type="article",
                 subject_id=art.id, publisher_id=publisher.id)
    return art, created


def add_webhook(session: Session, publisher: Publisher, *, url: str, events: list[str] | None = None,
                allow_private: bool = False) -> tuple[Webhook, str]:
    """Subscribe a URL. ``allow_private`` is an admin's explicit permission (the CLI), never the publisher's."""
    parsed = urlparse(url or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500:
        raise BadInput("a webhook URL is an http:// or https:// address")
    try:
        parsed.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        raise BadInput("the webhook URL's port is not a number from 1 to 65535") from None
    netguard.check_url(url, allow_private=allow_private)
    events = list(events or EVENTS)
    unknown = set(events) - set(EVENTS)
    if unknown:
        raise BadInput(f"unknown event(s): {', '.join(sorted(unknown))}; known: {', '.join(EVENTS)}")
    secret = secrets.token_urlsafe(32)
    hook = Webhook(publisher_id=publisher.id, url=url, secret=secret, events=events, allow_private=allow_private)
    session.add(hook)
    session.flush()
    webhooks.forget(session)
    audit.record(session, Event.WEBHOOK_CREATED, actor=None, subject_type="webhook", subject_id=hook.id,
                 publisher_id=publisher.id, events=events, allow_private=allow_private)
    return hook, secret
