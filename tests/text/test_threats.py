"""Explicit threats are found by their shape; the violence of a news story is not a threat."""

import pytest

from remarks.checks.abuse import THREAT_PROBABILITY, AbuseCheck
from remarks.checks.attack import AttackCheck
from remarks.checks.base import CommentContext
from remarks.checks.calibrated import calibrated
from remarks.moderation import rules
from remarks.text.threats import find_threats

THREATS = [
    ("The only good jihadist is a dead one, and that goes for their families too.", "wished"),
    ("The only good Muslims are dead Muslims.", "wished"),
    ("I will find you and kill you.", "announced"),
    ("I'm going to beat you to death", "announced"),
    ("we will slaughter every last one of them", "announced"),
    ("You deserve to be shot.", "deserved"),
    ("The author should be hanged for this article.", "deserved"),
    ("Muslims should be exterminated.", "deserved"),
    ("Every one of them should be rounded up and shot.", "deserved"),
    ("They all deserve to die.", "deserved"),
    ("I hope you die slowly.", "wished"),
    ("hope they get shot", "wished"),
    ("Someone should put a bullet in the reporter's head.", "incited"),
    ("Somebody needs to shoot him.", "incited"),
    ("Burn their mosques down.", "commanded"),
    ("Kill them all.", "commanded"),
    ("Keep writing lies like this and I'll come to your house.", "veiled"),
    ("Watch your back, Jane.", "veiled"),
    ("i know where you live", "veiled"),
    ("You\u2019ll pay for this, reporter.", "veiled"),
    # a group named by an adjective and "people", or one of its members counted
    ("Gay people should all be shot.", "deserved"),
    ("I hope black people die.", "wished"),
    ("Kill all the trans people.", "commanded"),
    # every group the group-hate patterns know (one list, text/group_hate.py), not only the threats' own
    ("All asylum seekers deserve to die.", "deserved"),
    ("Kill all the Pakistanis.", "commanded"),
    ("Chinese people should be hanged.", "deserved"),
    # extermination called for
    ("Wipe them off the map and the problem is solved.", "exterminate"),
    ("We should wipe every last one of them off the face of the earth.", "exterminate"),
    ("Exterminate the lot of them.", "exterminate"),
    ("Muslims should be wiped off the map.", "deserved"),
    ("We will kill every Muslim in this town.", "announced"),
    # a person named, or by role, in the story
    ("Someone should shoot Karimi.", "incited"),
    ("I'm going to kill Mayor Okafor.", "announced"),
    ("Ahmad Karimi should be hanged.", "deserved"),
    ("The mayor deserves to die.", "deserved"),
    ("I hope Dan Brown dies.", "wished"),
    ("I know where Karimi lives.", "veiled"),
    ("Councillor Reyes had better watch her back.", "veiled"),
    ("Somebody should teach the judge a lesson she won't forget.", "veiled"),
    ("Someone should shoot O'Brien.", "incited"),
    ("I will kill Smith-Jones and McDonald.", "announced"),
    ("Somebody should shoot May.", "incited"),
]

NOT_THREATS = [
    "Black people were among the victims.",
    "Gay people should be able to marry.",
    "Every Muslim I know condemned the attack.",
    "The police killed every gunman.",
    # the terrorism story: violence reported, justice demanded, groups defended
    "The jihadists who killed eleven people must face trial.",
    "The smugglers killed eleven people and should spend their lives in prison.",
    "Muslims are welcome here; the killers do not speak for them.",
    "Eleven people were killed at the border post.",
    "The attackers should be arrested and tried.",
    "I hope they catch the killers soon.",
    "He was shot twice and died in hospital.",
    "Jihadists want to kill us all, the minister said.",
    "Police shot the gunman.",
    "Lock them up.",
    # figures of speech
    "We should kill the bill.",
    "I will shoot a video of the rally.",
    "We'll beat them in the next election.",
    "The government must cut taxes.",
    "Kill the noise, read the report.",
    "The gunmen should hang their heads in shame.",
    "You should die laughing at this one.",
    "I will kill for a cup of coffee.",
    "You should hang out with us after the meeting.",
    "The only good thing about this is the dead end road.",
    "The only good news is that the dead were identified quickly.",
    "The only good part is dead simple: read the report.",
    "The only good idea here is dead in the water.",
    "Wipe the table before you serve.",
    "The floods wiped the village off the map.",
    "The new drug could eradicate the disease.",
    "We must eradicate poverty in the region.",
    # named people in civil comments and reports
    "Karimi was killed at the border post.",
    "The Minister said he will kill the bill.",
    "We'll beat Smith in the next election.",
    "The mayor should resign.",
    "We will teach them a lesson at the ballot box.",
    "Skin Diamond really was the best in the business.",
    "I know where Karimi stands on the budget.",
    "We'll hang Christmas lights on the bridge.",
    "I'm going to shoot Jenny's wedding next week.",
]


