"""Micro-batching of the pipeline's scoring phase across concurrent requests.

One scoring thread per process takes whatever comments are waiting, up to ``max_batch``, and scores
them with one batched call per check (``Pipeline.score``). A lone comment is scored at once (the
thread does not wait for company); under load, comments that arrive while a batch is being scored
form the next batch, so batching buys throughput exactly when there is a queue. Each request still
gathers its own context (``provide``, with its own session) and applies the policy (``decide``)
itself; only the model calls are shared. The checks are called from this one thread only.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from remarks.checks.base import CheckResult, CommentContext
from remarks.moderation.pipeline import Pipeline

log = logging.getLogger(__name__)

Scores = list[tuple[CheckResult, ...]]


@dataclass
class BatchingPipeline(Pipeline):
    max_batch: int = 16
    _queue: queue.Queue = field(default_factory=queue.Queue, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)
    _start: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    batches: list[int] = field(default_factory=list, init=False, repr=False)  # recent batch sizes

    @property
    def waiting(self) -> int:
        """Comments waiting to be scored (the scoring queue's length)."""
        return self._queue.qsize()

    def score(self, ctxs: Sequence[CommentContext]) -> Scores:
        return self.submit(ctxs).result()

    def submit(self, ctxs: Sequence[CommentContext]) -> Future[Scores]:
        """``score`` without waiting: the scores, once the scoring thread has them (an event loop can
        await them without holding a worker thread)."""
        done: Future[Scores] = Future()
        if not ctxs or not self.checks:  # nothing to batch (no checks: no results): no trip to the thread
            done.set_result(Pipeline.score(self, ctxs))
            return done
        self._queue.put((list(ctxs), done))
        self._ensure_thread()
        return done

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            with self._start:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._loop, name="remarks-scoring", daemon=True)
                    self._thread.start()

    def _loop(self) -> None:
        while True:
            items = [self._queue.get()]
            n = len(items[0][0])
            while n < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                items.append(item)
                n += len(item[0])
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
