from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from remarks.db.plain import Plain
from remarks.events import Event
from remarks.models import AuditEvent, User
from remarks.models.base import utcnow
from remarks.services import webhooks


@dataclass(frozen=True)
class Entry:
    """An audit event not yet written: the columns of its row (``write`` inserts several at once)."""

    name: str
    actor_id: int | None
    subject_type: str
    subject_id: int | None
    data: dict[str, Any]
    created_at: datetime = field(default_factory=utcnow)


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
    event = AuditEvent(name=Event(name).value, actor_id=actor.id if actor else None, subject_type=subject_type,
                       subject_id=subject_id, data=data)
    session.add(event)
    if name in webhooks.FROM_AUDIT:
        webhooks.enqueue(session, event)  # the outbox: same transaction as the change itself
    return event


def entry(name: Event, *, actor: User | None, subject_type: str, subject_id: int | None, **data: Any) -> Entry:
    """The event ``record`` would add, for ``write``: the same row."""
    return Entry(Event(name).value, actor.id if actor else None, subject_type, subject_id, data)


# In session.info: (name, data) of the events this transaction wrote, for whoever counts them once it
# commits (the server's metrics, web/metrics.py); events added as objects are listed there at their flush.
WRITTEN = "new_events"


_INSERT = Plain(insert(AuditEvent.__table__), inserts=True)


def write(session: Session, events: list[Entry]) -> None:
    """Append the events (from ``entry``) to the caller's transaction in one statement, with their
    webhooks queued as ``record`` queues them: the same rows, for a write that needs no objects back
    (a post's events)."""
    if not events:
        return
    _INSERT.run(session, [
        {"name": e.name, "actor_id": e.actor_id, "subject_type": e.subject_type, "subject_id": e.subject_id,
         "data": e.data, "created_at": e.created_at} for e in events])
    session.info.setdefault(WRITTEN, []).extend((e.name, dict(e.data or {})) for e in events)
    for e in events:
        if e.name in webhooks.FROM_AUDIT:
            webhooks.enqueue(session, e)
