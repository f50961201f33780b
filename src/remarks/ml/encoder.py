"""The fine-tuned multi-task encoder: all-MiniLM-L6-v2 with one sigmoid head per label, as int8 ONNX
(``ml/artifacts/encoder.onnx``, trained by :mod:`remarks_training.encoder`). One onnxruntime session
per process serves every check; a small cache keyed by the exact input means the abuse, attack and
promotion checks of one batch share one encoder pass per comment.

Two kinds of input, tokenised here the same way as in training:
- a comment alone (``predict``), read in overlapping windows of ``MAX_TEXT`` tokens (:func:`windows`);
- a pair ``[CLS] context [SEP] comment [SEP]`` (``predict_pairs``), the context being the article
  (title, byline, the comment replied to, the start of the body), at most ``MAX_PAIR`` tokens.

Nothing here imports torch; nothing is downloaded.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from remarks.ml import store

ARTIFACTS = store.DIR
MODEL_FILE = "encoder.onnx"
META_FILE = "encoder.meta.json"
TOKENIZER_FILE = "minilm_tokenizer.json"
# The heads, in the order of the model's ``probs`` output. "offtopic" is read on pairs only.
HEADS: tuple[str, ...] = (
    "abuse", "obscene", "threat", "identity_hate", "insult",
    "attack", "target_commenter", "target_author", "target_person", "target_group",
    "promotion", "offtopic",
)
DIM = 384
MAX_TEXT = 64
MAX_PAIR = 128
# A comment alone longer than MAX_TEXT tokens is read in overlapping windows; a head's score is its
# highest over the windows (on validation rows longer than one window, abuse AUC 0.645 -> 0.696 and
# attack 0.694 -> 0.739 with the first encoder, against reading the first window only).
STRIDE = 48
MAX_WINDOWS = 8
# One row per model call (Encoder.raw). The int8 model quantises its activations per call, over the
# whole batch: in a batch a comment's scores moved with its neighbours (by up to 0.17 on Fox News
# comments), so the site (one comment) and the archive (batches) disagreed. Alone, a comment always gets
# the same scores; on two cores batches of 32 were no faster (the padding costs what batching saves).
CLS, SEP, PAD = 101, 102, 0
_CACHE_SIZE = 4096


@dataclass
class Batch:
    input_ids: np.ndarray  # (n, t) int64
    attention_mask: np.ndarray  # (n, t) int64
    token_type_ids: np.ndarray  # (n, t) int64


@cache
def tokenizer():  # tokenizers.Tokenizer
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(store.load_text(TOKENIZER_FILE))
    tok.no_truncation()
    tok.no_padding()
    return tok


def _pieces(texts: Sequence[str]) -> list[list[int]]:
    return [e.ids for e in tokenizer().encode_batch([t or " " for t in texts], add_special_tokens=False)]


def context_text(title: str = "", body: str = "", byline: str = "", parent: str | None = None) -> str:
    """The article side of a pair: what the comment may refer to, most telling first."""
    parts = [title.strip()]
    if byline:
        parts.append(f"By {byline.strip()}.")
    if parent:
        parts.append(f"Reply to: {parent.strip()[:300]}")
    parts.append((body or "").strip()[:1200])
    return " ".join(p for p in parts if p)


def encode(texts: Sequence[str], contexts: Sequence[str] | None = None, *,
           max_text: int = MAX_TEXT, max_pair: int = MAX_PAIR) -> Batch:
    """Token ids for comments alone (``contexts`` None) or for (context, comment) pairs.

    The comment keeps its first ``max_text`` tokens; in a pair, the context fills what is left of
    ``max_pair``. Padded to the longest row of the batch."""
    comments = [ids[: max_text - 2] for ids in _pieces(texts)]
    rows: list[tuple[list[int], list[int]]] = []
    if contexts is None:
        rows = [([CLS, *c, SEP], [0] * (len(c) + 2)) for c in comments]
    else:
        if len(contexts) != len(texts):
            raise ValueError("one context per comment")
        for ctx, c in zip(_pieces(contexts), comments, strict=True):
            room = max(max_pair - len(c) - 3, 8)
            ctx = ctx[:room]
            rows.append(([CLS, *ctx, SEP, *c, SEP], [0] * (len(ctx) + 2) + [1] * (len(c) + 1)))
    return _padded(rows)


def windows(ids: list[int], width: int = MAX_TEXT - 2, stride: int = STRIDE,
            limit: int = MAX_WINDOWS) -> list[list[int]]:
    """A long comment's tokens as overlapping windows of ``width``: at most ``limit``, the last one
    always the comment's end."""
    starts = list(range(0, max(len(ids) - width, 0) + 1, stride))
    if starts[-1] + width < len(ids):
        starts.append(len(ids) - width)
    if len(starts) > limit:
        starts = starts[:limit - 1] + starts[-1:]
    return [ids[s:s + width] for s in starts]


