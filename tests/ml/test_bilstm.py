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
