"""Micro-batching of the pipeline's scoring phase across concurrent requests.

One scoring thread per process takes whatever comments are waiting, up to ``max_batch``, and scores
them with one batched call per check (``Pipeline.score``). A lone comment is scored at once (the
thread does not wait for company); under load, comments that arrive while a batch is being scored
form the next batch, so batching buys throughput exactly when there is a queue. Each request still
gathers its own context (``provide``, with its own session) and applies the policy (``decide``)
itself; only the model calls are shared. The checks are called from this one thread only.

A request that will submit a comment soon (it is reading the comment's context) says so with
``coming()``; while such comments are on their way the thread waits for them, up to ``linger``
seconds, before scoring a batch that is not full. Under load that makes the batches about twice as
large (16 posters: ~7 comments a batch without it), and a model costs less a comment in a larger
batch; a lone comment still goes at once (nothing else is coming).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field

from remarks.checks.base import CheckResult, CommentContext
from remarks.moderation.pipeline import Pipeline

log = logging.getLogger(__name__)

Scores = list[tuple[CheckResult, ...]]


@dataclass
class BatchingPipeline(Pipeline):
    max_batch: int = 16
    linger: float = 0.1  # seconds, at most, that a batch not full waits for comments on their way
    _items: deque = field(default_factory=deque, init=False, repr=False)
    _cond: threading.Condition = field(default_factory=threading.Condition, init=False, repr=False)
    _coming: int = field(default=0, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)
    batches: list[int] = field(default_factory=list, init=False, repr=False)  # recent batch sizes

    @property
    def waiting(self) -> int:
        """Comments waiting to be scored (the scoring queue's length)."""
        return sum(len(cs) for cs, _ in list(self._items))

    def score(self, ctxs: Sequence[CommentContext]) -> Scores:
        return self.submit(ctxs).result()

    def submit(self, ctxs: Sequence[CommentContext]) -> Future[Scores]:
        """``score`` without waiting: the scores, once the scoring thread has them (an event loop can
        await them without holding a worker thread)."""
        done: Future[Scores] = Future()
        if not ctxs or not self.checks:  # nothing to batch (no checks: no results): no trip to the thread
            done.set_result(Pipeline.score(self, ctxs))
            return done
        with self._cond:
            self._items.append((list(ctxs), done))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="remarks-scoring", daemon=True)
                self._thread.start()
            self._cond.notify()
        return done

    @contextmanager
    def coming(self) -> Iterator[None]:
        """Around a request's work before its ``submit`` (inside it: submit within the block): a comment on
        its way, which a batch that is not full waits for (up to ``linger``)."""
        with self._cond:
            self._coming += 1
        try:
            yield
        finally:
            with self._cond:
                self._coming -= 1
                self._cond.notify()

    def _take(self) -> list[tuple[list[CommentContext], Future]]:
        """The next batch: what waits, up to ``max_batch``; while it is not full and comments are on their
        way, their arrival awaited for at most ``linger``."""
        with self._cond:
            while not self._items:
                self._cond.wait()
            deadline = time.monotonic() + self.linger
            while self._coming and sum(len(cs) for cs, _ in self._items) < self.max_batch:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            items, n = [], 0
            while self._items and (not items or n + len(self._items[0][0]) <= self.max_batch):
                cs, done = self._items.popleft()
                items.append((cs, done))
                n += len(cs)
            return items

    def _loop(self) -> None:
        while True:
            items = self._take()
            ctxs = [c for cs, _ in items for c in cs]
            self.batches = (self.batches + [len(ctxs)])[-1000:]
            try:
                results = Pipeline.score(self, ctxs)
            except BaseException as exc:  # noqa: BLE001 - handed to every waiting request, never lost
                for _, done in items:
                    done.set_exception(exc)
                continue
            start = 0
            for cs, done in items:
                done.set_result(results[start:start + len(cs)])
                start += len(cs)
