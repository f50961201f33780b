"""HEAD answered as GET without the body (RFC 9110, 9.3.2: a server that answers GET must answer HEAD).

FastAPI's GET routes do not answer HEAD (fastapi/fastapi#1773; Starlette's own routes do), so link
checkers, uptime monitors and caches that probe with HEAD got 405. This layer, outside all the others,
hands the app a GET and sends its status and headers (Content-Length and ETag included) with an empty
body. The response ends at the app's first body message: a HEAD on a live-update stream answers at
once instead of holding the connection for the stream's lifetime (the stream then sees the client gone
and stops). The app never sees HEAD, so the OpenAPI schema lists GET only, as the specification implies HEAD."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ASKED = "remarks.asked_method"  # the method the client sent, kept in the scope for the access log


def asked_method(scope: Scope) -> str:
    """The request's method as the client sent it (HEAD, where the app was handed a GET)."""
    return scope.get(ASKED, scope["method"])


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        ended = False

        async def without_body(message: Message) -> None:
            nonlocal ended
            if ended:
                return
            if message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": b"", "more_body": False}
                ended = True
            await send(message)

        await self.app({**scope, "method": "GET", ASKED: "HEAD"}, receive, without_body)
