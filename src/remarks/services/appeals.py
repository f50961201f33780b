"""Appeals against removals and sanctions (DSA Art. 20): once per decision, within six months,
decided by a person other than the one who decided first; a reversal takes effect at once."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from remarks.events import Event
from remarks.errors import BadInput, Conflict, Forbidden, NotFound
from remarks.i18n import N_
from remarks.models import Appeal, Comment, Decision, Sanction, Statement, User
from remarks.models.base import utcnow
from remarks.services import audit, notify, sanctions, sites, statements


def file(session: Session, user: User, *, statement_id: int, text: str) -> Appeal:
    st = session.get(Statement, statement_id)
    if st is None or st.user_id != user.id:
        raise NotFound(N_("there is no such decision on your account"))
    if st.appeal is not None:
        raise Conflict(N_("you have already appealed this decision"))
    if not statements.may_appeal(st):
        raise BadInput(N_("the six months to appeal this decision have passed"))
    text = (text or "").strip()
    if not 10 <= len(text) <= 5000:
        raise BadInput(N_("say why the decision was wrong, in 10 to 5,000 characters"))
    appeal = Appeal(statement_id=st.id, user_id=user.id, text=text)
    session.add(appeal)
    session.flush()
    audit.record(session, Event.APPEAL_FILED, actor=user, subject_type="appeal", subject_id=appeal.id,
                 statement_id=st.id)
    return appeal


def _comment_of():
    """The comment an appeal is about: the removed one, or the one a sanction cited (a site's appeal)."""
    return func.coalesce(Statement.comment_id, Sanction.comment_id)


def open_appeals(session: Session, moderator: User, scope: sites.Scope = sites.EVERY_SITE) -> list[Appeal]:
    """Open appeals on the sites of ``scope``; an appeal against a sanction that cites no comment belongs
    to no site, and only staff of every site see it."""
    q = (select(Appeal).options(selectinload(Appeal.statement).selectinload(Statement.comment),
                                selectinload(Appeal.user))
         .join(Statement, Statement.id == Appeal.statement_id)
         .outerjoin(Sanction, Sanction.id == Statement.sanction_id)
         .where(Appeal.state == "open"))
    if not scope.every_site:
        q = q.where(scope.comments(_comment_of()))
    return list(session.scalars(q.order_by(Appeal.created_at)).all())


def require_scope(session: Session, moderator: User, appeal: Appeal) -> None:
    st = appeal.statement
    cid = st.comment_id or (session.get(Sanction, st.sanction_id).comment_id if st.sanction_id else None)
    comment = session.get(Comment, cid) if cid else None
    if comment is None:
        sites.require_every_site(session, moderator)
    else:
        sites.require_comment(session, moderator, comment)


def decide(session: Session, moderator: User, *, appeal_id: int, outcome: str, answer: str,
           base_url: str = "") -> Appeal:
    if not moderator.is_moderator:
        raise Forbidden(N_("only moderators decide appeals"))
    if outcome not in ("upheld", "reversed"):
        raise BadInput(N_("an appeal is 'upheld' (the decision stands) or 'reversed'"))
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise BadInput(N_("give the user a reasoned answer (at least 10 characters)"))
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"no appeal {appeal_id}")
    require_scope(session, moderator, appeal)
    if appeal.state != "open":
        raise Conflict(N_("this appeal has been decided"))
    st = appeal.statement
    if st.moderator_id is not None and st.moderator_id == moderator.id:
        raise Forbidden(N_("a moderator other than the one who took the decision must decide the appeal"))
    appeal.state, appeal.answer, appeal.moderator_id, appeal.decided_at = outcome, answer[:5000], moderator.id, utcnow()
    if outcome == "reversed":
        _reverse(session, moderator, st, answer)
    audit.record(session, Event.APPEAL_DECIDED, actor=moderator, subject_type="appeal", subject_id=appeal.id,
                 outcome=outcome, statement_id=st.id)
    verdict = ("We reversed the decision: " + ("your comment is back on the page." if st.measure == "removal"
                                               else "the measure is lifted.")) if outcome == "reversed" \
        else "We reviewed the decision and it stands."
    notify.queue(session, appeal.user, "The answer to your appeal", f"{verdict}\n\n{answer}", kind="appeal")
    return appeal


def _reverse(session: Session, moderator: User, st: Statement, answer: str) -> None:
    if st.measure == "removal" and st.comment_id:
        comment = session.get(Comment, st.comment_id)
        comment.state = "published"
        session.add(Decision(comment_id=comment.id, moderator_id=moderator.id, action="approve",
                             reason=f"appeal reversed: {answer}"[:2000]))
        audit.record(session, Event.COMMENT_RESTORED, actor=moderator, subject_type="comment", subject_id=comment.id,
                     statement_id=st.id)
    if st.sanction_id:
        sanction = session.get(Sanction, st.sanction_id)
        if sanction.lifted_at is None:
            sanctions.lift(session, moderator, sanction, reason=f"appeal reversed: {answer}")
