"""The policy: per-rule thresholds turn check scores into publish, hold or remove.

Pure and monotonic: a higher score never gets a milder action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from remarks.checks.base import CheckResult

ACTIONS = ("publish", "hold", "remove")
_SEVERITY = {a: i for i, a in enumerate(ACTIONS)}


@dataclass(frozen=True)
class Thresholds:
    """Scores at or above ``hold`` are held; at or above ``remove`` are removed."""

    hold: float
    remove: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.hold <= self.remove <= 1.0:
            raise ValueError(f"thresholds must satisfy 0 <= hold <= remove <= 1, got {self}")

    def action(self, score: float) -> str:
        if score >= self.remove:
            return "remove"
        if score >= self.hold:
            return "hold"
        return "publish"


@dataclass(frozen=True)
class Outcome:
    action: str
    rule: str | None  # the rule that decided, None when published
    score: float
    reason: str


def decide(
    results: Iterable[CheckResult],
    thresholds: Mapping[str, Thresholds],
    *,
    hold_everything: bool = False,
) -> Outcome:
    """The most severe action any rule asks for; ties go to the higher score."""
    best = Outcome("publish", None, 0.0, "no rule reached its threshold")
    for r in results:
        t = thresholds.get(r.rule)
        if t is None:
            continue
        action = t.action(r.score)
        if (_SEVERITY[action], r.score) > (_SEVERITY[best.action], best.score) and action != "publish":
            limit = t.remove if action == "remove" else t.hold
            best = Outcome(action, r.rule, r.score, f"{r.rule} score {r.score:.2f} >= {action} threshold {limit:.2f}")
    if hold_everything and best.action == "publish":
        return Outcome("hold", None, 0.0, "pre-moderation: every comment is held for a moderator")
    return best
