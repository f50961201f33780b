"""The sentence-level rows cut from the toxic_spans raw annotations (``datasets.toxic_spans_sentences``):
labels follow where the raters put their spans, and no test, trial or excluded post gives a row."""

import csv
import os
from pathlib import Path

import pytest

from remarks_training import datasets

POSTS = {
    "1": "You are a complete idiot and a liar. The new bridge opens in May next year. Fares will rise again.",
    "2": "This whole thread is garbage and so are you. The council met on Tuesday evening.",
    "3": "The mayor spoke for ten minutes. Nobody asked about the budget at all.",  # a trial post
    "4": "The bus was late three times this week. You people are all morons.",  # a test post
    "5": "What a stupid plan from a stupid man.",  # one sentence: the post row covers it
    "6": "The police closed the road for an hour. Nobody was hurt in the crash.",  # excluded by the caller
}
# (annotation, comment, all toxic, spans as (start, end, type))
ANNOTATIONS = [
    ("a1", "1", False, [(10, 30, "Insult")]),
    ("a2", "1", False, [(21, 26, "Insult")]),
    ("a3", "1", False, []),
    ("b1", "2", True, []),
    ("b2", "2", False, [(15, 22, "Profane/Obscene")]),
    ("b3", "2", False, [(15, 22, "Profane/Obscene")]),
    ("c1", "3", False, [(0, 9, "Insult")]),
    ("c2", "3", False, [(0, 9, "Insult")]),
    ("d1", "4", False, [(52, 58, "Insult")]),
    ("e1", "5", False, [(7, 13, "Insult")]),
    ("f1", "6", False, []),
]


def _write(root: Path) -> Path:
    raw = root / "toxic_spans" / "raw_annotations"
    raw.mkdir(parents=True)
    with open(raw / "comments.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["comment_id", "comment_text"])
        w.writerows(POSTS.items())
    with open(raw / "annotations.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["annotation", "comment_id", "worker", "country", "all toxic", "not toxic"])
        w.writerows([(a, c, f"w{a}", "US", str(whole), "False") for a, c, whole, _ in ANNOTATIONS])
    with open(raw / "spans.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["annotation", "type", "start", "end"])
        w.writerows([(a, t, s, e) for a, _, _, spans in ANNOTATIONS for s, e, t in spans])
    for split, cid in (("trial", "3"), ("test", "4")):
        with open(root / "toxic_spans" / f"{split}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["spans", "text"])
            w.writerow(["[]", POSTS[cid]])
    return root


def test_labels_follow_the_raters_spans(tmp_path):
    rows = datasets.toxic_spans_sentences(_write(tmp_path), exclude={POSTS["6"]})
    got = {r.text: (r.abuse, r.attack) for r in rows}
    assert got == {
        "You are a complete idiot and a liar.": (1, 1),  # two of three raters marked an Insult in it
        "The new bridge opens in May next year.": (0, 0),  # no rater marked anything, no one ticked the whole post
        "Fares will rise again.": (0, 0),
        "This whole thread is garbage and so are you.": (1, 0),  # marked, but as obscene, not as an insult
        # "The council met on Tuesday evening." is not clean: a rater called the whole post toxic
    }
    assert {r.source for r in rows} == {"toxic_spans_sent"}


def test_trial_posts_are_the_validation_part_and_test_posts_give_nothing(tmp_path):
    root = _write(tmp_path)
    trial = datasets.toxic_spans_sentences(root, split="trial")
    assert {r.text for r in trial} == {"The mayor spoke for ten minutes.", "Nobody asked about the budget at all."}
    assert [r.abuse for r in trial] == [1, 0]
    every = {r.text for r in datasets.toxic_spans_sentences(root)}
    assert not every & {r.text for r in trial}
    assert not any(s in POSTS["4"] for s in every)  # the test post
    assert not any(s in POSTS["5"] for s in every)  # a one-sentence post
    assert any(s in POSTS["6"] for s in every)  # given when not excluded


SHARED = Path(os.environ.get("REMARKS_DATASETS", Path(__file__).resolve().parents[3] / "shared" / "datasets"))


@pytest.mark.skipif(not (SHARED / "toxic_spans").is_dir(), reason="shared datasets not present")
def test_no_sentence_of_a_test_post_is_trained_on():
    rows = datasets.toxic_spans_sentences(SHARED)
    test_posts = [t for t, _ in datasets.toxic_spans_split("test", SHARED)]
    inside = {r.text for r in rows if any(r.text in t for t in test_posts)}
    # a short sentence can recur word for word in another post; it must then also be in a training post
    with open(SHARED / "toxic_spans/raw_annotations/comments.csv", newline="", encoding="utf-8") as fh:
        trained = [r["comment_text"] for r in csv.DictReader(fh) if r["comment_text"] not in set(test_posts)]
    assert all(any(s in t for t in trained) for s in inside)
    assert 0.3 < sum(r.abuse for r in rows) / len(rows) < 0.8
