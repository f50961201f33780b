"""The sentence embeddings every relevance feature is built on (MiniLM int8 on onnxruntime)."""

import numpy as np
import pytest

from remarks.ml.embed import DIM, embed


def test_shape_dtype_and_unit_length():
    v = embed(["Eleven people died in the attack on the border post.", "", "x " * 600])  # normal, empty, too long
    assert v.shape == (3, DIM) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)


def test_no_texts_gives_an_empty_matrix():
    assert embed([]).shape == (0, DIM)


@pytest.mark.parametrize(
    "a, paraphrase, unrelated",
    [
        ("Eleven people died in the attack on the border post.", "The border post attack killed eleven.",
         "Heat pump grants will double next year."),  # news sentence
        ("The typhoon destroyed the harbour wall.", "A storm wrecked the sea wall of the port.",
         "The minister resigned over the budget."),  # different words, same meaning
        ("Great article, thanks.", "Thank you for this fine piece.", "My cat refuses to eat fish."),  # comment talk
    ],
)
def test_paraphrases_are_closer_than_unrelated_sentences(a, paraphrase, unrelated):
    v = embed([a, paraphrase, unrelated])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_batching_does_not_change_the_vectors():
    texts = ["short", "a somewhat longer sentence about the council budget", "mid length text here"]
    assert np.allclose(embed(texts, batch_size=1), embed(texts, batch_size=32), atol=1e-5)
