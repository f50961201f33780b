"""The written relevance data: split by article, hard-negative partners in the same split, pairs labelled
by kind; Fox News pairs split by article."""

import os
from pathlib import Path

import pytest

from remarks_training import relevance

DATASETS = Path(os.environ.get("REMARKS_DATASETS", Path(__file__).resolve().parents[3] / "shared" / "datasets"))


def test_articles_split_by_article_with_partners_alongside():
    arts = relevance.articles()
    by_id = {a["id"]: a for a in arts}
    assert len(by_id) == len(arts) >= 30
    assert any(a["topic"] == "terrorism" for a in arts)
    for a in arts:
        assert 2 <= a["body"].count(". ") + 1 <= 5, a["id"]
        if a["pair"]:
            b = by_id[a["pair"]]
            assert b["pair"] == a["id"] and b["split"] == a["split"] and b["topic"] != a["topic"]
        kinds = {c[0] for c in a["comments"]}
        assert {"on_topic", "shares_words"} <= kinds, a["id"]
        for kind, *rest in a["comments"]:
            assert kind in relevance.RELEVANT_KINDS
            if kind.startswith("reply_"):
                assert len(rest) == 2 and rest[1] in [c[1] for c in a["comments"]]


def test_written_pairs_never_cross_splits():
    by_split = {s: relevance.written_pairs(s) for s in relevance.SPLITS}
    assert set(by_split) == {"train", "valid", "heldout"}
    for a, b in (("train", "valid"), ("train", "heldout"), ("valid", "heldout")):
        assert {p.article_id for p in by_split[a]}.isdisjoint({p.article_id for p in by_split[b]}), (a, b)
        assert {p.comment for p in by_split[a]}.isdisjoint({p.comment for p in by_split[b]}), (a, b)
    for split, rows in by_split.items():
        assert {p.label for p in rows} == {0, 1}, split
        assert {p.split for p in rows} == {split}
        assert all(p.label == 0 for p in rows if p.kind in ("hard_negative", "other_topic", "shares_words"))


def test_stories_per_split():
    counts = {s: len(relevance.articles(s)) for s in relevance.SPLITS}
    assert counts == {"train": 27, "valid": 10, "heldout": 9}
    assert sum(counts.values()) == len(relevance.articles())
    with pytest.raises(ValueError):
        relevance.articles("validation")


def test_the_written_validation_stories_are_hard_negative_pairs_with_every_kind():
    """Ten stories no model trains on, for the relevance calibrator and operating point: five pairs that
    share a word but not a topic, each story with every kind of comment, replies under their own thread."""
    valid = relevance.articles("valid")
    by_id = {a["id"]: a for a in valid}
    assert len(by_id) == len(valid) == 10
    for a in valid:
        assert a["split"] == "valid"
        assert a["pair"] in by_id, a["id"]  # every one has its partner, in the same split
        b = by_id[a["pair"]]
        assert b["pair"] == a["id"] and b["split"] == "valid" and b["topic"] != a["topic"]
        assert a["id"].split("-")[0] == b["id"].split("-")[0]  # named by the word they share
        kinds = [c[0] for c in a["comments"]]
        assert set(kinds) == set(relevance.RELEVANT_KINDS), a["id"]
        assert 7 <= len(kinds) <= 9 and kinds.count("on_topic") >= 3, a["id"]
        on_topic = [c[1] for c in a["comments"] if c[0] == "on_topic"]
        assert all(c[2] in on_topic for c in a["comments"] if c[0].startswith("reply_")), a["id"]
        texts = [c[1] for c in a["comments"]]
        assert len(set(texts)) == len(texts), a["id"]
    pairs = relevance.written_pairs("valid")
    assert {p.kind for p in pairs} == {*relevance.RELEVANT_KINDS, "hard_negative", "other_topic"}
    assert {p.article_id for p in pairs} == set(by_id)


