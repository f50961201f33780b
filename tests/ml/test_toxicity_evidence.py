"""Evidence word scores are kept per word: the spans and weights are those of scoring every word afresh."""

from remarks.ml import store, toxicity

TEXTS = ["You are a complete idiot and a liar", "What an idiot. Idiots everywhere!!", "Thank you for the report",
         "Muslims are vermin", "f*ck this stupid council", ""]


def _fresh() -> toxicity.ToxicityModel:
    return toxicity.ToxicityModel(store.load_npz("toxicity.npz"), store.meta("toxicity.npz"))


def test_kept_word_scores_give_the_fresh_scores(monkeypatch):
    norms = [toxicity.prep(t)[0] for t in TEXTS]
    monkeypatch.setattr(toxicity, "KEPT_WORD_SCORES", 0)  # nothing kept: every word scored afresh
    expected = [(_fresh().word_scores(n, rule), _fresh().evidence(n, rule)) for n in norms for rule in ("abuse", "attack")]
    monkeypatch.setattr(toxicity, "KEPT_WORD_SCORES", 3)  # a few kept, the rest scored each time
    for model in (_fresh(), toxicity.load()):
        for _ in range(2):  # cold, then with the words kept
            got = [(model.word_scores(n, rule), model.evidence(n, rule)) for n in norms for rule in ("abuse", "attack")]
            assert got == expected
    assert all(len(kept) <= 3 for kept in _fresh()._word_scores.values())
