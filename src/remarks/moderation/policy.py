"""The policy phase: the newsroom's policy turns the checks' results into publish, hold or remove.

Pure and monotonic: a higher score never gets a milder action. The policy itself (thresholds per
rule, word lists, pre-moderation, report weight, escalation ladder) is a validated value here; where
it is stored and who may change it is ``services/policy.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import tomli_w
from pydantic import BaseModel, Field, field_validator, model_validator

from remarks.checks.base import CheckResult, Span
from remarks.text.normalize import normalize
from remarks.moderation import rules
from remarks.sanction_kinds import KINDS
from remarks.text.links import has_link

ACTIONS = ("publish", "hold", "remove")
STATES = {"publish": "published", "hold": "held", "remove": "removed"}
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
class Verdict:
    """What the pipeline decided of one comment, and why."""

    action: str  # publish | hold | remove
    rule: str | None  # the rule that decided; None when published or held for another reason
    score: float
    reason: str
    automated: bool = True
    results: tuple[CheckResult, ...] = ()
    words: Mapping[str, list] = field(default_factory=dict)  # banned / suspect word spans

    @property
    def state(self) -> str:
        return STATES[self.action]

    @property
    def risk(self) -> float:
        return max([r.score for r in self.results] + [self.score], default=0.0)

    def scores(self) -> dict[str, float]:
        return {r.rule: r.score for r in self.results}


class RuleThresholds(BaseModel):
    hold: float = Field(ge=0, le=1, description="Hold for a moderator at or above this score.")
    remove: float = Field(ge=0, le=1, description="Remove automatically at or above this score.")

    @model_validator(mode="after")
    def _ordered(self) -> "RuleThresholds":
        if self.hold > self.remove:
            raise ValueError(f"hold ({self.hold}) must not be above remove ({self.remove})")
        return self


class Step(BaseModel):
    kind: Literal[tuple(KINDS)]  # type: ignore[valid-type] - the sanction kinds table
    days: float | None = Field(None, gt=0, le=3650)

    @model_validator(mode="after")
    def _days(self) -> "Step":
        if KINDS[self.kind].ends and self.days is None:
            raise ValueError(f"a {self.kind} step needs days")
        return self

    def label(self) -> str:
        return f"{self.kind} for {self.days:g} days" if KINDS[self.kind].ends else self.kind


DEFAULT_LADDER = [Step(kind="warning"), Step(kind="suspension", days=1), Step(kind="suspension", days=7),
                  Step(kind="ban")]


class PolicyConfig(BaseModel):
    thresholds: dict[str, RuleThresholds] = Field(default_factory=dict)
    premoderate_all: bool = Field(False, description="Hold every comment the checks would publish.")
    premoderate_first_n: int = Field(0, ge=0, le=1000, description="Hold each user's first N comments.")
    premoderate_links: bool = Field(False, description="Hold every comment with a link.")
    premoderate_users: list[str] = Field(default_factory=list, description="Usernames whose comments are all held.")
    premoderate_articles: list[str] = Field(default_factory=list, description="Article slugs (sensitive stories).")
    banned_words: list[str] = Field(default_factory=list, description="Words or phrases that remove a comment.")
    suspect_words: list[str] = Field(default_factory=list, description="Words or phrases that hold a comment.")
    report_hold_weight: float = Field(3.0, gt=0, le=100, description="Weighted reader reports that hold a comment.")
    escalation: list[Step] = Field(default_factory=lambda: list(DEFAULT_LADDER), min_length=1)

    @field_validator("thresholds")
    @classmethod
    def _known_rules(cls, v: dict[str, RuleThresholds]) -> dict[str, RuleThresholds]:
        known = {r.name for r in rules.scored()}
        unknown = set(v) - known
        if unknown:
            raise ValueError(f"unknown rule(s): {', '.join(sorted(unknown))}; rules with a check: "
                             f"{', '.join(sorted(known))}")
        return v

    @field_validator("premoderate_users", "premoderate_articles", "banned_words", "suspect_words")
    @classmethod
    def _clean_list(cls, v: list[str]) -> list[str]:
        out = [s.strip() for s in v if s and s.strip()]
        if any(len(s) > 200 for s in out) or len(out) > 5000:
            raise ValueError("list entries are at most 200 characters, 5,000 entries")
        return out

    def policy_thresholds(self) -> dict[str, Thresholds]:
        """Every scored rule's thresholds: the configured ones, else the rule's defaults."""
        out = {r.name: Thresholds(r.hold, r.remove) for r in rules.scored()}  # type: ignore[arg-type]
        out.update({rule: Thresholds(t.hold, t.remove) for rule, t in self.thresholds.items()})
        return out

    def to_toml(self) -> str:
        return tomli_w.dumps(self.model_dump(exclude_none=True))


@dataclass(frozen=True)
class Circumstances:
    """What pre-moderation looks at besides the text."""

    username: str = ""
    prior_comments: int = 0
    article_slug: str = ""


def decide(results: Iterable[CheckResult], thresholds: Mapping[str, Thresholds], *,
           hold_everything: bool = False) -> Verdict:
    """The most severe action any rule asks for. When several rules ask for it, the one cited is the
    rule furthest past its threshold, as a share of the way from the threshold to 1 (an off-topic advert
    just past relevance's high threshold and far past promotion's is cited as promotion)."""
    results = tuple(results)
    best = Verdict("publish", None, 0.0, "no rule reached its threshold", results=results)
    best_key: tuple[int, float, float] = (_SEVERITY["publish"], -1.0, 0.0)
    for r in results:
        t = thresholds.get(r.rule)
        if t is None:
            continue
        action = t.action(r.score)
        if action == "publish":
            continue
        limit = t.remove if action == "remove" else t.hold
        key = (_SEVERITY[action], (r.score - limit) / max(1.0 - limit, 1e-6), r.score)
        if key > best_key:
            best_key = key
            best = Verdict(action, r.rule, r.score, f"{r.rule} score {r.score:.2f} >= {action} threshold {limit:.2f}",
                           results=results)
    if hold_everything and best.action == "publish":
        return Verdict("hold", None, 0.0, "pre-moderation: every comment is held for a moderator", results=results)
    return best


def verdict(results: Sequence[CheckResult], policy: PolicyConfig, text: str, who: Circumstances) -> Verdict:
    """The checks' verdict, then word lists, then pre-moderation; the most severe action wins."""
    results = tuple(results)
    words = word_spans(text, policy)
    out = decide(results, policy.policy_thresholds())
    if out.action != "remove" and words["banned"]:
        found = ", ".join(sorted({text[s["start"]:s["end"]] for s in words["banned"]}))
        out = Verdict("remove", "abuse", 1.0, f"contains a banned word or phrase: {found}", results=results)
    elif out.action == "publish" and words["suspect"]:
        found = ", ".join(sorted({text[s["start"]:s["end"]] for s in words["suspect"]}))
        out = Verdict("hold", None, 0.0, f"contains a suspect word or phrase: {found}", results=results)
    elif out.action == "publish" and (why := _premoderation(policy, text, who)):
        out = Verdict("hold", None, 0.0, f"pre-moderation: {why}", results=results)
    return Verdict(out.action, out.rule, out.score, out.reason, results=results, words=words)


