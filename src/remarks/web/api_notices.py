"""The API of reader notices: the reports queue and its decisions (moderators), a reader's own reports."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from remarks.errors import NotFound
from remarks.models import Report, User
from remarks.models.due_process import LEGAL_GROUNDS
from remarks.services import moderation, notices, sites
from remarks.web import schemas as s
from remarks.web.schemas import ERRORS
from remarks.web.deps import Viewer, get_db, get_viewer, verify_api_csrf
from remarks.web.permissions import Permission, require
from remarks.web.uow import write

router = APIRouter(prefix="/api/v1", responses=ERRORS)


def _item(r: Report) -> s.ReportItem:
    d = notices.human_decision(r.comment)
    earlier = f"{'removed' if d.action == 'remove' else 'approved'}{f' ({d.rule})' if d.rule else ''}: " \
              f"{d.reason}" if d else None
    return s.ReportItem(id=r.id, comment_id=r.comment_id, comment_text=r.comment.text, comment_state=r.comment.state,
                        article_title=r.comment.article.title, reason=r.reason, explanation=r.explanation,
                        trusted=r.trusted, created_at=r.created_at, outcome=r.outcome, answer=r.answer,
                        decided_at=r.decided_at, earlier_decision=earlier)


@router.get("/moderation/reports", response_model=list[s.ReportItem], tags=["moderation"])
def reports_queue(state: str = Query("open", pattern="^(open|decided|all)$"),
                  kind: str = Query("", pattern="^(illegal|policy|)$", description="illegal | policy | all"),
                  reason: str = Query("", max_length=20), page: int = Query(1, ge=1, le=100_000),
                  per_page: int = Query(50, ge=1, le=200),
                  site: str | None = Query(None, max_length=100, description="Only this site (its name)."),
                  db: Session = Depends(get_db),
                  moderator: User = Depends(require(Permission.MODERATE))) -> list[s.ReportItem]:
    """Every reader report on your sites: trusted flaggers' first, then oldest first."""
    rows = notices.reports_queue(db, state=state, kind=kind, reason=reason, limit=per_page,
                                 offset=(page - 1) * per_page, scope=sites.narrowed(db, moderator, site))
    return [_item(r) for r in rows]


@router.get("/moderation/legal-grounds", response_model=dict[str, str], tags=["moderation"])
def legal_grounds(moderator: User = Depends(require(Permission.MODERATE))) -> dict[str, str]:
    """The legal grounds a removal for illegal content can name."""
    return dict(LEGAL_GROUNDS)


@router.post("/moderation/reports/{report_id}/decision", response_model=s.ReportItem, tags=["moderation"])
def decide_report(report_id: int, body: s.ReportDecisionIn, request: Request, db: Session = Depends(get_db),
                  viewer: Viewer = Depends(get_viewer), moderator: User = Depends(require(Permission.MODERATE))) -> s.ReportItem:
    """Remove the reported comment citing a rule (and, for illegal content, the legal ground and scope),
    or take no action with a reason. Every open report on the comment is answered; notifiers are told."""
    verify_api_csrf(request, viewer)
    base = request.app.state.settings.base_url

    def work(session: Session) -> s.ReportItem:
        rep = session.get(Report, report_id)
        if rep is None:
            raise NotFound(f"no report {report_id}")
        if body.action == "remove":
            moderation.decide(session, moderator, comment_id=rep.comment_id, action="remove", rule=body.rule,
                              reason=body.reason, base_url=base, legal_ground=body.legal_ground,
                              legal_ground_text=body.legal_ground_text, territorial_scope=body.territorial_scope)
        else:
            notices.no_action(session, moderator, report_id=report_id, answer=body.answer, base_url=base)
        session.flush()
        session.refresh(rep)
        return _item(rep)

    return write(request, work)


@router.get("/me/reports", response_model=list[s.MyReport], tags=["accounts"])
def my_reports(db: Session = Depends(get_db), user: User = Depends(require(Permission.SIGNED_IN))) -> list[s.MyReport]:
    """The comments you reported and the decision on each."""
    return [s.MyReport(id=r.id, comment_id=r.comment_id, article_title=r.comment.article.title, reason=r.reason,
                       created_at=r.created_at, outcome=r.outcome, answer=r.answer, decided_at=r.decided_at)
            for r in notices.my_reports(db, user)]
