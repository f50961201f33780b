"""What an export reader yields, whatever the source: threads (articles) and posts (comments),
in file order, parsed safely and in bounded memory."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

import nh3
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from xml.etree.ElementTree import Element, ParseError

from remarks.errors import BadInput


class ImportFailed(BadInput):
    """The export cannot be imported; nothing was written."""

    code = "import_failed"


@dataclass(frozen=True)
class Author:
    subject: str  # stable within the source: its user name, else a hash of the e-mail, else the name
    name: str
    email: str | None = None


@dataclass(frozen=True)
class Thread:
    key: str
    slug: str
    title: str
    link: str
    created_at: datetime | None
    closed: bool = False


@dataclass(frozen=True)
class Post:
    key: str
    thread_key: str
    parent_key: str | None
    author: Author
    created_at: datetime
    text: str
    state: str  # published | held | removed


_BREAKS = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>|</?p[^>]*>|</blockquote>|</li>", re.I)


def html_to_text(markup: str) -> str:
    """A comment's HTML (Disqus, WordPress) as remarks' plain text: paragraphs kept, tags gone."""
    text = _BREAKS.sub("\n\n", markup or "")
    text = html.unescape(nh3.clean(text, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def parse_time(value: str | None, where: str) -> datetime:
    value = (value or "").strip()
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            t = datetime.strptime(value, fmt)
            return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
        except ValueError:
            continue
    raise ImportFailed(f"{where}: the date {value[:40]!r} is not a date this format uses; nothing was imported")


_NOT_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def slug_of(identifier: str, link: str, fallback: str) -> str:
    """The article id remarks uses: the export's own identifier when it is one, else the link's last part."""
    for candidate in (identifier, link.rstrip("/").rsplit("/", 1)[-1].split("?")[0] if link else ""):
        slug = _NOT_SLUG.sub("-", candidate or "").strip("-._")[:200]
        if slug and slug == (candidate or "").strip():
            return slug
    for candidate in (identifier, link.rstrip("/").rsplit("/", 1)[-1] if link else ""):
        slug = _NOT_SLUG.sub("-", candidate or "").strip("-._")[:200]
        if slug:
            return slug
    return fallback


def stream(source: IO[bytes], name: str, tags: set[str], depth: int) -> Iterator[Element]:
    """Each element at ``depth`` (the root's children are at 1) whose tag is in ``tags``; each one is cleared
    after the caller is done with it, so memory holds one element at a time. XML attacks (entity
    expansion, external entities, DTDs with entities) are refused by defusedxml."""
    parents: list[Element] = []
    try:
        for event, elem in iterparse(source, events=("start", "end"), forbid_dtd=False, forbid_entities=True,
                                     forbid_external=True):
            if event == "start":
                parents.append(elem)
                continue
            parents.pop()
            if len(parents) == depth:
                if elem.tag in tags:
                    yield elem
                elem.clear()
                parents[-1].remove(elem)
    except ParseError as exc:
        line, col = exc.position
        raise ImportFailed(f"{name}: line {line}, column {col + 1}: the XML is broken ({str(exc).split(':')[0]}); "
                           "nothing was imported") from None
    except DefusedXmlException as exc:
        raise ImportFailed(f"{name}: refused unsafe XML ({type(exc).__name__}); nothing was imported") from None
