"""What the checks remember between comments, behind one interface.

A check declares the context it needs by implementing ``Check.provide(ctx, memory)``; the pipeline
calls it before scoring and hands the result to the check in ``ctx.extras``. The memory is the
database on the site (``services/memory.py``) and a dictionary for an archive run (here), so the site
and ``remarks moderate`` give the same scores for the same comments. A plug-in keeps its own memory
through ``cached`` under a namespace of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from remarks.checks.duplicates import DuplicateIndex


class Memory(Protocol):
    def cached(self, namespace: str, key: str, compute: Callable[[], bytes]) -> bytes:
        """The value stored under (namespace, key), computing and keeping it the first time."""

    def near_copies(self, text: str) -> list[dict]:
        """Earlier comments whose text is nearly this one: comment_id, similarity, author, article_id."""

    def remember(self, comment_id: str, text: str, author: str | None, article_id: str | None) -> None:
        """A comment was posted: later near-copies will find it."""


class DictMemory:
    """In-process memory for one archive run or one test: nothing outlives the object."""

    def __init__(self, limit: int = 10_000) -> None:
        self._values: dict[tuple[str, str], bytes] = {}
        self._limit = limit
        self._copies = DuplicateIndex()

    def cached(self, namespace: str, key: str, compute: Callable[[], bytes]) -> bytes:
        k = (namespace, key)
        if k not in self._values:
            if len(self._values) >= self._limit:
                self._values.pop(next(iter(self._values)))
            self._values[k] = compute()
        return self._values[k]

    def near_copies(self, text: str) -> list[dict]:
        return self._copies.query(text)[:10]

    def remember(self, comment_id: str, text: str, author: str | None, article_id: str | None) -> None:
        self._copies.add(comment_id, text, author, article_id)
