"""The moderator desk: the risk queue, decisions, sanctions, appeals, a user's history, the
policy settings (admins) and the outbox. Every action is a POST with the CSRF token, answered
with a 303 redirect."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remarks.moderation import rules
from remarks.errors import BadInput, NotFound, RemarksError
from remarks.i18n import N_, translate
from remarks.models import Article, Notification, User
from remarks.sanction_kinds import KINDS
from remarks.services import appeals, moderation, notes, notify, policy, sanctions, sites
from remarks.web.deps import Viewer, current_policy, get_db, get_viewer, verify_csrf
from remarks.web.permissions import Permission, require
from remarks.web.responses import page, see_other
from remarks.web.uow import write

router = APIRouter(prefix="/desk", include_in_schema=False)


def _days(value: str) -> float | None:
    try:
        return float(value) if value.strip() else None
    except ValueError:
        raise BadInput("the suspension length is a number of days") from None


def _top_rule(c) -> str:
    """The rule to pre-select for a one-key removal: the one that held the comment."""
    auto = [d for d in c.decisions if d.automatic and (r := rules.get(d.rule)) is not None and r.citable]
    if auto:
        return auto[-1].rule
    scored = sorted((r for r in c.checks if (rule := rules.get(r.rule)) is not None and rule.citable), key=lambda r: -r.score)
    return scored[0].rule if scored and scored[0].score >= 0.3 else ""


@router.get("")
def queue_page(request: Request, rule: str = "", article: str = "", site: str = "", db: Session = Depends(get_db),
               viewer: Viewer = Depends(get_viewer), moderator: User = Depends(require(Permission.MODERATE))
               ) -> Response:
    article_id = int(article) if article.isdigit() else None
    scope = sites.narrowed(db, moderator, site[:100])
    items = write(request, lambda session: moderation.queue(  # claims the items shown
        session, moderator, rule=rule if rules.get(rule) is not None else None, article_id=article_id, claim=True,
        scope=scope))
    hints = {c.author_id: sanctions.next_step(db, c.author, current_policy(
        request, db, c.article.publisher_id).escalation) for c in items}
    articles = db.scalars(select(Article).where(scope.articles()).order_by(Article.published_at.desc())
                          .limit(50)).all()
    return page(request, "desk/queue.html", viewer, items=items, size=moderation.queue_size(db, scope),
                flash=request.query_params.get("done", "")[:300], top_rule=_top_rule, hints=hints,
                rule=rule, article_id=article_id, articles=articles, site=site[:100],
                my_sites=sites.sites_of(db, moderator),
                open_appeals=len(appeals.open_appeals(db, viewer.user, scope)))


def _done(comment_id: int, action: str, out: moderation.Outcome) -> str:
    """The line the desk shows after an action."""
    done = translate(N_("Comment %(id)s approved") if action == "approve" else N_("Comment %(id)s removed"),
                     {"id": comment_id})
    if out.sanction is not None:
        done += "; " + translate(N_("author %(done)s"), {"done": translate(KINDS[out.sanction.kind].done)})
    if out.removed:
        done += "; " + translate(N_("%(n)s more of their comments removed"), {"n": out.removed})
    return done


@router.post("/comments/{comment_id}")
def decide(
    comment_id: int,
    request: Request,
    action: Annotated[str, Form()] = "",
    rule: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    sanction: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
    remove_all: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = Depends(get_db),
    moderator: User = Depends(require(Permission.MODERATE)),
) -> Response:
    verify_csrf(request, csrf)
    base, n_days = request.app.state.settings.base_url, _days(days) if sanction else None
    out = write(request, lambda session: moderation.decide_and_sanction(
        session, moderator, comment_id=comment_id, action=action, rule=rule or None, reason=reason,
        sanction=sanction or None, days=n_days, remove_all=bool(remove_all),
        ladder=current_policy(request, session, sites.of_comment(session, comment_id)).escalation, base_url=base))
    done = _done(comment_id, action, out)
    query = back.lstrip("&") if back.startswith(("rule=", "article=", "&site=")) else ""
    return see_other(f"/desk?{urlencode({'done': done})}&{query}".rstrip("&"))


@router.post("/bulk")
def bulk(
    request: Request,
    ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI's form default; never mutated
    action: Annotated[str, Form()] = "",
    rule: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = Depends(get_db),
    moderator: User = Depends(require(Permission.MODERATE)),
) -> Response:
    verify_csrf(request, csrf)
    if not ids:
        raise BadInput("select at least one comment")
    base = request.app.state.settings.base_url

    def work(session: Session) -> None:
        for cid in ids[:200]:
            moderation.decide(session, moderator, comment_id=cid, action=action, rule=rule or None, reason=reason,
                              base_url=base)

    write(request, work)
    done = N_("%(n)s comments approved") if action == "approve" else N_("%(n)s comments removed")
    return see_other("/desk?" + urlencode({"done": translate(done, {"n": len(ids[:200])})}))


@router.get("/users/{user_id}")
def user_page(user_id: int, request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
              moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    sites.require_user(db, moderator, user)
    active = sanctions.active_sanction(db, user)
    ladder = current_policy(request, db).escalation
    history = moderation.user_history(db, user, sites.scope_of(db, moderator))
    return page(request, "desk/user.html", viewer, subject=user, history=history,
                active=sanctions.describe(active) if active else None, active_row=active,
                signals=moderation.evasion_signals(db, user), hint=sanctions.next_step(db, user, ladder),
                notes=notes.for_user(db, viewer.user, user.id), flash=request.query_params.get("done", "")[:200])


@router.post("/users/{user_id}/sanctions")
def sanction_user(
    user_id: int,
    request: Request,
    kind: Annotated[str, Form()] = "",
    rule: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
    remove_all: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    db: Session = Depends(get_db),
    moderator: User = Depends(require(Permission.MODERATE)),
) -> Response:
    verify_csrf(request, csrf)
    base, n_days = request.app.state.settings.base_url, _days(days)
    write(request, lambda session: moderation.sanction_author(
        session, moderator, user_id=user_id, kind=kind, rule=rule or None, reason=reason, days=n_days,
        remove_all=bool(remove_all), ladder=current_policy(request, session).escalation, base_url=base))
    return see_other(f"/desk/users/{user_id}")


@router.get("/appeals")
def appeals_page(request: Request, site: str = "", db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
                 moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    scope = sites.narrowed(db, moderator, site[:100])
    return page(request, "desk/appeals.html", viewer, appeals=appeals.open_appeals(db, viewer.user, scope),
                flash=request.query_params.get("done", "")[:300])


# The line the desk shows after deciding an appeal, per outcome.
_APPEAL_DONE = {"reversed": N_("Appeal %(id)s: reversed"), "upheld": N_("Appeal %(id)s: upheld")}


@router.post("/appeals/{appeal_id}")
def decide_appeal(appeal_id: int, request: Request, outcome: Annotated[str, Form()] = "",
                  answer: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                  db: Session = Depends(get_db), moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    verify_csrf(request, csrf)
    base = request.app.state.settings.base_url
    write(request, lambda session: appeals.decide(session, moderator, appeal_id=appeal_id, outcome=outcome,
                                                  answer=answer, base_url=base))
    return see_other("/desk/appeals?" + urlencode({"done": translate(_APPEAL_DONE.get(outcome, "Appeal %(id)s: %(outcome)s"),
                                                                 {"id": appeal_id, "outcome": outcome})}))


@router.get("/policy")
def policy_page(request: Request, site: str = "", db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
                admin: User = Depends(require(Permission.ADMINISTER))) -> Response:
    cfg = current_policy(request, db, sites.one(db, admin, site[:100]))
    return page(request, "desk/policy.html", viewer, toml=cfg.to_toml(), error=None, site=site[:100],
                thresholds=_thresholds(cfg),
                flash=request.query_params.get("done", "")[:200])


def _thresholds(cfg) -> list[dict]:
    """Per scored rule: its threshold now, its default and what the default does on validation data."""
    now = cfg.policy_thresholds()
    return [{"rule": r, "hold": now[r.name].hold, "remove": now[r.name].remove, "measured": rules.measured(r.name)}
            for r in rules.scored() if r.name in now]


@router.post("/policy")
def save_policy(request: Request, toml: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
                csrf: Annotated[str, Form()] = "", site: str = "", db: Session = Depends(get_db),
                viewer: Viewer = Depends(get_viewer), admin: User = Depends(require(Permission.ADMINISTER))) -> Response:
    verify_csrf(request, csrf)
    site_id = sites.one(db, admin, site[:100])
    try:
        write(request, lambda session: policy.save(session, admin, policy.parse_toml(toml), note=note,
                                                   site_id=site_id))
    except RemarksError as exc:
        return page(request, "desk/policy.html", viewer, status=exc.status, toml=toml, error=exc.message, flash="",
                    site=site[:100], thresholds=_thresholds(current_policy(request, db, site_id)))
    return see_other("/desk/policy?" + urlencode({"done": translate(N_("Policy saved")), **({"site": site} if site else {})}))


@router.get("/outbox")
def outbox(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
           admin: User = Depends(require(Permission.ADMINISTER))) -> Response:
    """Notifications as they would be e-mailed (development has no SMTP server): every site's, so for
    admins of every site."""
    sites.require_every_site(db, admin)
    rows = db.scalars(select(Notification).order_by(Notification.created_at.desc(), Notification.id.desc())
                      .limit(200)).all()
    counts = dict(db.execute(select(Notification.status, func.count()).group_by(Notification.status)).all())
    return page(request, "desk/outbox.html", viewer, notifications=rows, counts=counts, kinds=notify.KINDS,
                smtp=bool(request.app.state.settings.smtp_host))


@router.post("/articles/{slug}/closing")
def article_closing(slug: str, request: Request, action: Annotated[str, Form()] = "",
                    reason: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                    db: Session = Depends(get_db), moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    """Close an article's comments with a reason readers see, or reopen them."""
    verify_csrf(request, csrf)
    from remarks.services import closing

    def work(session: Session) -> None:
        article = session.scalar(select(Article).where(Article.slug == slug))
        if article is None:
            raise NotFound("there is no such article")
        if action == "close":
            closing.close(session, moderator, article, reason=reason)
        elif action == "reopen":
            closing.reopen(session, moderator, article)
        else:
            raise BadInput("the action is close or reopen")

    write(request, work)
    return see_other(f"/articles/{slug}#comments")
