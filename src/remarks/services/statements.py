"""Statements of reasons (DSA Art. 17) for every removal and sanction, sent to the user."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from remarks.db.plain import Plain
from remarks.moderation import rules
from remarks.models import Comment, Decision, Sanction, Statement, User
from remarks.events import Event
from remarks.i18n import N_, gettext, speaking, stamp, translate
from remarks.models.base import utcnow
from remarks.sanction_kinds import MEASURES
from remarks.services import audit, notify

APPEAL_WINDOW = timedelta(days=182)  # six months
REDRESS = N_("You can appeal this decision once, within six months, from your page (%(url)s/me): a person who "
             "did not take the decision will review it and answer you. You may also use an out-of-court dispute "
             "settlement body or the courts.")


def _excerpt(text: str, n: int = 280) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _measure_words(st: Statement) -> str:
    until = stamp(st.ends_at) if st.ends_at else gettext("further notice")
    return gettext(MEASURES[st.measure].statement).format(until=until)


def body(st: Statement, base_url: str) -> str:
    """The statement as the user reads it, in the current language (the facts, the moderator's
    explanation and the policy's own clause stay in the words they were written in)."""
    rule = rules.get(st.ground)
    lines = [
        _measure_words(st),
        "",
        translate(N_("Facts: %(facts)s"), {"facts": st.facts}),
        translate(N_("Rule: %(rule)s. The newspaper's policy says: %(clause)s"),
                  {"rule": gettext(rules.label(st.ground)), "clause": rule.clause if rule else ""}).rstrip(),
    ]
    if st.legal_ground:
        from remarks.services.notices import legal_words

        lines.append(translate(N_("Legal ground: %(ground)s. Where it applies: %(scope)s."),
                               {"ground": legal_words(st.legal_ground, st.legal_ground_text),
                                "scope": st.territorial_scope or gettext("not stated")}))
    if st.explanation:
        lines.append(translate(N_("Explanation: %(text)s"), {"text": st.explanation}))
    lines.append(translate(N_("Automated means: %(words)s"), {"words": automation_words(st)}))
    lines += ["", translate(REDRESS, {"url": base_url.rstrip("/")})]
    return "\n".join(lines)


def automation_words(st: Statement) -> str:
    detection = N_("the comment was flagged by an automatic check") if st.automated_detection else \
        N_("the comment was not flagged by an automatic check")
    decision = N_("the decision was taken automatically by the policy") if st.automated_decision else \
        N_("the decision was taken by a person")
    return translate(N_("%(detection)s; %(decision)s."), {"detection": gettext(detection),
                                                          "decision": gettext(decision)})


def _send(session: Session, st: Statement, user: User, base_url: str) -> None:
    with speaking(user.locale):  # in the user's own language (their setting), else English
        subject, text = gettext(MEASURES[st.measure].subject), body(st, base_url)
    notify.queue(session, user, subject, text, kind="statement")
    audit.record(session, Event.STATEMENT_ISSUED, actor=None, subject_type="statement", subject_id=st.id,
                 measure=st.measure, ground=st.ground, user_id=user.id)


def _facts(comment: Comment, story_title: str) -> str:
    return f"Your comment of {comment.created_at:%d %B %Y, %H:%M} UTC on \"{story_title}\": \"{_excerpt(comment.text)}\""


def for_removal(session: Session, comment: Comment, decision: Decision, *, base_url: str,
                facts_extra: str = "", from_notice: bool = False, legal=None) -> Statement:
    flagged = decision.automatic or any(r.score >= 0.5 for r in comment.checks)  # (automatic: no need to load them)
    facts = _facts(comment, comment.article.title)
    if facts_extra:
        facts += f" {facts_extra}"
    st = Statement(user_id=comment.author_id, comment_id=comment.id, decision_id=decision.id,
                   moderator_id=decision.moderator_id, measure="removal", ground=decision.rule, facts=facts,
                   explanation=decision.reason, automated_detection=flagged, automated_decision=decision.automatic,
                   source="notice" if from_notice else "own_initiative", created_at=utcnow())
    if legal is not None:  # a notices.LegalCitation
        st.legal_ground, st.legal_ground_text, st.territorial_scope = legal.ground, legal.text, legal.scope
    session.add(st)
    session.flush()
    _send(session, st, comment.author, base_url)
    return st


def for_automatic_removal(session: Session, comment: Comment, *, decision_id: int, rule: str | None, reason: str,
                          flagged: bool, author: User, story_title: str, base_url: str) -> audit.Entry:
    """``for_removal`` of an automatic decision (``comments.record_verdict``) in plain statements: the same
    statement row and notification (no objects made, nothing flushed), and its audit event returned for the
    caller to write with its own (``audit.write``). A post removed by a check wrote all three through the ORM,
    a fifth of such a post's time in the server."""
    st = Statement(user_id=comment.author_id, comment_id=comment.id, decision_id=decision_id, moderator_id=None,
                   measure="removal", ground=rule, facts=_facts(comment, story_title), explanation=reason,
                   automated_detection=flagged, automated_decision=True, source="own_initiative",
                   created_at=utcnow())  # not added: the row is inserted below, the object only words the message
    st.id = _INSERT.scalar(session, {c: getattr(st, c) for c in _COLUMNS})
    with speaking(author.locale):  # as _send words it
        subject, text = gettext(MEASURES[st.measure].subject), body(st, base_url)
    notify.queue_row(session, author.id, subject, text, kind="statement")
    return audit.entry(Event.STATEMENT_ISSUED, actor=None, subject_type="statement", subject_id=st.id,
                       measure=st.measure, ground=st.ground, user_id=author.id)


_COLUMNS = ("user_id", "comment_id", "decision_id", "moderator_id", "measure", "ground", "facts", "explanation",
            "automated_detection", "automated_decision", "source", "created_at")
_INSERT = Plain(insert(Statement.__table__).returning(Statement.__table__.c.id), inserts=True)


def for_sanction(session: Session, sanction: Sanction, *, base_url: str) -> Statement:
    comment = session.get(Comment, sanction.comment_id) if sanction.comment_id else None
    facts = "A moderator reviewed your comments"
    if comment is not None:
        facts += f", including your comment on \"{comment.article.title}\": \"{_excerpt(comment.text)}\""
    st = Statement(user_id=sanction.user_id, comment_id=sanction.comment_id, sanction_id=sanction.id,
                   moderator_id=sanction.moderator_id, measure=sanction.kind,
                   ends_at=sanction.ends_at, ground=sanction.rule, facts=facts + ".", explanation=sanction.reason,
                   automated_detection=bool(comment and any(r.score >= 0.5 for r in comment.checks)),
                   automated_decision=False, created_at=utcnow())
    session.add(st)
    session.flush()
    _send(session, st, sanction.user, base_url)
    return st


def may_appeal(st: Statement) -> bool:
    return st.appeal is None and utcnow() - st.created_at <= APPEAL_WINDOW
