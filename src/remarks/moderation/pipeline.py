"""The pipeline: context -> checks (batched) -> policy -> verdict.

One object, built once per process from the loaded checks, used by every door a comment comes in by.
Phases, in order:

1. ``provide``: each check adds the context it declared it needs (``Check.provide``) from the memory;
2. ``score``: each check scores the whole batch at once (one model call per check, not per comment),
   and its scores are calibrated (``remarks.checks.calibrated``);
3. ``decide``: the policy (thresholds, word lists, pre-moderation) turns the results into a verdict.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from remarks.checks.base import Check, CheckResult, CommentContext
from remarks.checks.calibrated import calibrated
from remarks.moderation import rules
from remarks.moderation.memory import Memory
from remarks.moderation.policy import Circumstances, PolicyConfig, Verdict, verdict

log = logging.getLogger(__name__)


@dataclass
class Pipeline:
    checks: Sequence[Check]
    # Called with (rule, seconds) after each check's batch, e.g. to feed a latency histogram.
    observe: Callable[[str, float], None] | None = None

    def __post_init__(self) -> None:
        for check in self.checks:
            info = getattr(check, "rule_info", None)
            if info is not None:
                rules.register(info)

    @property
    def rules(self) -> list[str]:
        return [c.rule for c in self.checks]

    def provide(self, ctxs: Sequence[CommentContext], memory: Memory) -> list[CommentContext]:
        """Each comment's context with what every check asked of the memory in ``extras``."""
        out = []
        for ctx in ctxs:
            extras = dict(ctx.extras)
            for check in self.checks:
                extras.update(check.provide(ctx, memory))
            out.append(replace(ctx, extras=extras))
        return out

    def score(self, ctxs: Sequence[CommentContext]) -> list[tuple[CheckResult, ...]]:
        """Every check's result for every comment, one batched call per check. A check that fails
        leaves no result and the comments are held by ``decide`` (never published unchecked)."""
        per_check: list[list[CheckResult] | None] = []
        for check in self.checks:
            start = time.perf_counter()
            try:
                per_check.append([calibrated(r) for r in check.score_batch(ctxs)])
            except Exception:
                log.exception("the %s check failed on a batch of %d comments", check.rule, len(ctxs))
                per_check.append(None)
            if self.observe is not None:
                self.observe(check.rule, (time.perf_counter() - start) / max(1, len(ctxs)))
        return [tuple(r[i] for r in per_check if r is not None) for i in range(len(ctxs))]

    def decide(self, results: Sequence[CheckResult], policy: PolicyConfig, text: str,
               who: Circumstances) -> Verdict:
        missing = [c.rule for c in self.checks if c.rule not in {r.rule for r in results}]
        out = verdict(results, policy, text, who)
        if missing and out.action == "publish":
            return Verdict("hold", None, 0.0, f"the {', '.join(missing)} check failed: held for a moderator",
                           results=out.results, words=out.words)
        return out

    def run(self, ctxs: Sequence[CommentContext], memory: Memory, policy: PolicyConfig,
            whos: Sequence[Circumstances], idle: Callable[[], None] | None = None) -> list[Verdict]:
        """All three phases for a batch of comments. ``idle`` is called between ``provide`` (the last
        phase that reads the memory) and ``score`` (which may wait for the scoring thread): the caller
        lets go of what it must not hold while waiting, such as its database connection."""
        provided = self.provide(ctxs, memory)
        if idle is not None:
            idle()
        return [self.decide(res, policy, c.text, who)
                for res, c, who in zip(self.score(provided), provided, whos, strict=True)]

    def run_one(self, ctx: CommentContext, memory: Memory, policy: PolicyConfig, who: Circumstances,
                idle: Callable[[], None] | None = None) -> Verdict:
        return self.run([ctx], memory, policy, [who], idle)[0]
