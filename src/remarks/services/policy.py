"""The moderation policy as the newsroom configures it: thresholds per rule, pre-moderation
modes, word lists, report weight and the escalation ladder. Stored as versions in the database
(newest wins), editable on the admin settings page or loaded from a TOML file; every change is
an audit event."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from typing import Literal

import tomli_w
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.sanction_kinds import KINDS
from remarks.checks.base import RULE_LABELS, Span
from remarks.checks.policy import Thresholds
from remarks.config import Settings
from remarks.errors import BadInput
from remarks.models import PolicyVersion, User
from remarks.services import audit


class RuleThresholds(BaseModel):
    hold: float = Field(ge=0, le=1, description="Hold for a moderator at or above this score.")
    remove: float = Field(ge=0, le=1, description="Remove automatically at or above this score.")

    @model_validator(mode="after")
    def _ordered(self) -> "RuleThresholds":
        if self.hold > self.remove:
            raise ValueError(f"hold ({self.hold}) must not be above remove ({self.remove})")
        return self


class Step(BaseModel):
    kind: Literal[tuple(KINDS)]
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
    thresholds: dict[str, RuleThresholds]
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
        unknown = set(v) - set(RULE_LABELS)
        if unknown:
            raise ValueError(f"unknown rule(s): {', '.join(sorted(unknown))}")
        return v

    @field_validator("premoderate_users", "premoderate_articles", "banned_words", "suspect_words")
    @classmethod
    def _clean_list(cls, v: list[str]) -> list[str]:
        out = [s.strip() for s in v if s and s.strip()]
        if any(len(s) > 200 for s in out) or len(out) > 5000:
            raise ValueError("list entries are at most 200 characters, 5,000 entries")
        return out

    def policy_thresholds(self) -> dict[str, Thresholds]:
        return {rule: Thresholds(t.hold, t.remove) for rule, t in self.thresholds.items()}

    def to_toml(self) -> str:
        return tomli_w.dumps(self.model_dump(exclude_none=True))


def from_settings(settings: Settings) -> PolicyConfig:
    cfg = PolicyConfig(
        thresholds={r: RuleThresholds(hold=h, remove=x) for r, (h, x) in settings.thresholds.items()},
        premoderate_all=settings.hold_everything,
    )
    if settings.policy_file:
        with open(settings.policy_file, encoding="utf-8") as fh:
            cfg = parse_toml(fh.read(), base=cfg)
    return cfg


def parse_toml(text: str, *, base: PolicyConfig | None = None) -> PolicyConfig:
    """A validated policy from TOML; keys left out keep the base's values. Errors say where."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"the policy is not valid TOML: {exc}") from None
    return validate(data, base=base)


def validate(data: dict, *, base: PolicyConfig | None = None) -> PolicyConfig:
    merged = base.model_dump() if base else {}
    if "thresholds" in data and base is not None and isinstance(data["thresholds"], dict):
        merged["thresholds"] = {**merged["thresholds"], **data["thresholds"]}
        data = {k: v for k, v in data.items() if k != "thresholds"}
    merged.update(data)
    try:
        return PolicyConfig.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadInput(f"policy {where}: {first['msg']}") from None


def current(session: Session, settings: Settings) -> PolicyConfig:
    """The newest saved policy, or the one from the settings (and policy file) when none was saved."""
    row = session.scalar(select(PolicyVersion).order_by(PolicyVersion.id.desc()).limit(1))
    base = from_settings(settings)
    return validate(row.data, base=base) if row is not None else base


def save(session: Session, actor: User | None, config: PolicyConfig, *, note: str = "") -> PolicyVersion:
    if actor is not None and actor.role != "admin":
        raise BadInput("only admins change the policy")
    row = PolicyVersion(data=config.model_dump(mode="json"), author_id=actor.id if actor else None, note=note[:500])
    session.add(row)
    session.flush()
    audit.record(session, Event.POLICY_CHANGED, actor=actor, subject_type="policy", subject_id=row.id, note=row.note,
                 policy=row.data)
    return row


_LINK = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|net|org|io|ly|co|biz|info|xyz|me)\b", re.IGNORECASE)


def has_link(text: str) -> bool:
    return bool(_LINK.search(text))


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def match_words(text: str, phrases: list[str]) -> list[Span]:
    """Where the listed words or phrases occur, matched case- and width-insensitively on whole
    words, on the text as typed and on the shared normalisation (obfuscated spellings)."""
    spans: list[Span] = []
    folded = _fold(text)
    same_length = len(folded) == len(text)
    normalized = _normalized(text)
    for phrase in phrases:
        pat = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(p) for p in _fold(phrase).split()) + r"(?!\w)")
        hits = list(pat.finditer(folded)) if same_length else list(pat.finditer(text.casefold()))
        found = [Span(m.start(), m.end(), phrase) for m in hits]
        if normalized is not None:
            for m in pat.finditer(normalized[0]):
                sp = normalized[1](m)
                if not any(sp.start < f.end and f.start < sp.end for f in found):
                    found.append(Span(sp.start, sp.end, phrase))
        spans += found
    return sorted(spans, key=lambda sp: sp.start)


def _normalized(text: str):
    """(normalised text, match -> original span) from the shared normaliser when it is installed."""
    try:
        from remarks.checks.normalize import normalize
    except ImportError:
        # Until the shared normaliser is installed: common leetspeak, one character for one,
        # so offsets stay those of the text as typed.
        folded = _fold(text)
        if len(folded) != len(text):
            return None
        return folded.translate(_LEET), lambda m: Span(m.start(), m.end(), m.group())
    n = normalize(text)
    to_original = getattr(n, "original_span", None) or getattr(n, "to_original", None)
    if to_original is None:
        return n.text.casefold(), lambda m: Span(0, len(text), m.group())

    def span(m):
        start, end = to_original(m.start(), m.end())
        return Span(start, end, m.group())

    return n.text.casefold(), span
