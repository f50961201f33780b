"""Prometheus metrics for one app: counters fed by the audit events each transaction commits
(so every route and the CLI count alike), check latencies from the scorer, and gauges read
from the database at scrape time (queue size, webhook failures), which hold across processes."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from remarks.events import Event
from remarks.models import AuditEvent, Comment
from remarks.services import audit

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.registry = CollectorRegistry()
        self.posted = Counter("remarks_comments_posted_total", "Comments posted.", registry=self.registry)
        self.decisions = Counter("remarks_decisions_total", "Decisions on comments by rule, kind and action.",
                                 ["rule", "kind", "action"], registry=self.registry)
        self.events = Counter("remarks_audit_events_total", "Audit events by name.", ["name"], registry=self.registry)
        self.check_seconds = Histogram("remarks_check_seconds", "Time one check takes on one comment.", ["rule"],
                                       buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
                                       registry=self.registry)
        self.requests = Histogram("remarks_request_seconds", "HTTP request latency by route kind.", ["kind"],
                                  registry=self.registry)
        self.fast_reads = Counter("remarks_fast_reads_total", "Thread reads answered from the cache before the app "
                                  "(web/fast_reads.py), by kind: json, page, viewer (logged in), 304.", ["kind"],
                                  registry=self.registry)
        self.write_groups = Histogram("remarks_write_group_size", "Posts' writes committed together in one "
                                      "transaction (group commit, db/group.py).",
                                      buckets=(1, 2, 4, 8, 16, 32, 64), registry=self.registry)
        self.registry.register(_DatabaseGauges(sessions))
        event.listen(sessions, "after_flush", _collect)
        event.listen(sessions, "after_commit", self._count)
        event.listen(sessions, "after_rollback", lambda s: s.info.pop(audit.WRITTEN, None))

    def observe_check(self, rule: str, seconds: float) -> None:
        self.check_seconds.labels(rule=rule).observe(seconds)

    def _count(self, session: Session) -> None:
        for name, data in session.info.pop(audit.WRITTEN, []):
            self.events.labels(name=name).inc()
            if name == Event.COMMENT_CREATED:
                self.posted.inc()
            elif name in (Event.COMMENT_PUBLISHED, Event.COMMENT_HELD, Event.COMMENT_REMOVED, Event.COMMENT_APPROVED):
                kind = "automatic" if data.get("automatic") else "human"
                action = name.split(":")[1]
                self.decisions.labels(rule=data.get("rule") or "none", kind=kind, action=action).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _collect(session: Session, _ctx) -> None:
    new = [(o.name, dict(o.data or {})) for o in session.new if isinstance(o, AuditEvent)]
    if new:
        session.info.setdefault(audit.WRITTEN, []).extend(new)


class _DatabaseGauges:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def collect(self):
        with self.sessions() as s:
            held = s.scalar(select(func.count()).select_from(Comment).where(Comment.state == "held")) or 0
            try:
                failed = s.execute(text("SELECT count(*) FROM webhook_deliveries WHERE status = 'failed'")).scalar()
            except Exception:  # noqa: BLE001 - the table arrives with the webhooks migration
                s.rollback()
                failed = 0
        yield GaugeMetricFamily("remarks_queue_size", "Held comments waiting for a moderator.", value=held)
        yield GaugeMetricFamily("remarks_webhook_failures", "Webhook deliveries that failed for good.",
                                value=failed or 0)
