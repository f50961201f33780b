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
    train = relevance.written_pairs("train")
    held = relevance.written_pairs("heldout")
    assert {p.article_id for p in train}.isdisjoint({p.article_id for p in held})
    assert {p.comment for p in train}.isdisjoint({p.comment for p in held})
    assert {p.label for p in held} == {0, 1}
    assert all(p.label == 0 for p in train if p.kind in ("hard_negative", "other_topic", "shares_words"))


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
