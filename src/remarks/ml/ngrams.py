"""Hashed n-gram TF-IDF: the one implementation behind the abuse/attack and promotion text models.

Character n-grams (2-5, within word boundaries) and word n-grams (1-2) are hashed into fixed-size
columns (no vocabulary to store: the hash is the index), then sublinear tf (``1 + log tf``),
multiplied by the idf learnt at training time, and L2-normalised per row - what scikit-learn's
``TfidfTransformer(sublinear_tf=True)`` does, in plain numpy/scipy so the run time needs no fitted
estimator object.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer


@dataclass
class HashedTfidf:
    char_features: int
    word_features: int
    word_pattern: str
    lowercase: bool = False
    idf: np.ndarray | None = None
    dtype: type = np.float32

    def __post_init__(self) -> None:
        self.char = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=self.char_features,
                                      alternate_sign=False, norm=None, lowercase=self.lowercase)
        self.word = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=self.word_features,
                                      alternate_sign=False, norm=None, lowercase=self.lowercase,
                                      token_pattern=self.word_pattern)

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        """Raw hashed counts, character columns then word columns (what the idf is fitted on)."""
        return sparse.hstack([self.char.transform(texts), self.word.transform(texts)], format="csr")

    def fit_idf(self, counts: sparse.csr_matrix, smooth: bool = True) -> np.ndarray:
        """Smoothed idf as scikit-learn computes it: ``log((1 + n) / (1 + df)) + 1``."""
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf = (np.log((int(smooth) + n) / (int(smooth) + df)) + 1.0).astype(self.dtype)
        return self.idf

    def weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """Counts -> sublinear tf * idf, L2-normalised rows."""
        x = counts.astype(self.dtype)
        x.data = 1.0 + np.log(x.data)
        if self.idf is not None:
            x = x.multiply(np.asarray(self.idf, dtype=self.dtype)).tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return (sparse.diags(1.0 / norms) @ x).tocsr()

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        return self.weigh(self.counts(texts))


def logistic(x: sparse.csr_matrix, coef: np.ndarray, intercept: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))
