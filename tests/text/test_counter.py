"""Counter-speech: words quoted or referred to in order to condemn them are set aside; agreeing with
them, or quoting an obscenity, is read as before."""

import pytest

from remarks.checks.abuse import AbuseCheck, read_text
from remarks.checks.attack import AttackCheck
from remarks.checks.base import CommentContext
from remarks.text.counter import find_mentions, find_set_aside, set_aside

CONDEMNED = [
    ('People saying "all Muslims are terrorists" should be ashamed.', "all Muslims are terrorists", "quote"),
    ("Stop calling refugees vermin.", "refugees vermin", "reference"),
    ("Saying that all Muslims are terrorists is racist.", "all Muslims are terrorists", "reference"),
    ("People who say Muslims are scum are the problem.", "Muslims are scum", "reference"),
    ("People who say Muslims are scum are bigots.", "Muslims are scum", "reference"),
    ("I'm sick of hearing that refugees are criminals.", "refugees are criminals", "reference"),
    ("How can anyone say Kurds are animals?", "Kurds are animals", "reference"),
    ("It is not okay to call them animals.", "them animals", "reference"),
    ('He wrote "kill all the Kurds" and that is disgusting.', "kill all the Kurds", "quote"),
    ("\u201cRefugees are rapists\u201d \u2013 what a vile thing to print.", "Refugees are rapists", "quote"),
    ("Someone posted 'the Jews are behind this' and it is antisemitic nonsense.", "the Jews are behind this", "quote"),
    # frames that condemn by themselves, when what they refer to is hateful
    ("Don't call them vermin.", "them vermin", "reference"),
    ("You can't say that all Muslims are terrorists.", "all Muslims are terrorists", "reference"),
    ("Never call refugees criminals, they fled a war.", "refugees criminals", "reference"),
    ("I can't believe you said Kurds are animals.", "Kurds are animals", "reference"),
    ("There is no excuse for calling refugees vermin.", "refugees vermin", "reference"),
    ("I lost all respect for you when you said Muslims are terrorists.", "Muslims are terrorists", "reference"),
    ("Shame on him for calling them rats.", "them rats", "reference"),
]

NOT_CONDEMNED = [
    '"Muslims are vermin" is exactly right, I agree.',  # quoted to agree
    'Saying "Muslims are vermin" is not wrong.',  # condemnation denied
    "Calling them animals isn't racist, it's accurate.",
    'The gunman shouted "death to the infidels" before opening fire.',  # reported, not condemned
    'Calling the reporter a "fucking whore" is disgusting.',  # an obscenity is never set aside
    "Stop calling her a c*nt.",  # ... however it is spelt
    "Muslims are vermin and should be driven out.",
    "You are wrong about the budget.",
    # the same frames in everyday use, or around words the comment says itself
    "Don't call me back about the budget.",
    "I can't say I'm surprised by the inquiry.",
    "Don't say I didn't warn you, moron.",
    "Don't call them refugees, call them invaders.",
    "You can't call them anything but animals.",
    'The minister said "we will cut the night buses" and I think that is wrong.',  # one word: fine either way
]


@pytest.mark.parametrize(("text", "words", "kind"), CONDEMNED)
def test_condemned_mentions_are_found(text, words, kind):
    found = [m for m in find_mentions(text) if m.kind != "condemnation"]
    assert [(m.text(text), m.kind) for m in found] == [(words, kind)]


@pytest.mark.parametrize(("text", "said_of_words"), [
    ("Saying that all Muslims are terrorists is racist.", ["is racist"]),
    ("It is not okay to call them animals.", ["It is not okay"]),
    ("Calling the reporter a lying idiot is disgusting.", ["is disgusting"]),
    ("People who say Muslims are scum are bigots.", []),  # said of people: it counts
    ("The so-called 'investigative reporter' is a disgrace.", []),  # a quoted label for a person
])
def test_a_condemnation_said_of_words_is_set_aside_one_said_of_people_is_not(text, said_of_words):
    assert [m.text(text) for m in find_mentions(text) if m.kind == "condemnation"] == said_of_words


@pytest.mark.parametrize("text", NOT_CONDEMNED[:-1])
def test_agreement_obscenity_and_plain_hate_are_not_set_aside(text):
    assert find_mentions(text) == []


def test_set_aside_keeps_length_and_the_rest_of_the_text():
    text = "Stop calling refugees vermin, it is cruel."
    out = set_aside(text, find_mentions(text))
    assert len(out) == len(text)
    assert "vermin" not in out and "refugees" not in out
    assert " ".join(out.split()) == "Stop calling that, it is cruel."


def test_the_abuse_check_scores_what_the_commenter_says():
    check = AbuseCheck()
    quoted = 'People saying "Muslims are vermin and parasites" should be ashamed of themselves.'
    said = "Muslims are vermin and parasites."
    q, s = check.score(CommentContext(text=quoted)), check.score(CommentContext(text=said))
    assert q.score < s.score
    assert [sp for sp in q.spans if sp.label == "quoted, not counted"] and q.details["counter_speech"][0]["kind"] == "quote"
    assert "vermin" not in " ".join(q.details["matched"])  # the set-aside words are not evidence against it
    assert not [sp for sp in s.spans if sp.label.endswith("not counted")]


def test_a_condemned_threat_does_not_set_the_floor():
    check = AbuseCheck()
    condemned = check.score(CommentContext(text='He wrote "we will kill every one of them" and that is disgusting.'))
    meant = check.score(CommentContext(text="We will kill every one of them."))
    assert "threats" in meant.details
    assert meant.floor > 0
    assert "threats" not in condemned.details and condemned.floor == 0


