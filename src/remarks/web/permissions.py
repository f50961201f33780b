"""Who may use a route, declared one way: a route names the permission it needs,
``Depends(require(Permission.MODERATE))``, and this one dependency checks it.

Not logged in is 401 (pages turn it into a redirect to the log-in form, see ``app.py``); logged
in without the permission is 403. What a service refuses on its own (a sanctioned poster,
someone else's statement) stays in the service.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from fastapi import Depends

from remarks.errors import Forbidden, NotAuthenticated
from remarks.i18n import N_
from remarks.models import User
from remarks.web.deps import Viewer, get_viewer


class Permission(StrEnum):
    SIGNED_IN = "signed_in"  # any account, sanctioned ones too: they read, appeal, log out
    MODERATE = "moderate"  # the desk: queue, decisions, sanctions, appeals, statistics
    ADMINISTER = "administer"  # the policy, the outbox, audit and transparency exports, webhook deliveries


# role -> what it may do (roles are models.people.ROLES)
GRANTS: dict[str, frozenset[Permission]] = {
    "commenter": frozenset({Permission.SIGNED_IN}),
    "moderator": frozenset({Permission.SIGNED_IN, Permission.MODERATE}),
    "admin": frozenset(Permission),
}

REFUSALS = {
    Permission.SIGNED_IN: N_("log in first"),
    Permission.MODERATE: N_("this is for moderators"),
    Permission.ADMINISTER: N_("this is for admins"),
}


def allows(user: User | None, permission: Permission) -> bool:
    return user is not None and permission in GRANTS.get(user.role, frozenset())


def ensure(viewer: Viewer, permission: Permission) -> User:
    """The viewer's user, if they have the permission (else 401 or 403); what ``require`` checks."""
    if viewer.user is None:
        raise NotAuthenticated(N_("log in first"))
    if not allows(viewer.user, permission):
        raise Forbidden(REFUSALS[permission])
    return viewer.user


def require(permission: Permission) -> Callable[..., User]:
    """The dependency for one permission; it answers the user who has it."""

    # A coroutine: it reads what get_viewer loaded, so it needs no trip to a worker thread of its own.
    async def check(viewer: Viewer = Depends(get_viewer)) -> User:
        return ensure(viewer, permission)

    check.__name__ = f"require_{permission.value}"
    return _CACHE.setdefault(permission, check)


_CACHE: dict[Permission, Callable[..., User]] = {}
