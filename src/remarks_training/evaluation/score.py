"""Scores rows through the installed checks, the way the site calls them (batched, with context)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
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


# Artifacts that only map scores after the checks do not change a check's score: the thresholds. The
# calibrators do (an explicit threat is put at a calibrated probability: calibration.raw_for), so they
# are part of the key.
_AFTER_SCORING = {"operating_points.meta.json"}


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
          log: Callable[[str], None] | None = None, cache: Path | None = None) -> np.ndarray:
    """The rule's check score for every row (as the check emits it, before any calibration). With
    ``cache`` (a folder), scores are kept by the rows' content and the check's version."""
    check = (checks or checks_by_rule())[rule]
    path = cache / f"{rule}-{_key(rows, rule, str(getattr(check, 'version', '')))}.npy" if cache else None
    if path is not None and path.is_file():
        return np.load(path)
    ctxs = contexts(rows)
    out: list[float] = []
    t0 = time.time()
    for i in range(0, len(ctxs), BATCH):
        out.extend(r.score for r in check.score_batch(ctxs[i:i + BATCH]))
    if log:
        log(f"  {rule}: {len(rows)} rows in {time.time() - t0:.0f}s")
    arr = np.asarray(out, dtype=float)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, arr)
    return arr


def score_joint(rows: list[EvalRow], rules: list[str], checks: dict | None = None,
                log: Callable[[str], None] | None = None, cache: Path | None = None) -> dict[str, np.ndarray]:
    """Several rules' scores for the same rows, batch by batch, so that checks sharing one model pass
    per comment (the encoder's cache) compute it once."""
    checks = checks or checks_by_rule()
    done: dict[str, np.ndarray] = {}
    paths = {}
    for rule in rules:
        version = str(getattr(checks[rule], "version", ""))
        paths[rule] = cache / f"{rule}-{_key(rows, rule, version)}.npy" if cache else None
        if paths[rule] is not None and paths[rule].is_file():
            done[rule] = np.load(paths[rule])
    todo = [r for r in rules if r not in done]
    if not todo:
        return done
    ctxs = contexts(rows)
    out: dict[str, list[float]] = {r: [] for r in todo}
    t0 = time.time()
    for i in range(0, len(ctxs), BATCH):
        for rule in todo:
            out[rule].extend(r.score for r in checks[rule].score_batch(ctxs[i:i + BATCH]))
    if log:
        log(f"  {'+'.join(todo)}: {len(rows)} rows in {time.time() - t0:.0f}s")
    for rule in todo:
        done[rule] = np.asarray(out[rule], dtype=float)
        if paths[rule] is not None:
            paths[rule].parent.mkdir(parents=True, exist_ok=True)
            np.save(paths[rule], done[rule])
    return done
