"""The JSON API under /api/v1 (OpenAPI at /openapi.json, docs at /docs)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic_core import to_json
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from remarks.db import release
from remarks.db.plain import Loaded, Plain
from remarks.errors import NotFound
from remarks.models import Article, Comment, Publisher, Statement, User
from remarks.services import (
    accounts,
    alerts,
    appeals,
    closing,
    comments,
    featuring,
    moderation,
    mutes,
    own_comments,
    policy,
    privacy,
    reactions,
    recovery,
    reports,
    sanctions,
    sites,
    sso,
    surge,
    thread_cache,
    threads,
)
from remarks.services.threads import ThreadNode
from remarks.moderation import rules
from remarks.services.formatting import comment_html
from remarks.web import caching
from remarks.web import schemas as s
from remarks.web.deps import Viewer, current_policy, get_db, get_viewer, origin_of, verify_api_csrf
from remarks.web.permissions import Permission, require
from remarks.web.uow import write, write_together

router = APIRouter(prefix="/api/v1", responses=s.ERRORS)
SITE_POLICY = ("The site whose policy this is (its name); left out: your only site, or for admins of every site "
               "the installation's policy, which sites without their own follow.")


def _node(n: ThreadNode) -> s.CommentOut:
    c = n.comment
    gone = c.state == "deleted"  # a placeholder: its text and author stay with the moderators
    return s.CommentOut(id=c.id, article_id=c.article_id, parent_id=c.parent_id,
                        author="" if gone else c.author.display_name, author_id=None if gone else c.author_id,
                        text="" if gone else c.text, html="" if gone else str(comment_html(c.text)),
                        state=c.state, created_at=c.created_at, edited_at=c.edited_at,
                        featured=c.featured_at is not None, reactions=n.reactions, reacted=n.reacted,
                        muted=n.muted, editable=n.editable, replies=[_node(r) for r in n.replies])


def _checks(c: Comment) -> list[s.CheckOut]:
    return [s.CheckOut(rule=r.rule, score=r.score, model_version=r.model_version, evidence=r.evidence)
            for r in c.checks]


def _posted(c: Comment) -> s.PostedComment:
    """A stored comment as it stands: its state, its last decision's reason and its check results."""
    last = c.decisions[-1] if c.decisions else None
    return s.PostedComment(id=c.id, state=c.state, reason=last.reason if last else "", checks=_checks(c))


@router.get("/rules", response_model=list[s.RuleOut], tags=["policy"])
def list_rules() -> list[s.RuleOut]:
    """The rules of the comment policy (built-in and from plug-in checks), with their default thresholds."""
    return [s.RuleOut(name=r.name, label=r.label, clause=r.clause, dsa_category=r.dsa_category, hold=r.hold,
                      remove=r.remove, citable=r.citable, reportable=r.reportable) for r in rules.table().values()]


@router.get("/articles", response_model=list[s.ArticleSummary], tags=["articles"])
def list_articles(site: str | None = Query(None, max_length=100, description="Only this site's articles (its name)."),
                  db: Session = Depends(get_db)) -> list[Article]:
    q = select(Article)
    if site:
        q = q.where(Article.publisher_id == sites.by_name(db, site).id)
    return list(db.scalars(q.order_by(Article.published_at.desc()).limit(100)).all())


@router.get("/articles/{article_id}", response_model=s.ArticleOut, tags=["articles"],
            responses={304: {"description": "Not modified: the reader's copy (If-None-Match) is current."}})
