"""Warnings, suspensions and bans."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from remarks.db.plain import Plain
from remarks.moderation import rules
from remarks.errors import BadInput, Conflict, Forbidden, NotFound, Sanctioned
from remarks.models import Sanction, Statement, User
from remarks.models.base import utcnow
from remarks.events import Event
from remarks.i18n import N_, gettext, stamp, translate
from remarks.sanction_kinds import BLOCKING, KINDS
from remarks.services import audit, notify, sites, statements


def active_sanction(session: Session, user: User) -> Sanction | None:
    """The ban or running suspension that stops the user posting, if any (bans first)."""
    now = utcnow()
    rows = session.scalars(
        select(Sanction).where(
            Sanction.user_id == user.id,
            Sanction.kind.in_(BLOCKING),
            Sanction.lifted_at.is_(None),
        )
    ).all()
    live = [s for s in rows if not KINDS[s.kind].ends or (s.ends_at is not None and s.ends_at > now)]
    live.sort(key=lambda s: (KINDS[s.kind].ends, -(s.ends_at.timestamp() if s.ends_at else 0)))
    return live[0] if live else None


def may_block(user_id):
    """Whether the user (an id or a bound parameter) has a ban or suspension not lifted, as a column for
    a statement made anyway (one that has ended by now counts too: ``active_sanction`` tells)."""
    return exists().where(Sanction.user_id == user_id, Sanction.kind.in_(BLOCKING), Sanction.lifted_at.is_(None))


_MAY_BLOCK = Plain(select(may_block(bindparam("user"))))


def describe(s: Sanction) -> str:
    """What, why and until when — the words the sanctioned user reads, in the current language."""
    rule = gettext(rules.label(s.rule))
    why = translate(N_(" for breaking the rule on %(rule)s"), {"rule": rule.lower()}) if s.rule else ""
    reason = f" ({s.reason})" if s.reason else ""
    return gettext(KINDS[s.kind].describe).format(why=why, reason=reason, since=stamp(s.created_at, time=False),
                                                  until=stamp(s.ends_at) if s.ends_at else "")


def ensure_may_post(session: Session, user: User) -> None:
    if not _MAY_BLOCK.scalar(session, {"user": user.id}):  # the common case in one small look-up, no rows loaded
        return
    s = active_sanction(session, user)
    if s is not None:
        raise Sanctioned(describe(s))


def sanction(
    session: Session,
    moderator: User,
    *,
    user_id: int,
    kind: str,
    rule: str | None,
    reason: str = "",
    days: float | None = None,
    comment_id: int | None = None,
    base_url: str = "",
) -> Sanction:
    if not moderator.is_moderator:
        raise Forbidden("only moderators can sanction users")
    if kind not in KINDS:
        raise BadInput(f"a sanction is one of {', '.join(KINDS)}")
    if rule is not None and rules.get(rule) is None:
        raise BadInput(f"unknown rule {rule!r}")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    sites.require_user(session, moderator, user)  # a sanction is of the account, which every site shares
    if user.is_moderator and moderator.role != "admin":
        raise Forbidden("only an admin can sanction a moderator")
    ends_at = None
    if KINDS[kind].ends:
        if days is None or not (0 < days <= 3650):
            raise BadInput(f"a {kind} needs a length between 1 hour and 10 years (days > 0)")
        ends_at = utcnow() + timedelta(days=days)
    row = Sanction(user_id=user.id, moderator_id=moderator.id, kind=kind, rule=rule, reason=(reason or "")[:2000],
                   ends_at=ends_at, comment_id=comment_id, created_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, KINDS[kind].event, actor=moderator, subject_type="user", subject_id=user.id, sanction_id=row.id,
                 rule=rule, reason=row.reason, ends_at=ends_at.isoformat() if ends_at else None)
    statements.for_sanction(session, row, base_url=base_url)
    return row


def next_step(session: Session, user: User, ladder: list) -> tuple[str, float | None]:
    """The escalation ladder: the step after the number of sanctions the user already had."""
    count = len(session.scalars(select(Sanction.id).where(Sanction.user_id == user.id)).all())
    step = ladder[min(count, len(ladder) - 1)]
    return step.kind, step.days


def lift(session: Session, moderator: User | None, sanction_row: Sanction, *, reason: str,
         base_url: str = "") -> Sanction:
    """Lift a warning, suspension or ban at once, with a reason: the user's statement of reasons says
    so, the user is told, the audit log and webhooks record it. ``moderator`` None: by the system."""
    reason = (reason or "").strip()
    if moderator is not None and not moderator.is_moderator:
        raise Forbidden("only moderators can lift a measure")
    if len(reason) < 5:
        raise BadInput("give the reason for lifting the measure (the user reads it)")
    if sanction_row.lifted_at is not None:
        raise Conflict("this measure has already been lifted")
    user = session.get(User, sanction_row.user_id)
    if moderator is not None:
        sites.require_user(session, moderator, user)
    if moderator is not None and user.is_moderator and moderator.role != "admin":
        raise Forbidden("only an admin can lift a measure on a moderator")
    now = utcnow()
    sanction_row.lifted_at, sanction_row.lift_reason = now, reason[:2000]
    sanction_row.lifted_by_id = moderator.id if moderator else None
    audit.record(session, Event.USER_SANCTION_LIFTED, actor=moderator, subject_type="user",
                 subject_id=sanction_row.user_id, sanction_id=sanction_row.id, kind=sanction_row.kind, reason=reason)
    for st in session.scalars(select(Statement).where(Statement.sanction_id == sanction_row.id)).all():
        st.lifted_at, st.lift_reason = now, reason[:2000]
    what = f"Your {KINDS[sanction_row.kind].title.lower()}" if sanction_row.kind in KINDS else "The measure"
    notify.queue(session, user, f"{what} was lifted",
                 f"{what} of {sanction_row.created_at:%d %B %Y} was lifted on {now:%d %B %Y}.\n\nReason: {reason}"
                 + ("\n\nYou can comment again." if sanction_row.kind in BLOCKING else "")
                 + (f"\n\nYour page: {base_url.rstrip('/')}/me" if base_url else ""), kind="measure_lifted")
    return sanction_row


def lift_by_id(session: Session, moderator: User, *, sanction_id: int, reason: str, base_url: str = "") -> Sanction:
    row = session.get(Sanction, sanction_id)
    if row is None:
        raise NotFound(f"no sanction {sanction_id}")
    return lift(session, moderator, row, reason=reason, base_url=base_url)
