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

from remarks.checks.base import Check, CommentContext
from remarks.checks.policy import Thresholds, decide

CHUNK = 256


def read_articles(stream: IO[str]) -> dict[str, dict[str, str]]:
    """Articles from JSON Lines; the reader is the archive's (one parser, one set of error messages)."""
    from remarks.services import archive

    return archive.read_articles(stream, "jsonl")


def contexts(stream: IO[str], articles: dict[str, dict[str, str]]) -> Iterator[CommentContext]:
    """One context per comment line, as `remarks moderate` builds them."""
    from remarks.services import archive

    return archive.contexts(stream, "jsonl", archive.Columns(), articles)


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


def _score(chunk: list[CommentContext], checks: Sequence[Check], thresholds) -> Iterator[dict]:
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
