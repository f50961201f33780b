"""The promotion text model at run time: hashed character and word n-grams of the normalised text
(:mod:`remarks.ml.ngrams`) and a logistic regression, from ``artifacts/promotion.npz`` (trained by
``remarks train --only promotion``; see :mod:`remarks_training.train_promotion`)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache

import numpy as np

from remarks.ml import store
from remarks.ml.ngrams import HashedTfidf, logistic
from remarks.text.normalize import normalize

N_FEATURES = 2**18
WORD_PATTERN = r"(?u)\b\w+\b|[$€£@]"
_TAGS = re.compile(r"<[^>]+>")


def clean(text: str) -> str:
    """YouTube comments carry HTML entities, <br /> and a trailing BOM."""
    return html.unescape(_TAGS.sub(" ", text)).replace("\ufeff", "").strip()


def prep(text: str) -> str:
    # Links keep their shape ("http", "www", ".com") through the normaliser's lower-casing.
    return normalize(clean(text)).text


def featurizer(idf: np.ndarray | None = None) -> HashedTfidf:
    return HashedTfidf(N_FEATURES, N_FEATURES, WORD_PATTERN, lowercase=True, idf=idf, dtype=np.float64)


def counts(texts: Sequence[str]):  # a scipy CSR matrix
    """Raw hashed n-gram counts of the prepared texts (what training fits the idf on)."""
    return featurizer().counts([prep(t) for t in texts])


@cache
def _model() -> tuple[HashedTfidf, np.ndarray, float]:
    data = store.load_npz("promotion.npz")
    return featurizer(data["idf"].astype(np.float64)), data["coef"].astype(np.float64), float(data["intercept"][0])


def probability(texts: Sequence[str], idf: np.ndarray | None = None, coef: np.ndarray | None = None,
                intercept: float | None = None) -> np.ndarray:
    """P(promotional) per text, from the shipped model (or from the weights given, for evaluation)."""
    if idf is None or coef is None or intercept is None:
        feat, coef, intercept = _model()
    else:
        feat = featurizer(np.asarray(idf, dtype=np.float64))
    x = feat.rows([prep(t) for t in texts])  # no SciPy at run time (ml/ngrams.py)
    return logistic(x, coef, intercept)
