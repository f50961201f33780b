"""Calibrated scores: what the pipeline does to every check's result before the policy reads it.

A built-in check's model emits a raw score; the calibrator fitted for its rule and model version on
validation data (``remarks.ml.calibration``, written by ``remarks eval --record``; a calibrator is also
kept for each other model version recorded, such as the switched-off encoder's) turns it into the
probability that the comment breaks the rule. The raw score stays in ``details["raw_score"]`` for the
moderator. A result of a rule with no calibrator (a plug-in's) is passed through unchanged; one of a
calibrated rule but another check version (the word-list stand-in, the multilingual relevance check, a
model retrained since) is aligned on the operating point (``calibration.align``). Then the check's
``floor`` applies: a probability its own rules put the comment at (an explicit threat), on this scale.
"""

from __future__ import annotations

from dataclasses import replace

from remarks.checks.base import CheckResult
from remarks.ml import calibration

CERTAIN = 0.9999


def calibrated(result: CheckResult) -> CheckResult:
    if result.rule not in calibration.load()["rules"]:
        return replace(result, score=result.floor) if result.floor > result.score else result
    entry = calibration.entry_for(result.rule, result.model_version)
    if entry is not None:
        score = float(calibration.apply_entry(entry, [result.score])[0])
    else:
        # Another check of a calibrated rule (a stand-in, another language's model): aligned on the
        # operating point so it holds what it held before, since the thresholds are for calibrated scores.
        score = calibration.align(result.rule, result.score)
    # A probability fitted on a few thousand validation comments is never certainty: capped below 1, so a
    # rule whose remove threshold is 1.0 (relevance) never removes a comment by itself.
    # The check's own floor (an explicit threat's probability) on the calibrated scale, after calibration.
    return replace(result, score=round(min(CERTAIN, max(0.0, score, result.floor)), 4),
                   details={**result.details, "raw_score": result.score})
