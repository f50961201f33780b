"""The trained attack check: attacks on commenters, the journalist and people in the story,
with the target named; civil disagreement scores low."""

import pytest

from remarks.checks.attack import AttackCheck, story_names, targets
from remarks.checks.base import CommentContext

STORY = dict(article_title="Minister Karimi defends the refugee plan",
             article_body="Minister Ahmad Karimi told parliament the plan would cost less than expected.",
             byline="Jane Smith")


def ctx(text, **kw):
    return CommentContext(text=text, **{**STORY, **kw})


CASES = [
    # (comment, context extras, attack?, target)
    ("You are a complete idiot and a liar.", {"parent_text": "I support the plan."}, True, "commenter"),
    ("Maria, you f*cking moron, read the article.", {"participants": ("Maria",)}, True, "commenter"),
    ("Jane Smith is a brainless idiot who should be fired.", {}, True, "author"),
    ("Karimi is a corrupt, brainless clown.", {}, True, "person_in_story"),
    ("I think you are wrong about the cost; the budget says otherwise.", {"parent_text": "It is cheap."}, False, None),
    ("Jane Smith wrote a fair and careful piece.", {}, False, None),
    ("Karimi's numbers do not add up, in my view.", {}, False, None),
    ("Thanks Maria, good point.", {"participants": ("Maria",)}, False, None),
]


@pytest.mark.parametrize(("text", "extra", "is_attack", "target"), CASES)
def test_attack(text, extra, is_attack, target):
    r = AttackCheck().score(ctx(text, **extra))
    if is_attack:
        assert r.score >= 0.5, (text, r.score)
        assert target in r.details["targets"]
        assert r.labels[target] == r.score
        assert any(s.label == f"target:{target}" for s in r.spans)
    else:
        assert r.score < 0.5, (text, r.score)


def test_group_hate_is_abuse_not_a_personal_attack():
    assert AttackCheck().score(ctx("Refugees are vermin.")).score < 0.5


def test_target_spans_point_at_the_name():
    text = "Jane Smith is a brainless idiot who should be fired."
    r = AttackCheck().score(ctx(text))
    names = {text[s.start:s.end] for s in r.spans if s.label == "target:author"}
    assert {"Jane", "Smith"} <= names


def test_the_people_of_each_story_are_its_own():
    """A story's names are read once per story (kept by title and body): a comment under another story is
    read against that story's people, and a story edited to name someone new is read again."""
    def under(body, text="Karimi is a clown."):
        return targets(CommentContext(text=text, article_title="Border inquiry", article_body=body))

    assert under("Minister Ahmad Karimi ordered the inquiry.")["person_in_story"] == [(0, 6)]
    assert under("Mayor Maria Lopez opened the library.")["person_in_story"] == []
    assert under("Mayor Maria Lopez opened the library. Ahmad Karimi came too.")["person_in_story"] == [(0, 6)]
    assert story_names("Border inquiry", "Minister Ahmad Karimi ordered the inquiry.") == {"Ahmad", "Karimi"}
