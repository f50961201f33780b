"""Comment counts for a publisher's list pages: GET /api/v1/counts?articles=a,b,c (cached, open to
every origin) and /static/count.js, which fills <span data-remarks-count="slug"> on any page."""

from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from remarks.services import counts
from remarks.web.schemas import ERRORS
from remarks.web.deps import get_db

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["articles"])
MAX_AGE = 60


class CountsOut(BaseModel):
    counts: dict[str, int]


@router.get("/counts", response_model=CountsOut)
def get_counts(request: Request, articles: str = Query(..., max_length=21_000, description="Article ids, "
               "comma-separated (at most 100)."), db: Session = Depends(get_db)) -> Response:
    """Published comments per article. Public, cached for a minute, callable from any site (CORS)."""
    slugs = counts.parse_slugs(articles)
    body = json.dumps({"counts": request.app.state.counts.get(db, slugs)}, separators=(",", ":"))
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:20] + '"'
    headers = {"Cache-Control": f"public, max-age={MAX_AGE}", "ETag": etag, "Access-Control-Allow-Origin": "*",
               "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
