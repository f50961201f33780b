"""What the checks remember between comments, behind one interface.

A check declares the context it needs by implementing ``Check.provide(ctx, memory)``; the pipeline
calls it before scoring and hands the result to the check in ``ctx.extras``. The memory is the
database on the site (``services/memory.py``) and a dictionary for an archive run (here), so the site
and ``remarks moderate`` give the same scores for the same comments. A plug-in keeps its own memory
through ``cached`` under a namespace of its own.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

from remarks.checks.duplicates import DuplicateIndex


class Memory(Protocol):
    def cached(self, namespace: str, key: str, compute: Callable[[], bytes]) -> bytes:
        """The value stored under (namespace, key), computing and keeping it the first time."""

    def near_copies(self, text: str) -> list[dict]:
        """Earlier comments whose text is nearly this one: comment_id, similarity, author, article_id."""

    def remember(self, comment_id: str, text: str, author: str | None, article_id: str | None) -> None:
        """A comment was posted: later near-copies and discussions will find it."""

    def discussions(self, article_ids: Sequence[str], author: str | None, limit: int) -> dict[str, list[str]]:
        """For each article, the texts of the latest ``limit`` comments posted under it before this one by
        anyone but ``author``, oldest first, whatever became of them (the site and an archive run read the
        same); an article with none maps to an empty list."""


TALK_KEPT = 200  # per article: enough for the latest DISCUSSION (10) by other people even when one person posts a lot


class DictMemory:
    """In-process memory for one archive run or one test: nothing outlives the object."""

    def __init__(self, limit: int = 10_000, copies: bool = True) -> None:
        """``copies`` False: ``remember`` keeps no near-copy signature (no check that runs looks for copies)."""
        self._values: dict[tuple[str, str], bytes] = {}
        self._limit = limit
        self._copies = DuplicateIndex() if copies else None
        self._talk: dict[str, deque[tuple[str | None, str]]] = {}

    def cached(self, namespace: str, key: str, compute: Callable[[], bytes]) -> bytes:
        k = (namespace, key)
        if k not in self._values:
            if len(self._values) >= self._limit:
                self._values.pop(next(iter(self._values)))
            self._values[k] = compute()
        return self._values[k]

    def near_copies(self, text: str) -> list[dict]:
        return self._copies.query(text)[:10] if self._copies is not None else []

    def remember(self, comment_id: str, text: str, author: str | None, article_id: str | None) -> None:
        if self._copies is not None:
            self._copies.add(comment_id, text, author, article_id)
        if article_id:
            self._talk.setdefault(article_id, deque(maxlen=TALK_KEPT)).append((author, text))

    def discussions(self, article_ids: Sequence[str], author: str | None, limit: int) -> dict[str, list[str]]:
        return {a: self._discussion(a, author, limit) for a in article_ids}

    def _discussion(self, article_id: str, author: str | None, limit: int) -> list[str]:
        said: list[str] = []
        for who, text in reversed(self._talk.get(article_id, ())):  # newest first: stop at the limit
            if len(said) >= limit:
                break
            if who is None or who != author:
                said.append(text)
        return said[::-1]
