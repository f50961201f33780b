"""Posting comments and reading threads."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, func, insert, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload

from remarks.events import Event, comment_state_event
from remarks.checks.base import ArticleRef, CommentContext
from remarks.db import release
from remarks.db.plain import Plain, adopt
from remarks.errors import BadInput, NotFound, RateLimited, TooLarge
from remarks.i18n import N_
from remarks.models import Article, CheckRecord, Comment, Decision, Publisher, User
from remarks.models import versions
from remarks.models.base import utcnow
from remarks.moderation.pipeline import Pipeline
from remarks.moderation.policy import Circumstances, PolicyConfig, Verdict
from remarks.services import audit, closing, sanctions, statements, webhooks
from remarks.services.memory import DatabaseMemory, looks_for_near_copies
from remarks.services.sanctions import ensure_may_post

_ALLOWED_CONTROL = {"\n", "\r", "\t"}


def clean_text(text: object, *, max_chars: int) -> str:
    """The comment exactly as typed, in NFC; refuses what is not text."""
    if not isinstance(text, str):
        raise BadInput(N_("a comment must be text"))
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise BadInput(N_("the comment is empty"))
    bad = [c for c in text if (unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROL) or c in "\ufffe\uffff"]
    if bad:
        raise BadInput(N_("the comment contains %(n)s control or binary character(s) (first U+%(char)s)"), n=len(bad),
                       char=f"{ord(bad[0]):04X}")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise BadInput(N_("the comment contains broken unicode (lone surrogates)"))
    if len(text) > max_chars:
        raise TooLarge(N_("the comment is %(n)s characters long; the limit is %(limit)s"), n=f"{len(text):,}",
                       limit=f"{max_chars:,}")
    return text


def context(session: Session, article: Article, parent: Comment | None, author: User, text: str,
            for_checks: bool = True) -> CommentContext:
    """The comment and what every check may look at; what a check needs from memory comes later
    (``Pipeline.provide``). Without checks (``for_checks`` false) only what the policy reads: the
    thread's participants and the other articles are left out (no check to look at them)."""
    conn = session.connection()  # plain rows: names and columns, no objects
    participants = conn.execute(_PARTICIPANTS, {"article": article.id, "author": author.id}).scalars().all() \
        if for_checks else ()
    others = conn.execute(_OTHERS, {"article": article.id}).all() if for_checks else ()
    count = _AUTHORS_COUNT.scalar(conn, {"author": author.id}) or 0
    return CommentContext(
        text=text,
        article_id=str(article.id),
        article_title=article.title,
        article_body=article_text(article),
        byline=article.byline,
        parent_text=parent.text if parent else None,
        author=author.display_name,
        participants=tuple(participants),
        other_articles=tuple(ArticleRef(str(a.id), a.title, article_text(a)) for a in others),
        author_age_days=(utcnow() - author.created_at).total_seconds() / 86400,
        author_comment_count=count,
    )


# Built once: every post with checks asks them.
_AUTHORS_COUNT = Plain(select(func.count()).select_from(Comment).where(Comment.author_id == bindparam("author")))
_PARTICIPANTS = (select(User.display_name).join(Comment, Comment.author_id == User.id)
                 .where(Comment.article_id == bindparam("article"), Comment.author_id != bindparam("author"))
                 .distinct().limit(50))
_OTHERS = (select(Article.id, Article.title, Article.standfirst, Article.body)  # the columns the checks read
           .where(Article.id != bindparam("article")).order_by(Article.published_at.desc()).limit(10))


def article_text(article) -> str:
    """An article's (or a row's with its standfirst and body) text for the checks."""
    return f"{article.standfirst}\n\n{article.body}".strip()


def _check_rate(session: Session, author: User, per_minute: int) -> None:
    since = utcnow() - timedelta(minutes=1)
    recent = session.scalar(
        select(func.count()).select_from(Comment).where(Comment.author_id == author.id, Comment.created_at >= since)
    ) or 0
    if recent >= per_minute:
        raise RateLimited(N_("you can post %(n)s comments a minute; wait a moment and try again"), retry_after=60,
                          n=per_minute)


@dataclass(frozen=True)
class Origin:
    """Where a comment came from: keyed hashes for ban-evasion signals, never raw values."""

    ip_hash: str | None = None
    device_hash: str | None = None


