"""Where the moderation policy lives: versions in the database (newest wins), editable on the admin
settings page or loaded from a TOML file; every change is an audit event. The policy itself (thresholds
per rule, pre-moderation, word lists, report weight, escalation ladder) and what it decides are
``remarks.moderation.policy``."""

from __future__ import annotations

import tomllib

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from remarks.config import Settings
from remarks.errors import BadInput
from remarks.models import PolicyVersion, User
from remarks.moderation.policy import (  # noqa: F401 - the names the desk and the API read from here
    DEFAULT_LADDER,
    PolicyConfig,
    RuleThresholds,
    Step,
    has_link,
    match_words,
)
from remarks.events import Event
from remarks.services import audit


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