@pytest.mark.parametrize("text, kind", THREATS)
def test_a_threat_is_found_with_its_words(text, kind):
    found = find_threats(text)
    assert [t.kind for t in found][:1] == [kind]
    assert all(0 <= t.start < t.end <= len(text) for t in found)


@pytest.mark.parametrize("text", NOT_THREATS)
def test_violence_reported_and_figures_of_speech_are_not_threats(text):
    assert find_threats(text) == ()


def _ctx(text):
    return CommentContext(text=text, article_title="Eleven killed as jihadists attack border post",
                          article_body="Police said smugglers brought the weapons across the border.",
                          byline="Jane Reporter")


def test_the_abuse_check_holds_a_threat_for_a_moderator_with_the_words_marked():
    hold = {r.name: r for r in rules.BUILT_IN}["abuse"]
    result = calibrated(AbuseCheck().score(_ctx("You deserve to be shot.")))
    assert hold.hold <= result.score < hold.remove  # held, never removed on a match alone
    assert result.score == pytest.approx(THREAT_PROBABILITY, abs=0.01)
    assert result.labels["threat"] >= THREAT_PROBABILITY
    assert ("threat", "You deserve to be shot") in {(s.label, "You deserve to be shot."[s.start:s.end].strip(" .")) for s in result.spans}
    assert result.details["threats"] == [{"kind": "deserved", "words": "You deserve to be shot"}]


def test_a_civil_comment_on_the_attack_gets_no_threat_floor():
    result = calibrated(AbuseCheck().score(_ctx("The jihadists who killed eleven people must face trial.")))
    assert "threats" not in result.details and result.score < 0.5


@pytest.mark.parametrize("text, at_group", [("Muslims should be exterminated.", True),
                                             ("The only good jihadist is a dead one.", True),
                                             ("We will kill every Muslim in this town.", True),
                                             ("Someone should shoot Karimi.", False),
                                             ("I will find you and kill you.", False),
                                             ("The author should be hanged for this article.", False)])
def test_a_threat_says_whether_it_is_aimed_at_a_group(text, at_group):
    assert [t.at_group for t in find_threats(text)][:1] == [at_group]


def test_the_attack_check_holds_a_threat_at_a_person_but_leaves_one_at_a_group_to_abuse():
    hold = {r.name: r for r in rules.BUILT_IN}["attack"]
    person = calibrated(AttackCheck().score(_ctx("Somebody should teach Jane Reporter a lesson she won't forget.")))
    assert hold.hold <= person.score < hold.remove
    assert person.details["threats"][0]["kind"] == "veiled"
    assert any(s.label == "threat" for s in person.spans)
    group = calibrated(AttackCheck().score(_ctx("Muslims should be exterminated.")))
    assert "threats" not in group.details


@pytest.mark.parametrize("text", ['He wrote "someone should shoot Karimi" and that is disgusting.',
                                  'Saying "I hope Dan Brown dies" is vile.'])
def test_a_condemned_threat_is_set_aside_by_the_attack_check_as_by_the_abuse_check(text):
    ctx = _ctx(text)
    for check in (AbuseCheck(), AttackCheck()):
        result = check.score(ctx)
        assert "threats" not in result.details, check.rule
        assert result.details["counter_speech"], check.rule
