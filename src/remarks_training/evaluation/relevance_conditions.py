"""Fox News relevance on the held-out stories by what the check knows when a comment comes in: the
figure of the target table gives each comment the discussion under its story and under the site's other
stories, and the comment's own story is always among those others (the held-out stories are the site).
A site is not always like that: the first comments under a story meet no discussion, and a comment
posted under the wrong story may belong to one that is no longer among the recent ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from remarks_training.evaluation import score
from remarks_training.evaluation.sets import EvalRow

CONDITIONS = {
    "as_posted": "the discussion under its story and under the site's other stories (the target's figure)",
    "own_discussion": "the discussion under its story only",
    "no_discussion": "no discussion yet (the first comments under a story)",
    "own_story_gone": "its own story not among the site's other stories (neither its text nor its discussion)",
    "own_story_gone_no_discussion": "its own story not among the others, and no discussion",
}


def _without_discussion(ctx: dict) -> dict:
    return {k: v for k, v in ctx.items() if k != "extras"}


def _own_discussion(ctx: dict) -> dict:
    extras = ctx.get("extras") or {}
    return {**ctx, "extras": {"discussion": extras.get("discussion", [])}} if extras else ctx


def _own_story_gone(ctx: dict, own: str | None) -> dict:
    extras = ctx.get("extras") or {}
    out = {**ctx, "other_articles": tuple(o for o in ctx.get("other_articles", ()) if o.id != own)}
    if extras:
        out["extras"] = {**extras, "other_discussions": {k: v for k, v in (extras.get("other_discussions") or {}).items()
                                                         if k != own}}
    return out


def measure(rows: list[EvalRow], checks: dict, log: Callable[[str], None] | None = None,
            cache: Path | None = None) -> dict[str, float]:
    """AUC of the off-topic score under each of ``CONDITIONS`` (rows: the ``fox_relevance`` test set)."""
    own = {r.text: r.ctx["article_id"] for r in rows if r.group == "fox_own"}
    change: dict[str, Callable[[EvalRow], dict]] = {
        "as_posted": lambda r: r.ctx,
        "own_discussion": lambda r: _own_discussion(r.ctx),
        "no_discussion": lambda r: _without_discussion(r.ctx),
        "own_story_gone": lambda r: _own_story_gone(r.ctx, own.get(r.text)),
        "own_story_gone_no_discussion": lambda r: _without_discussion(_own_story_gone(r.ctx, own.get(r.text))),
    }
    y = np.array([r.label for r in rows])
    out = {}
    for name, fn in change.items():
        p = score.score([replace(r, ctx=fn(r)) for r in rows], "offtopic", checks, log, cache)
        out[name] = float(roc_auc_score(y, p.raw))
    return out
