"""The numpy BiLSTM reproduces toxic-comment-classifier (values recorded from the converted
weights; the conversion itself was checked against TensorFlow to 6e-8, see models.md)."""

import numpy as np
import pytest

from remarks.ml import bilstm

GOLDEN = [
    # (text, the six Jigsaw outputs: toxic, severe_toxic, obscene, threat, insult, identity_hate)
    ("You are so dumb and stupid!", [0.9889, 0.0726, 0.6204, 0.0193, 0.8664, 0.0407]),
    ("Thank you for the article, very informative.", [0.0008, 0.0, 0.0002, 0.0, 0.0002, 0.0]),
]


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_outputs_match_the_recorded_values(text, expected):
    assert np.allclose(bilstm.load().predict([text])[0], expected, atol=2e-4)


def test_keras_tokenizer_rules():
    model = bilstm.load()
    assert model.ids("Hello, you IDIOT!!") == model.ids("hello you idiot")  # lower-case, punctuation dropped
    assert len(model.ids("word " * 500)) == 100  # truncated to the last 100 tokens


def test_batch_equals_single_and_empty():
    model = bilstm.load()
    texts = [t for t, _ in GOLDEN] + [""]
    batch = model.predict(texts)
    assert batch.shape == (3, 6)
    assert np.allclose(batch[0], model.predict([texts[0]])[0], atol=1e-6)
    assert model.predict([]).shape == (0, 6)


def _reference(model, texts):
    """The Keras arithmetic written out plainly: every row runs all 100 steps both ways, padding included."""
    w = model.w
    ids = model._pad(texts)

    def run(table, recurrent, reverse):
        units = recurrent.shape[0]
        h = np.zeros((len(texts), units), dtype=np.float32)
        c = np.zeros_like(h)
        best = np.full_like(h, -np.inf)
        for t in (range(model.maxlen - 1, -1, -1) if reverse else range(model.maxlen)):
            z = table[ids[:, t]] + h @ recurrent
            sig = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731
            i, f, g, o = sig(z[:, :units]), sig(z[:, units:2 * units]), np.tanh(z[:, 2 * units:3 * units]), sig(z[:, 3 * units:])
            c = f * c + i * g
            h = o * np.tanh(c)
            best = np.maximum(best, h)
        return best

    fw_in = model.embedding @ w["fw_kernel"] + w["fw_bias"]  # every vocabulary word's input projections
    bw_in = model.embedding @ w["bw_kernel"] + w["bw_bias"]
    x = np.concatenate([run(fw_in, w["fw_recurrent"], False), run(bw_in, w["bw_recurrent"], True)], axis=1)
    x = np.maximum(x @ w["dense_kernel"] + w["dense_bias"], 0.0)
    return 1.0 / (1.0 + np.exp(-(x @ w["out_kernel"] + w["out_bias"])))


def test_skipping_the_padding_steps_gives_the_full_runs_outputs():
    """predict starts a chunk of short texts after the forward pass's padding steps (their states are
    computed once) and groups rows by length: the outputs are those of running every step."""
    model = bilstm.load()
    words = "you idiot this article is a fine piece about the council budget and the harbour wall".split()
    texts = [" ".join(words[: 1 + (i * 7) % len(words)]) * (1 + i % 9) for i in range(150)]
    texts += ["", "zzzz qqqq", "word " * 300, "the " * 99 + "idiot", "Thank you."]
    expected = _reference(model, texts)
    assert np.abs(model.predict(texts) - expected).max() < 1e-6
    assert np.abs(model.predict(texts, chunk=7) - expected).max() < 1e-6
    for i in (0, 150, 152, 153):
        assert np.abs(model.predict([texts[i]])[0] - expected[i]).max() < 1e-6
