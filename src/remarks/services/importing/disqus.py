"""Disqus's XML export (https://help.disqus.com/en/articles/1717164-comments-export): <category>,
<thread dsq:id> and <post dsq:id> children of <disqus>, posts naming their thread and parent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import IO

from remarks.services.importing.records import Author, ImportFailed, Post, Thread, html_to_text, parse_time, slug_of, stream

NS = "{http://disqus.com}"
DSQ = "{http://disqus.com/disqus-internals}id"


def _text(elem, tag: str) -> str:
    found = elem.find(NS + tag)
    return (found.text or "").strip() if found is not None else ""


def _author(post, where: str) -> Author:
    a = post.find(NS + "author")
    if a is None:
        return Author(subject="anonymous", name="Anonymous")
    username, name, email = _text(a, "username"), _text(a, "name"), _text(a, "email").lower()
    if username:
        subject = "u:" + username
    elif email:
        subject = "e:" + hashlib.sha256(email.encode()).hexdigest()[:32]
    else:
        subject = "n:" + (name or "anonymous")[:200]
    return Author(subject=subject, name=name or username or "Anonymous", email=email or None)


def read(source: IO[bytes], name: str) -> Iterator[Thread | Post]:
    for elem in stream(source, name, {NS + "thread", NS + "post", NS + "category"}, depth=1):
        if elem.tag == NS + "category":
            continue
        key = elem.get(DSQ)
        kind = elem.tag[len(NS):]
        if not key:
            raise ImportFailed(f"{name}: a <{kind}> has no dsq:id attribute; nothing was imported")
        where = f"{name}: {kind} {key}"
        if elem.tag == NS + "thread":
            ident, link = _text(elem, "id"), _text(elem, "link")
            created = _text(elem, "createdAt")
            yield Thread(key=key, slug=slug_of(ident, link, f"disqus-{key}"), title=_text(elem, "title") or link or ident
                         or f"Disqus thread {key}", link=link, created_at=parse_time(created, where) if created else None,
                         closed=_text(elem, "isClosed") == "true")
            continue
        thread = elem.find(NS + "thread")
        if thread is None or not thread.get(DSQ):
            raise ImportFailed(f"{where} names no thread; nothing was imported")
        parent = elem.find(NS + "parent")
        deleted, spam = _text(elem, "isDeleted") == "true", _text(elem, "isSpam") == "true"
        yield Post(key=key, thread_key=thread.get(DSQ), parent_key=parent.get(DSQ) if parent is not None else None,
                   author=_author(elem, where), created_at=parse_time(_text(elem, "createdAt"), where),
                   text=html_to_text(_text(elem, "message")), state="removed" if deleted or spam else "published")
