"""The tiny per-rule stackers over the encoder's heads and the older checks' features.

Each rule's score is a logistic regression over named features (fitted on the encoder's validation
split, never on a test split, by :mod:`remarks_training.encoder.stack`); with the encoder head alone
it is Platt scaling. The weights live in ``encoder.meta.json`` under ``"stack"``; an older feature is
listed only where the validation data said it adds. Plain numpy: nothing here imports torch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from remarks.text.normalize import PROFANITY

_EPS = 1e-4


def logit(p: float) -> float:
    p = min(max(float(p), _EPS), 1 - _EPS)
    return math.log(p / (1 - p))


def features(enc: Mapping[str, float], pair: Mapping[str, float] | None = None, *,
             bilstm: Mapping[str, float] | None = None, patterns: set[str] | None = None,
             words: list[str] | None = None, old: Mapping[str, float] | None = None) -> dict[str, float]:
    """Every feature a stacker may name, from what the checks have at hand (missing ones are 0)."""
    f = {f"enc_{k}": logit(v) for k, v in enc.items()}
    if pair:
        f |= {f"pair_{k}": logit(v) for k, v in pair.items()}
    if bilstm:
        f |= {f"bilstm_{k}": logit(v) for k, v in bilstm.items()}
    if patterns is not None:
        f["links"] = float(len(patterns & {"link", "short link", "e-mail", "phone"}))
        f["calls"] = float(len(patterns & {"handle", "call to action", "get rich", "self-promotion"}))
    if words is not None:
        f["profanity"] = float(min(sum(w in PROFANITY for w in words), 3))
    for k, v in (old or {}).items():
        f[f"old_{k}"] = logit(v)
    return f


def apply(spec: Mapping, feats: Mapping[str, float]) -> float:
    """A stacker's probability: sigmoid(sum coef * feature + intercept)."""
    z = float(spec["intercept"]) + sum(float(c) * feats.get(n, 0.0) for n, c in zip(spec["features"], spec["coef"]))
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def apply_rows(spec: Mapping, rows: list[Mapping[str, float]]) -> np.ndarray:
    return np.array([apply(spec, r) for r in rows])
