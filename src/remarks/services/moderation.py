"""The moderator's queue and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from remarks.events import Event
from remarks.moderation import rules
from remarks.errors import BadInput, Forbidden, NotFound
from remarks.models import AuditEvent, CheckRecord, Comment, Decision, Report, Sanction, User
from remarks.models.base import utcnow
from remarks.services import audit, notices, sanctions, sites, statements

ACTIONS = {"approve": "published", "remove": "removed"}
NO_BREACH = "a moderator found that it breaks neither the comment policy nor the law."
CLAIM = timedelta(minutes=10)


def _open_to(moderator: User):
    now = utcnow()
    return or_(Comment.claimed_by_id.is_(None), Comment.claimed_until < now, Comment.claimed_by_id == moderator.id)


def queue(session: Session, moderator: User | None = None, *, rule: str | None = None,
          article_id: int | None = None, limit: int = 50, claim: bool = False,
          scope: sites.Scope = sites.EVERY_SITE) -> list[Comment]:
    """Held comments nobody has decided yet on the sites of ``scope``, riskiest first, then oldest.
    Items another moderator claimed are left out; with ``claim`` the returned items are claimed for
    ``moderator``."""
    q = (select(Comment)
         .options(selectinload(Comment.article), selectinload(Comment.parent).selectinload(Comment.author),
                  selectinload(Comment.author), selectinload(Comment.checks), selectinload(Comment.decisions),
                  selectinload(Comment.reports))
         .where(Comment.state == "held", scope.comments()))
    if moderator is not None:
        q = q.where(_open_to(moderator))
    if article_id is not None:
        q = q.where(Comment.article_id == article_id)
    if rule is not None:
        flagged = select(CheckRecord.comment_id).where(CheckRecord.rule == rule, CheckRecord.score >= 0.5)
        reported = select(Report.comment_id).where(Report.reason == rule)
        decided = select(Decision.comment_id).where(Decision.rule == rule, Decision.automatic.is_(True))
        q = q.where(or_(Comment.id.in_(flagged), Comment.id.in_(reported), Comment.id.in_(decided)))
    items = list(session.scalars(q.order_by(Comment.risk.desc(), Comment.created_at, Comment.id).limit(limit)).all())
    if claim and moderator is not None and items:
        session.execute(update(Comment).where(Comment.id.in_([c.id for c in items]))
                        .values(claimed_by_id=moderator.id, claimed_until=utcnow() + CLAIM))
    return items


def queue_size(session: Session, scope: sites.Scope = sites.EVERY_SITE) -> int:
    return session.scalar(select(func.count()).select_from(Comment)
                          .where(Comment.state == "held", scope.comments())) or 0


def decide(session: Session, moderator: User, *, comment_id: int, action: str, rule: str | None,
           reason: str = "", base_url: str = "", legal_ground: str | None = None, legal_ground_text: str = "",
           territorial_scope: str = "") -> Decision:
    """A moderator approves or removes a comment; a removal cites a rule and sends the author a
    statement of reasons; a removal for illegal content also names the legal ground and where it
    applies. Every open report on the comment is answered with the decision."""
    if not moderator.is_moderator:
        raise Forbidden("only moderators can decide on comments")
    if action not in ACTIONS:
        raise BadInput("the action is 'approve' or 'remove'")
    citable = [r.name for r in rules.citable()]
    if action == "remove" and rule not in citable:
        raise BadInput(f"a removal cites one of the rules: {', '.join(citable)}")
    if rule is not None and rules.get(rule) is None:
        raise BadInput(f"unknown rule {rule!r}")
    cited = rules.get(rule)
    legal = notices.legal_citation(legal_ground, legal_ground_text, territorial_scope) \
        if action == "remove" and cited is not None and cited.illegal else None
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"no comment {comment_id}")
    sites.require_comment(session, moderator, comment)
    if comment.claimed_by_id not in (None, moderator.id) and comment.claimed_until and comment.claimed_until > utcnow():
        raise BadInput("another moderator is working on this comment")
    before = comment.state
    comment.state = ACTIONS[action]
    comment.claimed_by_id = comment.claimed_until = None
    decision = Decision(comment_id=comment.id, moderator_id=moderator.id, automatic=False, action=action,
                        rule=rule, reason=(reason or "")[:2000])
    session.add(decision)
    session.flush()
    name = Event.COMMENT_APPROVED if action == "approve" else Event.COMMENT_REMOVED
    audit.record(session, name, actor=moderator, subject_type="comment", subject_id=comment.id,
                 decision_id=decision.id, rule=rule, reason=decision.reason, state_before=before,
                 **({"legal_ground": legal.ground, "territorial_scope": legal.scope} if legal else {}))
    answer = decision.reason or ("" if action == "remove" else NO_BREACH)
    reports = notices.close(session, moderator, comment, outcome="upheld" if action == "remove" else "rejected",
                            answer=answer, rule=rule, legal=legal)
    if action == "remove" and before != "removed":
        extra = f"{len(reports)} reader report(s) drew a moderator's attention to it." if reports else ""
        statements.for_removal(session, comment, decision, base_url=base_url, facts_extra=extra,
                               from_notice=bool(reports), legal=legal)
    if action == "approve" and before in ("held", "pending"):
        from remarks.services import alerts  # a held reply or @mention reaches its readers once approved

        alerts.for_new_comment(session, comment, base_url=base_url)
    return decision


def remove_all_by(session: Session, moderator: User, user_id: int, *, rule: str, reason: str,
                  base_url: str = "") -> int:
    """Remove every visible comment of a user (when banning) on the sites the moderator works on; one
    statement per comment."""
    scope = sites.scope_of(session, moderator)
    ids = session.scalars(select(Comment.id).where(Comment.author_id == user_id, scope.comments(),
                                                   Comment.state.in_(("published", "held", "pending")))).all()
    for cid in ids:
        decide(session, moderator, comment_id=cid, action="remove", rule=rule, reason=reason, base_url=base_url)
    return len(ids)


def user_history(session: Session, user: User, scope: sites.Scope = sites.EVERY_SITE) -> dict[str, list]:
    """A user's comments (on the sites of ``scope``), sanctions and audit trail (for staff of every site)."""
    comments = session.scalars(
        select(Comment).options(selectinload(Comment.article), selectinload(Comment.decisions))
        .where(Comment.author_id == user.id, scope.comments()).order_by(Comment.created_at.desc()).limit(200)
    ).all()
    given = session.scalars(
        select(Sanction).where(Sanction.user_id == user.id).order_by(Sanction.created_at.desc())
    ).all()
    events = session.scalars(
        select(AuditEvent).where(
            ((AuditEvent.subject_type == "user") & (AuditEvent.subject_id == user.id)) | (AuditEvent.actor_id == user.id)
        ).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(200)
    ).all() if scope.every_site else []
    return {"comments": list(comments), "sanctions": list(given), "events": list(events)}


