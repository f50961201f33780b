"""Webhooks as a transactional outbox: the audit event that records a state change also queues
its deliveries, in the same transaction, so a committed change is never without its webhook and
a rolled-back one never has one. A worker (in every server process; claims make it safe) posts
them, signed with HMAC-SHA256, and retries with exponential backoff."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from remarks.db import release, write_turn
from remarks.events import Event
from remarks.models import AuditEvent, Comment, Webhook, WebhookDelivery
from remarks.models.base import utcnow
from remarks.models.publishing import DEFAULT_SITE
from remarks.services.netguard import GuardedTransport

if TYPE_CHECKING:
    from remarks.services.audit import Entry

log = logging.getLogger("remarks.webhooks")

FROM_AUDIT = {e.value: e.webhook for e in Event if e.webhook}  # audit name -> public webhook name
MAX_ATTEMPTS = 8
CLAIM = timedelta(seconds=60)


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s ... capped at an hour."""
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), 3600))


# Whether any webhook is active, as a column a caller may read in a statement it makes anyway (a post's
# write reads it with the article): ``known_none`` then spares every event of the transaction its look-up.
ANY_ACTIVE = exists().where(Webhook.active.is_(True))
_MEMO = "remarks.webhooks.active"  # in session.info: (the transaction, its active webhooks)


def _active(session: Session) -> list[Webhook]:
    """The active webhooks, looked up once per transaction (a post records two or three events): a
    subscription made in another transaction is seen by the next one, as before."""
    tx = session.get_transaction()
    memo = session.info.get(_MEMO)
    if memo is None or memo[0] is not tx:
        memo = session.info[_MEMO] = (tx, session.scalars(select(Webhook).where(Webhook.active.is_(True))).all())
    return memo[1]


def known_none(session: Session) -> None:
    """The caller read ``ANY_ACTIVE`` as false in this transaction: no event of it looks webhooks up."""
    session.info[_MEMO] = (session.get_transaction(), [])


def forget(session: Session) -> None:
    """Webhooks changed in this transaction: look them up again."""
    session.info.pop(_MEMO, None)


def enqueue(session: Session, event: AuditEvent | Entry) -> None:
    """Called by audit.record and audit.write for every event; queues deliveries for the subscribed webhooks."""
    name = FROM_AUDIT.get(event.name)
    if name is None:
        return
    hooks = [h for h in _active(session) if name in h.events]
    if not hooks:
        return
    data = {k: v for k, v in (event.data or {}).items() if k in ("rule", "automatic", "ends_at", "outcome", "reason",
                                                                    "kind")}
    if event.subject_type == "comment" and event.subject_id is not None:
        c = session.get(Comment, event.subject_id)
        if c is not None:
            hooks = _of_site(hooks, c.article.publisher)
            data.update(comment_id=c.id, article_id=c.article_id, article_slug=c.article.slug, state=c.state,
                        parent_id=c.parent_id, user_id=c.author_id)
    elif event.subject_type == "user":
        data["user_id"] = event.subject_id
    elif event.subject_type == "appeal":
        data["appeal_id"] = event.subject_id
    data.pop("reason", None)  # free text a moderator wrote: not for other systems
    for h in hooks:
        did = str(uuid.uuid4())
        session.add(WebhookDelivery(uuid=did, webhook_id=h.id, event=name, payload={
            "id": did, "event": name, "created_at": utcnow().isoformat(), "data": data}))


def _of_site(hooks: list[Webhook], site) -> list[Webhook]:
    """A comment's events go to its site's webhooks only; the default site's (every article from before
    sites, and those nobody placed) to every webhook, as they did before sites existed. Events about an
    account (a sanction) go to every webhook: the account is shared by every site."""
    if site is None or site.name == DEFAULT_SITE:
        return hooks
    return [h for h in hooks if h.publisher_id == site.id]