def test_no_validation_text_is_in_a_training_or_heldout_story():
    def texts(arts):
        return {t.strip().lower() for a in arts for t in (a["title"], a["body"], *(c[1] for c in a["comments"]))}

    valid = relevance.articles("valid")
    others = [a for a in relevance.articles() if a["split"] != "valid"]
    assert not texts(valid) & texts(others)
    assert not {a["id"] for a in valid} & {a["id"] for a in others}


def _valid_ids_and_titles() -> tuple[set[str], set[str]]:
    valid = relevance.articles("valid")
    return {a["id"] for a in valid}, {a["title"] for a in valid}


def test_the_training_pairs_hold_no_validation_story():
    ids, titles = _valid_ids_and_titles()
    comments = {c[1] for a in relevance.articles("valid") for c in a["comments"]}
    train = relevance.written_pairs("train")
    assert train and not {p.article_id for p in train} & ids
    assert not {p.article_title for p in train} & titles and not {p.comment for p in train} & comments


@pytest.mark.skipif(not DATASETS.is_dir(), reason="shared datasets not present")
def test_the_encoders_training_pairs_hold_no_validation_story():
    """The sentence encoder trains on ``relevance.pairs("train")`` through ``encoder.data.relevance_pairs``:
    neither may hold a written validation story, as its own story, as a hard negative or as a comment."""
    from remarks_training.encoder import data

    ids, titles = _valid_ids_and_titles()
    comments = {c[1] for a in relevance.articles("valid") for c in a["comments"]}
    train = relevance.pairs("train", DATASETS)
    assert {p.source for p in train} == {"written", "fox"}
    assert not {p.article_id for p in train} & ids and not {p.comment for p in train} & comments
    items = data.relevance_pairs(DATASETS)
    assert {it.source for it in items} == {"relevance_written", "relevance_fox"}
    assert not {it.group for it in items} & ids
    assert not {it.extra["title"] for it in items} & titles and not {it.text for it in items} & comments
    # "valid" is the written validation stories and the Fox News ones the relevance model never fits on.
    valid = relevance.pairs("valid", DATASETS)
    assert {p.article_id for p in valid if p.source == "written"} == ids
    assert {p.article_id for p in valid if p.source == "fox"} == {p.article_id for p in relevance.fox_pairs("valid", DATASETS)}


def test_the_relevance_calibrator_is_fitted_on_the_written_validation_stories(monkeypatch):
    """Not on the written training stories, which the sentence encoder trained on."""
    from remarks_training.evaluation import calibrate

    monkeypatch.setattr(relevance, "fox_pairs", lambda split, root=None, seed=13: [])
    rows = calibrate._relevance_rows(DATASETS)
    ids, _ = _valid_ids_and_titles()
    assert rows and {r.group for r in rows} == {"relevance_written"}
    assert {r.ctx["article_id"] for r in rows} == ids
    assert len(rows) == len(relevance.written_pairs("valid"))
    assert "relevance stories' validation split" in calibrate.__doc__ and "stories' training part" not in calibrate.__doc__


@pytest.mark.skipif(not DATASETS.is_dir(), reason="shared datasets not present")
def test_fox_pairs_split_by_article():
    train = relevance.fox_pairs("train", DATASETS)
    held = relevance.fox_pairs("heldout", DATASETS)
    assert {p.article_id for p in train}.isdisjoint({p.article_id for p in held})
    assert len({p.article_id for p in held}) == len(relevance.FOX_HELDOUT)
    assert sum(p.label for p in held) * 2 == len(held)


def test_the_relevance_calibration_stories_are_training_stories_the_model_never_saw():
    valid = relevance.fox_pairs("valid", DATASETS)
    titles = {p.article_id for p in valid}
    assert len(titles) == len(relevance.FOX_VALID) == 2
    assert all(relevance.fox_split(t) == "train" for t in titles)
    assert {p.label for p in valid} == {0, 1}
    assert not titles & {p.article_id for p in relevance.fox_pairs("heldout", DATASETS)}
    import json

    from remarks.ml.store import DIR

    data = json.loads((DIR / "offtopic.meta.json").read_text())["data"]  # the shipped model's training data
    assert all(t in data for t in (*relevance.FOX_VALID, *relevance.FOX_HELDOUT)) and "never seen" in data
