"""``remarks import ... --moderate``: every imported comment that was published at the source goes
through the one moderation pipeline (remarks.moderation), batched; what breaks the rules is held
for a moderator (never removed without a person: the source had published it)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from remarks.config import Settings
from remarks.models import Comment
from remarks.moderation.pipeline import Pipeline
from remarks.moderation.policy import Circumstances
from remarks.services import comments as comment_service
from remarks.services import policy as policy_service
from remarks.services.memory import DatabaseMemory


def pipeline_hook(settings: Settings, pipeline: Pipeline | None = None, site_id: int | None = None):
    """The hook importing.run calls with each batch of new comments; returns how many it held. The
    policy is the site's the comments go to (``site_id``), else the installation's."""
    if pipeline is None:
        from remarks.checks.registry import load_checks

        pipeline = Pipeline(load_checks(settings.checks))

    def moderate(session: Session, batch: list[Comment]) -> int:
        todo = [c for c in batch if c.state == "published"]
        if not todo:
            return 0
        policy = policy_service.current(session, settings, site_id)
        memory = DatabaseMemory(session)
        ctxs = [comment_service.context(session, c.article, c.parent, c.author, c.text) for c in todo]
        whos = [Circumstances(username=c.author.username, prior_comments=ctx.author_comment_count or 0,
                              article_slug=c.article.slug) for c, ctx in zip(todo, ctxs, strict=True)]
        held = 0
        for c, verdict in zip(todo, pipeline.run(ctxs, memory, policy, whos), strict=True):
            if verdict.action != "publish":
                verdict = replace(verdict, action="hold", reason=f"imported; {verdict.reason}".strip("; "))
                held += 1
            comment_service.record_verdict(session, c, verdict)
            memory.persist(session, c)
        return held

    return moderate
