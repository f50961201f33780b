"""Muting: a reader stops seeing another reader's comments (collapsed for them alone; nobody is told)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from remarks.errors import BadInput, NotFound
from remarks.i18n import N_
from remarks.models import Mute, User


def mute(session: Session, actor: User, *, user_id: int, on: bool = True) -> None:
    other = session.get(User, user_id)
    if other is None:
        raise NotFound(N_("there is no such reader"))
    if other.id == actor.id:
        raise BadInput(N_("you cannot mute yourself"))
    row = session.scalar(select(Mute).where(Mute.user_id == actor.id, Mute.muted_id == other.id))
    if on and row is None:
        session.add(Mute(user_id=actor.id, muted_id=other.id))
    elif not on and row is not None:
        session.delete(row)
    session.flush()


def muted(session: Session, actor: User) -> list[User]:
    return list(session.scalars(select(User).join(Mute, Mute.muted_id == User.id)
                                .where(Mute.user_id == actor.id).order_by(User.display_name)).all())
