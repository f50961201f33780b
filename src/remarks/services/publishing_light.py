"""Articles created by the embed from its data attributes (when REMARKS_EMBED_AUTOCREATE is on).
The publisher API is the better way: it also sends the body, so relevance knows the story."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.errors import BadInput
from remarks.models import Article
from remarks.services import audit

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def create_stub(session: Session, *, slug: str, title: str, site_id: int | None = None) -> Article:
    """A new article from the embed, on the site it names (else the default site)."""
    if not _SLUG.match(slug):
        raise BadInput("an article id is 1 to 200 letters, digits, '.', '_' or '-'")
    title = title.strip()[:300]
    if not title:
        raise BadInput("the embed needs data-title to create the article")
    art = Article(slug=slug, title=title, body="", standfirst="", section="News",
                  **({"publisher_id": site_id} if site_id is not None else {}))
    session.add(art)
    session.flush()
    audit.record(session, Event.ARTICLE_CREATED, actor=None, subject_type="article", subject_id=art.id, via="embed")
    return art
