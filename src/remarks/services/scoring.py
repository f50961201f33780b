"""Runs the loaded checks on a comment and applies the policy."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from remarks.checks.base import Check, CheckResult, CommentContext
from remarks.checks.policy import Outcome, Thresholds, decide


@dataclass
class Scorer:
    checks: Sequence[Check]
    thresholds: dict[str, Thresholds]
    hold_everything: bool = False

    def score(self, ctx: CommentContext) -> tuple[list[CheckResult], Outcome, dict[str, float]]:
        """Results, the policy's outcome, and each check's latency in seconds."""
        results: list[CheckResult] = []
        timings: dict[str, float] = {}
        for check in self.checks:
            start = time.perf_counter()
            results.append(check.score(ctx))
            timings[check.rule] = time.perf_counter() - start
        return results, self.decide(results), timings

    def decide(self, results: Sequence[CheckResult], *, hold_everything: bool | None = None) -> Outcome:
        hold = self.hold_everything if hold_everything is None else hold_everything
        return decide(results, self.thresholds, hold_everything=hold)
