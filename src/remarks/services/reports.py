"""Reader reports (DSA Art. 16 notices). Enough weighted reports hold a comment; reporters
who are usually wrong count less."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remarks.events import Event, comment_state_event
from remarks.errors import BadInput, Conflict, NotFound
from remarks.i18n import N_
from remarks.models import Comment, Decision, Report, User
from remarks.moderation import rules
from remarks.moderation.policy import PolicyConfig, after_reports
from remarks.services import audit, notify


def reporter_weight(session: Session, reporter: User) -> float:
    """2 x (upheld + 1) / (decided + 2): a new reporter counts 1.0, one always upheld nearly 2,
    one always rejected tends to 0."""
    rows = session.execute(select(Report.outcome, func.count()).where(Report.reporter_id == reporter.id,
                                                                      Report.outcome.is_not(None))
                           .group_by(Report.outcome)).all()
    counts = dict(rows)
    upheld, rejected = counts.get("upheld", 0), counts.get("rejected", 0)
    return round(2 * (upheld + 1) / (upheld + rejected + 2), 3)


def report(session: Session, reporter: User, *, comment_id: int, reason: str, explanation: str = "",
           policy: PolicyConfig) -> Report:
    from remarks.services.sanctions import ensure_may_post

    ensure_may_post(session, reporter)  # a banned or suspended user cannot file reports either
    reasons = [r.name for r in rules.reportable()]
    if reason not in reasons:
        raise BadInput(N_("a report gives one reason: %(reasons)s"), reasons=", ".join(reasons))
    explanation = (explanation or "").strip()
    if reason == "illegal" and len(explanation) < 10:
        raise BadInput(N_("a report of illegal content needs an explanation of why it is illegal (DSA Art. 16)"))
    if len(explanation) > 2000:
        raise BadInput(N_("the explanation is limited to 2,000 characters"))
    comment = session.get(Comment, comment_id)
    if comment is None or comment.state not in ("published", "held"):
        raise NotFound(N_("there is no such comment to report"))
    if comment.author_id == reporter.id:
        raise BadInput(N_("you cannot report your own comment"))
    if session.scalar(select(Report).where(Report.comment_id == comment.id, Report.reporter_id == reporter.id)):
        raise Conflict(N_("you have already reported this comment"))
    row = Report(comment_id=comment.id, reporter_id=reporter.id, reason=reason, explanation=explanation,
                 weight=reporter_weight(session, reporter), trusted=reporter.trusted_flagger)
    session.add(row)
    session.flush()
    audit.record(session, Event.COMMENT_REPORTED, actor=reporter, subject_type="comment", subject_id=comment.id,
                 report_id=row.id, reason=reason, weight=row.weight)
    label = rules.label(reason)
    notify.queue(session, reporter, "We received your report",
                 f"Thank you. We received your report of a comment on \"{comment.article.title}\" "
                 f"({label.lower()}). A moderator will look at it and we will tell you the decision.",
                 kind="report")
    total = session.scalar(select(func.sum(Report.weight)).where(Report.comment_id == comment.id,
                                                                 Report.outcome.is_(None))) or 0.0
    comment.risk = max(comment.risk, min(1.0, total / policy.report_hold_weight))
    verdict = after_reports(total, policy, reason)
    if comment.state == "published" and verdict is not None:
        comment.state = verdict.state
        session.add(Decision(comment_id=comment.id, automatic=True, action=verdict.action, rule=verdict.rule,
                             reason=verdict.reason))
        audit.record(session, comment_state_event(verdict.state), actor=None, subject_type="comment", subject_id=comment.id,
                     automatic=True, rule=verdict.rule, reason=verdict.reason)
    return row