def _may_comment(session: Session, actor: User, article_id: int, parent_id: int | None,
                 fresh: bool = False) -> tuple[Article, Comment | None]:
    """The article and parent, if this user may comment there now (checked again at the write, ``fresh``:
    read again from the database, not taken from what the session loaded before scoring)."""
    if fresh:  # the article and its site (whose closing rule closing.state reads) as they are now, together
        article = session.scalar(select(Article).options(joinedload(Article.publisher)).where(Article.id == article_id)
                                 .execution_options(populate_existing=True))
    else:
        article = session.get(Article, article_id)
    if article is None:
        raise NotFound(N_("no article %(id)s"), id=article_id)
    parent = None
    if parent_id is not None:
        parent = session.get(Comment, parent_id, populate_existing=fresh)
        if parent is None or parent.article_id != article.id or parent.state != "published":
            raise BadInput(N_("you can only reply to a published comment under the same article"))
    ensure_may_post(session, actor)
    closing.ensure_open(article)
    return article, parent


def prepare(session: Session, actor: User, article_id: int, parent_id: int | None, text: object,
            max_chars: int) -> tuple[Article, Comment | None, str]:
    """The article, the parent and the cleaned text of a comment this user may post now."""
    article, parent = _may_comment(session, actor, article_id, parent_id)
    return article, parent, clean_text(text, max_chars=max_chars)


@dataclass
class Checked:
    """A comment run through the pipeline and not yet stored: what ``store`` writes."""

    article_id: int
    parent_id: int | None
    text: str
    verdict: Verdict
    memory: DatabaseMemory
    stored: Comment | None = None  # the comment ``store`` inserted (not an earlier one a retry found)
    loaded: tuple = ()  # what the check loaded (Scoring.loaded), held until the write


def check(session: Session, actor: User, *, article_id: int, text: object, pipeline: Pipeline,
          policy: PolicyConfig, max_chars: int, parent_id: int | None = None) -> Checked:
    """Validate a comment and run it through the moderation pipeline. Reads only: the caller runs it
    before the write transaction opens, so scoring never holds the database's write lock."""
    scoring = start_check(session, actor, article_id=article_id, text=text, pipeline=pipeline, policy=policy,
                          max_chars=max_chars, parent_id=parent_id)
    # While the comment waits for the scoring thread its session holds no connection (db.release).
    release(session)
    return finish_check(pipeline, scoring, pipeline.score([scoring.ctx])[0])


@dataclass
class Scoring:
    """A comment validated and given its context (``Pipeline.provide``), waiting for its scores: ``check``
    in two halves, for a caller that waits for the scoring thread without holding a worker thread."""

    article_id: int
    parent_id: int | None
    ctx: CommentContext
    who: Circumstances
    policy: PolicyConfig
    memory: DatabaseMemory
    # Held, so the session keeps them loaded for the write (its identity map forgets what nobody holds):
    # a removal's statement of reasons names the article, and would read it again.
    loaded: tuple = ()


def start_check(session: Session, actor: User, *, article_id: int, text: object, pipeline: Pipeline,
                policy: PolicyConfig, max_chars: int, parent_id: int | None = None) -> Scoring:
    """The reads of ``check``: the comment validated, its context, what the checks ask of the memory."""
    article, parent, text = prepare(session, actor, article_id, parent_id, text, max_chars)
    ctx = context(session, article, parent, actor, text, for_checks=bool(pipeline.checks))
    who = Circumstances(username=actor.username, prior_comments=ctx.author_comment_count or 0,
                        article_slug=article.slug)
    memory = DatabaseMemory(session, signs=looks_for_near_copies(pipeline.checks))
    # Checks run before the comment exists, so "the user's first N comments" counts only earlier ones.
    provided = pipeline.provide([ctx], memory)[0]
    return Scoring(article.id, parent.id if parent else None, provided, who, policy, memory, (article, parent))


def finish_check(pipeline: Pipeline, scoring: Scoring, results) -> Checked:
    """The rest of ``check`` once the comment's check results are in (``Pipeline.score``): the verdict."""
    text = scoring.ctx.text
    verdict = pipeline.decide(results, scoring.policy, text, scoring.who)
    scoring.memory.sign(text)  # the near-copy signature the write stores, computed outside it
    return Checked(scoring.article_id, scoring.parent_id, text, verdict, scoring.memory, loaded=scoring.loaded)


def preview(session: Session, actor: User, *, article_id: int, text: object, pipeline: Pipeline,
            policy: PolicyConfig, max_chars: int, parent_id: int | None = None) -> Verdict:
    """What the policy would do with this text, stored nowhere: the nudge before posting."""
    return check(session, actor, article_id=article_id, text=text, pipeline=pipeline, policy=policy,
                 max_chars=max_chars, parent_id=parent_id).verdict


def earlier_post(session: Session, actor: User, idempotency_key: str | None) -> Comment | None:
    """The comment this idempotency key already created (a client's retry), if any."""
    if idempotency_key is None:
        return None
    if not (1 <= len(idempotency_key) <= 100):
        raise BadInput(N_("an idempotency key is 1 to 100 characters"))
    found = _BY_KEY.first(session, {"key": idempotency_key})  # mostly none: no object made
    if found is None:
        return None
    found_id, author_id = found
    if author_id != actor.id:
        raise BadInput(N_("that idempotency key was used by someone else"))
    return session.get(Comment, found_id)