def evasion_signals(session: Session, user: User) -> list[dict]:
    """Other accounts sharing this user's e-mail, device cookie or IP (hashed), with their state.
    Shown to moderators; never acted on automatically."""
    found: dict[int, set[str]] = {}
    if user.email:
        for other in session.scalars(select(User.id).where(func.lower(User.email) == user.email.lower(),
                                                           User.id != user.id)).all():
            found.setdefault(other, set()).add("same e-mail")
    for column, label in ((Comment.device_hash, "same device"), (Comment.ip_hash, "same network address")):
        mine = select(column).where(Comment.author_id == user.id, column.is_not(None)).distinct()
        for other in session.scalars(select(Comment.author_id).where(column.in_(mine), Comment.author_id != user.id)
                                     .distinct()).all():
            found.setdefault(other, set()).add(label)
    out = []
    for uid, why in found.items():
        other = session.get(User, uid)
        s = sanctions.active_sanction(session, other)
        out.append({"user": other, "why": sorted(why), "sanction": s.kind if s else None})
    return out


@dataclass
class Outcome:
    """What one moderator action did: the decision (if a comment was decided), the sanction (if
    any) and how many more of the author's comments were removed with it."""

    decision: Decision | None
    sanction: Sanction | None = None
    removed: int = 0


def sanction_author(session: Session, moderator: User, *, user_id: int, kind: str, rule: str | None,
                    reason: str = "", days: float | None = None, remove_all: bool = False,
                    ladder: list | None = None, comment_id: int | None = None, base_url: str = "") -> Outcome:
    """Sanction a user (``kind`` "next" takes the next step of the policy's escalation ladder) and,
    with ``remove_all`` and a rule, remove every visible comment of theirs."""
    if kind == "next":
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"no user {user_id}")
        kind, days = sanctions.next_step(session, user, ladder or [])
    row = sanctions.sanction(session, moderator, user_id=user_id, kind=kind, rule=rule, reason=reason, days=days,
                             comment_id=comment_id, base_url=base_url)
    removed = 0
    if remove_all and rule:
        removed = remove_all_by(session, moderator, user_id, rule=rule, reason=reason, base_url=base_url)
    return Outcome(decision=None, sanction=row, removed=removed)


def decide_and_sanction(session: Session, moderator: User, *, comment_id: int, action: str, rule: str | None,
                        reason: str = "", sanction: str | None = None, days: float | None = None,
                        remove_all: bool = False, ladder: list | None = None, base_url: str = "",
                        legal_ground: str | None = None, legal_ground_text: str = "",
                        territorial_scope: str = "") -> Outcome:
    """The desk's one-key action, also the API's: decide on a comment, optionally sanction its
    author (citing the comment) and remove the rest of their comments, in the caller's transaction."""
    decision = decide(session, moderator, comment_id=comment_id, action=action, rule=rule, reason=reason,
                      base_url=base_url, legal_ground=legal_ground, legal_ground_text=legal_ground_text,
                      territorial_scope=territorial_scope)
    if not sanction:
        return Outcome(decision=decision)
    done = sanction_author(session, moderator, user_id=decision.comment.author_id, kind=sanction, rule=rule,
                           reason=reason, days=days, remove_all=remove_all, ladder=ladder, comment_id=comment_id,
                           base_url=base_url)
    return Outcome(decision=decision, sanction=done.sanction, removed=done.removed)
