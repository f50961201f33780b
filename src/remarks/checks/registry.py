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


def load_checks(names: list[str] | None = None) -> list[Check]:
    """Instantiate the named checks (all installed ones when ``names`` is None)."""
    eps = available()
    chosen = sorted(eps) if names is None else names
    checks: list[Check] = []
    for name in chosen:
        if name not in eps:
            raise ConfigError(f"unknown check {name!r}; installed: {', '.join(sorted(eps)) or 'none'}")
        cls = eps[name].load()
        checks.append(cls())
    return checks
