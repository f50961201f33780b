"""Public pages: news list, article with threaded comments, sign-up, log-in, the reader's own page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remarks.errors import BadInput, NotFound, RemarksError
from remarks.i18n import N_
from remarks.models import Article, Comment, Notification, Sanction, Statement, User
from remarks.moderation import rules
from remarks.services import (
    accounts,
    alerts,
    appeals,
    closing,
    comments,
    notices,
    notify,
    recovery,
    reports,
    sites,
    sso,
    surge,
    thread_cache,
    threads,
)
from remarks.services.statements import automation_words, may_appeal
from remarks.services.sanctions import active_sanction, describe
from remarks.web import caching
from remarks.web.deps import (
    SESSION_COOKIE,
    Viewer,
    csrf_token,
    current_policy,
    get_db,
    get_viewer,
    origin_of,
    set_csrf_cookie,
    verify_csrf,
)
from remarks.web.permissions import Permission, require
from remarks.web.responses import embed_csp, page, safe_next, say, see_other, use_language
from remarks.web.uow import write

router = APIRouter(include_in_schema=False)
# The query an anonymous reader's page may carry and still be the cached one (the fast path, web/fast_reads.py, too).
PLAIN_QUERY = frozenset({"page", "sort", "title", "site"})


@router.get("/rules.css")
def rules_css() -> Response:
    """Each rule's evidence colour, from the rules table (a plug-in's rule gets its own)."""
    css = "".join(f"mark.ev-{r.name} {{ background: {r.colour}; }}\n" for r in rules.table().values())
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})


@router.get("/")
def news_list(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    counts = dict(db.execute(
        select(Comment.article_id, func.count()).where(Comment.state == "published").group_by(Comment.article_id)
    ).all())
    articles = db.scalars(select(Article).order_by(Article.published_at.desc()).limit(50)).all()
    return page(request, "index.html", viewer, articles=articles, counts=counts)


def _article_page(request: Request, db: Session, viewer: Viewer, slug: str, *, status: int = 200,
                  error: str | None = None, draft: str = "", draft_parent: int | None = None,
                  nudge: dict | None = None, embed: bool = False) -> Response:
    article = db.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        raise NotFound(N_("there is no such article"))
    name = "embed.html" if embed else "article.html"
    page_no, sort = page_and_sort(request)
    snap = request.app.state.thread_cache.get(article, page=page_no, sort=sort)
    plain = viewer.user is None and status == 200 and not (error or draft or nudge) and \
        set(request.query_params) <= PLAIN_QUERY
    if plain:  # an anonymous reader's page: rendered once per version and language, revalidated by ETag
        return _cached_page(request, viewer, name, article, snap, embed)
    response = page(request, name, viewer, status=status, article=article, embed=embed,
                    **_section(request, db, viewer, article, snap, error, draft, draft_parent, nudge))
    response.headers["Cache-Control"] = caching.PRIVATE
    if embed:
        response.headers["Content-Security-Policy"] = embed_csp(request.app.state.settings)
    return response


def _cached_page(request: Request, viewer: Viewer, name: str, article: Article, snap, embed: bool) -> Response:
    token = csrf_token(request)
    lang = use_language(request)
    closed = int(closing.state(article).closed)  # closing by date is computed, not a change to the thread
    tag = caching.page_tag(article.id, snap.version, snap.page, snap.sort, lang, embed, closed, token)
    if caching.fresh(request, tag):
        return caching.not_modified(tag, caching.PAGE)

    def render() -> bytes:
        response = page(request, name, viewer, article=article, embed=embed,
                        **_section(request, None, viewer, article, snap, None, "", None, None))
        return bytes(response.body).replace(token.encode(), caching.FORM_TOKEN.encode())

    body = snap.render(caching.page_key(name, lang, request.url.path, closed), render)
    body = body.replace(caching.FORM_TOKEN.encode(), token.encode())
    response = Response(body, media_type="text/html; charset=utf-8", headers=caching.headers(tag, caching.PAGE))
    set_csrf_cookie(request, response, request.app.state.settings)
    if embed:
        response.headers["Content-Security-Policy"] = embed_csp(request.app.state.settings)
    return response


def page_and_sort(request: Request) -> tuple[int, str]:
    page_no = request.query_params.get("page", "1")
    page_no = int(page_no) if page_no.isdigit() and 0 < len(page_no) < 7 else 1
    sort = request.query_params.get("sort", threads.DEFAULT_SORT)
    return page_no, sort if sort in threads.SORTS else threads.DEFAULT_SORT


def _section(request: Request, db: Session | None, viewer: Viewer, article: Article, snap, error: str | None,
             draft: str, draft_parent: int | None, nudge: dict | None) -> dict:
    """What the comments section needs, on the article page and in the embed alike: the cached thread
    (services/thread_cache.py), as the viewer sees it."""
    sanction = active_sanction(db, viewer.user) if viewer.user else None
    page_no, sort = snap.page, snap.sort
    here = f"{request.url.path}?sort={sort}&page={page_no}"
    error = error or (request.query_params.get("problem", "")[:200] or None)
    minutes = request.app.state.settings.edit_minutes
    tree = thread_cache.for_viewer(db, snap, viewer.user, edit_minutes=minutes) if viewer.user else snap.thread
    if tree is None:  # the viewer has comments waiting here that only they see
        tree = threads.thread(db, article, viewer=viewer.user, page=page_no, sort=sort, edit_minutes=minutes)
    return dict(thread=tree, page_no=page_no, pages=snap.pages, sort=sort, sorts=threads.SORTS, here=here,
                featured=snap.featured, last_id=snap.last_id, count=snap.count, error=error, draft=draft,
                draft_parent=draft_parent, sanction_message=describe(sanction) if sanction else None,
                nudge=nudge, reported=request.query_params.get("reported", ""), report_reasons=rules.reportable(),
                closure=closing.state(article))


@router.get("/embed/{slug}")
def embed_page(slug: str, request: Request, title: str = "", site: str = "", db: Session = Depends(get_db),
               viewer: Viewer = Depends(get_viewer)) -> Response:
    """The comments of one article, for a CMS page to frame (see /static/embed.js). ``site`` (the
    embed's data-site) names the site the article belongs to: a new article is made there, and an
    article of another site is not shown (404), so a mistyped id never opens another site's thread."""
    settings = request.app.state.settings
    pub = sites.by_name(db, site[:100]) if site else None
    found = db.scalar(select(Article).where(Article.slug == slug))
    if title and settings.embed_autocreate and found is None:
        from remarks.services import publishing_light

        write(request, lambda session: publishing_light.create_stub(session, slug=slug, title=title,
                                                                    site_id=pub.id if pub else None))
    elif pub is not None and found is not None and found.publisher_id != pub.id:
        raise NotFound(f"there is no article {slug!r} on {pub.name}")
    return _article_page(request, db, viewer, slug, embed=True)


@router.get("/articles/{slug}")
def article_page(slug: str, request: Request, db: Session = Depends(get_db),
                 viewer: Viewer = Depends(get_viewer)) -> Response:
    return _article_page(request, db, viewer, slug)


def _nudge_words(text: str, results, rule: str) -> list[str]:
    for r in results:
        if r.rule == rule:
            return sorted({text[sp.start:sp.end] for sp in r.spans})[:8]
    return []


@router.post("/articles/{slug}/comments")
def post_comment(
    slug: str,
    request: Request,
    text: Annotated[str, Form()] = "",
    parent_id: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    nudged_text: Annotated[str, Form()] = "",
    view: Annotated[str, Form()] = "",
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(get_viewer),
) -> Response:
    verify_csrf(request, csrf)
    embed = view == "embed"
    home = f"/embed/{slug}" if embed else f"/articles/{slug}"
    if viewer.user is None:
        return see_other(f"/login?next={home}")
    article = db.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        raise NotFound(N_("there is no such article"))
    settings = request.app.state.settings
    parent = int(parent_id) if parent_id.isdigit() else None
    policy = current_policy(request, db, article.publisher_id)
    state = request.app.state
    try:
        recovery.ensure_verified(viewer.user, settings.require_verified_email)
        how = surge.mode(state.posts_in_flight, settings, state.surge_backlog)
        if how == "refuse":  # the page again, with the reader's words kept and the reason
            raise surge.Busy("too many comments are waiting to be checked; nothing was saved, try again shortly")
        if how == "pending":  # a surge, as the API: stored now, checked by the queue; the page shows it to its
            # author as awaiting moderation (the nudge is the check's, which comes later)
            c = write(request, lambda session: surge.store_pending(
                session, viewer.user, article_id=article.id, text=text, parent_id=parent,
                max_chars=settings.max_comment_chars, per_minute=settings.comments_per_minute,
                origin=origin_of(request)))
            state.surge_due = True
            state.surge_backlog += 1  # until the next scoring pass counts the queue again
            return see_other(f"{home}#c{c.id}")
        # One pass through the pipeline, before any write: it gives the nudge and, if the reader goes
        # on, the verdict that is stored.
        checked = comments.check(db, viewer.user, article_id=article.id, text=text, parent_id=parent,
                                 pipeline=request.app.state.pipeline, policy=policy,
                                 max_chars=settings.max_comment_chars)
        verdict = checked.verdict
        if not confirm and verdict.action != "publish" and (rule := rules.get(verdict.rule)) and rule.citable:
            # The nudge: say which rule and which words before the comment is posted.
            db.rollback()
            return _article_page(request, db, viewer, slug, draft=text, draft_parent=parent, embed=embed,
                                 nudge={"rule": rule.label, "action": verdict.action,
                                        "words": _nudge_words(text, list(verdict.results), verdict.rule)})
        def work(session: Session) -> int:
            c = comments.store(session, viewer.user, checked, per_minute=settings.comments_per_minute,
                               base_url=settings.base_url, origin=origin_of(request), nudged=bool(confirm),
                               edited_after_nudge=bool(confirm) and text != nudged_text)
            session.flush()
            alerts.for_new_comment(session, c, base_url=settings.base_url)
            return c.id

        comment_id = write(request, work)
    except RemarksError as exc:
        db.rollback()
        # Re-show the page with the reader's words in the form, so nothing typed is lost.
        return _article_page(request, db, viewer, slug, status=exc.status, error=say(request, exc, viewer.user), draft=text,
                             draft_parent=parent, embed=embed)
    return see_other(f"{home}#c{comment_id}")


@router.post("/articles/{slug}/comments/{comment_id}/report")
def report_comment(slug: str, comment_id: int, request: Request, reason: Annotated[str, Form()] = "",
                   explanation: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
                   view: Annotated[str, Form()] = "",
                   db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
                   user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    verify_csrf(request, csrf)
    embed = view == "embed"
    home = f"/embed/{slug}" if embed else f"/articles/{slug}"
    try:
        write(request, lambda session: reports.report(
            session, user, comment_id=comment_id, reason=reason, explanation=explanation,
            policy=current_policy(request, session, sites.of_comment(session, comment_id))))
    except RemarksError as exc:
        return _article_page(request, db, viewer, slug, status=exc.status, error=say(request, exc, viewer.user), embed=embed)
    return see_other(f"{home}?reported={comment_id}#c{comment_id}")


@router.get("/login")
def login_form(request: Request, next: str = "/", viewer: Viewer = Depends(get_viewer)) -> Response:
    return page(request, "login.html", viewer, next=safe_next(next), error=None, username="")


def _logged_in(request: Request, token: str, target: str) -> Response:
    """The redirect that sets the new session's cookie."""
    settings = request.app.state.settings
    response = see_other(safe_next(target))
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite=settings.cookie_samesite,
                        secure=settings.secure_cookies or settings.cookie_samesite == "none",
                        max_age=settings.session_days * 86400)
    return response


@router.post("/login")
def login(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/", csrf: Annotated[str, Form()] = "",
          db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    origin, old_token, days = origin_of(request).ip_hash, viewer.token, request.app.state.settings.session_days
    try:
        sso.require_local_passwords(request.app.state.settings.local_passwords)
        verified = accounts.verify(db, username, password)  # argon2 outside the write lock
        token, _ = write(request, lambda session: accounts.log_in(  # a new session on every log-in
            session, username, password, origin_hash=origin, days=days, replacing=old_token, verified=verified))
    except RemarksError as exc:
        return page(request, "login.html", viewer, status=exc.status, next=safe_next(next), error=say(request, exc, viewer.user),
                    username=username)
    return _logged_in(request, token, next)


@router.get("/signup")
def signup_form(request: Request, viewer: Viewer = Depends(get_viewer)) -> Response:
    return page(request, "signup.html", viewer, error=None, form={})


@router.post("/signup")
def signup(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
           display_name: Annotated[str, Form()] = "", email: Annotated[str, Form()] = "",
           csrf: Annotated[str, Form()] = "", db: Session = Depends(get_db),
           viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    origin, days = origin_of(request).ip_hash, request.app.state.settings.session_days

    settings = request.app.state.settings
    # argon2 before the write transaction, so sign-ups at once do not queue on the lock while hashing.
    hashed = accounts.hash_password(password) if 8 <= len(password) <= 1024 else None

    def work(session: Session) -> str:
        sso.require_local_passwords(request.app.state.settings.local_passwords)
        accounts.check_signup_rate(session, origin)
        if settings.require_verified_email and not email.strip():
            raise BadInput(N_("give your e-mail address: we send you a link to confirm it before your comments appear"))
        user = accounts.create_user(session, None, username=username, password=password, password_hash=hashed,
                                    display_name=display_name or None, email=email.strip() or None, origin=origin)
        session.flush()
        if user.email:
            recovery.send_verification(session, user, base_url=settings.base_url)
        return accounts.start_session(session, user, days=days)[0]

    try:
        token = write(request, work)
    except RemarksError as exc:
        return page(request, "signup.html", viewer, status=exc.status, error=say(request, exc, viewer.user),
                    form={"username": username, "display_name": display_name, "email": email})
    return _logged_in(request, token, "/")


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/",
           db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> Response:
    verify_csrf(request, csrf)
    token = viewer.token
    write(request, lambda session: accounts.end_session(session, token))
    response = see_other(safe_next(next))
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/me")
def my_page(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer),
            user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    uid = user.id
    mine = db.scalars(select(Comment).where(Comment.author_id == uid).order_by(Comment.created_at.desc()).limit(100)).all()
    sanctions = db.scalars(select(Sanction).where(Sanction.user_id == uid).order_by(Sanction.created_at.desc())).all()
    stmts = db.scalars(select(Statement).where(Statement.user_id == uid).order_by(Statement.created_at.desc())).all()
    notes = db.scalars(select(Notification).where(Notification.user_id == uid)
                       .order_by(Notification.created_at.desc()).limit(50)).all()
    return page(request, "me.html", viewer, comments=mine, sanctions=sanctions, describe=describe, statements=stmts,
                notifications=[n for n in notes if not notify.KINDS.get(n.kind, notify.KINDS["general"]).secret],
                may_appeal=may_appeal, automation_words=automation_words,
                reports=notices.my_reports(db, viewer.user), rule_label=rules.label, legal_words=notices.legal_words,
                email_kinds=notify.KINDS, email_prefs=notify.preferences(db, viewer.user),
                awaiting_verification=recovery.awaiting_verification(
                    user, request.app.state.settings.require_verified_email),
                flash=request.query_params.get("done", "")[:200])


@router.post("/me/appeals")
def appeal(request: Request, statement_id: Annotated[int, Form()] = 0, text: Annotated[str, Form()] = "",
           csrf: Annotated[str, Form()] = "", db: Session = Depends(get_db),
           user: User = Depends(require(Permission.SIGNED_IN))) -> Response:
    verify_csrf(request, csrf)
    write(request, lambda session: appeals.file(session, user, statement_id=statement_id, text=text))
    return see_other("/me?done=" + N_("Your appeal was sent. A moderator will answer you.") + "#statements")
