"""Closing comments on an article: by a moderator's hand (with a reason readers see), or by itself a
number of days after publication (per site: the publisher's ``close_after_days``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from remarks.errors import BadInput, RemarksError
from remarks.i18n import N_
from remarks.models import Article, User
from remarks.models.base import utcnow
from remarks.events import Event
from remarks.services import audit, sites


class Closed(RemarksError):
    """Posting to a closed discussion: 409 with the reason the readers see."""

    status = 409
    code = "closed"


@dataclass(frozen=True)
class Closure:
    closed: bool
    reason: str = ""
    since: datetime | None = None
    automatic: bool = False


def state(article: Article, *, now: datetime | None = None) -> Closure:
    if article.closed_at is not None:
        why = article.closed_reason or "The moderators closed this discussion."
        return Closure(True, f"Comments are closed. {why}", article.closed_at)
    days = article.publisher.close_after_days if article.publisher is not None else None
    if days:
        ends = article.published_at + timedelta(days=days)
        if closed(None, article.published_at, days, now=now):
            return Closure(True, f"Comments are closed: they close {days} day{'s' if days != 1 else ''} after an "
                                 f"article is published, and this one closed on {ends:%d %B %Y}.", ends, True)
    return Closure(False)


def closed(closed_at: datetime | None, published_at: datetime, close_after_days: int | None, *,
           now: datetime | None = None) -> bool:
    """Is the discussion closed, from the article's columns alone (for the thread cache's fast path,
    which reads them without loading the article)?"""
    if closed_at is not None:
        return True
    return bool(close_after_days) and (now or utcnow()) >= published_at + timedelta(days=close_after_days)


def ensure_open(article: Article) -> None:
    found = state(article)
    if found.closed:
        raise Closed(found.reason)


def close(session, actor: User, article: Article, *, reason: str) -> None:
    sites.require_article(session, actor, article)
    reason = " ".join((reason or "").split())
    if not 1 <= len(reason) <= 300:
        raise BadInput(N_("say why the discussion closes (1 to 300 characters); readers see it"))
    article.closed_at, article.closed_reason = utcnow(), reason
    audit.record(session, Event.ARTICLE_CLOSED, actor=actor, subject_type="article", subject_id=article.id, reason=reason)


def reopen(session, actor: User, article: Article) -> None:
    sites.require_article(session, actor, article)
    article.closed_at, article.closed_reason = None, None
    audit.record(session, Event.ARTICLE_REOPENED, actor=actor, subject_type="article", subject_id=article.id)


def set_close_after_days(session, actor: User | None, publisher, days: int | None) -> None:
    if days is not None and not 1 <= days <= 3650:
        raise BadInput(N_("close after 1 to 3650 days, or never (no value)"))
    publisher.close_after_days = days
    audit.record(session, Event.PUBLISHER_CLOSING_SET, actor=actor, subject_type="publisher", subject_id=publisher.id,
                 close_after_days=days)
