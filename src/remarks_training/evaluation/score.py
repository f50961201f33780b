"""Scores rows through the installed checks, the way the site calls them (batched, with context)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from remarks_training.evaluation.sets import EvalRow

BATCH = 256


def checks_by_rule() -> dict:
    from remarks.checks.registry import load_checks

    return {c.rule: c for c in load_checks(None)}


def contexts(rows: list[EvalRow]) -> list:
    from remarks.checks.base import CommentContext

    return [CommentContext(text=r.text, **r.ctx) for r in rows]


# Artifacts that only map scores after the checks do not change a check's score: the calibrators (a
# check's floor is applied after them, on the calibrated scale) and the thresholds.
_AFTER_SCORING = {"operating_points.meta.json", "calibration.meta.json"}


@dataclass
class Scores:
    """One rule's check results for a list of rows: the check's score (before calibration) and its floor
    (the calibrated probability its own rules put a comment at: ``CheckResult.floor``)."""

    raw: np.ndarray
    floor: np.ndarray

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, index) -> Scores:
        return Scores(self.raw[index], self.floor[index])

    def final(self, entry: dict | None = None) -> np.ndarray:
        """What the policy reads, as ``checks/calibrated.py`` makes it: calibrated (by ``entry``), then floored."""
        from remarks.ml import calibration

        cal = np.clip(self.raw, 0.0, 1.0) if entry is None else calibration.apply_entry(entry, self.raw)
        return np.maximum(cal, self.floor)

    def ranking(self, entry: dict | None = None) -> np.ndarray:
        """The final score, ties (a calibrator's flat steps, a floor) broken by the check's score: the order
        the check gives, for AUC and recall at a false-hold rate."""
        return self.final(entry) + 1e-6 * np.clip(self.raw, 0.0, 1.0)

    def flagged(self, at: float = 0.5) -> np.ndarray:
        """Flagged at a score of ``at`` (the check's score, or its floor), as the earlier reports counted."""
        return np.maximum(self.raw, self.floor) >= at


def _arrays(results: list) -> Scores:
    return Scores(np.asarray([r.score for r in results], dtype=float),
                  np.asarray([getattr(r, "floor", 0.0) for r in results], dtype=float))


def _load(path: Path) -> Scores:
    a = np.load(path)
    if a.ndim == 1:  # kept before floors were part of a result: a check version with none
        return Scores(a, np.zeros_like(a))
    return Scores(a[0], a[1])


def _save(path: Path, s: Scores) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, np.stack([s.raw, s.floor]))


def models_fingerprint() -> str:
    """The sha256 of every shipped model file (from the meta files): part of each cached score's key, so
    a model retrained without a new check version is never read from the cache."""
    import json

    from remarks.ml import store

    h = hashlib.sha256()
    for meta in sorted(store.DIR.glob("*.meta.json")):
        if meta.name not in _AFTER_SCORING:
            h.update(f"{meta.name}\0{json.loads(meta.read_text(encoding='utf-8')).get('sha256', '')}\n".encode())
    return h.hexdigest()[:16]


def _key(rows: list[EvalRow], rule: str, version: str) -> str:
    h = hashlib.sha256(f"{rule}\0{version}\0{models_fingerprint()}".encode())
    for r in rows:
        h.update(repr((r.text, sorted((k, repr(v)) for k, v in r.ctx.items()))).encode())
    return h.hexdigest()[:24]


def score(rows: list[EvalRow], rule: str, checks: dict | None = None,
          log: Callable[[str], None] | None = None, cache: Path | None = None) -> Scores:
    """The rule's check results for every row (as the check emits them, before calibration). With
    ``cache`` (a folder), they are kept by the rows' content and the check's version."""
    return score_joint(rows, [rule], checks, log, cache)[rule]


def score_joint(rows: list[EvalRow], rules: list[str], checks: dict | None = None,
                log: Callable[[str], None] | None = None, cache: Path | None = None) -> dict[str, Scores]:
    """Several rules' scores for the same rows, batch by batch, so that checks sharing one model pass
    per comment (the encoder's cache) compute it once."""
    checks = checks or checks_by_rule()
    done: dict[str, Scores] = {}
    paths = {}
    for rule in rules:
        version = str(getattr(checks[rule], "version", ""))
        paths[rule] = cache / f"{rule}-{_key(rows, rule, version)}.npy" if cache else None
        if paths[rule] is not None and paths[rule].is_file():
            done[rule] = _load(paths[rule])
    todo = [r for r in rules if r not in done]
    if not todo:
        return done
    ctxs = contexts(rows)
    out: dict[str, list] = {r: [] for r in todo}
    t0 = time.time()
    for i in range(0, len(ctxs), BATCH):
        for rule in todo:
            out[rule].extend(checks[rule].score_batch(ctxs[i:i + BATCH]))
    if log:
        log(f"  {'+'.join(todo)}: {len(rows)} rows in {time.time() - t0:.0f}s")
    for rule in todo:
        done[rule] = _arrays(out[rule])
        if paths[rule] is not None:
            _save(paths[rule], done[rule])
    return done