def sign(secret: str, body: bytes, timestamp: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _claim(session: Session, now: datetime, limit: int) -> list[int]:
    """This worker's due deliveries, locked for ``CLAIM`` against the other workers. On SQLite the claim
    is a write from its first statement (BEGIN IMMEDIATE, waiting its turn), not a read that turns into a
    write: that upgrade fails at once ("database is locked") when another worker wrote in between."""
    with write_turn(session):
        session.connection(execution_options={"sqlite_immediate": True})
        due = session.scalars(select(WebhookDelivery.id).where(
            WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now))
            .order_by(WebhookDelivery.id).limit(limit)).all()
        mine = []
        for did in due:
            res = session.execute(update(WebhookDelivery).where(and_(
                WebhookDelivery.id == did, WebhookDelivery.status == "pending",
                or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now)))
                .values(locked_until=now + CLAIM))
            if res.rowcount == 1:
                mine.append(did)
        session.commit()
    return mine


def guarded_client(*, allow_private: bool = False) -> httpx.Client:
    """The client webhooks are posted with: addresses checked at connect time, redirects not followed."""
    return httpx.Client(timeout=5.0, follow_redirects=False, transport=GuardedTransport(allow_private=allow_private))


def deliver_due(factory: sessionmaker[Session], *, now: datetime | None = None, client: httpx.Client | None = None,
                limit: int = 50, allow_private: bool = False) -> dict[str, int]:
    """One pass: post every due delivery this worker can claim. Returns counts by outcome."""
    now = now or utcnow()
    own = client is None
    client = client or guarded_client(allow_private=allow_private)
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    try:
        with factory() as session:
            for did in _claim(session, now, limit):
                counts[_deliver(session, did, client, now)] += 1
    finally:
        if own:
            client.close()
    return counts


def _deliver(session: Session, did: int, client: httpx.Client, now: datetime) -> str:
    """Post one claimed delivery and record the outcome. No transaction is open while the receiver
    answers (up to the client's timeout); the outcome is written as a write from its first statement."""
    d = session.get(WebhookDelivery, did)
    request, delivery = _request(client, d, now), d.uuid
    release(session)
    error = None
    try:
        r = client.send(request)
        code, ok = r.status_code, 200 <= r.status_code < 300
        if not ok:
            error = f"HTTP {r.status_code}"
        if r.is_redirect:  # a redirect could point inside; the receiver must answer itself
            error = f"HTTP {r.status_code}: redirects are not followed ({r.headers.get('location', '')[:300]})"
    except httpx.HTTPError as exc:
        code, ok, error = None, False, f"{type(exc).__name__}: {exc}"[:500]
    with write_turn(session):
        session.connection(execution_options={"sqlite_immediate": True})
        d = session.get(WebhookDelivery, did, populate_existing=True)
        d.attempts += 1
        d.last_error = error
        if code is not None:
            d.last_status_code = code
        if ok:
            d.status, d.delivered_at, outcome = "delivered", now, "delivered"
        elif d.attempts >= MAX_ATTEMPTS:
            d.status, outcome = "failed", "failed"
            log.warning("webhook delivery %s failed for good: %s", delivery, error)
        else:
            d.next_attempt_at, outcome = now + backoff(d.attempts), "retry"
        d.locked_until = None
        session.commit()
    return outcome


def _request(client: httpx.Client, d: WebhookDelivery, now: datetime) -> httpx.Request:
    """The signed request for one delivery, built while its row is loaded."""
    body = json.dumps(d.payload, separators=(",", ":")).encode()
    stamp = str(int(now.timestamp()))
    return client.build_request("POST", d.webhook.url, content=body, headers={
        "Content-Type": "application/json", "X-Remarks-Event": d.event, "X-Remarks-Delivery": d.uuid,
        "X-Remarks-Timestamp": stamp, "X-Remarks-Signature": sign(d.webhook.secret, body, stamp)},
        extensions={"remarks_allow_private": d.webhook.allow_private})


class Worker:
    """A background thread delivering webhooks every second (one per server process)."""

    def __init__(self, factory: sessionmaker[Session], interval: float = 1.0, allow_private: bool = False) -> None:
        self.factory, self.interval, self.allow_private = factory, interval, allow_private
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="remarks-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        with guarded_client(allow_private=self.allow_private) as client:
            while not self._stop.wait(self.interval):
                try:
                    deliver_due(self.factory, client=client)
                except Exception:  # the worker keeps going; the error is logged
                    log.exception("webhook worker pass failed")
