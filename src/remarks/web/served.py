"""What every answer gets on its way out, whichever way it was made (the app's routes through the
guard in web/app.py, or the fast path in web/fast_reads.py): the device cookie, the security headers,
its latency in the metrics and a line in the access log."""

from __future__ import annotations

import logging
import secrets

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import MutableHeaders

from remarks.config import Settings
from remarks.web import caching
from remarks.web.deps import DEVICE_COOKIE
from remarks.web.metrics import Metrics
from remarks.web.responses import CSP

access = logging.getLogger("remarks.http")
KINDS = {"articles", "embed", "desk", "login", "signup", "logout", "me", "static", "metrics", "healthz", "comments",
         "users", "notifications"}


def finish(request: Request, headers: MutableHeaders, settings: Settings) -> None:
    """Add to an answer's headers (a response's, or those of the start message the app sends)."""
    if DEVICE_COOKIE not in request.cookies and not caching.shared(headers.get("cache-control")):
        # Not on an answer a shared cache may keep (the thread JSON): it would give every reader one device.
        request.state.new_device = getattr(request.state, "new_device", None) or secrets.token_urlsafe(18)
    if getattr(request.state, "new_device", None) and not caching.shared(headers.get("cache-control")):
        # A device cookie: a ban-evasion signal shown to moderators (hashed), never acted on alone.
        cookie = Response()  # the header as a response sets it
        cookie.set_cookie(DEVICE_COOKIE, request.state.new_device, max_age=365 * 86400, httponly=True,
                          samesite=settings.cookie_samesite,
                          secure=settings.secure_cookies or settings.cookie_samesite == "none")
        headers.append("set-cookie", cookie.headers["set-cookie"])
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.url.path.startswith("/docs"):
        # Swagger UI needs its own inline bootstrap script and CDN assets.
        del headers["Content-Security-Policy"]


def record(metrics: Metrics, method: str, path: str, status: int, seconds: float) -> None:
    kind = path.split("/")[1] or "home"
    metrics.requests.labels(kind="api" if kind == "api" else kind if kind in KINDS else "other").observe(seconds)
    access.info("request", extra={"method": method, "path": path, "status": status, "ms": round(seconds * 1000, 1)})
