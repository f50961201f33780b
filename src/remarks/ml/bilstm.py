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
        self.w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.maxlen = int(vocab["maxlen"])
        self.index = {word: i + 1 for i, word in enumerate(vocab["words"])}
        self._table = str.maketrans({c: " " for c in vocab["filters"]})
        # Input projections of every vocabulary word, computed once: a lookup per token at run time.
        emb = self.w["embedding"]
        self.fw_in = emb @ self.w["fw_kernel"] + self.w["fw_bias"]
        self.bw_in = emb @ self.w["bw_kernel"] + self.w["bw_bias"]

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

    def _run(self, proj: np.ndarray, recurrent: np.ndarray, reverse: bool) -> np.ndarray:
        batch, steps, _ = proj.shape
        units = recurrent.shape[0]
        h = np.zeros((batch, units), dtype=np.float32)
        c = np.zeros((batch, units), dtype=np.float32)
        best = np.full((batch, units), -np.inf, dtype=np.float32)
        order = range(steps - 1, -1, -1) if reverse else range(steps)
        for t in order:
            z = proj[:, t] + h @ recurrent
            i = _sigmoid(z[:, :units])
            f = _sigmoid(z[:, units : 2 * units])
            g = np.tanh(z[:, 2 * units : 3 * units])
            o = _sigmoid(z[:, 3 * units :])
            c = f * c + i * g
            h = o * np.tanh(c)
            np.maximum(best, h, out=best)
        return best

    def predict(self, texts: list[str]) -> np.ndarray:
        """Probabilities, shape (n, 6), columns in :data:`LABELS` order."""
        if not texts:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        ids = self._pad(list(texts))
        fw = self._run(self.fw_in[ids], self.w["fw_recurrent"], reverse=False)
        bw = self._run(self.bw_in[ids], self.w["bw_recurrent"], reverse=True)
        x = np.concatenate([fw, bw], axis=1)
        x = np.maximum(x @ self.w["dense_kernel"] + self.w["dense_bias"], 0.0)
        return _sigmoid(x @ self.w["out_kernel"] + self.w["out_bias"])


@cache
def load() -> BiLSTM:
    return BiLSTM(store.load_npz("bilstm_jigsaw.npz"), store.load_json("bilstm_jigsaw.vocab.json"))
