from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.models import AuditEvent, User
from remarks.models.base import utcnow
from remarks.services import webhooks


def record(
    session: Session,
    name: Event,
    *,
    actor: User | None,
    subject_type: str,
    subject_id: int | None,
    **data: Any,
) -> AuditEvent:
    """Append an audit event to the caller's transaction. ``name`` is one of ``remarks.events.Event``
    (an unknown name is a programming error, refused here rather than stored)."""
    event = entry(name, actor=actor, subject_type=subject_type, subject_id=subject_id, **data)
    session.add(event)
    if name in webhooks.FROM_AUDIT:
        webhooks.enqueue(session, event)  # the outbox: same transaction as the change itself
    return event


def entry(name: Event, *, actor: User | None, subject_type: str, subject_id: int | None, **data: Any) -> AuditEvent:
    """An audit event not added to any session: ``record`` adds one, ``write`` inserts several at once."""
    return AuditEvent(name=Event(name).value, actor_id=actor.id if actor else None, subject_type=subject_type,
                      subject_id=subject_id, data=data, created_at=utcnow())


def write(session: Session, events: list[AuditEvent]) -> None:
    """Append the events (from ``entry``) to the caller's transaction in one statement, with their
    webhooks queued as ``record`` queues them: the same rows, for a write that needs no objects back
    (a post's events)."""
    if not events:
        return
    session.connection().execute(insert(AuditEvent.__table__), [
        {"name": e.name, "actor_id": e.actor_id, "subject_type": e.subject_type, "subject_id": e.subject_id,
         "data": e.data, "created_at": e.created_at} for e in events])
    for e in events:
        if e.name in webhooks.FROM_AUDIT:
            webhooks.enqueue(session, e)