_BY_KEY = Plain(select(Comment.id, Comment.author_id).where(Comment.idempotency_key == bindparam("key")))


def _recheck(session: Session, actor: User, article_id: int, parent_id: int | None, per_minute: int) -> None:
    """What may have changed since scoring, read again inside the write: a closing (of the article or
    by its site's rule), a ban or suspension, the rate limit, as ``_may_comment(fresh=True)`` and
    ``_check_rate`` ask them, in one plain statement with whether any webhook is active (else no event
    of the post looks webhooks up). The same refusals, in the same order: a refusal is then worded by
    the code that words it (reading again what it needs)."""
    row = _RECHECK.first(session, {"article": article_id, "user": actor.id, "since": utcnow() - timedelta(minutes=1)})
    if row is None:
        raise NotFound(N_("no article %(id)s"), id=article_id)
    closed_at, published_at, close_after_days, may_block, count, hooks = row
    if parent_id is not None:
        parent = session.get(Comment, parent_id, populate_existing=True)
        if parent is None or parent.article_id != article_id or parent.state != "published":
            raise BadInput(N_("you can only reply to a published comment under the same article"))
    if may_block:  # a blocking sanction not lifted: whether it still runs, and the words, are ensure_may_post's
        ensure_may_post(session, actor)
    if closing.closed(closed_at, published_at, close_after_days):
        _may_comment(session, actor, article_id, parent_id, fresh=True)  # its refusal, with the reason
    if (count or 0) >= per_minute:
        _check_rate(session, actor, per_minute)  # its refusal
    if not hooks:
        webhooks.known_none(session)


# Built once (SQLAlchemy then finds its compiled form by a key it computes once): a post asks it every time.
_RECHECK = Plain(
    select(Article.closed_at, Article.published_at, Publisher.close_after_days,
           sanctions.may_block(bindparam("user")),
           select(func.count()).select_from(Comment).where(Comment.author_id == bindparam("user"),
                                                           Comment.created_at >= bindparam("since")).scalar_subquery(),
           webhooks.ANY_ACTIVE)
    .outerjoin(Publisher, Publisher.id == Article.publisher_id).where(Article.id == bindparam("article")))


def _insert(session: Session, values: dict) -> Comment | None:
    """Insert a comment, or nothing if its idempotency key is taken (a client's retry that raced its first
    try): one plain statement (no flush, no savepoint) that returns the stored row, which joins the session
    as a loaded object. Inserted so, it is not seen by the flush listener that bumps the thread version
    (models/versions.py): the caller bumps it."""
    insert_ = _INSERTS[session.get_bind().dialect.name]
    row = insert_.first(session, values)
    if row is None:
        return None
    # as if loaded: its columns known, nothing pending
    return adopt(session, Comment, _COMMENT, dict(zip(insert_.keys(session, values), row)), (row[0],))


_COMMENT = inspect(Comment)
_INSERTS = {name: Plain(upsert(Comment.__table__).on_conflict_do_nothing(index_elements=["idempotency_key"])
                        .returning(*Comment.__table__.c), inserts=True)
            for name, upsert in (("sqlite", sqlite_insert), ("postgresql", postgresql_insert))}


def store(session: Session, actor: User, checked: Checked, *, per_minute: int, base_url: str = "",
          idempotency_key: str | None = None, origin: Origin = Origin(), nudged: bool = False,
          edited_after_nudge: bool = False) -> Comment:
    """The short write: re-check what may have changed since scoring (a ban, a closing, the rate),
    insert the comment already in its verdict's state with its check results and decision, every
    step audited in the caller's transaction. A client's retry that raced its first try is caught
    by the idempotency key's unique index (the caller looked for an earlier post before scoring)."""
    _recheck(session, actor, checked.article_id, checked.parent_id, per_minute)
    verdict = checked.verdict
    comment = _insert(session, {
        "article_id": checked.article_id, "parent_id": checked.parent_id, "author_id": actor.id, "text": checked.text,
        "state": verdict.state, "risk": verdict.risk, "idempotency_key": idempotency_key, "ip_hash": origin.ip_hash,
        "device_hash": origin.device_hash, "nudged": nudged, "edited_after_nudge": edited_after_nudge,
        "created_at": utcnow()})
    if comment is None:  # the key is taken
        earlier = session.scalar(select(Comment).where(Comment.idempotency_key == idempotency_key))
        if earlier is not None and earlier.author_id == actor.id:
            return earlier
        raise BadInput(N_("that idempotency key was used by someone else"))
    versions.bump(session, [checked.article_id])
    created = audit.entry(Event.COMMENT_CREATED, actor=actor, subject_type="comment", subject_id=comment.id,
                          article_id=checked.article_id, parent_id=comment.parent_id)
    checked.memory.persist(session, comment)
    story = checked.loaded[0] if checked.loaded else None  # a removal's statement of reasons names it
    record_verdict(session, comment, verdict, base_url=base_url, events=[created], author=actor,
                   story_title=story.title if story is not None else None)
    checked.stored = comment
    return comment


