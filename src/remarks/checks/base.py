"""The check interface every rule implements, built-in or plug-in.

A check is scikit-learn-shaped: its constructor only stores keyword parameters, and
``score`` returns the same result type for every input. Checks never touch the database
or the web; everything they need arrives in a :class:`CommentContext`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

@dataclass(frozen=True)
class Span:
    """Characters ``text[start:end]`` of the comment as typed that drove a score."""

    start: int
    end: int
    label: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class ArticleRef:
    """Another article of the site, for checks that contrast (relevance)."""

    id: str
    title: str
    body: str = ""


@dataclass(frozen=True)
class CommentContext:
    """A comment and everything a check may look at."""

    text: str
    comment_id: str | None = None
    article_id: str | None = None
    article_title: str = ""
    article_body: str = ""
    byline: str = ""
    parent_text: str | None = None
    author: str | None = None
    # Display names of the other people in the thread (for "personal attack on a commenter").
    participants: tuple[str, ...] = ()
    # Other recent articles of the site (for "closer to another story").
    other_articles: tuple[ArticleRef, ...] = ()
    # How long the author has had an account, and how many comments they posted before.
    author_age_days: float | None = None
    author_comment_count: int | None = None
    # What the checks asked of the memory (``Check.provide``), by key; prefix a plug-in's keys with its rule.
    extras: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """What a check says of one comment: one rule, one calibrated score, and the evidence."""

    rule: str
    score: float
    model_version: str
    spans: tuple[Span, ...] = ()
    # Sub-labels with their own scores, e.g. {"obscene": 0.9, "threat": 0.1}.
    labels: Mapping[str, float] = field(default_factory=dict)
    # Other evidence a moderator can read: matched words, the closest article sentence,
    # an earlier duplicate, the detected language ... (JSON-serialisable).
    details: Mapping[str, Any] = field(default_factory=dict)
    # The lowest calibrated probability the check's own rules put the comment at, whatever its model scored
    # (an explicit threat: 0.9). The pipeline applies it after calibration (checks/calibrated.py), so it
    # never depends on a calibrator's shape, nor a calibrator on it.
    floor: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"{self.rule}: score {self.score!r} is outside [0, 1]")
        if not 0.0 <= self.floor <= 1.0:
            raise ValueError(f"{self.rule}: floor {self.floor!r} is outside [0, 1]")

    def evidence(self) -> dict[str, Any]:
        """The evidence as plain JSON (spans, labels, details)."""
        return {
            "spans": [asdict(s) for s in self.spans],
            "labels": dict(self.labels),
            "details": dict(self.details),
        }


class Check:
    """Base class for checks. Subclasses set ``rule`` and ``version`` and implement ``score``.

    A check that scores a rule the policy does not know yet sets ``rule_info`` (a
    ``remarks.moderation.rules.Rule``); loading the check adds the rule to the rules table.
    A check that needs memory between comments (earlier copies, cached article vectors, its own
    state) implements ``provide``: the pipeline calls it before scoring and puts what it returns
    in ``ctx.extras``.
    """

    rule: str = ""
    version: str = "0"
    rule_info: Any = None
    # What ``provide`` asks of the memory ("near_copies", "discussion", "cached"), so a caller that must prepare
    # it (the archive's reader finds near-copies and discussions in input order) does that work only when a
    # check needs it.
    memory_uses: frozenset[str] = frozenset()

    def provide(self, ctx: CommentContext, memory: Any) -> Mapping[str, Any]:
        """The context this check needs from the memory (see ``remarks.moderation.memory.Memory``)."""
        return {}

    def score(self, ctx: CommentContext) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def score_batch(self, ctxs: Sequence[CommentContext]) -> list[CheckResult]:
        """Score many comments; checks with a model override this to batch the model call."""
        return [self.score(c) for c in ctxs]
