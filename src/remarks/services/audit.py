from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.models import AuditEvent, User
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
    event = AuditEvent(
        name=Event(name).value,
        actor_id=actor.id if actor else None,
        subject_type=subject_type,
        subject_id=subject_id,
        data=data,
    )
    session.add(event)
    if name in webhooks.FROM_AUDIT:
        webhooks.enqueue(session, event)  # the outbox: same transaction as the change itself
    return event
