"""Sentence embeddings: all-MiniLM-L6-v2 fine-tuned on the abuse, attack and promotion labels while kept
near its pre-trained vectors (``--distill 1.0``), as int8 ONNX (ml/artifacts/embedder.onnx), with the
model's own WordPiece tokenizer. A comment is read in overlapping windows of 64 tokens, one window per
model call (:class:`remarks.ml.encoder.Encoder`: a row's vector never depends on the rows beside it);
the windows' vectors are summed and L2-normalised. 384 dimensions. Loaded once per process; nothing is
downloaded."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache

import numpy as np

from remarks.ml import heap, store

DIM = 384
VERSION = "minilm-distilled-2"
MODEL_FILE = "embedder.onnx"


@cache
def _model():  # remarks.ml.encoder.Encoder
    from remarks.ml.encoder import Encoder

    # Read by onnxruntime from the file once its bytes are checked against embedder.meta.json (handing it
    # the bytes would keep a second ~23 MB copy for the process's life); no cache: embed_shared keeps vectors.
    model = Encoder(store.checked_path(MODEL_FILE), cache_size=0)
    heap.give_back()
    return model


def embed(texts: Sequence[str], model=None) -> np.ndarray:
    """(n, 384) float32 unit vectors; similar meanings have a high dot product. ``model``: another
    :class:`remarks.ml.encoder.Encoder` read the same way (training: a leave-one-source-out fold's)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return (model or _model()).raw([t or " " for t in texts])[1]


# The vectors of the texts embedded last: the relevance check and the abuse/attack model read the same
# comment, and a comment is embedded once for both. ~1.5 KB a vector.
SHARED_SIZE = 2048
_shared: OrderedDict[str, np.ndarray] = OrderedDict()
_shared_lock = threading.Lock()


def embed_shared(texts: Sequence[str]) -> np.ndarray:
    """:func:`embed`, keeping the last ``SHARED_SIZE`` texts' vectors for the next caller (same vectors:
    a row's vector does not depend on the other rows of its batch, see tests/ml/test_embed.py)."""
    with _shared_lock:
        known = {t: _shared[t] for t in texts if t in _shared}
        for t in known:
            _shared.move_to_end(t)
    todo = list(dict.fromkeys(t for t in texts if t not in known))
    if todo:
        found = dict(zip(todo, embed(todo)))
        with _shared_lock:
            _shared.update(found)
            while len(_shared) > SHARED_SIZE:
                _shared.popitem(last=False)
        known |= found
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i] = known[t]
    return out
