"""Batch moderation (``remarks moderate``): JSON Lines of comments in, JSON Lines of verdicts out.

A comment line: ``{"id", "article_id", "parent_id"?, "author"?, "text"}``; an article line:
``{"id", "title", "body", "byline"?}``. A result line: ``{"id", "scores": {rule: score},
"action", "evidence": {rule: evidence}}`` - only the rules whose checks are installed appear.
Comments are scored in chunks, so the file may be larger than memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from remarks.checks.base import ArticleRef, Check, CommentContext
from remarks.checks.policy import Thresholds, decide
from remarks.errors import BadInput

CHUNK = 256
# How many other articles of the file a comment is contrasted with (relevance check).
OTHER_ARTICLES = 50


def _lines(stream: IO[str], what: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{what} line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise BadInput(f"{what} line {number}: expected a JSON object")
        yield number, obj


def _field(obj: dict, key: str, what: str, number: int, *, required: bool = True) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise BadInput(f"{what} line {number}: missing {key!r}")
        return None
    if not isinstance(value, (str, int)):
        raise BadInput(f"{what} line {number}: {key!r} must be a string")
    return str(value)


def read_articles(stream: IO[str]) -> dict[str, dict[str, str]]:
    articles = {}
    for n, obj in _lines(stream, "articles"):
        aid = _field(obj, "id", "articles", n)
        articles[aid] = {"title": _field(obj, "title", "articles", n, required=False) or "",
                         "body": _field(obj, "body", "articles", n, required=False) or "",
                         "byline": _field(obj, "byline", "articles", n, required=False) or ""}
    return articles


def contexts(stream: IO[str], articles: dict[str, dict[str, str]]) -> Iterator[CommentContext]:
    """One context per comment line; parents and participants come from earlier lines of the file."""
    texts: dict[str, str] = {}
    authors: dict[str, list[str]] = {}
    refs = [ArticleRef(id=k, title=v["title"], body=v["body"]) for k, v in articles.items()]
    for n, obj in _lines(stream, "comments"):
        cid = _field(obj, "id", "comments", n)
        text = _field(obj, "text", "comments", n)
        aid = _field(obj, "article_id", "comments", n, required=False)
        parent = _field(obj, "parent_id", "comments", n, required=False)
        author = _field(obj, "author", "comments", n, required=False)
        art = articles.get(aid or "", {})
        thread = authors.setdefault(aid or "", [])
        yield CommentContext(
            text=text, comment_id=cid, article_id=aid, article_title=art.get("title", ""),
            article_body=art.get("body", ""), byline=art.get("byline", ""),
            parent_text=texts.get(parent) if parent else None, author=author,
            participants=tuple(a for a in dict.fromkeys(thread) if a != author),
            other_articles=tuple(r for r in refs if r.id != aid)[:OTHER_ARTICLES],
        )
        texts[cid] = text
        if author:
            thread.append(author)


def moderate(ctxs: Iterable[CommentContext], checks: Sequence[Check],
             thresholds: dict[str, Thresholds]) -> Iterator[dict[str, Any]]:
    chunk: list[CommentContext] = []
    for ctx in ctxs:
        chunk.append(ctx)
        if len(chunk) >= CHUNK:
            yield from _score(chunk, checks, thresholds)
            chunk = []
    if chunk:
        yield from _score(chunk, checks, thresholds)


def _score(chunk: list[CommentContext], checks: Sequence[Check], thresholds) -> Iterator[dict]:  # noqa: ANN001
    per_check = [check.score_batch(chunk) for check in checks]
    for i, ctx in enumerate(chunk):
        results = [r[i] for r in per_check]
        outcome = decide(results, thresholds)
        yield {
            "id": ctx.comment_id,
            "scores": {r.rule: r.score for r in results},
            "action": outcome.action,
            "reason": outcome.reason,
            "evidence": {r.rule: r.evidence() for r in results},
        }


def run(comments: IO[str], out: IO[str], *, articles: IO[str] | None = None,
        checks: Sequence[Check], thresholds: dict[str, Thresholds]) -> int:
    """Moderate every comment line, writing one result line each; returns the count."""
    arts = read_articles(articles) if articles is not None else {}
    count = 0
    for result in moderate(contexts(comments, arts), checks, thresholds):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        count += 1
    return count
