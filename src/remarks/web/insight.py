"""Statistics and exports for the newsroom: the statistics page with its plots and CSVs, the
audit export, and statements of reasons in the EU Transparency Database fields."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from remarks.errors import NotFound
from remarks.i18n import gettext
from remarks.models import User
from remarks.services import exports, sites, stats
from remarks.web.deps import Viewer, get_db, get_viewer
from remarks.web.permissions import Permission, require
from remarks.web.responses import page

router = APIRouter(prefix="/desk", include_in_schema=False)


def _stream(chunks, media: str, filename: str) -> StreamingResponse:
    return StreamingResponse(chunks, media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _download(export: exports.Export, fmt: str) -> Callable[..., StreamingResponse]:
    def download(request: Request, since: str | None = None, site: str = "", db: Session = Depends(get_db),
                 admin: User = Depends(require(Permission.ADMINISTER))) -> StreamingResponse:
        # Read it all before answering: a database error is an error page, not a cut-off file.
        rows = list(export.rows(db, request.app.state.settings.secret_key, exports.parse_since(since),
                                sites.narrowed(db, admin, site[:100])))
        return _stream(exports.render(export, iter(rows), fmt), exports.FORMATS[fmt], f"{export.filename}.{fmt}")

    download.__doc__ = export.help
    return download


for _export in exports.EXPORTS.values():  # every export, in every format
    for _fmt in exports.FORMATS:
        router.add_api_route(f"/{_export.path}.{_fmt}", _download(_export, _fmt), methods=["GET"],
                             name=f"export_{_export.command}_{_fmt}")


@router.get("/stats")
def stats_page(request: Request, days: int = 30, site: str = "", db: Session = Depends(get_db),
               viewer: Viewer = Depends(get_viewer), moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    days = max(1, min(days, 365))
    scope = sites.narrowed(db, moderator, site[:100])
    empty = {name: gettext(stats.EMPTY[name]).format(days=days) for name in stats.PLOTS
             if not stats.has_data(name, stats.table(db, name, days, scope)[1])}
    return page(request, "desk/stats.html", viewer, headline=stats.headline(db, days, scope), plots=stats.PLOTS,
                days=days, empty=empty, site=site[:100])


def _table(name: str, db: Session, days: int, moderator: User, site: str):
    if name not in stats.PLOTS:
        raise NotFound(f"no statistic {name!r}")
    return stats.table(db, name, max(1, min(days, 365)), sites.narrowed(db, moderator, site[:100]))


@router.get("/stats/{name}.csv")
def stats_csv(name: str, days: int = 30, site: str = "", db: Session = Depends(get_db),
              moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    header, rows = _table(name, db, days, moderator, site)
    return _stream(exports.as_csv(iter(dict(zip(header, r, strict=True)) for r in rows), header), "text/csv",
                   f"{name}.csv")


@router.get("/stats/{name}.png")
def stats_png(name: str, days: int = 30, site: str = "", db: Session = Depends(get_db),
              moderator: User = Depends(require(Permission.MODERATE))) -> Response:
    header, rows = _table(name, db, days, moderator, site)
    return Response(stats.plot(name, header, rows), media_type="image/png")