def get_article(article_id: int, request: Request,
                page: int = Query(1, ge=1, le=100_000, description="Page of 50 threads."),
                sort: s.Sort = Query("oldest", description="Order of the threads."),
                db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    """The article and one page of its threads. Anonymous answers carry an ETag and may be cached
    briefly by anyone (``Cache-Control: public``); send ``If-None-Match`` to get 304 when nothing changed."""
    article = db.get(Article, article_id)
    if article is None:
        raise NotFound(f"no article {article_id}")
    snap = request.app.state.thread_cache.get(article, page=page, sort=sort)
    closed = int(closing.state(article).closed)  # closing by date is computed, not a change to the thread
    if viewer.user is None:
        tag = caching.json_tag(article.id, snap.version, page, snap.sort, closed)
        if caching.fresh(request, tag):
            return caching.not_modified(tag)
        return Response(anonymous_json(article, snap, closed), media_type="application/json",
                        headers=caching.headers(tag))
    minutes = request.app.state.settings.edit_minutes
    marks = thread_cache.marks(db, snap, viewer.user, edit_minutes=minutes)
    if marks is None:  # comments of theirs only they see: built for them alone
        tree = threads.thread(db, article, viewer=viewer.user, page=page, sort=sort, edit_minutes=minutes)
        body = to_json(_article_out(article, tree, snap.featured).model_dump(mode="json"))
    else:
        body = viewer_json(article, snap, closed, marks)
    return Response(body, media_type="application/json", headers={"Cache-Control": caching.PRIVATE})


def anonymous_json(article: Article, snap: thread_cache.Snapshot, closed: int) -> bytes:
    """The anonymous answer, made once per snapshot (the fast path, web/fast_reads.py, serves it too)."""
    return snap.render(caching.json_key(closed), lambda: to_json(_tree(article, snap, closed)))


def viewer_json(article: Article, snap: thread_cache.Snapshot, closed: int, marks: thread_cache.Marks) -> bytes:
    """A logged-in reader's answer: the anonymous one with their marks set (the same bytes if they have none)."""
    if not marks:
        return anonymous_json(article, snap, closed)
    return to_json(thread_cache.marked(_tree(article, snap, closed), marks))


def _tree(article: Article, snap: thread_cache.Snapshot, closed: int) -> dict:
    """The anonymous answer as plain data, made once per snapshot: a logged-in reader's copy starts from it."""
    return snap.render(caching.tree_key(closed),
                       lambda: _article_out(article, snap.thread, snap.featured).model_dump(mode="json"))


def _article_out(article: Article, tree: list[ThreadNode], featured: list[Comment]) -> s.ArticleOut:
    picks = [s.FeaturedOut(id=c.id, author=c.author.display_name, text=c.text, html=str(comment_html(c.text)),
                           created_at=c.created_at) for c in featured]
    return s.ArticleOut(**s.ArticleSummary.model_validate(article).model_dump(), body=article.body,
                        comments_closed=closing.state(article).reason or None,
                        comments=[_node(n) for n in tree], featured=picks)


# A post's story with its site, run on the driver (db/plain.py) and made into the objects the ORM would
# have loaded (the story with its site set): every post asks it.
_STORY_AND_SITE = Loaded(Article, Publisher)
_STORY = Plain(select(*_STORY_AND_SITE.columns()).outerjoin_from(Article, Publisher, Publisher.id == Article.publisher_id)
               .where(Article.id == bindparam("id")))


def _story(db: Session, article_id: int) -> Article | None:
    row = _STORY.first(db, {"id": article_id})
    if row is None:
        return None
    story, site = _STORY_AND_SITE.objects(db, row)
    set_committed_value(story, "publisher", site)
    return story


@router.post("/articles/{article_id}/comments", response_model=s.PostedComment, status_code=201, tags=["comments"],
             responses={202: {"model": s.PostedComment, "description": "Accepted as pending during a surge; "
                              "checked by the queue, then published or held."}})
def post_comment(article_id: int, body: s.CommentIn, request: Request, db: Session = Depends(get_db),
                 viewer: Viewer = Depends(get_viewer), user: User = Depends(require(Permission.SIGNED_IN))) -> s.PostedComment | JSONResponse:
    # Most posts are answered by web/fast_posts.py before FastAPI's routing and dependencies, by the same
    # ``post`` below; what it is not sure of (a body it cannot read as a comment, no log-in) comes here.
    verify_api_csrf(request, viewer)
    return post(request, db, user, article_id, body)


def post(request: Request, db: Session, user: User, article_id: int, body: s.CommentIn) -> JSONResponse:
    """A comment posted through the API by ``user`` (logged in, CSRF checked): its answer."""
    step = start_post(request, db, user, article_id, body)
    if not isinstance(step, comments.Scoring):
        return step
    release(db)  # no connection held while the comment waits for the scoring thread
    return finish_post(request, db, user, body, step, request.app.state.pipeline.score([step.ctx])[0])


def start_post(request: Request, db: Session, user: User, article_id: int,
               body: s.CommentIn) -> JSONResponse | comments.Scoring:
    """``post`` up to scoring: the answer already (a retry, a surge), or the comment waiting for its scores."""
    settings = request.app.state.settings
    recovery.ensure_verified(user, settings.require_verified_email)
    earlier = comments.earlier_post(db, user, body.idempotency_key)
    if earlier is not None:  # a client's retry: the comment its first try stored, as it stands
        return JSONResponse(_posted(earlier).model_dump(mode="json"), status_code=201)
    state = request.app.state
    how = surge.mode(state.posts_in_flight, settings, state.surge_backlog)
    if how == "refuse":
        raise surge.Busy("too many comments are waiting to be checked; nothing was saved, try again shortly")
    if how == "pending":  # a surge: stored now, checked by the queue, published or held as usual
        # with the other posts waiting to write, in one transaction (db/group.py)
        c = write_together(request, lambda session: surge.store_pending(
            session, user, article_id=article_id, text=body.text, parent_id=body.parent_id,
            max_chars=settings.max_comment_chars, per_minute=settings.comments_per_minute,
            idempotency_key=body.idempotency_key, origin=origin_of(request)))
        state.surge_due = True
        state.surge_backlog += 1  # until the next scoring pass counts the queue again
        out = s.PostedComment(id=c.id, state=c.state, reason="Awaiting moderation: your comment will appear once "
                              "it has been checked.", checks=[])
        return JSONResponse(out.model_dump(mode="json"), status_code=202)
    # Scoring first, in the read transaction: the write is short and holds no lock while checks run.
    story = _story(db, article_id)  # loaded once, with its site (whose closing rule the
    # check reads): start_check finds both in the session
    return comments.start_check(
        db, user, article_id=article_id, text=body.text, parent_id=body.parent_id,
        pipeline=request.app.state.pipeline, policy=current_policy(request, db, story.publisher_id if story else None),
        max_chars=settings.max_comment_chars)


def finish_post(request: Request, db: Session, user: User, body: s.CommentIn, scoring: comments.Scoring,
                results) -> JSONResponse:
    """``post`` once the comment's check results are in: the verdict, the short write, the answer."""
    # In one transaction with the other posts waiting to write (db/group.py): one commit for all of them.
    return answer(write_together(request, post_write(request, user, body, scoring, results)))


def post_write(request: Request, user: User, body: s.CommentIn, scoring: comments.Scoring,
               results) -> Callable[[Session], s.PostedComment]:
    """The verdict on a scored comment, and its write: ``work(session)`` for the group's transaction
    (``uow.write_together``, or the fast path's ``GroupCommit.submit``), which returns the answer."""
    settings = request.app.state.settings
    checked = comments.finish_check(request.app.state.pipeline, scoring, results)
    origin = origin_of(request)

    def work(session: Session) -> s.PostedComment:
        c = comments.store(session, user, checked, per_minute=settings.comments_per_minute,
                           idempotency_key=body.idempotency_key, base_url=settings.base_url, origin=origin)
        alerts.for_new_comment(session, c, base_url=settings.base_url)
        if c is not checked.stored:  # its first try, which raced this retry, stored it first: as it stands
            return _posted(c)
        # What was just stored, from the verdict itself (no reading back), answered as it is: validating it
        # again against the response model would wait for a worker thread once more.
        return s.PostedComment(id=c.id, state=c.state, reason=checked.verdict.reason,
                               checks=[s.CheckOut(**r) for r in comments.check_rows(checked.verdict)])

    return work


def answer(out: s.PostedComment) -> JSONResponse:
    """A stored comment's answer (``post_write``'s result)."""
    return JSONResponse(out.model_dump(mode="json"), status_code=201)


@router.post("/session", response_model=s.TokenOut, status_code=201, tags=["accounts"])
def log_in(body: s.LoginIn, request: Request, db: Session = Depends(get_db)) -> s.TokenOut:
    """Exchange a username and password for a bearer token."""
    sso.require_local_passwords(request.app.state.settings.local_passwords)
    origin, days = origin_of(request).ip_hash, request.app.state.settings.session_days
    verified = accounts.verify(db, body.username, body.password)  # argon2 outside the write lock
    token, row = write(request, lambda session: accounts.log_in(session, body.username, body.password,
                                                                 verified=verified,
                                                                 origin_hash=origin, days=days))
    return s.TokenOut(token=token, expires_at=row.expires_at, csrf_token=row.csrf_token)


@router.delete("/session", status_code=204, tags=["accounts"])
def log_out(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
            user: User = Depends(require(Permission.SIGNED_IN))) -> None:
    verify_api_csrf(request, viewer)
    token = viewer.token
    write(request, lambda session: accounts.end_session(session, token))


@router.get("/me", response_model=s.MeOut, tags=["accounts"])
def me(db: Session = Depends(get_db), user: User = Depends(require(Permission.SIGNED_IN))) -> s.MeOut:
    active = sanctions.active_sanction(db, user)
    return s.MeOut(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                   sanction=sanctions.describe(active) if active else None)


@router.get("/moderation/queue", response_model=list[s.QueueItem], tags=["moderation"])
def get_queue(rule: str | None = None, article_id: int | None = None,
              site: str | None = Query(None, max_length=100, description="Only this site (its name)."),
              db: Session = Depends(get_db),
              moderator: User = Depends(require(Permission.MODERATE))) -> list[s.QueueItem]:
    """Held comments on your sites, riskiest first; items another moderator has claimed are left out."""
    scope = sites.narrowed(db, moderator, site)
    return [
        s.QueueItem(id=c.id, article_id=c.article_id, article_title=c.article.title,
                    parent_text=c.parent.text if c.parent else None, author_id=c.author_id,
                    author=c.author.display_name, text=c.text, created_at=c.created_at,
                    risk=max((r.score for r in c.checks), default=0.0), checks=_checks(c))
        for c in moderation.queue(db, moderator, rule=rule, article_id=article_id, scope=scope)
    ]


@router.post("/moderation/comments/{comment_id}/decisions", response_model=s.DecisionOut, status_code=201,
             tags=["moderation"])
def post_decision(comment_id: int, body: s.DecisionIn, request: Request, db: Session = Depends(get_db),
                  viewer: Viewer = Depends(get_viewer),
                  moderator: User = Depends(require(Permission.MODERATE))) -> s.DecisionOut:
    """Approve or remove a comment. With ``sanction`` the author is sanctioned in the same step
    (citing this comment; "next" takes the next step of the policy's escalation ladder), and with
    ``remove_all`` and a rule every other visible comment of theirs is removed too: the desk's
    one-key action."""
    verify_api_csrf(request, viewer)
    base = request.app.state.settings.base_url
    out = write(request, lambda session: moderation.decide_and_sanction(
        session, moderator, comment_id=comment_id, action=body.action, rule=body.rule, reason=body.reason,
        sanction=body.sanction, days=body.days, remove_all=body.remove_all,
        ladder=current_policy(request, session, sites.of_comment(session, comment_id)).escalation, base_url=base,
        legal_ground=body.legal_ground,
        legal_ground_text=body.legal_ground_text, territorial_scope=body.territorial_scope))
    d = out.decision
    return s.DecisionOut(id=d.id, comment_id=d.comment_id, action=d.action, rule=d.rule, reason=d.reason,
                         moderator=moderator.display_name, created_at=d.created_at,
                         sanction=_sanction(out.sanction) if out.sanction else None, removed=out.removed)


def _sanction(row) -> s.SanctionOut:
    return s.SanctionOut(id=row.id, user_id=row.user_id, kind=row.kind, rule=row.rule, reason=row.reason,
                         created_at=row.created_at, ends_at=row.ends_at, message=sanctions.describe(row))


@router.post("/moderation/users/{user_id}/sanctions", response_model=s.SanctionOut, status_code=201,
             tags=["moderation"])
def post_sanction(user_id: int, body: s.SanctionIn, request: Request, db: Session = Depends(get_db),
                  viewer: Viewer = Depends(get_viewer),
                  moderator: User = Depends(require(Permission.MODERATE))) -> s.SanctionOut:
    verify_api_csrf(request, viewer)
    base = request.app.state.settings.base_url
    row = write(request, lambda session: sanctions.sanction(
        session, moderator, user_id=user_id, kind=body.kind, rule=body.rule, reason=body.reason, days=body.days,
        base_url=base))
    return _sanction(row)


@router.post("/articles/{article_id}/comments/preview", response_model=s.PreviewOut, tags=["comments"])
def preview_comment(article_id: int, body: s.CommentIn, request: Request, db: Session = Depends(get_db),
                    user: User = Depends(require(Permission.SIGNED_IN))) -> s.PreviewOut:
    """The nudge: what the policy would do with this text, and why, without posting it."""
    verdict = comments.preview(db, user, article_id=article_id, text=body.text, parent_id=body.parent_id,
                               pipeline=request.app.state.pipeline,
                               policy=current_policy(request, db, sites.of_article(db, article_id)),
                               max_chars=request.app.state.settings.max_comment_chars)
    return s.PreviewOut(action=verdict.action, rule=verdict.rule, reason=verdict.reason,
                        checks=[s.CheckOut(rule=r.rule, score=r.score, model_version=r.model_version,
                                           evidence=r.evidence()) for r in verdict.results])


@router.post("/comments/{comment_id}/reports", response_model=s.ReportOut, status_code=201, tags=["comments"])
def report_comment(comment_id: int, body: s.ReportIn, request: Request, db: Session = Depends(get_db),
                   viewer: Viewer = Depends(get_viewer), user: User = Depends(require(Permission.SIGNED_IN))) -> s.ReportOut:
    verify_api_csrf(request, viewer)
    row = write(request, lambda session: reports.report(
        session, user, comment_id=comment_id, reason=body.reason, explanation=body.explanation,
        policy=current_policy(request, session, sites.of_comment(session, comment_id))))
    return s.ReportOut(id=row.id, comment_id=row.comment_id, reason=row.reason,
                       message="Thank you: we received your report. A moderator will look at it and we will "
                               "tell you the decision.")


def _statement(st: Statement) -> s.StatementOut:
    from remarks.services.statements import automation_words, may_appeal

    return s.StatementOut(id=st.id, measure=st.measure, ends_at=st.ends_at, ground=st.ground, facts=st.facts,
                          explanation=st.explanation, automated=automation_words(st), created_at=st.created_at,
                          comment_id=st.comment_id, appeal_state=st.appeal.state if st.appeal else None,
                          appeal_answer=st.appeal.answer if st.appeal else None, may_appeal=may_appeal(st))


@router.get("/me/statements", response_model=list[s.StatementOut], tags=["accounts"])
def my_statements(db: Session = Depends(get_db), user: User = Depends(require(Permission.SIGNED_IN))) -> list[s.StatementOut]:
    """Statements of reasons for every removal and sanction on your account."""
    rows = db.scalars(select(Statement).where(Statement.user_id == user.id).order_by(Statement.id.desc())).all()
    return [_statement(st) for st in rows]


@router.post("/me/statements/{statement_id}/appeal", response_model=s.AppealOut, status_code=201,
             tags=["accounts"])
def appeal(statement_id: int, body: s.AppealIn, request: Request, db: Session = Depends(get_db),
           viewer: Viewer = Depends(get_viewer), user: User = Depends(require(Permission.SIGNED_IN))) -> s.AppealOut:
    verify_api_csrf(request, viewer)
    a = write(request, lambda session: appeals.file(session, user, statement_id=statement_id, text=body.text))
    return s.AppealOut(id=a.id, statement_id=a.statement_id, state=a.state, answer=a.answer)


@router.get("/moderation/appeals", response_model=list[s.AppealOut], tags=["moderation"])
def open_appeals(site: str | None = Query(None, max_length=100, description="Only this site (its name)."),
                 db: Session = Depends(get_db), moderator: User = Depends(require(Permission.MODERATE))) -> list[s.AppealOut]:
    return [s.AppealOut(id=a.id, statement_id=a.statement_id, state=a.state, answer=a.answer, text=a.text)
            for a in appeals.open_appeals(db, moderator, sites.narrowed(db, moderator, site))]


@router.post("/moderation/appeals/{appeal_id}/decision", response_model=s.AppealOut, tags=["moderation"])
def decide_appeal(appeal_id: int, body: s.AppealDecisionIn, request: Request, db: Session = Depends(get_db),
                  viewer: Viewer = Depends(get_viewer), moderator: User = Depends(require(Permission.MODERATE))) -> s.AppealOut:
    verify_api_csrf(request, viewer)
    base = request.app.state.settings.base_url
    a = write(request, lambda session: appeals.decide(session, moderator, appeal_id=appeal_id, outcome=body.outcome,
                                                      answer=body.answer, base_url=base))
    return s.AppealOut(id=a.id, statement_id=a.statement_id, state=a.state, answer=a.answer)


@router.get("/admin/policy", response_model=dict, tags=["admin"])
def get_policy(request: Request, site: str | None = Query(None, max_length=100, description=SITE_POLICY),
               db: Session = Depends(get_db), admin: User = Depends(require(Permission.ADMINISTER))) -> dict:
    return current_policy(request, db, sites.one(db, admin, site)).model_dump(mode="json")


@router.put("/admin/policy", response_model=dict, tags=["admin"])
def put_policy(body: dict, request: Request, site: str | None = Query(None, max_length=100, description=SITE_POLICY),
               db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
               admin: User = Depends(require(Permission.ADMINISTER))) -> dict:
    """Replace parts of the policy (validated; keys left out keep their values); an audit event is written."""
    verify_api_csrf(request, viewer)

    def work(session: Session) -> policy.PolicyConfig:
        site_id = sites.one(session, admin, site)
        cfg = policy.validate(body, base=current_policy(request, session, site_id))
        policy.save(session, admin, cfg, note="via the API", site_id=site_id)
        return cfg

    return write(request, work).model_dump(mode="json")



@router.put("/comments/{comment_id}/respect", response_model=s.RespectOut, tags=["reader"])
def put_respect(comment_id: int, body: s.RespectIn, request: Request, viewer: Viewer = Depends(get_viewer),
                user: User = Depends(require(Permission.SIGNED_IN))) -> s.RespectOut:
    """Give (on) or take back (off) your Respect for a published comment: one per reader."""
    verify_api_csrf(request, viewer)
    n = write(request, lambda session: reactions.respect(session, user, comment_id=comment_id, on=body.on))
    return s.RespectOut(comment_id=comment_id, reactions=n, reacted=body.on)


@router.delete("/comments/{comment_id}", status_code=204, tags=["reader"])
def delete_comment(comment_id: int, request: Request, viewer: Viewer = Depends(get_viewer),
                   user: User = Depends(require(Permission.SIGNED_IN))) -> None:
    """Delete your own comment: it leaves the page; moderators keep it for the retention period."""
    verify_api_csrf(request, viewer)
    write(request, lambda session: own_comments.delete(session, user, comment_id=comment_id))


@router.put("/moderation/comments/{comment_id}/featured", status_code=204, tags=["moderation"])
def put_featured(comment_id: int, body: s.FeatureIn, request: Request, viewer: Viewer = Depends(get_viewer),
                 moderator: User = Depends(require(Permission.MODERATE))) -> None:
    """Feature a published comment (an editor's pick; its author is told) or stop featuring it."""
    verify_api_csrf(request, viewer)
    write(request, lambda session: featuring.feature(session, moderator, comment_id=comment_id, on=body.on,
                                                     base_url=request.app.state.settings.base_url))


@router.put("/me/mutes/{user_id}", status_code=204, tags=["reader"])
def put_mute(user_id: int, body: s.MuteIn, request: Request, viewer: Viewer = Depends(get_viewer),
             user: User = Depends(require(Permission.SIGNED_IN))) -> None:
    """Mute (on) or unmute another reader: their comments come collapsed in your threads."""
    verify_api_csrf(request, viewer)
    write(request, lambda session: mutes.mute(session, user, user_id=user_id, on=body.on))


@router.get("/me/notifications", response_model=list[s.AlertOut], tags=["reader"])
def my_alerts(db: Session = Depends(get_db), user: User = Depends(require(Permission.SIGNED_IN))) -> list[s.AlertOut]:
    """Replies, mentions and featured comments, newest first (reading them here does not mark them read)."""
    return [s.AlertOut(id=a.id, kind=a.kind, comment_id=a.comment_id,
                       article_slug=a.comment.article.slug if a.comment else None,
                       actor=a.actor.display_name if a.actor else None, created_at=a.created_at,
                       read=a.read_at is not None) for a in alerts.recent(db, user)]


@router.get("/me/data", response_model=dict, tags=["reader"])
def my_data(db: Session = Depends(get_db), user: User = Depends(require(Permission.SIGNED_IN))) -> dict:
    """Everything held about you (GDPR Art. 15 and 20): account, comments and earlier versions, reactions,
    mutes, notifications, reports, appeals, statements, measures, log-ins and your audit-log actions."""
    return privacy.export(db, user)


@router.post("/me/deletion", status_code=204, tags=["reader"])
def delete_me(body: s.DeletionIn, request: Request, viewer: Viewer = Depends(get_viewer),
              user: User = Depends(require(Permission.SIGNED_IN))) -> None:
    """Delete your account (GDPR Art. 17). Moderation records are kept as the law allows (see the page)."""
    verify_api_csrf(request, viewer)
    write(request, lambda session: privacy.delete_account(session, user, password=body.password,
                                                          comments=body.comments))


@router.get("/users", response_model=list[s.UserSuggestion], tags=["reader"])
def suggest_users(prefix: str = Query(..., min_length=1, max_length=40, description="The start of a username."),
                  db: Session = Depends(get_db),
                  user: User = Depends(require(Permission.SIGNED_IN))) -> list[s.UserSuggestion]:
    """Readers whose username starts with ``prefix``: the @mention autocomplete of the comment form."""
    return [s.UserSuggestion(username=u.username, display_name=u.display_name)
            for u in alerts.suggest(db, prefix)]


@router.put("/comments/{comment_id}", response_model=s.PostedComment, tags=["reader"])
def edit_comment(comment_id: int, body: s.EditIn, request: Request, db: Session = Depends(get_db),
                 viewer: Viewer = Depends(get_viewer),
                 user: User = Depends(require(Permission.SIGNED_IN))) -> s.PostedComment:
    """Edit your own comment within the edit window (REMARKS_EDIT_MINUTES, 10 by default). The new text
    goes through the moderation pipeline like a new post: an edit that breaks a rule is held or removed.
    The earlier text is kept for the moderators and the audit log."""
    verify_api_csrf(request, viewer)
    settings = request.app.state.settings
    checked = own_comments.check_edit(db, user, comment_id=comment_id, text=body.text,
                                      pipeline=request.app.state.pipeline,
                                      policy=current_policy(request, db, sites.of_comment(db, comment_id)),
                                      max_chars=settings.max_comment_chars, minutes=settings.edit_minutes)

    def work(session: Session) -> s.PostedComment:
        c = own_comments.store_edit(session, user, comment_id=comment_id, checked=checked,
                                    minutes=settings.edit_minutes, base_url=settings.base_url)
        return _posted(c)

    return write(request, work)
