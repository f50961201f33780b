"""Desk data by API for publishers and auditors: the audit log and the statistics as JSON, for an
admin's session or token, or a publisher's API key (X-API-Key). A key reads its own site; an admin
reads the sites they work on (``?site=NAME`` narrows to one)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from remarks.errors import BadInput, Forbidden, NotAuthenticated, NotFound
from remarks.models import AuditEvent
from remarks.services import exports, publishing, sites, stats
from remarks.web import schemas as s
from remarks.web.schemas import ERRORS
from remarks.web.deps import Viewer, get_db, get_viewer
from remarks.web.permissions import Permission, allows

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["insight"])


def auditor(x_api_key: str | None = Header(None, description="A publisher's API key (or log in as an admin)."),
            site: str | None = Query(None, max_length=100, description="Only this site (its name)."),
            db: Session = Depends(get_db), viewer: Viewer = Depends(get_viewer)) -> sites.Scope:
    """An admin (session or bearer token) or a publisher's API key; answers the sites they may read."""
    if x_api_key:
        pub = publishing.publisher_for_key(db, x_api_key)
        if site and sites.by_name(db, site).id != pub.id:
            raise sites.OutOfScope("a publisher's key reads its own site")
        return sites.Scope(frozenset({pub.id}))
    if viewer.user is None:
        raise NotAuthenticated("log in as an admin, or send a publisher's key in X-API-Key")
    if not allows(viewer.user, Permission.ADMINISTER):
        raise Forbidden("the audit log and statistics are for admins and publishers")
    return sites.narrowed(db, viewer.user, site)


@router.get("/audit", response_model=s.AuditPage)
def audit_log(after_id: int = Query(0, ge=0, le=2**62, description="Events with a larger id (the cursor)."),
              since: datetime | None = Query(None, description="Only events at or after this time (ISO 8601)."),
              name: str | None = Query(None, max_length=60, description="Only events of this name."),
              limit: int = Query(100, ge=1, le=1000), site: str | None = Query(None, max_length=100),
              db: Session = Depends(get_db),
              scope: sites.Scope = Depends(auditor)) -> s.AuditPage:
    """The append-only audit log, oldest first, one page at a time: follow ``next`` until it is null. For
    one site (a publisher's key, an admin of some sites): events about its comments, articles and reports."""
    q = select(AuditEvent).where(AuditEvent.id > after_id, exports.audit_of(scope))
    if since is not None:
        q = q.where(AuditEvent.created_at >= since)
    if name:
        q = q.where(AuditEvent.name == name)
    rows = list(db.scalars(q.order_by(AuditEvent.id).limit(limit + 1)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = None
    if more:
        params = {"after_id": rows[-1].id, "limit": limit}
        if since is not None:
            params["since"] = since.isoformat()
        if name:
            params["name"] = name
        if site:
            params["site"] = site
        nxt = "/api/v1/audit?" + urlencode(params)
    return s.AuditPage(events=[s.AuditEventOut(id=e.id, created_at=e.created_at, name=e.name, actor_id=e.actor_id,
                                               subject_type=e.subject_type, subject_id=e.subject_id,
                                               data=e.data or {}) for e in rows], next=nxt)


@router.get("/stats", response_model=s.StatsOut)
def stats_summary(days: int = Query(30, ge=1, le=366), db: Session = Depends(get_db),
                  scope: sites.Scope = Depends(auditor)) -> s.StatsOut:
    """The statistics page's headline figures, and the tables behind its plots."""
    return s.StatsOut(days=days, headline=stats.headline(db, days, scope), tables=dict(stats.PLOTS))


@router.get("/stats/{name}", response_model=s.StatsTable)
def stats_table(name: str, days: int = Query(30, ge=1, le=366), page: int = Query(1, ge=1, le=100_000),
                per_page: int = Query(100, ge=1, le=1000), db: Session = Depends(get_db),
                scope: sites.Scope = Depends(auditor)) -> s.StatsTable:
    """One table of the statistics page (the CSV behind a plot) as JSON, paginated."""
    if name not in stats.PLOTS:
        raise NotFound(f"no table {name!r}; known: {', '.join(stats.PLOTS)}")
    columns, rows = stats.table(db, name, days, scope)
    pages = max(1, -(-len(rows) // per_page))
    if page > pages:
        raise BadInput(f"there are {pages} page(s)")
    return s.StatsTable(name=name, title=stats.PLOTS[name], columns=columns, page=page, pages=pages,
                        rows=[list(r) for r in rows[(page - 1) * per_page: page * per_page]])
