"""The sentence embeddings every relevance feature and the abuse/attack model's embedding heads are built on
(the distilled MiniLM, ml/artifacts/embedder.onnx, read in 64-token windows on onnxruntime)."""

import numpy as np
import pytest

from remarks.ml import embed as embedding
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


@pytest.mark.parametrize("threads", ["2", "1"])
def test_each_text_gets_the_vector_it_has_alone_bit_for_bit(monkeypatch, threads):
    """One window per model call: a text's vector never depends on the texts embedded with it (the int8
    model quantises its activations per call), whatever the number of threads."""
    monkeypatch.setenv("REMARKS_ONNX_THREADS", threads)
    embedding._model.cache_clear()
    try:
        rng = np.random.default_rng(7)
        words = "the council budget library border police said night storm harbour wall minister".split()
        texts = [" ".join(rng.choice(words, size=n)) for n in [0, 1, 2, 40, 120, 300, 7, 19]]
        together = embed(texts)
        assert np.array_equal(together, np.stack([embed([t])[0] for t in texts]))
    finally:
        embedding._model.cache_clear()


def test_two_threads_give_one_threads_vectors_bit_for_bit(monkeypatch):
    text = "The council will publish the budget figures on Monday, after the library closes. " * 6
    got = []
    for threads in ("1", "2"):
        monkeypatch.setenv("REMARKS_ONNX_THREADS", threads)
        embedding._model.cache_clear()
        got.append(embed([text, "Thanks."]))
    embedding._model.cache_clear()
    assert np.array_equal(got[0], got[1])


def test_a_long_comment_is_read_to_its_end():
    """Read in windows, not cut at the first one: a different last sentence moves the vector."""
    start = "The council will publish the budget figures on Monday. " * 12  # well past one 64-token window
    v = embed([start + "Police said the smugglers crossed the border at night.",
               start + "My cat refuses to eat fish and sleeps all day."])
    assert v[0] @ v[1] < 0.999


def test_shared_vectors_are_the_same_and_computed_once(monkeypatch):
    """The relevance check and the abuse/attack model read one comment's vector: embedded once."""
    texts = ["The council met on Tuesday.", "Muslims are welcome here.", "The council met on Tuesday."]
    want = embed(texts)
    embedding._shared.clear()
    first = embedding.embed_shared(texts)
    assert np.array_equal(first, want) and len(embedding._shared) == 2
    calls = []
    monkeypatch.setattr(embedding, "embed", lambda t, *a, **k: calls.append(list(t)) or want[: len(t)])
    again = embedding.embed_shared(texts[:2])
    assert calls == [] and np.array_equal(again, first[:2])


def test_the_shared_vectors_are_bounded(monkeypatch):
    monkeypatch.setattr(embedding, "SHARED_SIZE", 8)
    embedding._shared.clear()
    texts = [f"comment number {i}" for i in range(13)]
    out = embedding.embed_shared(texts)
    assert list(embedding._shared) == texts[-8:] and np.array_equal(out, embed(texts))
