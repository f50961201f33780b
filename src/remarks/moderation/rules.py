"""The rules of the comment policy, declared once.

Everything that lists rules - the policy and its thresholds, the desk, statements of reasons, the
Transparency Database export, the report form, the CSS colours, the CLI - reads this table. A plug-in
check adds a rule by setting ``rule_info`` on its class (see ``docs/writing-checks.md``); from then on
its score holds and removes comments, moderators can cite it and statements name it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from remarks.i18n import N_
from remarks.ml import calibration

# DSA Transparency Database statement categories (the "category" field).
HARMFUL_SPEECH = "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
SCAMS = "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"
SCOPE = "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"


@dataclass(frozen=True)
class Rule:
    """One rule: what moderators, readers and the export call it and how the policy treats it."""

    name: str  # the stable key stored in the database ("abuse")
    label: str  # what people read ("Abusive or obscene language"); marked N_, translated where shown
    clause: str  # the words of the published policy the rule stands on
    ground: str  # the contractual ground, as the Transparency Database export states it
    dsa_category: str  # the Transparency Database category
    colour: str  # the highlight colour of its evidence on the desk
    hold: float | None = None  # default thresholds; None: no check scores it (moderators cite it)
    remove: float | None = None
    citable: bool = True  # a moderator may cite it for a removal or a sanction
    reportable: bool = True  # a reader may report a comment for it
    illegal: bool = False  # a notice of illegal content (DSA Art. 16), not a breach of the policy

    @property
    def scored(self) -> bool:
        return self.hold is not None


def _shipped(name: str, remove: float) -> dict[str, float]:
    """Default thresholds of a rule a built-in check scores: the operating point fitted on validation
    data for the shipped checks' calibrated scores (``remarks eval --record``; about 5 % of clean
    comments held overall) when one is shipped, else the uncalibrated hold and ``remove``."""
    op = calibration.operating_points()["rules"].get(name)
    if op:
        return {"hold": op["hold"], "remove": op["remove"]}
    return {"hold": calibration.UNCALIBRATED_HOLD[name], "remove": remove}


def measured(name: str) -> dict[str, int] | None:
    """What the default threshold does on validation data: the percentages of rule-breaking comments
    caught and of clean ones held (None when unmeasured); the desk words them in the reader's language."""
    point = calibration.operating_points()["rules"].get(name)
    if not point or point.get("caught") is None:
        return None
    return {"caught": round(100 * point["caught"]), "held": round(100 * point["clean_held"])}


BUILT_IN: tuple[Rule, ...] = (
    Rule("offtopic", N_("Relevance to the article"), "\"Keep comments relevant to the article.\"",
         "Comment policy: keep comments relevant to the article", SCOPE, "#dcd3f2", **_shipped("offtopic", 1.0)),
    Rule("abuse", N_("Abusive or obscene language"),
         "\"Remarks containing abusive and obscene language ... will be removed and the user banned.\"",
         "Comment policy: no abusive or obscene language", HARMFUL_SPEECH, "#f9c6c1", **_shipped("abuse", 0.95)),
    Rule("attack", N_("Personal attack"),
         "\"Remarks containing ... personal attacks of any kind ... will be removed and the user banned.\"",
         "Comment policy: no personal attacks of any kind", HARMFUL_SPEECH, "#f4d9a6", **_shipped("attack", 0.95)),
    Rule("promotion", N_("Promotion"), "\"Remarks containing ... promotion will be removed and the user banned.\"",
         "Comment policy: no promotion", SCAMS, "#c9e0f7", **_shipped("promotion", 0.95)),
    Rule("language", N_("Language not covered by the checks"),
         "\"Comments will be moderated.\" (the comment is in a language our checks do not cover)",
         "Comment policy: comments are moderated", SCOPE, "#e0e0e0", hold=0.5, remove=1.0,
         citable=False, reportable=False),
    Rule("illegal", N_("Illegal content"), "The comment is illegal under the law that applies to it (DSA Art. 16).",
         "Illegal content", HARMFUL_SPEECH, "#f2b8d8", citable=True, reportable=True, illegal=True),
)

_extra: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a plug-in's rule to the table (loading its check does this); the built-ins cannot be replaced."""
    if not rule.name.isidentifier() or len(rule.name) > 32:
        raise ValueError(f"a rule name is a short identifier, got {rule.name!r}")
    if not re.fullmatch(r"#[0-9a-fA-F]{3,8}", rule.colour):
        raise ValueError(f"a rule's colour is a CSS hex colour such as #c0ffee, got {rule.colour!r}")
    if rule.name in {r.name for r in BUILT_IN}:
        return rule
    _extra[rule.name] = rule
    return rule


def table() -> dict[str, Rule]:
    """Every known rule by name: the built-ins in the policy's order, then plug-ins' rules."""
    _load_installed()
    return {**{r.name: r for r in BUILT_IN}, **_extra}


def get(name: str | None) -> Rule | None:
    return table().get(name or "")


def label(name: str | None, default: str = "the comment policy") -> str:
    rule = get(name)
    return rule.label if rule else (name or default)


def scored() -> list[Rule]:
    return [r for r in table().values() if r.scored]


def citable() -> list[Rule]:
    return [r for r in table().values() if r.citable]


def reportable() -> list[Rule]:
    return [r for r in table().values() if r.reportable]


def default_thresholds() -> dict[str, tuple[float, float]]:
    return {r.name: (r.hold, r.remove) for r in scored()}  # type: ignore[misc]


_loaded = False


def _load_installed() -> None:
    """The rules of installed plug-in checks (entry points in ``remarks.checks``), read once."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="remarks.checks"):
        if ep.module.startswith("remarks."):
            continue  # the built-in checks score the built-in rules
        try:
            cls = ep.load()
        except Exception:  # noqa: BLE001 - a broken plug-in is reported when the checks are loaded, not here
            continue
        info = getattr(cls, "rule_info", None)
        if isinstance(info, Rule):
            register(info)
