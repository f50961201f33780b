"""The promotion check: links and domains (also written "dot com"), e-mail addresses, phone
numbers, handles and "DM me", calls to action, get-rich and crypto language, channel
self-promotion; the same copy posted again; a brand-new account posting a link. The fine-tuned
encoder's promotion head (the same pass as the abuse and attack checks) gives the base score,
stacked with the patterns as the validation data said; without the encoder file, the older text
model (YouTube comment spam + SMS spam, hashed TF-IDF). The patterns give the evidence."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from remarks.checks.base import Check, CheckResult, CommentContext, Span
from remarks.checks.duplicates import DuplicateIndex
from remarks.ml import encoder, stack
from remarks.ml import promotion as promotion_model
from remarks.text.links import find_links

# Links ("link", "short link") come from remarks.text.links; these are the other promotional patterns.
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("e-mail", re.compile(r"\b[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+\s*(?:\.|\(dot\)|\sdot\s)\s*[a-z]{2,}\b", re.I)),
    ("phone", re.compile(r"(?<!\w)(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{3,4}[\s.-]\d{3,4}(?:[\s.-]\d{2,4})?(?!\w)")),
    ("handle", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,30}\b|\b(?:dm|pm|message|whatsapp|telegram)\s+me\b", re.I)),
    ("call to action", re.compile(
        r"\b(?:check (?:out )?my|subscribe(?: to)?|follow me|visit my|click (?:here|the link|my)|sign up|join (?:my|now)"
        r"|watch my|like my|go to my|link in (?:my )?bio|free (?:gift|trial|followers)|limited offer|act now"
        r"|order now|buy now|promo code|use code)\b", re.I)),
    ("get rich", re.compile(
        r"\b(?:make|earn|making|earning) \$?\d[\d,]*\s*(?:k\b|dollars|usd|per|a|an|every|/)|\bwork(?:ing)? from home\b"
        r"|\bpassive income\b|\bfinancial freedom\b|\bget rich\b|\bcash prize\b|\byou (?:have )?won\b"
        r"|\b(?:bitcoin|btc|crypto|forex|nft|usdt|binary option)s?\b.{0,40}\b(?:invest|profit|return|trad|signal|wallet)",
        re.I)),
    ("self-promotion", re.compile(r"\bmy (?:channel|video|blog|website|site|page|music|mixtape|shop|store|instagram|"
                                  r"youtube|podcast|newsletter)\b", re.I)),
]


_OBFUSCATED = re.compile(r"\((?:dot|at)\)|\[(?:dot|at)\]|\sdot\s", re.I)  # in e-mail addresses


def text_probability(texts: Sequence[str]) -> np.ndarray:
    return promotion_model.probability(list(texts))


def find_patterns(text: str) -> list[Span]:
    """Links (with URL context, see :mod:`remarks.text.links`), then the other patterns where no
    link is. A link written to slip past filters ("example dot com") has weight 2."""
    spans: list[Span] = [Span(lk.start, lk.end, lk.kind, 2.0 if lk.obfuscated else 1.0) for lk in find_links(text)]
    for label, pat in PATTERNS:
        for m in pat.finditer(text):
            if not any(m.start() < s.end and s.start < m.end() for s in spans):
                spans.append(Span(m.start(), m.end(), label))
    return sorted(spans, key=lambda s: s.start)


def _stacked() -> dict | None:
    return encoder.meta()["stack"].get("promotion") if encoder.in_checks() else None


class PromotionCheck(Check):
    """Score = the learned text probability, raised by the patterns found, by copies of the same
    text posted before (``ctx.extras["duplicates"]``, or this instance's own index with
    ``remember=True``) and by a new account posting a link."""

    rule = "promotion"

    @property
    def version(self) -> str:  # type: ignore[override]
        return f"promotion-3-encoder-{encoder.meta().get('sha256', '')[:8]}" if _stacked() else "promotion-2"

    def __init__(self, *, remember: bool = False, duplicate_threshold: float = 0.5) -> None:
        self.remember = remember
        self.duplicate_threshold = duplicate_threshold
        self._index = DuplicateIndex(threshold=duplicate_threshold) if remember else None

    memory_uses = frozenset({"near_copies"})

    def provide(self, ctx: CommentContext, memory) -> dict:
        """Earlier near-copies of this text, from the site's database or the archive run's memory."""
        return {"duplicates": memory.near_copies(ctx.text)}

    def score(self, ctx: CommentContext) -> CheckResult:
        return self.score_batch([ctx])[0]

    def score_batch(self, ctxs: Sequence[CommentContext]) -> list[CheckResult]:
        spec = _stacked()
        if spec is None:
            base = text_probability([c.text for c in ctxs]) if ctxs else []
            return [self._result(c, float(p)) for c, p in zip(ctxs, base, strict=True)]
        outs = encoder.load().predict([c.text for c in ctxs])
        prev = text_probability([c.text for c in ctxs]) if "old_promotion" in spec["features"] else [None] * len(ctxs)
        return [self._result(c, out.probs["promotion"], spec, p) for c, out, p in zip(ctxs, outs, prev, strict=True)]

    def _duplicates(self, ctx: CommentContext) -> list[dict]:
        given = ctx.extras.get("duplicates") if ctx.extras else None
        if given is not None:
            return [d for d in given if d.get("similarity", 0) >= self.duplicate_threshold]
        if self._index is None:
            return []
        found = self._index.query(ctx.text)
        self._index.add(ctx.comment_id or "", ctx.text, ctx.author, ctx.article_id)
        return found

    def _result(self, ctx: CommentContext, p_text: float, spec: dict | None = None,
                p_old: float | None = None) -> CheckResult:
        spans = find_patterns(ctx.text)
        kinds = {s.label for s in spans}
        old = {"promotion": p_old} if p_old is not None else None
        if spec is not None and "links" in spec["features"]:
            # The stacker weighs the encoder and the patterns (fitted on validation data).
            logit = stack.logit(stack.apply(spec, stack.features({"promotion": p_text}, patterns=kinds, old=old)))
        else:
            if spec is not None:
                p_text = stack.apply(spec, stack.features({"promotion": p_text}, old=old))
            # Each kind of promotional pattern adds evidence on the log-odds scale.
            logit = math.log(max(p_text, 1e-6) / max(1 - p_text, 1e-6))
            logit += 1.2 * len(kinds & {"link", "short link", "e-mail", "phone"}) + 0.8 * len(
                kinds & {"handle", "call to action", "get rich", "self-promotion"})
        if any(s.weight > 1 or (s.label == "e-mail" and _OBFUSCATED.search(ctx.text[s.start:s.end])) for s in spans):
            logit += 1.0  # "(dot) com", "(at)": written to slip past filters
        score = 1 / (1 + math.exp(-logit))
        labels = {"text": round(p_text, 4)}
        details: dict = {"items": [{"kind": s.label, "text": ctx.text[s.start:s.end]} for s in spans]}
        dups = self._duplicates(ctx)
        if dups:
            top = dups[0]
            same_author = ctx.author is not None and top.get("author") == ctx.author
            # The same copy again: by one user (flooding) or by several (a campaign).
            repeat = min(0.99, 0.55 + 0.1 * len(dups) + 0.3 * (top["similarity"] - self.duplicate_threshold)
                         / max(1 - self.duplicate_threshold, 1e-6))
            labels["duplicate"] = round(repeat, 4)
            details["duplicates"] = dups[:5]
            details["duplicate_of"] = {"comment_id": top["comment_id"], "similarity": top["similarity"],
                                       "same_author": same_author}
            score = max(score, repeat if (kinds or same_author or len(dups) >= 2) else min(repeat, 0.6))
        new_account = (ctx.author_age_days is not None and ctx.author_age_days < 1) or (
            ctx.author_comment_count is not None and ctx.author_comment_count < 3)
        if new_account and kinds & {"link", "short link"}:
            labels["new_account_link"] = 1.0
            details["new_account"] = True
            score = max(score, 0.8)
        return CheckResult(rule=self.rule, score=round(min(max(score, 0.0), 1.0), 4), model_version=self.version,
                           spans=tuple(spans), labels=labels, details=details)
