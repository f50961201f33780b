"""The trained abuse check: the topic is not punished, hate without swear words is caught,
disguised spellings count, and the evidence points at the typed words."""

import pytest

from remarks.checks.abuse import AbuseCheck
from remarks.checks.base import CommentContext

TERROR_STORY = CommentContext(
    text="",
    article_title="Suicide bomber kills 30 at Kabul market",
    article_body="A jihadist group claimed the attack. Kurdish and Saudi officials condemned it.",
    byline="Jane Smith",
)


def score(text):
    return AbuseCheck().score(CommentContext(text=text, article_title=TERROR_STORY.article_title,
                                             article_body=TERROR_STORY.article_body, byline="Jane Smith"))


CIVIL = [
    # civil comments under a terrorism story, full of the words a naive model punishes
    "The attack killed thirty people, and the jihadists who planned it were caught in Saudi Arabia.",
    "Most Muslims in the city condemned the bombing within hours.",
    "Kurdish fighters have lost thousands of men fighting these militants.",
    "The smugglers who brought the bomb across the border should face trial.",
    "Refugees fleeing this violence deserve our help.",
    "Islam is followed by more than a billion people; the killers do not speak for them.",
    "The police shot the gunman before he could detonate the second device.",
    "Thank you for a careful, well-sourced report.",
]

ABUSIVE = [
    # identity hate without a single swear word
    "Muslims are vermin and should be driven out.",
    "Refugees are parasites, send every one of them back.",
    "Jews are rats.",
    # obscenity and insults, plain and disguised
    "This is f*cking ridiculous, what a load of sh!t.",
    "You are a fuuuuucking idiot.",
    "What a pile of b.u.l.l.s.h.i.t",
    "a$$hole",
    "I will find you and kill you.",
]


@pytest.mark.parametrize("text", CIVIL)
def test_civil_comments_on_a_terror_story_score_low(text):
    assert score(text).score < 0.5, text


@pytest.mark.parametrize("text", ABUSIVE)
def test_abuse_scores_high(text):
    result = score(text)  # by the model's score, or by the floor a threat sets (applied after calibration)
    assert max(result.score, result.floor) >= 0.5, text


def test_hate_scores_above_a_civil_mention_of_the_same_group():
    assert score("Muslims are vermin.").score > score("Muslims are our neighbours.").score + 0.3


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("You are a f*cking id1ot.", {"f*cking", "id1ot"}),
        ("Muslims are vermin and should be driven out.", {"vermin"}),
        ("What a stupid, stupid article.", {"stupid"}),
    ],
)
def test_evidence_spans_land_on_the_typed_words(text, expected_words):
    result = score(text)
    found = {text[s.start:s.end] for s in result.spans}
    assert expected_words <= found, found
    assert "Muslims" not in found  # the group named is the target, not the evidence


def test_result_shape_is_the_same_for_every_input():
    for text in ("", "   ", "ok", "x" * 5000, "Muslims are vermin."):
        r = score(text)
        assert r.rule == "abuse" and 0.0 <= r.score <= 1.0
        assert set(r.labels) == {"obscene", "threat", "identity_hate", "insult"}
        assert all(0 <= s.start < s.end <= len(text) for s in r.spans)


def test_batch_equals_single():
    texts = ABUSIVE[:3] + CIVIL[:3]
    check = AbuseCheck()
    batch = check.score_batch([CommentContext(text=t) for t in texts])
    assert [r.score for r in batch] == [check.score(CommentContext(text=t)).score for t in texts]


def test_sub_labels_name_the_kind_of_abuse():
    assert score("Muslims are vermin and should be driven out.").labels["identity_hate"] >= 0.5
    assert score("This is f*cking shit.").labels["obscene"] >= 0.5


def test_more_comments_than_the_cache_holds():
    from remarks.checks import abuse

    texts = [f"comment number {i}" for i in range(abuse._CACHE_SIZE + 300)]
    check = AbuseCheck()
    check.score_batch([CommentContext(text=t) for t in texts[:500]])
    results = check.score_batch([CommentContext(text=t) for t in texts])  # old and new keys mixed
    assert len(results) == len(texts)
