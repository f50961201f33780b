"""Hate against a group in ordinary words is found by its shape; civil comments about the same groups are not."""

import pytest

from remarks.checks.abuse import GROUP_HATE_PROBABILITY, AbuseCheck
from remarks.checks.attack import AttackCheck
from remarks.checks.base import CommentContext
from remarks.checks.calibrated import calibrated
from remarks.moderation import rules
from remarks.text.group_hate import find_group_hate

HATE = [
    ("Kurds breed like rabbits and then complain about the border.", "dehumanised", "Kurds breed like rabbits"),
    ("Muslims are a cancer on this country.", "dehumanised", "Muslims are a cancer"),
    ("These migrants are nothing but parasites.", "dehumanised", "These migrants are nothing but parasites"),
    ("Islam is a death cult.", "dehumanised", "Islam is a death cult"),
    ("Our towns are overrun by refugees.", "dehumanised", "overrun by refugees"),
    ("Refugees are the enemy within.", "dehumanised", "Refugees are the enemy within"),
    ("Muslims are all terrorists.", "generalised", "Muslims are all terrorists"),
    ("Most immigrants are criminals, everyone knows it.", "generalised", "Most immigrants are criminals"),
    ("All Arabs are the same.", "generalised", "All Arabs are the same"),
    ("Every Muslim in that town knew what was coming and said nothing.", "generalised",
     "Every Muslim in that town knew what was coming"),
    ("Every single refugee is a potential terrorist.", None, None),  # "potential" breaks the shape: left to the model
    ("Send them all back where they came from.", "expelled", "Send them all back where they came from"),
    ("Go back to your own country.", "expelled", "Go back to your own country"),
    ("Somalis don't belong here.", "expelled", "Somalis don't belong here"),
    ("You can\u2019t trust a single Muslim neighbour.", "distrusted", "can't trust a single Muslim"),
    ("Immigrants cannot be trusted.", "distrusted", "Immigrants cannot be trusted"),
]

CIVIL = [
    "The jihadists who killed eleven people must face trial.",
    "Muslim families lost relatives too; they were the first to condemn the attack.",
    "Islam is a religion of over a billion people; a cell of five does not speak for them.",
    "Some immigrants are criminals, like some people born here.",
    "Not all refugees are the same, and the inquiry should not treat them as if they were.",
    "Muslims are the same as everyone else: they want their children safe.",
    "The Kurds were the victims here.",
    "Refugees are not terrorists.",
    "Muslims were guilty of nothing; the cell was five men.",
    "Every Muslim I know condemned the attack.",
    "Send them the inquiry's report before it is published.",
    "The smugglers are criminals and should be tried as such.",
    "Two migrants were smugglers, the prosecutors say.",
    "Immigrants are a large share of the town's nurses.",
    "I trust the inquiry to find out who received the warning.",
    # quoted or referred to in order to condemn it (counter-speech, read with the words set aside)
]
COUNTER = ['Saying "Muslims are a cancer" is disgusting.', "Stop saying that refugees are criminals."]


def _found(text):
    return [(h.kind, h.text(text.replace("\u2019", "'"))) for h in find_group_hate(text)]


@pytest.mark.parametrize("text, kind, words", HATE)
def test_hate_against_a_group_is_found_with_its_words(text, kind, words):
    assert _found(text) == ([(kind, words)] if kind else [])


@pytest.mark.parametrize("text", CIVIL)
def test_civil_comments_about_the_same_groups_are_not_matched(text):
    assert _found(text) == []


def _ctx(text):
    return CommentContext(text=text, article_title="Inquiry opens into border attack that killed eleven",
                          article_body="Community leaders from the town's Muslim and Kurdish families asked the inquiry "
                          "why a warning was not acted on.")


def test_the_abuse_check_holds_group_hate_for_a_moderator_with_the_words_marked():
    hold = {r.name: r for r in rules.BUILT_IN}["abuse"]
    text = "Kurds breed like rabbits and then complain about the border."
    result = calibrated(AbuseCheck().score(_ctx(text)))
    assert hold.hold <= result.score < hold.remove  # held, never removed on a match alone
    assert result.score >= GROUP_HATE_PROBABILITY - 0.01
    assert result.labels["identity_hate"] >= GROUP_HATE_PROBABILITY
    assert ("group hate", "Kurds breed like rabbits") in {(s.label, text[s.start:s.end]) for s in result.spans}
    assert result.details["group_hate"] == [{"kind": "dehumanised", "group": "Kurds", "words": "Kurds breed like rabbits"}]
    # hate at a group is the abuse rule's; the attack check does not read it
    assert "group_hate" not in AttackCheck().score(_ctx(text)).details


@pytest.mark.parametrize("text", COUNTER)
def test_group_hate_quoted_to_condemn_it_is_set_aside(text):
    result = AbuseCheck().score(_ctx(text))
    assert "group_hate" not in result.details
    assert result.details["counter_speech"]


@pytest.mark.parametrize("text", [
    "Not every Muslim is a terrorist.",
    "You think all Muslims are terrorists?",
    "He implied that all Muslims are terrorists, and the paper printed it.",
    "A man yelled at her to go back to her own country.",
    "If refugees are criminals, charge them; the inquiry found none.",
    "The myth that immigrants are criminals does not survive the figures.",
])
def test_words_reported_supposed_denied_or_asked_are_not_the_commenters_claim(text):
    assert _found(text) == []
