"""What changed on an article since a reader's page was rendered: new published comments and reaction
counts. Read by the live-updates stream (Server-Sent Events) every few seconds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remarks.models import Comment, Reaction

NEWEST = 200  # at most this many new comments are listed at a time (the page offers a reload beyond)


@dataclass(frozen=True)
class NewComment:
    id: int
    parent: int | None  # the comment it answers, or None for a top-level comment


@dataclass(frozen=True)
class Changes:
    new_comments: int  # published after the page's last comment
    latest: int  # the newest published comment's id
    reactions: dict[int, int]  # comment id -> Respect count, for the article's published comments
    fresh: tuple[NewComment, ...] = ()  # the new published comments, oldest first (at most NEWEST)


def latest_id(session: Session, article_id: int) -> int:
    return session.scalar(select(func.max(Comment.id)).where(Comment.article_id == article_id,
                                                             Comment.state == "published")) or 0


def changes(session: Session, article_id: int, since: int) -> Changes:
    """Only published comments count: a held or pending one is never listed, so no other reader's page
    asks for it. One published late (a surge's scoring pass) is listed when it is published."""
    published = (Comment.article_id == article_id) & (Comment.state == "published")
    new = session.scalar(select(func.count()).select_from(Comment).where(published, Comment.id > since)) or 0
    fresh = session.execute(select(Comment.id, Comment.parent_id).where(published, Comment.id > since)
                            .order_by(Comment.id.desc()).limit(NEWEST)).all()
    counts = dict(session.execute(select(Reaction.comment_id, func.count()).join(Comment, Comment.id == Reaction.comment_id)
                                  .where(published).group_by(Reaction.comment_id)).all())
    return Changes(new, latest_id(session, article_id), counts,
                   tuple(NewComment(i, p) for i, p in reversed(fresh)))
