"""HTTP caching of article threads: an ETag from the article's thread version (plus what else the
answer depends on), ``Cache-Control`` for anonymous readers (public, short max-age,
stale-while-revalidate) and 304 Not Modified when the reader's copy is still current."""

from __future__ import annotations

import hashlib

from fastapi import Request
from fastapi.responses import Response

# Anonymous readers: any cache may keep it for 5 s and serve it stale for 30 s more while it asks again.
PUBLIC = "public, max-age=5, stale-while-revalidate=30"
# An anonymous page carries the reader's own form token (and may set its cookie): the reader's browser keeps
# it the same way, but no shared cache may, or it would hand one reader's token to the next. Readers behind a
# CDN share the thread JSON (PUBLIC, never with a cookie) and the page's rendered HTML in the server's cache.
PAGE = "private, max-age=5, stale-while-revalidate=30"
# Logged-in readers: their copy carries their own marks; browsers revalidate every time.
PRIVATE = "private, no-cache"


def etag(*parts: object) -> str:
    return 'W/"' + "-".join(str(p) for p in parts) + '"'


def token_tag(token: str) -> str:
    """A short tag of a reader's form token, for pages that carry it (never the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()[:10]


# Where the reader's own form token goes in a cached page (replaced on the way out).
FORM_TOKEN = "\x00csrf\x00"


def json_tag(article_id: int, version: int, page: int, sort: str, closed: int) -> str:
    """The ETag of an anonymous thread JSON (web/api.py and the fast path, web/fast_reads.py)."""
    return etag("a", article_id, version, page, sort, closed)


def page_tag(article_id: int, version: int, page: int, sort: str, lang: str, embed: bool, closed: int,
             token: str) -> str:
    """The ETag of an anonymous article page or embed: it carries the reader's form token, so it is theirs."""
    return etag("p", article_id, version, page, sort, lang, int(embed), closed, token_tag(token))


def json_key(closed: int) -> tuple:
    """Under which key a thread snapshot keeps its anonymous JSON (Snapshot.render)."""
    return ("json", closed)


def tree_key(closed: int) -> tuple:
    """... and the same answer as plain data, which a logged-in reader's copy is made from."""
    return ("tree", closed)


def page_key(name: str, lang: str, path: str, closed: int) -> tuple:
    """... and an anonymous page (the template, its language, the address it was asked at)."""
    return ("html", name, lang, path, closed)


def fresh(request: Request, tag: str) -> bool:
    """Does the reader already hold this version (``If-None-Match``)?"""
    return matches(request.headers.get("if-none-match"), tag)


def matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    held = {t.strip() for t in header.split(",")}
    return "*" in held or tag in held or tag.removeprefix("W/") in held


def headers(tag: str, cache_control: str = PUBLIC, vary: str = "Accept-Language, Cookie, Authorization") -> dict:
    return {"ETag": tag, "Cache-Control": cache_control, "Vary": vary}


def shared(cache_control: str | None) -> bool:
    """May a shared cache keep this answer? Such an answer must not set a cookie (web/served.py)."""
    return bool(cache_control) and "public" in cache_control


def not_modified(tag: str, cache_control: str = PUBLIC) -> Response:
    return Response(status_code=304, headers=headers(tag, cache_control))
