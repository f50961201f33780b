"""The Jigsaw-trained BiLSTM of ``toxic-comment-classifier`` (MIT) in plain numpy.

Same arithmetic as the Keras model it came from (Embedding -> Bidirectional LSTM(50) ->
global max pool -> Dense(50, relu) -> Dense(6, sigmoid)), with the Keras tokenizer's rules:
lower-case, punctuation to spaces, the 19,999 most frequent words, pre-padding/truncation
to 100 tokens. Artifacts come from ``scripts/convert_toxic_classifier.py``.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from remarks.ml import store

LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class BiLSTM:
    def __init__(self, weights: dict[str, np.ndarray], vocab: dict) -> None:
        w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.maxlen = int(vocab["maxlen"])
        self.index = {word: i + 1 for i, word in enumerate(vocab["words"])}
        self._table = str.maketrans({c: " " for c in vocab["filters"]})
        # The words' input projections (embedding @ kernel + bias) are made per chunk of texts, for the
        # words in it (:meth:`_inputs`): computed once for the whole vocabulary they were two 20,000 x 200
        # tables, 32 MB of every server process.
        self.embedding = w.pop("embedding")
        self.w = w
        # Texts are pre-padded with id 0, so the forward pass starts with padding steps that are the same for
        # every text: their states after k steps, computed once, start a text at its first word.
        self._padded = self._padding_states()

    def ids(self, text: str) -> list[int]:
        words = text.lower().translate(self._table).split(" ")
        seq = [self.index[w] for w in words if w and w in self.index]
        return seq[-self.maxlen :]

    def _pad(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.maxlen), dtype=np.int64)
        for r, t in enumerate(texts):
            seq = self.ids(t)
            if seq:
                out[r, -len(seq) :] = seq
        return out

    def _inputs(self, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The forward and backward input projections of these word ids, a row each."""
        emb = self.embedding[words]
        return emb @ self.w["fw_kernel"] + self.w["fw_bias"], emb @ self.w["bw_kernel"] + self.w["bw_bias"]

    def _padding_states(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(h, c, running max of h) after k = 0 .. maxlen forward steps over padding, each (maxlen + 1, units)."""
        padding = self._inputs(np.zeros(1, dtype=np.int64))[0]  # id 0's forward projection, (1, 4 * units)
        states = [self._start(1)]
        for _ in range(self.maxlen):
            states.append(self._step(padding.copy(), self.w["fw_recurrent"], *states[-1]))  # _step overwrites z
        return tuple(np.concatenate(s) for s in zip(*states))

    def _start(self, batch: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        units = self.w["fw_recurrent"].shape[0]
        return (np.zeros((batch, units), dtype=np.float32), np.zeros((batch, units), dtype=np.float32),
                np.full((batch, units), -np.inf, dtype=np.float32))

    @staticmethod
    def _step(z: np.ndarray, recurrent: np.ndarray, h: np.ndarray, c: np.ndarray,
              best: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One LSTM step (Keras gate order i, f, g, o) from the words' input projections ``z`` (overwritten);
        the last axis holds the units, any axes before it are rows (or directions, then rows)."""
        units = recurrent.shape[-2]
        z += h @ recurrent
        gates = _sigmoid(z)
        g = np.tanh(z[..., 2 * units : 3 * units])
        c = gates[..., units : 2 * units] * c + gates[..., :units] * g
        h = gates[..., 3 * units :] * np.tanh(c)
        return h, c, np.maximum(best, h)

    def _both(self, ids: np.ndarray, first: int) -> np.ndarray:
        """Max-pooled forward and backward states side by side, (n, 2 * units). Every row's steps before
        ``first`` are padding, whose forward states are known: the forward pass reads from ``first`` on, in
        the same products as the backward pass (one (2, n, units) step for both directions) while it lasts."""
        n, steps = len(ids), self.maxlen - first
        words, ids = np.unique(ids, return_inverse=True)  # ids now index the chunk's own words
        ids = ids.reshape(n, self.maxlen)
        fw_in, bw_in = self._inputs(words)
        fw = (s[first][None, :].repeat(n, axis=0) for s in self._padded)
        h, c, best = (np.stack([f, b]) for f, b in zip(fw, self._start(n)))
        recurrent = np.stack([self.w["fw_recurrent"], self.w["bw_recurrent"]])
        for s in range(steps):
            z = np.stack([fw_in[ids[:, first + s]], bw_in[ids[:, self.maxlen - 1 - s]]])
            h, c, best = self._step(z, recurrent, h, c, best)
        forward = best[0]
        h, c, best = h[1], c[1], best[1]
        for t in range(self.maxlen - 1 - steps, -1, -1):
            h, c, best = self._step(bw_in[ids[:, t]], self.w["bw_recurrent"], h, c, best)
        return np.concatenate([forward, best], axis=1)

    def predict(self, texts: list[str], chunk: int = 64) -> np.ndarray:
        """Probabilities, shape (n, 6), columns in :data:`LABELS` order. Rows run in chunks of similar
        length, so a chunk of short comments skips the padding steps of the forward pass."""
        if not texts:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        ids = self._pad(list(texts))
        padding = (ids != 0).argmax(axis=1)  # the first word's position (0 for a full or an empty row)
        padding[(ids == 0).all(axis=1)] = self.maxlen
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        order = np.argsort(-padding, kind="stable")
        for start in range(0, len(order), chunk):
            rows = order[start : start + chunk]
            part = ids[rows]
            x = np.maximum(self._both(part, int(padding[rows].min())) @ self.w["dense_kernel"] + self.w["dense_bias"],
                           0.0)
            out[rows] = _sigmoid(x @ self.w["out_kernel"] + self.w["out_bias"])
        return out


@cache
def load() -> BiLSTM:
    return BiLSTM(store.load_npz("bilstm_jigsaw.npz"), store.load_json("bilstm_jigsaw.vocab.json"))
