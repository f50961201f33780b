"""The reports queue on the desk: every reader notice, decided with a reason the reader is told;
trusted flaggers marked by admins."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from remarks.errors import BadInput, NotFound
from remarks.i18n import N_, translate
from remarks.models import Report, User
from remarks.models.due_process import LEGAL_GROUNDS
from remarks.moderation import rules
from remarks.services import moderation, notices, sites
from remarks.web.deps import Viewer, get_db, get_viewer, verify_csrf
from remarks.web.permissions import Permission, require
from remarks.web.responses import page, see_other
from remarks.web.uow import write

router = APIRouter(prefix="/desk", include_in_schema=False)
PER_PAGE = 50


def _back(kind: str, state: str, reason: str) -> str:
    return urlencode({"kind": kind, "state": state, "reason": reason})


@router.get("/reports")
def reports_page(request: Request, kind: str = "", state: str = "open", reason: str = "", page_no: int = 1,
                 site: str = "", db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
                 moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    scope = sites.narrowed(db, moderator, site[:100])
    kind = kind if kind in ("illegal", "policy") else ""
    state = state if state in notices.STATES else "open"
    reasons = [r.name for r in rules.reportable()]
    reason = reason if reason in reasons else ""
    page_no = max(1, min(page_no, 10_000))
    rows = notices.reports_queue(db, state=state, kind=kind, reason=reason, limit=PER_PAGE + 1,
                                 offset=(page_no - 1) * PER_PAGE, scope=scope)
    return page(request, "desk/reports.html", viewer, reports=rows[:PER_PAGE], more=len(rows) > PER_PAGE,
                page_no=page_no, kind=kind, state=state, reason=reason, reasons=reasons,
                counts=notices.open_count(db, scope), human_decision=notices.human_decision, rule_label=rules.label,
                legal_grounds=LEGAL_GROUNDS, citable=[r.name for r in rules.citable()],
                illegal=notices.illegal_reasons(), back=_back(kind, state, reason),
                flash=request.query_params.get("done", "")[:300])


@router.post("/reports/{report_id}")
def decide_report(report_id: int, request: Request, action: Annotated[str, Form()] = "",
                  rule: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
                  answer: Annotated[str, Form()] = "", legal_ground: Annotated[str, Form()] = "",
                  legal_ground_text: Annotated[str, Form()] = "", territorial_scope: Annotated[str, Form()] = "",
                  back: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                  db: Session = Depends(get_db), moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    verify_csrf(request, csrf)
    base = request.app.state.settings.base_url

    def work(session: Session) -> str:
        rep = session.get(Report, report_id)
        if rep is None:
            raise NotFound(f"no report {report_id}")
        if action == "remove":
            moderation.decide(session, moderator, comment_id=rep.comment_id, action="remove", rule=rule or None,
                              reason=reason, base_url=base, legal_ground=legal_ground or None,
                              legal_ground_text=legal_ground_text, territorial_scope=territorial_scope)
            return translate(N_("Report %(id)s: comment %(comment)s removed; the reader and the author are told"),
                             {"id": report_id, "comment": rep.comment_id})
        if action == "no_action":
            notices.no_action(session, moderator, report_id=report_id, answer=answer, base_url=base)
            return translate(N_("Report %(id)s: no action; the reader is told why"), {"id": report_id})
        raise BadInput("the action is 'remove' or 'no_action'")

    done = write(request, work)
    query = back if back.startswith("kind=") else ""
    return see_other(f"/desk/reports?{query}&{urlencode({'done': done})}".replace("?&", "?"))


@router.post("/users/{user_id}/trusted-flagger")
def trusted_flagger(user_id: int, request: Request, trusted: Annotated[str, Form()] = "",
                    csrf: Annotated[str, Form()] = "", db: Session = Depends(get_db),
                    admin: User = Depends(require(Permission.ADMINISTER))) -> Response:
    verify_csrf(request, csrf)
    write(request, lambda session: notices.set_trusted_flagger(session, admin, user_id=user_id,
                                                               trusted=trusted == "1"))
    return see_other(f"/desk/users/{user_id}")
