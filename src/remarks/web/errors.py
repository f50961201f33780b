"""One error shape: the API answers JSON, pages answer an error page."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response



def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_body(status: int, code: str, message: str) -> dict:
    return {"error": {"status": status, "code": code, "message": message}}


def error_response(request: Request, status: int, code: str, message: str, *,
                   headers: dict[str, str] | None = None, params: dict | None = None) -> Response:
    """``message`` in the reader's language (the API's too: by Accept-Language or the language cookie;
    ``code`` is the stable part for programs), its %(name)s placeholders filled from ``params``."""
    from remarks.web import i18n
    from remarks.web.responses import use_language

    use_language(request)
    message = i18n.translate(message, params)
    if wants_json(request):
        return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "code": code, "message": message, "viewer": None},
        status_code=status, headers=headers,
    )