def after_reports(total_weight: float, policy: PolicyConfig, reason: str) -> Verdict | None:
    """Reader reports: enough weight holds a published comment for a moderator (the rule reported)."""
    if total_weight < policy.report_hold_weight:
        return None
    rule = rules.get(reason)
    return Verdict("hold", rule.name if rule else None, min(1.0, total_weight / policy.report_hold_weight),
                   f"held after reader reports (weight {total_weight:.1f} >= {policy.report_hold_weight:g})")


def _premoderation(policy: PolicyConfig, text: str, who: Circumstances) -> str | None:
    if policy.premoderate_all:
        return "every comment is held for a moderator"
    if who.prior_comments < policy.premoderate_first_n:
        return f"a user's first {policy.premoderate_first_n} comments are held"
    if policy.premoderate_links and has_link(text):
        return "comments with links are held"
    if who.username and who.username in policy.premoderate_users:
        return "this user's comments are held"
    if who.article_slug and who.article_slug in policy.premoderate_articles:
        return "comments on this story are held"
    return None


def word_spans(text: str, policy: PolicyConfig) -> dict[str, list[dict]]:
    """Evidence for the moderator: where listed words occur."""
    return {"banned": [s.__dict__ for s in match_words(text, policy.banned_words)],
            "suspect": [s.__dict__ for s in match_words(text, policy.suspect_words)]}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def match_words(text: str, phrases: list[str]) -> list[Span]:
    """Where the listed words or phrases occur, matched case- and width-insensitively on whole
    words, on the text as typed and on the shared normalisation (obfuscated spellings)."""
    if not phrases:
        return []
    spans: list[Span] = []
    folded = _fold(text)
    same_length = len(folded) == len(text)
    n = normalize(text)
    normalized = n.text.casefold()
    for phrase in phrases:
        pat = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(p) for p in _fold(phrase).split()) + r"(?!\w)")
        hits = list(pat.finditer(folded)) if same_length else list(pat.finditer(text.casefold()))
        found = [Span(m.start(), m.end(), phrase) for m in hits]
        for m in pat.finditer(normalized):
            start, end = n.to_original(m.start(), m.end())
            if not any(start < f.end and f.start < end for f in found):
                found.append(Span(start, end, phrase))
        spans += found
    return sorted(spans, key=lambda sp: sp.start)