def _padded(rows: list[tuple[list[int], list[int]]]) -> Batch:
    width = max((len(r[0]) for r in rows), default=2)
    ids = np.full((len(rows), width), PAD, dtype=np.int64)
    types = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, (r, t) in enumerate(rows):
        ids[i, : len(r)] = r
        types[i, : len(t)] = t
        mask[i, : len(r)] = 1
    return Batch(ids, mask, types)


@dataclass
class Output:
    probs: dict[str, float]
    embedding: np.ndarray  # (384,) unit vector (mean-pooled, from the fine-tuned model)


def available() -> bool:
    return (ARTIFACTS / MODEL_FILE).is_file()


def in_checks() -> bool:
    """Do the checks score with the encoder? Only when it ships with fitted stackers and is switched on:
    ``"use_in_checks": true`` in its meta file, or ``REMARKS_ENCODER_CHECKS=1`` (``0`` switches it off)."""
    env = os.environ.get("REMARKS_ENCODER_CHECKS")
    switched_on = env == "1" if env in ("0", "1") else bool(meta().get("use_in_checks"))
    # The file is looked for only when switched on: every check asks this for every comment.
    return switched_on and bool(meta().get("stack")) and available()


@cache
def meta() -> dict:
    path = ARTIFACTS / META_FILE
    return json.loads(path.read_text()) if path.is_file() else {}


class Encoder:
    """One onnxruntime session and a small cache of outputs keyed by (context, comment)."""

    def __init__(self, path: Path | str | None = None, *, threads: int | None = None,
                 cache_size: int = _CACHE_SIZE) -> None:
        import onnxruntime as ort

        # The shipped model is read through the store (sha256 checked against encoder.meta.json).
        model = str(path) if path else store.read_bytes(MODEL_FILE)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or int(os.environ.get("REMARKS_ONNX_THREADS", "2"))
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Waiting threads sleep instead of spinning: a busy machine loses little to the second one.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.enable_cpu_mem_arena = False  # the largest batch's activations are not kept
        self.session = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
        self.heads = tuple(json.loads(self.session.get_modelmeta().custom_metadata_map.get("heads", "null"))
                           or HEADS)
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str | None, str], Output] = OrderedDict()
        self.encoded = 0  # rows run through the model (the cache's misses)

    def run(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """One model call on ``batch`` as it is (:func:`encode`): its probabilities and pooled vectors. A row's
        outputs depend on the rows beside it (the note above ``CLS``): the checks call it one row at a time."""
        probs, pooled = self.session.run(["probs", "pooled"], {
            "input_ids": batch.input_ids, "attention_mask": batch.attention_mask,
            "token_type_ids": batch.token_type_ids})
        return probs, pooled

    def raw(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(n, heads) probabilities and (n, 384) embeddings, uncached, one model call per row (why: the
        note above ``CLS``). A comment alone is read in windows (:func:`windows`): each head's highest
        probability, the mean embedding."""
        if contexts is None:
            return self._windowed(texts)
        n = len(texts)
        self.encoded += n
        probs = np.zeros((n, len(self.heads)), dtype=np.float32)
        pooled = np.zeros((n, DIM), dtype=np.float32)
        for i in range(n):
            p, e = self.run(encode([texts[i]], [contexts[i]]))
            probs[i], pooled[i] = p[0], e[0]
        return probs, pooled

    def _windowed(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        rows = [(i, w) for i, ids in enumerate(_pieces(texts)) for w in windows(ids)]
        self.encoded += len(rows)
        probs = np.zeros((len(texts), len(self.heads)), dtype=np.float32)
        pooled = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, w in rows:
            p, e = self.run(_padded([([CLS, *w, SEP], [0] * (len(w) + 2))]))
            np.maximum(probs[i], p[0], out=probs[i])
            pooled[i] += e[0]
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
        return probs, pooled

    def _cached(self, texts: Sequence[str], contexts: Sequence[str] | None) -> list[Output]:
        keys = [(contexts[i] if contexts is not None else None, t) for i, t in enumerate(texts)]
        found = {k: self._cache[k] for k in keys if k in self._cache}
        todo = list(dict.fromkeys(k for k in keys if k not in found))
        if todo:
            probs, pooled = self.raw([k[1] for k in todo], [k[0] for k in todo] if contexts is not None else None)
            for i, k in enumerate(todo):
                found[k] = self._cache[k] = Output(dict(zip(self.heads, probs[i].tolist())), pooled[i])
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        for k in keys:
            if k in self._cache:
                self._cache.move_to_end(k)
        return [found[k] for k in keys]

    def predict(self, texts: Sequence[str]) -> list[Output]:
        """Every head for each comment alone (abuse, attack, promotion ...)."""
        return self._cached(list(texts), None)

    def predict_pairs(self, articles: Sequence[str], comments: Sequence[str]) -> list[Output]:
        """Every head for each (article context, comment) pair; ``offtopic`` is meant for these."""
        return self._cached(list(comments), list(articles))


@cache
def load() -> Encoder:
    """The process-wide encoder (loaded once, shared by all checks)."""
    return Encoder()
