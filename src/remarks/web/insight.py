"""Statistics and exports for the newsroom: the statistics page with its plots and CSVs, the
audit export, and statements of reasons in the EU Transparency Database fields."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from remarks.errors import BadInput, NotFound
from remarks.models import User
from remarks.services import exports, stats
from remarks.web.deps import Viewer, get_db, get_viewer
from remarks.web.permissions import Permission, require
from remarks.web.responses import page

router = APIRouter(prefix="/desk", include_in_schema=False)


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise BadInput("since is a date, e.g. 2026-11-01") from None


def _stream(chunks, media: str, filename: str) -> StreamingResponse:  # noqa: ANN001
    return StreamingResponse(chunks, media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/audit.jsonl")
def audit_jsonl(since: str | None = None, db: Session = Depends(get_db),
                admin: User = Depends(require(Permission.ADMINISTER))) -> StreamingResponse:
    rows = list(exports.audit_rows(db, _since(since)))
    return _stream(exports.as_jsonl(iter(rows)), "application/x-ndjson", "remarks-audit.jsonl")


@router.get("/audit.csv")
def audit_csv(since: str | None = None, db: Session = Depends(get_db),
              admin: User = Depends(require(Permission.ADMINISTER))) -> StreamingResponse:
    rows = list(exports.audit_rows(db, _since(since)))
    return _stream(exports.as_csv(iter(rows), exports.AUDIT_FIELDS), "text/csv", "remarks-audit.csv")


@router.get("/statements/transparency.jsonl")
def transparency_jsonl(request: Request, db: Session = Depends(get_db),
                       admin: User = Depends(require(Permission.ADMINISTER))) -> StreamingResponse:
    rows = list(exports.transparency_rows(db, request.app.state.settings.secret_key))
    return _stream(exports.as_jsonl(iter(rows)), "application/x-ndjson", "statements-of-reasons.jsonl")


@router.get("/statements/transparency.csv")
def transparency_csv(request: Request, db: Session = Depends(get_db),
                     admin: User = Depends(require(Permission.ADMINISTER))) -> StreamingResponse:
    rows = list(exports.transparency_rows(db, request.app.state.settings.secret_key))
    return _stream(exports.as_csv(iter(rows), exports.TRANSPARENCY_FIELDS), "text/csv", "statements-of-reasons.csv")


@router.get("/stats")
def stats_page(request: Request, days: int = 30, db: Session = Depends(get_db),
               viewer: Viewer = Depends(get_viewer), moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    days = max(1, min(days, 365))
    return page(request, "desk/stats.html", viewer, headline=stats.headline(db, days), plots=stats.PLOTS, days=days)


def _table(name: str, db: Session, days: int):  # noqa: ANN202
    if name not in stats.PLOTS:
        raise NotFound(f"no statistic {name!r}")
    return stats.table(db, name, max(1, min(days, 365)))


@router.get("/stats/{name}.csv")
def stats_csv(name: str, days: int = 30, db: Session = Depends(get_db),
              moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    header, rows = _table(name, db, days)
    return _stream(exports.as_csv(iter(dict(zip(header, r, strict=True)) for r in rows), header), "text/csv",
                   f"{name}.csv")


@router.get("/stats/{name}.png")
def stats_png(name: str, days: int = 30, db: Session = Depends(get_db),
              moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    header, rows = _table(name, db, days)
    return Response(stats.plot(name, header, rows), media_type="image/png")
