"""Published-comment counts per article, for a publisher's list pages (count.js)."""

from __future__ import annotations

import re
import threading
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remarks.errors import BadInput
from remarks.models import Article, Comment

MAX_ARTICLES = 100
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def parse_slugs(articles: str) -> list[str]:
    slugs = list(dict.fromkeys(s.strip() for s in (articles or "").split(",") if s.strip()))
    if not slugs:
        raise BadInput("name the articles: ?articles=slug-1,slug-2")
    if len(slugs) > MAX_ARTICLES:
        raise BadInput(f"at most {MAX_ARTICLES} articles in one request")
    bad = [s for s in slugs if not _SLUG.match(s)]
    if bad:
        raise BadInput(f"not an article id: {bad[0][:60]!r} (letters, digits, '.', '_' or '-')")
    return slugs


def published_counts(session: Session, slugs: list[str]) -> dict[str, int]:
    """Visible comments per article; an unknown article counts 0 (it may simply have none yet)."""
    rows = session.execute(select(Article.slug, func.count(Comment.id))
                           .join(Comment, (Comment.article_id == Article.id) & (Comment.state == "published"),
                                 isouter=True)
                           .where(Article.slug.in_(slugs)).group_by(Article.slug)).all()
    found = dict(rows)
    return {s: int(found.get(s, 0)) for s in slugs}


class CountCache:
    """Counts kept for ``ttl`` seconds per article in this process, so a busy front page that asks
    on every view costs one query per article per ttl, not per view."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl, self._lock, self._data = ttl, threading.Lock(), {}

    def get(self, session: Session, slugs: list[str]) -> dict[str, int]:
        now = time.monotonic()
        with self._lock:
            fresh = {s: v for s, (v, t) in ((s, self._data[s]) for s in slugs if s in self._data) if now - t < self.ttl}
        missing = [s for s in slugs if s not in fresh]
        if missing:
            got = published_counts(session, missing)
            with self._lock:
                if len(self._data) > 50_000:
                    self._data.clear()
                self._data.update({s: (v, now) for s, v in got.items()})
            fresh.update(got)
        return {s: fresh[s] for s in slugs}
