"""Where the moderation policy lives: versions in the database (newest wins), editable on the admin
settings page or loaded from a TOML file; every change is an audit event. Each site may have its own
versions; a site without any follows the installation's (versions with no site). The policy itself (thresholds
per rule, pre-moderation, word lists, report weight, escalation ladder) and what it decides are
``remarks.moderation.policy``."""

from __future__ import annotations

import os
import tomllib
from collections import OrderedDict

from pydantic import ValidationError
from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from remarks.config import Settings
from remarks.db.plain import Plain
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
from remarks.services import audit, sites


# What a post reads on every comment, kept: the policy from the settings (and the policy file, keyed by its
# path, modification time and size, so an edited file takes effect at the next comment), and each saved
# version validated on that base (saved versions are never changed: a change is a new row). The configs
# are shared: no caller changes one (``validate`` makes new ones).
_CACHE: OrderedDict[tuple, PolicyConfig] = OrderedDict()
_CACHE_SIZE = 64


def _kept(key: tuple, make) -> PolicyConfig:
    cfg = _CACHE.get(key)
    if cfg is None:
        cfg = _CACHE[key] = make()
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return cfg


def _base_key(settings: Settings) -> tuple:
    file = None
    if settings.policy_file:
        st = os.stat(settings.policy_file)
        file = (settings.policy_file, st.st_mtime_ns, st.st_size)
    return (tuple(sorted((r, tuple(v)) for r, v in settings.thresholds.items())), settings.hold_everything, file)


def from_settings(settings: Settings) -> PolicyConfig:
    return _kept(("settings", _base_key(settings)), lambda: _from_settings(settings))


def _from_settings(settings: Settings) -> PolicyConfig:
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


def _newest(session: Session, site_id: int | None) -> PolicyVersion | None:
    return session.scalar(select(PolicyVersion).where(PolicyVersion.publisher_id.is_(None) if site_id is None
                                                      else PolicyVersion.publisher_id == site_id)
                          .order_by(PolicyVersion.id.desc()).limit(1))


# Built once: every comment asks one of them.
_VERSION = select(PolicyVersion.id, PolicyVersion.created_at, PolicyVersion.data)
_NEWEST = Plain(_VERSION.where(PolicyVersion.publisher_id.is_(None)).order_by(PolicyVersion.id.desc()).limit(1))
_NEWEST_OF_SITE = Plain(_VERSION.where(or_(PolicyVersion.publisher_id == bindparam("site"),
                                           PolicyVersion.publisher_id.is_(None)))
                        .order_by(PolicyVersion.publisher_id.is_(None), PolicyVersion.id.desc()).limit(1))


def current(session: Session, settings: Settings, site_id: int | None = None) -> PolicyConfig:
    """The newest saved policy of the site, else the installation's newest, else the one from the
    settings (and policy file) when none was saved."""
    if site_id is None:
        row = _NEWEST.first(session, {})
    else:  # the site's newest, else the installation's: one look-up
        row = _NEWEST_OF_SITE.first(session, {"site": site_id})
    base_key = _base_key(settings)
    base = _kept(("settings", base_key), lambda: _from_settings(settings))
    if row is None:
        return base
    # A version is one row of one database (a process may serve several, and a restored backup may reuse an id).
    version, created_at, data = row
    key = ("saved", str(session.get_bind().url), version, created_at, base_key)
    return _kept(key, lambda: validate(data, base=base))


def own_version(session: Session, site_id: int) -> bool:
    """Whether a site has a policy of its own (else it follows the installation's)."""
    return _newest(session, site_id) is not None


def save(session: Session, actor: User | None, config: PolicyConfig, *, note: str = "",
         site_id: int | None = None) -> PolicyVersion:
    """A new version of a site's policy, or (``site_id`` None) of the installation's, which only
    admins of every site change."""
    if actor is not None and actor.role != "admin":
        raise BadInput("only admins change the policy")
    if actor is not None:
        if site_id is None:
            sites.require_every_site(session, actor)
        else:
            sites.require_site(session, actor, site_id)
    row = PolicyVersion(data=config.model_dump(mode="json"), author_id=actor.id if actor else None, note=note[:500],
                        publisher_id=site_id)
    session.add(row)
    session.flush()
    audit.record(session, Event.POLICY_CHANGED, actor=actor, subject_type="policy", subject_id=row.id, note=row.note,
                 policy=row.data, **({"site_id": site_id} if site_id is not None else {}))
    return row
