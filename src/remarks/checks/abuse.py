"""The trained ``abuse`` check: abusive or obscene language, threats, dehumanising hate.

Scores come from :mod:`remarks.ml.toxicity` (hashed n-gram TF-IDF heads + the Jigsaw BiLSTM,
stacked and calibrated); the text is normalised first, so ``f*ck`` and ``fuuuck`` count, and
evidence spans point at the characters as typed. Sub-labels: obscene, threat, identity_hate,
insult.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from remarks.checks.base import Check, CheckResult, CommentContext, Span
from remarks.ml import toxicity

# Spans are computed only for comments this likely to be flagged: they cost a second pass.
EVIDENCE_FROM = 0.25
_CACHE: OrderedDict[tuple[str, bool], dict] = OrderedDict()
_CACHE_SIZE = 2048


def addressed(ctx: CommentContext) -> bool:
    """Does the comment name someone in the conversation (a participant, the byline, an @handle)?"""
    names = [n for n in (*ctx.participants, ctx.byline) if n and len(n) >= 3]
    low = ctx.text.lower()
    return "@" in ctx.text or any(re.search(r"\b" + re.escape(n.lower()) + r"\b", low) for n in names)


def predict(ctxs: Sequence[CommentContext]) -> list[dict]:
    """Model outputs per comment, shared by the abuse and attack checks (computed once)."""
    keys = [(c.text, addressed(c)) for c in ctxs]
    found = {k: _CACHE[k] for k in keys if k in _CACHE}
    todo = list(dict.fromkeys(k for k in keys if k not in found))
    if todo:
        model = toxicity.load()
        pred = model.predict([k[0] for k in todo], [k[1] for k in todo])
        for i, key in enumerate(todo):
            found[key] = _CACHE[key] = {
                "abuse": float(pred.abuse[i]), "attack": float(pred.attack[i]),
                "bilstm": dict(zip(toxicity.bilstm.LABELS, pred.bilstm[i].tolist())),
                "features": dict(zip(toxicity.STACK_NAMES, pred.features[i].tolist())),
                "normalized": pred.normalized[i]}
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return [found[k] for k in keys]


def evidence_spans(out: dict, rule: str, label: str) -> tuple[Span, ...]:
    model = toxicity.load()
    return tuple(Span(a, b, label, w) for a, b, w in model.evidence(out["normalized"], rule))


class AbuseCheck(Check):
    rule = "abuse"
    version = "toxicity-1"

    def __init__(self, *, evidence_from: float = EVIDENCE_FROM) -> None:
        self.evidence_from = evidence_from

    def score(self, ctx: CommentContext) -> CheckResult:
        return self.score_batch([ctx])[0]

    def score_batch(self, ctxs: Sequence[CommentContext]) -> list[CheckResult]:
        return [self._result(out) for out in predict(ctxs)]

    def _result(self, out: dict) -> CheckResult:
        score = float(np.clip(out["abuse"], 0.0, 1.0))
        lstm, feats = out["bilstm"], out["features"]
        group_hate = score if feats["identity_x_dehumanising"] else 0.0
        labels = {
            "obscene": round(lstm["obscene"], 4),
            "threat": round(lstm["threat"], 4),
            "identity_hate": round(max(lstm["identity_hate"], group_hate), 4),
            "insult": round(lstm["insult"], 4),
        }
        spans = evidence_spans(out, "abuse", max(labels, key=labels.get)) if score >= self.evidence_from else ()
        norm = out["normalized"]
        details = {"matched": sorted({norm.original[s.start:s.end] for s in spans})}
        if norm.text != norm.original.lower():
            details["normalized_text"] = norm.text[:500]
        return CheckResult(rule=self.rule, score=round(score, 4), model_version=self.version,
                           spans=spans, labels=labels, details=details)
