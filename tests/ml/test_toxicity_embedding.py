"""The abuse/attack model reads the comment's sentence embedding too (toxicity-5 on): the vector the
relevance check reads, computed once per comment."""

import numpy as np

from remarks.ml import embed, toxicity

TEXTS = ["Muslims are vermin and should be driven out.", "Most Muslims in the city condemned the bombing.",
         "You are a pathetic little troll.", "Thanks for the link, I had not seen that report."]


def test_the_shipped_model_has_an_embedding_head_per_rule():
    model = toxicity.load()
    assert set(model.embedding_heads) == {"abuse", "attack"}
    assert model.stack_names[-2:] == toxicity.EMBEDDING_NAMES
    assert model.meta["stack_features"] == list(model.stack_names)


def test_vectors_given_or_computed_give_the_same_scores():
    model = toxicity.load()
    mine = model.predict(TEXTS, vectors=embed.embed(TEXTS))
    computed = model.predict(TEXTS)
    np.testing.assert_allclose(mine.abuse, computed.abuse, atol=1e-5)
    np.testing.assert_allclose(mine.attack, computed.attack, atol=1e-5)


def test_the_embedding_moves_the_scores_the_right_way():
    """Hate against a group and an insult score above the civil comments, and the embedding heads agree."""
    model = toxicity.load()
    logits = model.embedding_logits(embed.embed(TEXTS))
    assert logits[0, 0] > logits[1, 0] and logits[0, 0] > logits[3, 0]  # abuse head: hate over civil
    assert logits[2, 1] > logits[3, 1]  # attack head: insult over a civil reply
    pred = model.predict(TEXTS)
    assert pred.abuse[0] > pred.abuse[1] and pred.attack[2] > pred.attack[3]


def test_a_model_without_embedding_heads_needs_no_vectors():
    """An older model file (toxicity-4 and before) scores as it did: no embedding is computed."""
    model = toxicity.load()
    arrays = {k: v for k, v in toxicity.store.load_npz("toxicity.npz").items() if not k.startswith("emb_")}
    old = toxicity.ToxicityModel(arrays, {})
    assert old.embedding_heads == {} and old.stack_names == toxicity.STACK_NAMES
    stack = {r: (c[: len(toxicity.STACK_NAMES)], b, m[: len(toxicity.STACK_NAMES)], s[: len(toxicity.STACK_NAMES)])
             for r, (c, b, m, s) in model.stack.items()}
    old.stack = stack
    pred = old.predict(TEXTS)
    assert pred.features.shape == (len(TEXTS), len(toxicity.STACK_NAMES))
