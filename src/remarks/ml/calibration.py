"""Calibrated scores at run time: each rule's check score is mapped through a calibrator fitted on
validation data drawn from every training source (``ml/artifacts/calibration.json``, written by
``remarks eval``; see ``remarks_training.evaluation.calibrate``). numpy only.

A calibrator is either isotonic (``x``/``y`` knots, interpolated) or Platt (``a``, ``b`` on the
score's logit). It belongs to one model version: :func:`apply` leaves the scores unchanged when the
check's version is not the one the calibrator was fitted on.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from remarks.ml import store

ARTIFACT = Path(__file__).parent / "artifacts" / "calibration.json"
# Each scored rule's hold threshold on UNcalibrated check scores: the default when no operating point is
# shipped, and the point a check version without a calibrator of its own is aligned on (see ``align``).
UNCALIBRATED_HOLD = {"offtopic": 0.7, "abuse": 0.5, "attack": 0.5, "promotion": 0.5}
OPERATING_POINTS = Path(__file__).parent / "artifacts" / "operating_points.json"
_EPS = 1e-6


@cache
def load(path: Path = ARTIFACT) -> dict:
    """The calibrators by rule (sha256 checked against ``calibration.meta.json``); an empty table when
    no calibration is shipped."""
    if not path.is_file():
        return {"rules": {}}
    return store.load_json(path.name, path.parent)


def apply_entry(entry: dict, scores: np.ndarray) -> np.ndarray:
    s = np.clip(np.asarray(scores, dtype=float), 0.0, 1.0)
    if entry["method"] == "isotonic":
        return np.interp(s, entry["x"], entry["y"])
    if entry["method"] == "platt":
        z = np.log((s + _EPS) / (1 - s + _EPS))
        return 1.0 / (1.0 + np.exp(-(entry["a"] * z + entry["b"])))
    raise ValueError(f"unknown calibration method {entry['method']!r}")


def entry_for(rule: str, model_version: str | None = None, table: dict | None = None) -> dict | None:
    """The calibrator of ``rule`` fitted for ``model_version``: the shipped configuration's (``rules``), or
    one kept for another model version of the rule (``by_version``: e.g. the fine-tuned encoder's, which
    ships switched off); None when the rule has none for that version. A check version ``MODEL+RULES``
    (a model whose scores rules only raise to a floor, e.g. ``toxicity-1+threats-1``) falls back to the
    calibrator of ``MODEL``."""
    table = table or load()
    entry = table["rules"].get(rule)
    for version in dict.fromkeys((model_version, (model_version or "").split("+")[0])):
        if entry is not None and (version is None or entry.get("model_version") in (None, version)):
            return entry
        found = table.get("by_version", {}).get(version or "", {}).get(rule)
        if found is not None:
            return found
    return None


def apply(rule: str, scores, model_version: str | None = None, table: dict | None = None) -> np.ndarray:
    """Calibrated probabilities for one rule's scores (unchanged when no calibrator fits)."""
    entry = entry_for(rule, model_version, table)
    s = np.asarray(scores, dtype=float)
    return s if entry is None else apply_entry(entry, s)


def align(rule: str, score: float) -> float:
    """A score of a check version that has no calibrator (the word-list stand-in, the multilingual
    relevance check), put on the scale of the rule's operating point: piecewise linear, the rule's
    uncalibrated hold threshold going to the operating point's hold, 0 to 0 and 1 to 1. Such a check
    then holds exactly what it held before scores were calibrated."""
    point = operating_points()["rules"].get(rule)
    before = UNCALIBRATED_HOLD.get(rule)
    if point is None or before is None or not 0.0 < before < 1.0:
        return score
    after = point["hold"]
    if score <= before:
        return round(score * after / before, 4)
    return round(after + (score - before) * (1.0 - after) / (1.0 - before), 4)


def apply_one(rule: str, score: float, model_version: str | None = None) -> float:
    return round(float(apply(rule, np.array([score]), model_version)[0]), 4)


@cache
def operating_points(path: Path = OPERATING_POINTS) -> dict:
    """Per rule: the default hold threshold and what it does on validation data (caught / clean held),
    for the policy page; empty when none is shipped."""
    if not path.is_file():
        return {"rules": {}}
    return store.load_json(path.name, path.parent)
