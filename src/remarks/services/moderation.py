"""The moderator's queue and decisions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from remarks.checks.base import RULE_LABELS, RULES
from remarks.errors import BadInput, Forbidden, NotFound
from remarks.models import AuditEvent, CheckRecord, Comment, Decision, Sanction, User
from remarks.services import audit

ACTIONS = {"approve": "published", "remove": "removed"}


def queue(session: Session, *, limit: int = 100) -> list[Comment]:
    """Held comments nobody has decided yet, riskiest first (highest check score), then oldest."""
    risk = (
        select(CheckRecord.comment_id, func.max(CheckRecord.score).label("risk"))
        .group_by(CheckRecord.comment_id).subquery()
    )
    return list(session.scalars(
        select(Comment)
        .outerjoin(risk, risk.c.comment_id == Comment.id)
        .options(selectinload(Comment.article), selectinload(Comment.parent), selectinload(Comment.author),
                 selectinload(Comment.checks), selectinload(Comment.decisions))
        .where(Comment.state == "held")
        .order_by(func.coalesce(risk.c.risk, 0).desc(), Comment.created_at, Comment.id)
        .limit(limit)
    ).all())


def queue_size(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Comment).where(Comment.state == "held")) or 0


def decide(session: Session, moderator: User, *, comment_id: int, action: str, rule: str | None,
           reason: str = "") -> Decision:
    """A moderator approves or removes a comment; a removal cites one of the four rules."""
    if not moderator.is_moderator:
        raise Forbidden("only moderators can decide on comments")
    if action not in ACTIONS:
        raise BadInput("the action is 'approve' or 'remove'")
    if action == "remove" and rule not in RULES:
        raise BadInput(f"a removal cites one of the rules: {', '.join(RULES)}")
    if rule is not None and rule not in RULE_LABELS:
        raise BadInput(f"unknown rule {rule!r}")
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"no comment {comment_id}")
    before = comment.state
    comment.state = ACTIONS[action]
    decision = Decision(comment_id=comment.id, moderator_id=moderator.id, automatic=False, action=action,
                        rule=rule, reason=(reason or "")[:2000])
    session.add(decision)
    session.flush()
    name = "comment:approved" if action == "approve" else "comment:removed"
    audit.record(session, name, actor=moderator, subject_type="comment", subject_id=comment.id,
                 decision_id=decision.id, rule=rule, reason=decision.reason, state_before=before)
    return decision


def user_history(session: Session, user: User) -> dict[str, list]:
    comments = session.scalars(
        select(Comment).options(selectinload(Comment.article), selectinload(Comment.decisions))
        .where(Comment.author_id == user.id).order_by(Comment.created_at.desc()).limit(200)
    ).all()
    sanctions = session.scalars(
        select(Sanction).where(Sanction.user_id == user.id).order_by(Sanction.created_at.desc())
    ).all()
    events = session.scalars(
        select(AuditEvent).where(
            ((AuditEvent.subject_type == "user") & (AuditEvent.subject_id == user.id)) | (AuditEvent.actor_id == user.id)
        ).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(200)
    ).all()
    return {"comments": list(comments), "sanctions": list(sanctions), "events": list(events)}
