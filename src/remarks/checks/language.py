"""Language of a comment, and whether the checks cover it (:data:`remarks.text.languages.COVERAGE`).

A clean comment in another language is not a rule break. For a language the checks cover (English;
Chinese, Arabic and Turkish through word lists and the multilingual relevance model) this check
only reports the language: score 0.0. For a language nothing checks for abuse, the score is the
detector's confidence, capped at 0.99, and the policy's ``language`` thresholds decide: the default
holds such a comment for a person (0.5) and never removes it (1.0); a site that prefers to publish
them sets the language thresholds to 1.0 (the score never exceeds 0.99).

py3langid ships its model inside the package (no download). Short texts are noisy ("thanks" looks
Xhosa to it), so only a confident guess over a few words counts; anything else is treated as English
(score 0.0) and left to the other checks.
"""

from __future__ import annotations

from collections.abc import Sequence

from remarks.checks.base import Check, CheckResult, CommentContext
from remarks.text.languages import CANDIDATES, COVERAGE, NAMES, coverage, detect, language_of

__all__ = ["CANDIDATES", "NAMES", "LanguageCheck", "detect"]


class LanguageCheck(Check):
    rule = "language"
    version = "py3langid-0.4.0-2"

    def __init__(self, *, covered: Sequence[str] | None = None) -> None:
        self.covered = tuple(covered) if covered is not None else tuple(k for k, c in COVERAGE.items() if c.covered)

    def score(self, ctx: CommentContext) -> CheckResult:
        found = language_of(ctx.text)
        lang, prob = found.lang, found.confidence
        cov = coverage(lang)
        details = {"language": lang, "language_name": NAMES.get(lang, lang), "confidence": round(prob, 3),
                   "covered": lang in self.covered or not found.confident,
                   "coverage": {"abuse": cov.abuse, "attack": cov.attack, "promotion": cov.promotion,
                                "relevance": cov.relevance}}
        foreign = found.confident and lang not in self.covered
        if foreign:
            details["reason"] = f"written in {NAMES.get(lang, lang)}, which the abuse checks do not cover"
        return CheckResult(rule=self.rule, score=round(min(prob, 0.99), 4) if foreign else 0.0,
                           model_version=self.version, labels={lang: round(prob, 3)} if found.letters else {},
                           details=details)
