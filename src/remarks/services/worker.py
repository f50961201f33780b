"""A background thread that runs one pass of an outbox (webhooks, e-mail) every few seconds in
each server process. Passes claim their rows, so several processes never do the same work."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("remarks.worker")


class Periodic:
    def __init__(self, name: str, step: Callable[[], object], interval: float = 1.0) -> None:
        self.name, self.step, self.interval = name, step, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"remarks-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=15)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.step()
            except Exception:  # the worker keeps going; the error is logged
                log.exception("%s worker pass failed", self.name)
