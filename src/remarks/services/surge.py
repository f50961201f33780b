"""Surge mode: when the scoring queue is long, a comment is accepted as *pending* without waiting for
the checks (the author sees "awaiting moderation"), and a scoring pass publishes or holds it as usual
once the queue has room. Nothing is published unchecked (pending is not shown to other readers) and
nothing is lost (the pending comment is in the database before the answer; a pass after a restart
picks it up). Past a second bound the site refuses new comments with 503 and Retry-After.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from remarks.config import Settings
from remarks.db import release, retrying
from remarks.errors import RemarksError
from remarks.events import Event
from remarks.models import Comment, Decision, User
from remarks.moderation.pipeline import Pipeline
from remarks.moderation.policy import Circumstances
from remarks.services import audit, comments, policy
from remarks.services.memory import DatabaseMemory

log = logging.getLogger(__name__)


class Busy(RemarksError):
    status, code = 503, "busy"

    def __init__(self, message: str, retry_after: int = 10) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def mode(in_flight: int, settings: Settings, backlog: int = 0) -> str:
    """"normal", "pending" (accept unscored) or "refuse", from how many posts are in flight (waiting for
    a thread, for the scoring thread or for the write lock) and how many stored comments wait for the
    scoring pass (``backlog``): what is refused is what could not be answered, or checked, in reasonable time."""
    if in_flight >= settings.surge_refuse_at or backlog >= settings.surge_backlog_max:
        return "refuse"
    return "pending" if in_flight >= settings.surge_pending_at else "normal"


def backlog(session: Session) -> int:
    """Comments stored pending that no decision was made on yet (the scoring pass's queue)."""
    decided = select(Decision.comment_id)
    return session.scalar(select(func.count()).select_from(Comment)
                          .where(Comment.state == "pending", Comment.id.not_in(decided))) or 0


def store_pending(session: Session, actor: User, *, article_id: int, text: object, parent_id: int | None,
                  max_chars: int, per_minute: int, idempotency_key: str | None = None,
                  origin: comments.Origin | None = None) -> Comment:
    """The comment stored as pending, unscored; the scoring pass decides on it."""
    if (earlier := comments.earlier_post(session, actor, idempotency_key)) is not None:
        return earlier
    _, _, clean = comments.prepare(session, actor, article_id, parent_id, text, max_chars)
    comments._check_rate(session, actor, per_minute)
    origin = origin or comments.Origin()
    comment = Comment(article_id=article_id, parent_id=parent_id, author_id=actor.id, text=clean, state="pending",
                      idempotency_key=idempotency_key, ip_hash=origin.ip_hash, device_hash=origin.device_hash)
    session.add(comment)
    session.flush()
    audit.record(session, Event.COMMENT_CREATED, actor=actor, subject_type="comment", subject_id=comment.id,
                 article_id=article_id, parent_id=parent_id, surge=True)
    return comment


def waiting_ids(session: Session, limit: int) -> list[int]:
    """Pending comments no decision was made on yet, oldest first."""
    decided = select(Decision.comment_id)
    return list(session.scalars(select(Comment.id).where(Comment.state == "pending", Comment.id.not_in(decided))
                                .order_by(Comment.id).limit(limit)).all())


def score_waiting(sessions: sessionmaker[Session], pipeline: Pipeline, settings: Settings, limit: int = 64) -> int:
    """One pass: score what waits (reads first, one batch), then store the verdicts in one short write."""
    with sessions() as session:
        ids = waiting_ids(session, limit)
        if not ids:
            return 0
        rows = [session.get(Comment, cid) for cid in ids]
        ctxs, whos = [], []
        memory = DatabaseMemory(session)
        for c in rows:
            ctx = comments.context(session, c.article, c.parent, c.author, c.text)
            # Its own row exists already: count only the author's earlier comments, as a direct post does.
            ctx = replace(ctx, author_comment_count=max(0, (ctx.author_comment_count or 0) - 1))
            ctxs.append(ctx)
            whos.append(Circumstances(username=c.author.username, prior_comments=ctx.author_comment_count or 0,
                                      article_slug=c.article.slug))
        # One batch per site: each site's comments go through its own policy (read before scoring starts).
        site_of = [c.article.publisher_id for c in rows]
        cfgs = {site: policy.current(session, settings, site) for site in dict.fromkeys(site_of)}
        verdicts: list = [None] * len(rows)
        for site, cfg in cfgs.items():
            idx = [i for i, s in enumerate(site_of) if s == site]
            got = pipeline.run([ctxs[i] for i in idx], memory, cfg, [whos[i] for i in idx],
                               idle=lambda: release(session))  # no connection held while scoring
            for i, v in zip(idx, got, strict=True):
                verdicts[i] = v

    def work(session: Session) -> None:
        # One short write for the whole pass: a surge's scoring queues once for the write lock, not per comment.
        for cid, verdict in zip(ids, verdicts, strict=True):
            c = session.get(Comment, cid)
            if c is None or c.state != "pending" or session.scalar(select(Decision.id).where(Decision.comment_id == cid)):
                continue  # deleted, or decided meanwhile
            memory.persist(session, c)
            comments.record_verdict(session, c, verdict, base_url=settings.base_url)

    retrying(sessions, work)
    return len(ids)
