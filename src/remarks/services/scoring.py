"""Runs the loaded checks on a comment, then the newsroom's policy on their results."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from remarks.checks.base import Check, CheckResult, CommentContext
from remarks.checks.policy import Outcome, decide
from remarks.services.policy import PolicyConfig, has_link, match_words


@dataclass
class Scorer:
    checks: Sequence[Check]
    # Called with (rule, seconds) after each check, e.g. to feed a latency histogram.
    observe: Callable[[str, float], None] | None = None

    def run(self, ctx: CommentContext) -> tuple[list[CheckResult], dict[str, float]]:
        """Every check's result and its latency in seconds."""
        results: list[CheckResult] = []
        timings: dict[str, float] = {}
        for check in self.checks:
            start = time.perf_counter()
            results.append(check.score(ctx))
            timings[check.rule] = time.perf_counter() - start
            if self.observe is not None:
                self.observe(check.rule, timings[check.rule])
        return results, timings


@dataclass(frozen=True)
class Circumstances:
    """What pre-moderation looks at besides the text."""

    username: str
    prior_comments: int
    article_slug: str


def apply_policy(results: Sequence[CheckResult], policy: PolicyConfig, text: str, who: Circumstances) -> Outcome:
    """The checks' verdict, then word lists, then pre-moderation; the most severe action wins."""
    outcome = decide(results, policy.policy_thresholds())
    if outcome.action != "remove" and (banned := match_words(text, policy.banned_words)):
        words = ", ".join(sorted({text[s.start:s.end] for s in banned}))
        return Outcome("remove", "abuse", 1.0, f"contains a banned word or phrase: {words}")
    if outcome.action == "publish" and (suspect := match_words(text, policy.suspect_words)):
        words = ", ".join(sorted({text[s.start:s.end] for s in suspect}))
        return Outcome("hold", None, 0.0, f"contains a suspect word or phrase: {words}")
    if outcome.action == "publish":
        reason = _premoderation(policy, text, who)
        if reason:
            return Outcome("hold", None, 0.0, f"pre-moderation: {reason}")
    return outcome


def _premoderation(policy: PolicyConfig, text: str, who: Circumstances) -> str | None:
    if policy.premoderate_all:
        return "every comment is held for a moderator"
    if who.prior_comments < policy.premoderate_first_n:
        return f"a user's first {policy.premoderate_first_n} comments are held"
    if policy.premoderate_links and has_link(text):
        return "comments with links are held"
    if who.username in policy.premoderate_users:
        return "this user's comments are held"
    if who.article_slug in policy.premoderate_articles:
        return "comments on this story are held"
    return None


def word_spans(text: str, policy: PolicyConfig) -> dict[str, list]:
    """Evidence for the moderator: where listed words occur."""
    return {"banned": [s.__dict__ for s in match_words(text, policy.banned_words)],
            "suspect": [s.__dict__ for s in match_words(text, policy.suspect_words)]}


__all__ = ["Circumstances", "Scorer", "apply_policy", "word_spans"]
