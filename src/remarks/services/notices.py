"""Reader notices (DSA Art. 16) end to end: the reports queue on the desk, and a decision on every
report that the notifier is told, in the product and by e-mail - "removed, citing ..." or "no
action, because ...". Notices of illegal content are handled apart: the moderator records the
legal ground and where it applies. Trusted flaggers' notices (DSA Art. 22) come first."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from remarks.events import Event
from remarks.errors import BadInput, Conflict, Forbidden, NotFound
from remarks.models import Comment, Decision, Report, User
from remarks.models.base import utcnow
from remarks.models.due_process import LEGAL_GROUNDS
from remarks.moderation import rules
from remarks.services import audit, notify, sites

STATES = ("open", "decided", "all")
_SCOPE = re.compile(r"^(EU|EEA|[A-Z]{2})$")


@dataclass(frozen=True)
class LegalCitation:
    """What a removal for illegal content records: the law (one of LEGAL_GROUNDS, with the
    moderator's words) and where it applies (country codes, or EU / EEA)."""

    ground: str
    text: str
    scope: str


def legal_citation(ground: str | None, text: str | None, scope: str | None) -> LegalCitation:
    ground, text = (ground or "").strip(), (text or "").strip()
    if ground not in LEGAL_GROUNDS:
        raise BadInput(f"a removal for illegal content names the legal ground: one of {', '.join(LEGAL_GROUNDS)}")
    if ground == "other" and len(text) < 5:
        raise BadInput("for another law, name it in the legal ground's text")
    if len(text) > 2000:
        raise BadInput("the legal ground's text is limited to 2,000 characters")
    codes = (scope or "").replace(",", " ").upper().split()
    if not codes or not all(_SCOPE.match(c) for c in codes):
        raise BadInput("give the territorial scope: country codes such as 'DE AT', or 'EU' / 'EEA'")
    return LegalCitation(ground, text, " ".join(dict.fromkeys(codes)))


def legal_words(ground: str | None, text: str = "", scope: str = "") -> str:
    """The legal ground as the author and the notifier read it."""
    if not ground:
        return ""
    words = LEGAL_GROUNDS.get(ground, ground)
    if text:
        words += f" ({text})"
    if scope:
        words += f"; applies in: {scope}"
    return words


def reports_queue(session: Session, *, state: str = "open", kind: str = "", reason: str = "",
                  limit: int = 50, offset: int = 0, scope: sites.Scope = sites.EVERY_SITE) -> list[Report]:
    """Reports for the desk: trusted flaggers' first, then oldest first. ``kind`` is 'illegal' or
    'policy' (everything else); ``reason`` one report reason."""
    if state not in STATES:
        raise BadInput(f"the state is one of {', '.join(STATES)}")
    q = select(Report).options(selectinload(Report.comment).selectinload(Comment.article),
                               selectinload(Report.comment).selectinload(Comment.author),
                               selectinload(Report.comment).selectinload(Comment.decisions),
                               selectinload(Report.reporter))
    q = q.where(scope.comments(Report.comment_id))
    if state == "open":
        q = q.where(Report.outcome.is_(None))
    elif state == "decided":
        q = q.where(Report.outcome.is_not(None))
    if kind == "illegal":
        q = q.where(Report.reason.in_(illegal_reasons()))
    elif kind == "policy":
        q = q.where(Report.reason.not_in(illegal_reasons()))
    if reason:
        q = q.where(Report.reason == reason)
    q = q.order_by(Report.trusted.desc(), Report.created_at, Report.id).offset(max(offset, 0)).limit(min(limit, 200))
    return list(session.scalars(q).all())


def illegal_reasons() -> list[str]:
    """The report reasons that are notices of illegal content: the rules flagged ``illegal``."""
    return [r.name for r in rules.table().values() if r.illegal]


def open_count(session: Session, scope: sites.Scope = sites.EVERY_SITE) -> dict[str, int]:
    rows = session.execute(select(Report.reason, func.count()).where(Report.outcome.is_(None),
                                                                     scope.comments(Report.comment_id))
                           .group_by(Report.reason)).all()
    illegal = set(illegal_reasons())
    found = sum(n for reason, n in rows if reason in illegal)
    return {"illegal": found, "policy": sum(n for _, n in rows) - found}


def human_decision(comment: Comment) -> Decision | None:
    """The last decision a moderator took on the comment (what a later report is shown beside)."""
    mine = [d for d in comment.decisions if not d.automatic]
    return mine[-1] if mine else None


def close(session: Session, moderator: User | None, comment: Comment, *, outcome: str, answer: str,
          rule: str | None = None, legal: LegalCitation | None = None) -> list[Report]:
    """Every open report on the comment gets the decision, and each notifier is told it."""
    reports = list(session.scalars(select(Report).where(Report.comment_id == comment.id,
                                                        Report.outcome.is_(None))).all())
    now = utcnow()
    for rep in reports:
        rep.outcome, rep.decided_at, rep.answer = outcome, now, (answer or "")[:2000]
        rep.moderator_id = moderator.id if moderator else None
        audit.record(session, Event.REPORT_DECIDED, actor=moderator, subject_type="report", subject_id=rep.id,
                     comment_id=comment.id, outcome=outcome, rule=rule)
        notify.queue(session, rep.reporter, "The decision on your report", _told(comment, rep, rule, legal),
                     kind="report")
    return reports


def _told(comment: Comment, rep: Report, rule: str | None, legal: LegalCitation | None) -> str:
    where = f"the comment you reported on \"{comment.article.title}\" ({rep.created_at:%d %B %Y})"
    if rep.outcome == "upheld":
        text = f"We removed {where}, citing: {rules.label(rule)}."
        if legal is not None:
            text += f" Legal ground: {legal_words(legal.ground, legal.text, legal.scope)}."
    else:
        text = f"We looked at {where} and took no action, because: {rep.answer}"
    return (f"{text}\n\nThe decision was taken by a person. Thank you for your report. If you disagree, you may "
            "use an out-of-court dispute settlement body or the courts.")


def no_action(session: Session, moderator: User, *, report_id: int, answer: str, base_url: str = "") -> list[Report]:
    """"No action, because ...": every open report on the comment is answered with these words;
    a comment held by the reports goes back on the page."""
    from remarks.services import moderation

    if not moderator.is_moderator:
        raise Forbidden("only moderators decide on reports")
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise BadInput("say why no action is taken (at least 10 characters): the notifier is told")
    rep = session.get(Report, report_id)
    if rep is None:
        raise NotFound(f"no report {report_id}")
    sites.require_comment(session, moderator, rep.comment)
    if rep.outcome is not None:
        raise Conflict("this report has been decided")
    comment = rep.comment
    if comment.state == "held":
        moderation.decide(session, moderator, comment_id=comment.id, action="approve", rule=None, reason=answer,
                          base_url=base_url)  # closes the reports with the same words
        return [rep]
    return close(session, moderator, comment, outcome="rejected", answer=answer)


def set_trusted_flagger(session: Session, admin: User, *, user_id: int, trusted: bool) -> User:
    if admin.role != "admin":
        raise Forbidden("only admins mark trusted flaggers")
    sites.require_every_site(session, admin)  # a trusted flagger's notices go first on every site
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    if user.trusted_flagger != trusted:
        user.trusted_flagger = trusted
        audit.record(session, Event.USER_TRUSTED_FLAGGER, actor=admin, subject_type="user", subject_id=user.id,
                     trusted=trusted)
    return user


def my_reports(session: Session, user: User, limit: int = 100) -> list[Report]:
    return list(session.scalars(select(Report).options(selectinload(Report.comment).selectinload(Comment.article))
                                .where(Report.reporter_id == user.id).order_by(Report.id.desc()).limit(limit)).all())
