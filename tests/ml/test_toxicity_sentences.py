"""The attack score of a comment of several sentences: the mean of its own and its worst sentence's."""

import numpy as np
import pytest

from remarks.ml import embed, toxicity

CIVIL = "The council voted on Tuesday. The budget is tight, and the routes were half empty."
MIXED = "The council voted on Tuesday. The budget is tight. You are a complete idiot though."
SHORT = "You are a complete idiot."


def test_sentences_are_split_at_stops_and_line_ends():
    assert toxicity.sentences("One. Two!\nThree?  Four") == ["One.", "Two!", "Three?", "Four"]
    assert toxicity.sentences("  ") == []


def test_one_insult_in_a_long_civil_comment_is_not_diluted():
    model = toxicity.load()
    texts = [MIXED, SHORT, CIVIL]
    whole = model.predict(texts)
    by = model.predict(texts, by_sentence=True)
    parts = toxicity.sentences(MIXED)  # each read with its comment's sentence embedding
    worst = model.predict(parts, vectors=np.repeat(embed.embed([MIXED]), len(parts), axis=0)).attack.max()
    assert by.attack[0] == pytest.approx((whole.attack[0] + worst) / 2, abs=1e-6)
    # Raised by its worst sentence, to past the attack rule's hold threshold (~0.5); how far it is raised
    # depends on how diluted the whole comment's score was (toxicity-7: 0.51 -> 0.65; toxicity-8: 0.70 -> 0.76; toxicity-9: 0.69 -> 0.75).
    assert by.attack[0] > whole.attack[0] + 0.03 and by.attack[0] > 0.6
    assert by.attack[1] == pytest.approx(whole.attack[1], abs=1e-6)  # one sentence: as before
    assert by.attack[2] < 0.2  # no sentence of it insults anyone
    np.testing.assert_allclose(by.abuse, whole.abuse)  # abuse reads the whole comment


def test_a_batch_gives_each_comment_its_own_score():
    model = toxicity.load()
    alone = [model.predict([t], by_sentence=True).attack[0] for t in (MIXED, SHORT, CIVIL)]
    together = model.predict([MIXED, SHORT, CIVIL], by_sentence=True).attack
    np.testing.assert_allclose(together, alone, atol=1e-5)
