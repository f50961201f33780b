"""Posting comments and reading threads."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from remarks.events import Event, comment_state_event
from remarks.checks.base import ArticleRef, CommentContext
from remarks.errors import BadInput, NotFound, RateLimited, TooLarge
from remarks.models import Article, CheckRecord, Comment, Decision, User
from remarks.models.base import utcnow
from remarks.checks.policy import Outcome
from remarks.services import audit, signals, statements
from remarks.services.policy import PolicyConfig
from remarks.services.sanctions import ensure_may_post
from remarks.services.scoring import Circumstances, Scorer, apply_policy, word_spans

_ALLOWED_CONTROL = {"\n", "\r", "\t"}


def clean_text(text: object, *, max_chars: int) -> str:
    """The comment exactly as typed, in NFC; refuses what is not text."""
    if not isinstance(text, str):
        raise BadInput("a comment must be text")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise BadInput("the comment is empty")
    bad = [c for c in text if (unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROL) or c in "\ufffe\uffff"]
    if bad:
        raise BadInput(f"the comment contains {len(bad)} control or binary character(s) (first U+{ord(bad[0]):04X})")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise BadInput("the comment contains broken unicode (lone surrogates)")
    if len(text) > max_chars:
        raise TooLarge(f"the comment is {len(text):,} characters long; the limit is {max_chars:,}")
    return text


def _context(session: Session, article: Article, parent: Comment | None, author: User, text: str,
             scorer: Scorer | None = None) -> CommentContext:
    participants = session.scalars(
        select(User.display_name).join(Comment, Comment.author_id == User.id)
        .where(Comment.article_id == article.id, Comment.author_id != author.id).distinct().limit(50)
    ).all()
    others = session.scalars(
        select(Article).where(Article.id != article.id).order_by(Article.published_at.desc()).limit(10)
    ).all()
    count = session.scalar(select(func.count()).select_from(Comment).where(Comment.author_id == author.id)) or 0
    extras: dict = {}
    rules = {c.rule for c in scorer.checks} if scorer is not None else set()
    if "promotion" in rules:
        extras["duplicates"], extras["_signature"] = signals.find_duplicates(session, text)
    if "offtopic" in rules:
        extras["article_vectors"] = signals.article_vectors(session, article)
        extras["other_article_vectors"] = {str(a.id): signals.article_vectors(session, a) for a in others}
    return CommentContext(
        extras=extras,
        text=text,
        article_id=str(article.id),
        article_title=article.title,
        article_body=f"{article.standfirst}\n\n{article.body}".strip(),
        byline=article.byline,
        parent_text=parent.text if parent else None,
        author=author.display_name,
        participants=tuple(participants),
        other_articles=tuple(ArticleRef(str(a.id), a.title, a.body) for a in others),
        author_age_days=(utcnow() - author.created_at).total_seconds() / 86400,
        author_comment_count=count,
    )


def _check_rate(session: Session, author: User, per_minute: int) -> None:
    since = utcnow() - timedelta(minutes=1)
    recent = session.scalar(
        select(func.count()).select_from(Comment).where(Comment.author_id == author.id, Comment.created_at >= since)
    ) or 0
    if recent >= per_minute:
        raise RateLimited(f"you can post {per_minute} comments a minute; wait a moment and try again", retry_after=60)


@dataclass(frozen=True)
class Origin:
    """Where a comment came from: keyed hashes for ban-evasion signals, never raw values."""

    ip_hash: str | None = None
    device_hash: str | None = None


def _prepare(session: Session, actor: User, article_id: int, parent_id: int | None, text: object,
             max_chars: int) -> tuple[Article, Comment | None, str]:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"no article {article_id}")
    parent = None
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if parent is None or parent.article_id != article.id or parent.state != "published":
            raise BadInput("you can only reply to a published comment under the same article")
    ensure_may_post(session, actor)
    return article, parent, clean_text(text, max_chars=max_chars)


def _verdict(session: Session, actor: User, article: Article, parent: Comment | None, text: str,
             scorer: Scorer, policy: PolicyConfig):
    ctx = _context(session, article, parent, actor, text, scorer)
    results, timings = scorer.run(ctx)
    who = Circumstances(username=actor.username, prior_comments=ctx.author_comment_count or 0,
                        article_slug=article.slug)
    return results, apply_policy(results, policy, text, who), ctx.extras.get("_signature")


def preview(session: Session, actor: User, *, article_id: int, text: object, scorer: Scorer, policy: PolicyConfig,
            max_chars: int, parent_id: int | None = None) -> tuple[Outcome, list]:
    """What the policy would do with this text, stored nowhere: the nudge before posting."""
    article, parent, text = _prepare(session, actor, article_id, parent_id, text, max_chars)
    results, outcome, _ = _verdict(session, actor, article, parent, text, scorer, policy)
    return outcome, results


def submit_comment(
    session: Session,
    actor: User,
    *,
    article_id: int,
    text: object,
    scorer: Scorer,
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
    """Check, store and decide on a new comment; every step is audited in the caller's transaction."""
    if idempotency_key is not None:
        if not (1 <= len(idempotency_key) <= 100):
            raise BadInput("an idempotency key is 1 to 100 characters")
        earlier = session.scalar(select(Comment).where(Comment.idempotency_key == idempotency_key))
        if earlier is not None:
            if earlier.author_id != actor.id:
                raise BadInput("that idempotency key was used by someone else")
            return earlier
    article, parent, text = _prepare(session, actor, article_id, parent_id, text, max_chars)
    _check_rate(session, actor, per_minute)
    # Checks run before the comment exists, so "the user's first N comments" counts only earlier ones.
    results, outcome, signature = _verdict(session, actor, article, parent, text, scorer, policy)

    comment = Comment(article_id=article.id, parent_id=parent.id if parent else None, author_id=actor.id, text=text,
                      state="pending", idempotency_key=idempotency_key, ip_hash=origin.ip_hash,
                      device_hash=origin.device_hash, nudged=nudged, edited_after_nudge=edited_after_nudge)
    try:
        with session.begin_nested():  # a client's retry may race its first try with the same key
            session.add(comment)
            session.flush()
    except IntegrityError:
        earlier = session.scalar(select(Comment).where(Comment.idempotency_key == idempotency_key))
        if idempotency_key is not None and earlier is not None and earlier.author_id == actor.id:
            return earlier
        raise
    audit.record(session, Event.COMMENT_CREATED, actor=actor, subject_type="comment", subject_id=comment.id,
                 article_id=article.id, parent_id=comment.parent_id)
    signals.remember(session, comment, signature)

    for r in results:
        session.add(CheckRecord(comment_id=comment.id, rule=r.rule, score=r.score, evidence=r.evidence(),
                                model_version=r.model_version))
    words = word_spans(text, policy)
    if words["banned"] or words["suspect"]:
        session.add(CheckRecord(comment_id=comment.id, rule="words", score=1.0 if words["banned"] else 0.5,
                                evidence={"spans": words["banned"] + words["suspect"], "labels": {},
                                          "details": {}}, model_version="policy-word-lists"))
    state = {"publish": "published", "hold": "held", "remove": "removed"}[outcome.action]
    comment.state = state
    comment.risk = max([r.score for r in results] + [outcome.score], default=0.0)
    decision = Decision(comment_id=comment.id, automatic=True, action=outcome.action, rule=outcome.rule,
                        reason=outcome.reason)
    session.add(decision)
    session.flush()
    audit.record(session, comment_state_event(state), actor=None, subject_type="comment", subject_id=comment.id,
                 automatic=True, rule=outcome.rule, score=outcome.score, reason=outcome.reason,
                 scores={r.rule: r.score for r in results})
    if state == "removed":
        session.refresh(comment)
        statements.for_removal(session, comment, decision, base_url=base_url)
    return comment
