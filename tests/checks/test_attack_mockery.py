"""Taunts, mockery and dehumanising said without a swear word are personal attacks; firm criticism of the
same person's argument or decision is not; counter-speech that quotes hate to reject it is not abuse.

None of these sentences is in the training data (``remarks_training.seed_attacks`` or the attack suite):
they test what the model learnt, not what it read. Each pair is (attack, civil) on the same target, and
only their order is asserted, so a recalibration does not break the test while a model that cannot tell
mockery from disagreement does."""

import pytest

from remarks.checks.abuse import AbuseCheck
from remarks.checks.attack import AttackCheck
from remarks.checks.base import CommentContext

STORY = dict(article_title="Minister Karimi defends the refugee plan",
             article_body="Minister Ahmad Karimi told parliament the plan would cost less than expected.",
             byline="Jane Smith")
REPLY = dict(parent_text="The plan is cheaper than the old one.", participants=("lena_p",))

PAIRS = [
    # (attack, civil, who) - a commenter replied to
    ("Did you write that with your elbows?", "I think you've misread the figures in the article.", REPLY),
    ("@lena_p, you must be the smartest person in your house. Shame you live alone.",
     "@lena_p, I think you're wrong about the cost, but thanks for the link.", REPLY),
    # the journalist
    ("Jane Smith must have written this with her eyes shut.", "Jane Smith should have included the council's reply.", {}),
    ("Somebody buy the author a calendar, she can't tell one year from the next.",
     "The author gives the wrong year for the vote.", {}),
    # the person in the story
    ("Karimi couldn't find his own office with a map and a guide.",
     "Karimi hasn't explained where the money will come from.", {}),
    ("Minister Karimi has all the charm of a damp sock and none of the ideas.",
     "Minister Karimi's plan lacks detail on funding.", {}),
    # the person in the story dehumanised
    ("Karimi is a lizard wearing human skin.", "Karimi is a skilled politician, but wrong on this.", {}),
]

COUNTER = [
    # (the hateful statement, a comment rejecting it)
    ("Refugees are filthy invaders.",
     "Calling refugees filthy invaders, as one commenter did, is exactly the hate this paper should not print."),
    ("Women are too emotional to be leaders.",
     "The old line that women are too emotional to lead was nonsense then and is nonsense now."),
]


def ctx(text, **kw):
    return CommentContext(text=text, **{**STORY, **kw})


@pytest.mark.parametrize(("attack", "civil", "extra"), PAIRS)
def test_mockery_scores_above_its_civil_counterpart(attack, civil, extra):
    check = AttackCheck()
    mocking, disagreeing = check.score(ctx(attack, **extra)).score, check.score(ctx(civil, **extra)).score
    assert mocking > disagreeing, (attack, mocking, civil, disagreeing)


@pytest.mark.parametrize(("hate", "counter"), COUNTER)
def test_counter_speech_scores_below_the_hate_it_quotes(hate, counter):
    check = AbuseCheck()
    assert check.score(ctx(counter)).score < check.score(ctx(hate)).score, (hate, counter)
