"""Exports: the audit log (JSON Lines, CSV) and statements of reasons in the fields of the EU
DSA Transparency Database — with no personal data (no names, e-mails, comment text or addresses)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session

from remarks.errors import BadInput
from remarks.models import Article, AuditEvent, Report, Sanction, Statement
from remarks.sanction_kinds import KINDS, MEASURES
from remarks.moderation import rules
from remarks.services.notices import legal_words
from remarks.services.sites import EVERY_SITE, Scope

AUDIT_FIELDS = ["id", "created_at", "name", "actor_id", "subject_type", "subject_id", "data"]

TRANSPARENCY_FIELDS = [
    "puid", "decision_visibility", "decision_account", "end_date_account_restriction", "decision_ground",
    "incompatible_content_ground", "incompatible_content_explanation", "decision_facts", "source_type",
    "automated_detection", "automated_decision", "content_type", "category", "content_date", "application_date",
    "territorial_scope", "content_language", "illegal_content_legal_ground", "illegal_content_explanation",
]


def audit_of(scope: Scope) -> ColumnElement[bool]:
    """Audit events about a scope's sites: their comments, articles and reports. Events about accounts,
    the policy or the installation belong to no site; only staff of every site read them."""
    if scope.every_site:
        return true()
    kind, ident = AuditEvent.subject_type, AuditEvent.subject_id
    return or_(and_(kind == "comment", scope.comments(ident)),
               and_(kind == "article", ident.in_(select(Article.id).where(scope.articles()))),
               and_(kind == "report", ident.in_(select(Report.id).where(scope.comments(Report.comment_id)))))


def audit_rows(session: Session, since: datetime | None = None, scope: Scope = EVERY_SITE) -> Iterator[dict]:
    q = select(AuditEvent).where(audit_of(scope)).order_by(AuditEvent.id)
    if since is not None:
        q = q.where(AuditEvent.created_at >= since)
    for e in session.scalars(q).yield_per(500):
        yield {"id": e.id, "created_at": e.created_at.isoformat(), "name": e.name, "actor_id": e.actor_id,
               "subject_type": e.subject_type, "subject_id": e.subject_id, "data": e.data or {}}


def _date(d: datetime | None) -> str:
    return d.strftime("%Y-%m-%d") if d else ""


def transparency_rows(session: Session, secret: str, since: datetime | None = None,
                      scope: Scope = EVERY_SITE) -> Iterator[dict]:
    q = select(Statement).order_by(Statement.id)
    if not scope.every_site:  # a statement's site: its comment's, or that of the comment its sanction cited
        q = (q.outerjoin(Sanction, Sanction.id == Statement.sanction_id)
             .where(scope.comments(func.coalesce(Statement.comment_id, Sanction.comment_id))))
    if since is not None:
        q = q.where(Statement.created_at >= since)
    for st in session.scalars(q).yield_per(500):
        ground = st.ground or ""
        measure = MEASURES[st.measure]
        yield {
            # An opaque id: the statement's number keyed with the site's secret; no user id.
            "puid": hashlib.sha256(f"{secret}:statement:{st.id}".encode()).hexdigest()[:32],
            "decision_visibility": measure.dsa_visibility,
            "decision_account": measure.dsa_account,
            "end_date_account_restriction": _date(st.ends_at) if st.measure in KINDS and KINDS[st.measure].ends
            else "",
            "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT" if ground == "illegal"
            else "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "incompatible_content_ground": rule.ground if (rule := rules.get(ground)) else "Comment policy",
            "incompatible_content_explanation": _explanation(st),
            "decision_facts": _facts(st),
            "source_type": "SOURCE_ARTICLE_16" if st.source == "notice" else "SOURCE_VOLUNTARY",
            "automated_detection": "Yes" if st.automated_detection else "No",
            "automated_decision": "AUTOMATED_DECISION_FULLY" if st.automated_decision
            else "AUTOMATED_DECISION_NOT_AUTOMATED",
            "content_type": "CONTENT_TYPE_TEXT",
            "category": rule.dsa_category if (rule := rules.get(ground)) else rules.SCOPE,
            "content_date": _date(st.comment.created_at if st.comment else st.created_at),
            "application_date": _date(st.created_at),
            "territorial_scope": _scope(st),
            "content_language": "EN",
            "illegal_content_legal_ground": legal_words(st.legal_ground, st.legal_ground_text) if st.legal_ground else "",
            "illegal_content_explanation": _illegal_explanation(st),
        }


def _scope(st: Statement) -> str:
    """Country codes as the database lists them; "EU"/"EEA" stand for all of them."""
    return st.territorial_scope if st.ground == "illegal" else ""


def _illegal_explanation(st: Statement) -> str:
    if st.ground != "illegal":
        return ""
    how = "after a notice" if st.source == "notice" else "on the newspaper's own initiative"
    return f"A moderator found the comment illegal under the cited law {how} and removed it."


def _facts(st: Statement) -> str:
    # The statement's own facts quote the comment: the export says what happened without it.
    what = MEASURES[st.measure].facts
    how = "after reader reports" if st.source == "notice" else "on the newspaper's own initiative"
    return f"{what} {how} for breaking the rule: {rule.ground if (rule := rules.get(st.ground)) else 'the comment policy'}."


def _explanation(st: Statement) -> str:
    who = "by the automatic policy" if st.automated_decision else "by a moderator"
    flagged = "flagged by an automatic check" if st.automated_detection else "not flagged by an automatic check"
    return f"Decided {who}; the content was {flagged}."


def as_jsonl(rows: Iterator[dict]) -> Iterator[str]:
    for r in rows:
        yield json.dumps(r, ensure_ascii=False, default=str) + "\n"


def as_csv(rows: Iterator[dict], fields: list[str]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    yield buf.getvalue()
    for r in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow({k: json.dumps(v) if isinstance(v, dict) else v for k, v in r.items()})
        yield buf.getvalue()


@dataclass(frozen=True)
class Export:
    """One export. The desk serves it to admins at ``/desk/{path}.jsonl`` and ``.csv``
    (``web/insight.py``); the CLI as ``remarks {command} export`` (``cli/desk.py``)."""

    command: str  # the CLI group
    group_help: str
    help: str  # what it holds
    path: str  # under /desk/, without the format
    filename: str  # the download's name, without the format
    fields: list[str]  # the CSV columns, in order
    rows: Callable[[Session, str, datetime | None, Scope], Iterator[dict]]  # (session, secret, since, sites)


EXPORTS: dict[str, Export] = {e.command: e for e in (
    Export("audit", "The audit log.", "Every automatic and human action, oldest first.", "audit", "remarks-audit",
           AUDIT_FIELDS, lambda session, secret, since, scope: audit_rows(session, since, scope)),
    Export("statements", "Statements of reasons.",
           "Statements of reasons in the EU DSA Transparency Database fields (no personal data).",
           "statements/transparency", "statements-of-reasons", TRANSPARENCY_FIELDS, transparency_rows),
)}
FORMATS = {"jsonl": "application/x-ndjson", "csv": "text/csv"}


def render(export: Export, rows: Iterator[dict], fmt: str) -> Iterator[str]:
    if fmt not in FORMATS:
        raise BadInput(f"the format is {' or '.join(FORMATS)}, not {fmt!r}")
    return as_csv(rows, export.fields) if fmt == "csv" else as_jsonl(rows)


def parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise BadInput("since is a date, e.g. 2026-11-01") from None
