"""Reading an article's comments: the one function that builds a thread page (sorted, with reaction
counts, the viewer's own reactions and mutes), the featured comments, and the counts around them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from remarks.models import Article, Comment, Mute, Reaction, User
from remarks.services import own_comments

PAGE_SIZE = 50
# The orders a reader may choose; the first is the default. Kept in the URL as ?sort=KEY.
SORTS: dict[str, str] = {
    "oldest": "Oldest first",
    "newest": "Newest first",
    "reactions": "Most respected",
    "replies": "Most replies",
}
DEFAULT_SORT = "oldest"


@dataclass
class ThreadNode:
    comment: Comment
    replies: list["ThreadNode"] = field(default_factory=list)
    reactions: int = 0  # how many readers gave it Respect
    reacted: bool = False  # the viewer did
    muted: bool = False  # the viewer muted its author: shown collapsed
    editable: bool = False  # the viewer wrote it and may still edit it


def _visible(viewer: User | None):
    """Published comments, the viewer's own held or pending ones, and comments deleted by their author
    (shown as "deleted by its author" only where replies hang under them)."""
    visible = Comment.state.in_(("published", "deleted"))
    if viewer is not None:
        visible = visible | ((Comment.author_id == viewer.id) & Comment.state.in_(("held", "pending")))
    return visible


def _reaction_counts():
    return (select(func.count()).select_from(Reaction).where(Reaction.comment_id == Comment.id)
            .correlate(Comment).scalar_subquery())


def _reply_counts():
    child = Comment.__table__.alias("child")
    return (select(func.count()).select_from(child)
            .where(child.c.parent_id == Comment.id, child.c.state == "published")
            .correlate(Comment).scalar_subquery())


def _order(sort: str) -> list:
    if sort == "newest":
        return [Comment.created_at.desc(), Comment.id.desc()]
    if sort == "reactions":
        return [_reaction_counts().desc(), Comment.created_at.desc(), Comment.id.desc()]
    if sort == "replies":
        return [_reply_counts().desc(), Comment.created_at.desc(), Comment.id.desc()]
    return [Comment.created_at, Comment.id]


def thread(session: Session, article: Article, *, viewer: User | None, page: int = 1, sort: str = DEFAULT_SORT,
           per_page: int = PAGE_SIZE, edit_minutes: int = 0) -> list[ThreadNode]:
    """One page of the article's threads (``per_page`` top-level comments in the chosen order), each
    with all its replies oldest first. A reply whose parent is gone is not shown: removal takes the
    branch with it; a comment its author deleted stays as a placeholder only if it has replies."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    visible = _visible(viewer)
    roots_q = (select(Comment.id).where(Comment.article_id == article.id, Comment.parent_id.is_(None), visible)
               .order_by(*_order(sort)).offset((max(page, 1) - 1) * per_page).limit(per_page))
    root_ids = list(session.scalars(roots_q).all())
    if not root_ids:
        return []
    position = {cid: i for i, cid in enumerate(root_ids)}
    rows = list(session.scalars(select(Comment).options(selectinload(Comment.author))
                                .where(Comment.id.in_(root_ids))).all())
    rows.sort(key=lambda c: position[c.id])
    frontier = root_ids
    while frontier:  # the replies, level by level
        level = list(session.scalars(
            select(Comment).options(selectinload(Comment.author))
            .where(Comment.parent_id.in_(frontier), visible).order_by(Comment.created_at, Comment.id)).all())
        rows += level
        frontier = [c.id for c in level]
    nodes = _nodes(session, rows, viewer, edit_minutes)
    roots: list[ThreadNode] = []
    for c in rows:
        if c.parent_id is None:
            roots.append(nodes[c.id])
        elif c.parent_id in nodes:
            nodes[c.parent_id].replies.append(nodes[c.id])
    return _prune(roots)


def _nodes(session: Session, rows: list[Comment], viewer: User | None, edit_minutes: int) -> dict[int, ThreadNode]:
    """``rows`` as nodes, with their Respect counts and, for a viewer, their own Respect, mutes and edits."""
    ids = [c.id for c in rows]
    counts = dict(session.execute(select(Reaction.comment_id, func.count()).where(Reaction.comment_id.in_(ids))
                                  .group_by(Reaction.comment_id)).all())
    mine: set[int] = set()
    muted: set[int] = set()
    if viewer is not None:
        mine = set(session.scalars(select(Reaction.comment_id).where(Reaction.user_id == viewer.id,
                                                                     Reaction.comment_id.in_(ids))).all())
        muted = set(session.scalars(select(Mute.muted_id).where(Mute.user_id == viewer.id)).all())
    return {c.id: ThreadNode(c, reactions=counts.get(c.id, 0), reacted=c.id in mine, muted=c.author_id in muted,
                             editable=viewer is not None and c.author_id == viewer.id
                             and own_comments.editable(c, edit_minutes)) for c in rows}


def published_nodes(session: Session, article: Article, ids: list[int], *, viewer: User | None,
                    edit_minutes: int = 0) -> list[ThreadNode]:
    """The published comments among ``ids`` under ``article``, each alone (no replies), oldest first:
    what the live page inserts. A held, pending, removed or deleted comment is never among them."""
    rows = list(session.scalars(select(Comment).options(selectinload(Comment.author)).where(
        Comment.article_id == article.id, Comment.state == "published", Comment.id.in_(ids))
        .order_by(Comment.id)).all())
    nodes = _nodes(session, rows, viewer, edit_minutes)
    return [nodes[c.id] for c in rows]


def _prune(nodes: list[ThreadNode]) -> list[ThreadNode]:
    """Drop deleted comments that have nothing under them (after pruning their own replies)."""
    kept = []
    for n in nodes:
        n.replies = _prune(n.replies)
        if n.comment.state != "deleted" or n.replies:
            kept.append(n)
    return kept


def featured(session: Session, article: Article, *, limit: int = 5) -> list[Comment]:
    """The moderators' picks, newest pick first: published comments only."""
    return list(session.scalars(
        select(Comment).options(selectinload(Comment.author))
        .where(Comment.article_id == article.id, Comment.state == "published", Comment.featured_at.is_not(None))
        .order_by(Comment.featured_at.desc()).limit(limit)).all())


def thread_pages(session: Session, article: Article, per_page: int = PAGE_SIZE) -> int:
    n = session.scalar(select(func.count()).select_from(Comment).where(
        Comment.article_id == article.id, Comment.parent_id.is_(None), Comment.state == "published")) or 0
    return max(1, -(-n // per_page))


def published_count(session: Session, article_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Comment).where(Comment.article_id == article_id, Comment.state == "published")
    ) or 0
