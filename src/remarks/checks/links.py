"""A link-counting promotion check: the honest placeholder until the trained ``promotion`` model lands."""

from __future__ import annotations

import re

from remarks.checks.base import Check, CheckResult, CommentContext, Span
from remarks.text.links import find_links

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_PHRASES = re.compile(
    r"\b(?:check out my|subscribe to my|visit my|follow me|dm me|click here|work from home|"
    r"earn \$?\d+|make money|buy now|limited offer|promo code)\b",
    re.IGNORECASE,
)


class LinkPromotion(Check):
    """Each link, e-mail address or promotional phrase raises the score."""

    rule = "promotion"
    version = "links-1"

    def __init__(self, *, per_item: float = 0.45) -> None:
        self.per_item = per_item

    def score(self, ctx: CommentContext) -> CheckResult:
        spans = [Span(lk.start, lk.end, "link") for lk in find_links(ctx.text)]
        spans += [Span(m.start(), m.end(), "email") for m in _EMAIL.finditer(ctx.text)]
        spans += [Span(m.start(), m.end(), "phrase") for m in _PHRASES.finditer(ctx.text)]
        spans.sort(key=lambda s: s.start)
        score = 1.0 - (1.0 - self.per_item) ** len(spans)
        return CheckResult(
            rule=self.rule,
            score=round(score, 4),
            model_version=self.version,
            spans=tuple(spans),
            details={"items": [ctx.text[s.start : s.end] for s in spans]},
        )