def check_rows(verdict: Verdict) -> list[dict]:
    """The check results a verdict stores (one row per check, and one for the policy's word lists)."""
    rows = [{"rule": r.rule, "score": r.score, "evidence": r.evidence(), "model_version": r.model_version}
            for r in verdict.results]
    words = verdict.words
    if words.get("banned") or words.get("suspect"):
        rows.append({"rule": "words", "score": 1.0 if words["banned"] else 0.5,
                     "evidence": {"spans": words["banned"] + words["suspect"], "labels": {}, "details": {}},
                     "model_version": "policy-word-lists"})
    return rows


_CHECK_ROWS = Plain(insert(CheckRecord.__table__), inserts=True)
_DECISION = Plain(insert(Decision.__table__), inserts=True)
_DECISION_ID = Plain(insert(Decision.__table__).returning(Decision.__table__.c.id), inserts=True)


def record_verdict(session: Session, comment: Comment, verdict: Verdict, *, base_url: str = "",
                   events: list | None = None, author: User | None = None, story_title: str | None = None) -> None:
    """Store the check results and the automatic decision, move the comment to its state, audit it
    and, for a removal, write the statement of reasons. ``events``: audit events of the caller
    (``audit.entry``) written in the same statement as this one's. ``author`` and ``story_title``: the
    comment's, when the caller has them (else read through the comment), for a removal's statement."""
    rows = check_rows(verdict)
    if rows:  # one statement for all of them (no objects needed back)
        _CHECK_ROWS.run(session, [{"comment_id": comment.id, **r} for r in rows])
        if "checks" in comment.__dict__:  # loaded earlier in this session: load again when next read
            session.expire(comment, ["checks"])
    if comment.state != verdict.state:  # a new comment is inserted in its verdict's state already
        comment.state = verdict.state
    if (comment.risk or 0.0) < verdict.risk:
        comment.risk = verdict.risk
    decided = {"comment_id": comment.id, "automatic": verdict.automated, "action": verdict.action,
               "rule": verdict.rule, "reason": verdict.reason, "created_at": utcnow()}
    events = [*(events or []), audit.entry(
        comment_state_event(verdict.state), actor=None, subject_type="comment", subject_id=comment.id, automatic=True,
        rule=verdict.rule, score=verdict.score, reason=verdict.reason, scores=verdict.scores())]
    if verdict.state == "removed":  # the statement of reasons names the decision: its id back
        # Plain statements, the statement's audit event written with the others (after theirs, as before).
        decision_id = _DECISION_ID.scalar(session, decided)
        events.append(statements.for_automatic_removal(
            session, comment, decision_id=decision_id, rule=verdict.rule, reason=verdict.reason,
            flagged=verdict.automated or any(r["score"] >= 0.5 for r in rows), author=author or comment.author,
            story_title=story_title if story_title is not None else comment.article.title, base_url=base_url))
    else:  # nothing needs it back: one plain statement
        _DECISION.run(session, decided)
    if "decisions" in comment.__dict__:
        session.expire(comment, ["decisions"])
    audit.write(session, events)
    session.flush()


def submit_comment(
    session: Session,
    actor: User,
    *,
    article_id: int,
    text: object,
    pipeline: Pipeline,
    policy: PolicyConfig,
    max_chars: int,
    per_minute: int,
    base_url: str = "",
    parent_id: int | None = None,
    idempotency_key: str | None = None,
    origin: Origin = Origin(),
    nudged: bool = False,
    edited_after_nudge: bool = False,
) -> Comment:
    """Check, store and decide on a new comment in one session (scripts, tests, imports). The web
    routes call ``check`` and ``store`` in two transactions, so scoring holds no write lock. A retry
    and a user over the rate limit are answered before scoring; ``store`` asks both again, because
    the web's two transactions leave time between them."""
    if (earlier := earlier_post(session, actor, idempotency_key)) is not None:
        return earlier
    _check_rate(session, actor, per_minute)
    checked = check(session, actor, article_id=article_id, text=text, pipeline=pipeline, policy=policy,
                    max_chars=max_chars, parent_id=parent_id)
    return store(session, actor, checked, per_minute=per_minute, base_url=base_url,
                 idempotency_key=idempotency_key, origin=origin, nudged=nudged,
                 edited_after_nudge=edited_after_nudge)