def test_the_attack_check_reads_the_same_text():
    ctx = CommentContext(text="Stop calling the reporter a lying idiot, she did her job.", byline="Jane Doe")
    result = AttackCheck().score(ctx)
    assert result.details["counter_speech"] == [{"kind": "reference", "words": "the reporter a lying idiot"}]
    assert read_text(ctx.text) != ctx.text


NEGATED = [
    ("Muslims are not terrorists.", "not terrorists"),  # read as "Muslims are fine."
    ("You're not an idiot, you just read it too fast.", "not an idiot"),
    ("The reporter is not a liar; the figures are in the report.", "not a liar"),
    ("Refugees aren\u2019t criminals.", "criminals"),
]
NOT_NEGATED = [
    "You're not just stupid but dangerous.",  # goes on to something worse
    "They are not idiots, but they are liars.",
    "Muslims are terrorists.",
    "You are not stupid enough to believe that.",
]


@pytest.mark.parametrize(("text", "word"), NEGATED)
def test_negated_insults_are_set_aside(text, word):
    found = find_set_aside(text)
    assert [(m.text(text), m.kind) for m in found] == [(word, "negated")]


@pytest.mark.parametrize("text", NOT_NEGATED)
def test_insults_that_are_not_negated_stay(text):
    assert [m for m in find_set_aside(text) if m.kind == "negated"] == []


def test_a_negated_insult_scores_below_the_insult():
    check = AbuseCheck()
    said, negated = (check.score(CommentContext(text=t)).score for t in ("Muslims are vermin.", "Muslims are not vermin."))
    assert negated < said


def test_short_civil_sentences_about_a_group_are_mostly_published():
    # Sentence frames written for this test, never trained on, filled with every group of the seed data.
    # Before the written "{group} are ..." sentences (civil and hateful) were trained on, 41 % scored 0.65 or more
    # (21 % after); of eight hateful frames written the same way, 46 % before and after.
    from remarks.moderation import rules
    from remarks_training.seed import GROUPS

    hold = {r.name: r for r in rules.BUILT_IN}["abuse"].hold
    frames = ["{g} are here.", "{g} are people.", "{g} are part of this city.", "{g} are voters too.",
              "{g} are different from each other.", "{g} live on my street."]
    scores = [r.score for r in AbuseCheck().score_batch([CommentContext(text=f.format(g=g))
                                                          for f in frames for g in GROUPS])]
    assert sum(s >= hold for s in scores) / len(scores) < 0.25
    assert sum(scores) / len(scores) < 0.55  # 0.61 before, 0.50 after


PERPETRATORS = [
    ("The vast majority of Muslims condemn these terrorists.", "terrorists"),
    ("Not every Muslim should be blamed for what a few murderers did.", "murderers"),
    ("Muslims should not pay for the crimes of a handful of terrorists.", "terrorists"),
    ("It is wrong to punish refugees for what a small number of criminals did.", "criminals"),
]
NOT_PERPETRATORS = [
    "Muslims are the terrorists.",  # said of a group
    "They are all just terrorists.",
    "You killers should rot.",
    "Those filthy terrorists.",  # described: the insult stays
    "Muslims are terrorists.",
]


@pytest.mark.parametrize(("text", "word"), PERPETRATORS)
def test_the_perpetrators_named_as_such_are_read_as_people(text, word):
    found = find_set_aside(text)
    assert [(m.text(text), m.kind) for m in found] == [(word, "perpetrators")]
    assert word not in read_text(text) and "people" in read_text(text)


@pytest.mark.parametrize("text", NOT_PERPETRATORS)
def test_crime_words_said_of_someone_stay(text):
    assert [m for m in find_set_aside(text) if m.kind == "perpetrators"] == []


def test_civil_comments_defending_a_group_against_the_attackers_are_published():
    # Written for this test (a story about a terrorist attack); before the perpetrators were set aside, 5 of
    # these 8 were held for abuse.
    from remarks.ml import calibration
    from remarks.moderation import rules

    texts = [t for t, _ in PERPETRATORS] + [
        "Most Muslims are as horrified by these murderers as anyone else.",
        "The actions of a few extremists do not define a religion of a billion people.",
        "A few killers do not speak for all Muslims.",
        "Don't blame all immigrants for a few smugglers.",
    ]
    check = AbuseCheck()
    ctxs = [CommentContext(text=t, article_title="Inquiry opens into border attack that killed eleven",
                           article_body="Eleven people were killed by jihadists at the border.") for t in texts]
    scores = calibration.apply("abuse", [r.score for r in check.score_batch(ctxs)], check.version)
    assert max(scores) < rules.get("abuse").hold
    hateful = check.score(CommentContext(text="Muslims are the terrorists, all of them.")).score
    assert float(calibration.apply("abuse", [hateful], check.version)[0]) >= rules.get("abuse").hold


@pytest.mark.parametrize("text", ["Not all Muslims are terrorists.", "Not every refugee is a criminal.",
                                  "Not all of them are terrorists, most came here to work."])
def test_a_denied_generalisation_is_set_aside_and_read_as_civil(text):
    assert [m.kind for m in find_set_aside(text)] == ["negated"]
    assert AbuseCheck().score(CommentContext(text=text)).details["counter_speech"][0]["kind"] == "negated"
    assert "terrorist" not in read_text(text) and "criminal" not in read_text(text)


def test_a_denied_generalisation_that_turns_on_but_is_read_as_written():
    text = "Not all Muslims are terrorists, but most terrorists are Muslims."
    assert find_set_aside(text) == []
