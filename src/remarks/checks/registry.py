"""Loading checks. Built-in checks are registered exactly like plug-ins: as entry points in
the ``remarks.checks`` group (see ``pyproject.toml``). A publisher adds a rule by shipping a
package with an entry point of its own; the setting ``REMARKS_CHECKS`` chooses which run."""

from __future__ import annotations

from importlib.metadata import entry_points

from remarks.checks.base import Check
from remarks.errors import ConfigError

GROUP = "remarks.checks"


def available() -> dict[str, object]:
    """Entry-point name -> the entry point, for every installed check."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def memory_uses(names: list[str] | None = None) -> frozenset[str]:
    """What the named checks (None: every installed one) ask of the memory, read from their classes."""
    eps = available()
    return frozenset().union(*(getattr(eps[n].load(), "memory_uses", frozenset())
                               for n in (sorted(eps) if names is None else names) if n in eps))


def load_checks(names: list[str] | None = None) -> list[Check]:
    """Instantiate the named checks. With ``names`` None: every installed check, one per rule;
    where two score the same rule, the one registered under the rule's own name wins (so the
    simple ``wordlist`` and ``links`` checks stand in only when no trained check is installed)."""
    eps = available()
    chosen = sorted(eps) if names is None else names
    checks: list[Check] = []
    for name in chosen:
        if name not in eps:
            raise ConfigError(f"unknown check {name!r}; installed: {', '.join(sorted(eps)) or 'none'}")
        check = eps[name].load()()
        check.entry_name = name
        checks.append(check)
    if names is None:
        by_rule: dict[str, Check] = {}
        for c in checks:
            if c.rule not in by_rule or c.entry_name == c.rule:
                by_rule[c.rule] = c
        checks = list(by_rule.values())
    return checks
