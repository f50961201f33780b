"""Hand-written training examples (Apache-2.0, written for this repository).

The public sets are tweets and Wikipedia talk; they rarely show the two cases a news site
meets every day: civil comments under a terrorism or migration story that name groups and
violence, and dehumanising hate against a group written without a single swear word.
These few templates teach both. They were written from the issue's description, not copied
from HateCheck or the Jigsaw bias templates (which stay evaluation-only).
"""

from __future__ import annotations

from itertools import product

from remarks_training.row import Row

GROUPS = ("Muslims", "Jews", "Kurds", "refugees", "immigrants", "Saudis", "black people", "gay people",
          "women", "Mexicans", "Christians", "Arabs", "trans people", "migrants", "Somalis", "Roma")

HATE = (
    "{g} are vermin and should be driven out",
    "{g} are animals, not people",
    "{g} are a disease on this country",
    "all {g} should be deported, every last one",
    "{g} are parasites living off us",
    "we need to get rid of {g} for good",
    "{g} breed like rats",
    "{g} are subhuman",
    "{g} should be wiped out",
    "no {g} should be allowed to live here",
    "{g} are a plague on decent society",
    "I would happily see every one of the {g} hanged",
)

CIVIL = (
    "The attack killed twelve people, and the jihadists who planned it were Saudis.",
    "Kurdish fighters pushed the militants out of the town after weeks of bombing.",
    "Most Muslims in the city condemned the bombing within hours.",
    "The smugglers packed refugees into boats that were never meant for the open sea.",
    "Islam has over a billion followers; blaming all of them for a few killers makes no sense.",
    "The article says the suicide bomber was radicalised online, not in a mosque.",
    "Refugees fleeing the war deserve a fair hearing under international law.",
    "The police killed the gunman before he could reach the school.",
    "Jihadists have targeted Kurds, Yazidis and other Muslims far more than Westerners.",
    "I lived next to a Saudi family for ten years; kind neighbours.",
    "The bomb went off near the market, killing at least thirty people.",
    "How many of the dead were civilians? The article does not say.",
    "Human smugglers made millions from the migrants who drowned.",
    "Terrorism is a crime, and the courts should treat it as one.",
    "The Kurdish region has held elections despite the war.",
    "My Muslim colleagues were as horrified by the attack as anyone.",
    "Extremists want us to hate each other; let's not give them that.",
    "The jihadist group claimed responsibility for the massacre.",
    "Immigration levels are a fair topic for debate, but this story is about a crime.",
    "The report counts 200 killed in air strikes last month.",
    "Gay people were among the victims of the nightclub shooting.",
    "The article on the refugee camp was well researched.",
    "Black residents say the police response was too slow.",
    "Women in the region have led the protests against the militia.",
    "Jewish and Muslim leaders held a joint vigil for the victims.",
    "The government plans to deport failed asylum seekers, which is legal but harsh.",
    "I disagree with the author about sanctions on Saudi Arabia.",
    "Religious violence has a long history in every faith, including Christianity.",
    "They should kill the bill, it will not stop a single attack.",
    "The shooter was killed by police after a two-hour stand-off.",
)

# Civil sentences that name a group: the model must learn that naming is not abuse.
CIVIL_GROUP = (
    "Many {g} condemned the attack within hours.",
    "{g} have lived in this city for generations.",
    "The article quotes several {g} who lost relatives in the bombing.",
    "Most {g} just want to live in peace.",
    "I work with {g} every day and they are great colleagues.",
    "The survey asked {g} about their experience with the police.",
    "{g} were among the victims of the attack.",
    "The new law affects {g} more than anyone else.",
    "Blaming all {g} for the actions of a few killers is wrong.",
    "The community centre helps {g} find jobs.",
    "Two {g} were elected to the council last year.",
    "The story should have included the views of {g}.",
)

# Hate against a group said without dehumanising words or swearing: exclusion, suspicion, "their nature".
IMPLICIT_HATE = (
    "{g} can't be trusted with anything",
    "{g} are ruining this country and everyone knows it",
    "this town was better before the {g} moved in",
    "{g} should go back where they came from",
    "{g} only understand violence",
    "you can't trust a single one of the {g}",
    "{g} don't belong in a civilised country",
    "keep {g} out of our neighbourhoods",
    "the world would be better off without {g}",
    "{g} should not be allowed to vote",
    "{g} bring nothing here but crime",
    "killing is in the nature of {g}",
)

# What a reader says for a group, or about it in passing: "{g} are ..." said civilly. Without these, every
# "{g} are ..." the model had seen was hate (HATE above), and it read "Muslims are here." as abuse (0.73).
SUPPORT_GROUP = (
    "{g} are welcome here.",
    "{g} are our neighbours and our friends.",
    "{g} are as shocked by the attack as anyone.",
    "{g} are part of this country's history.",
    "{g} are not responsible for what a few killers did.",
    "{g} are the main victims of these militias.",
    "{g} are a big part of the city's workforce.",
    "{g} are asking the police for better protection.",
    "The {g} I know are kind and hard-working.",
    "{g} deserve to feel safe in their own homes.",
    "The killers do not speak for {g}.",
    "I stand with {g} after this attack.",
    # more of the same, short: "{g} are" + an ordinary predicate was still read as hate (2026-12-02)
    "{g} are paying the same taxes as everyone.",
    "{g} are grieving too.",
    "{g} are entitled to the same rights as the rest of us.",
    "{g} are in every profession, from nurses to judges.",
    "{g} are rarely asked what they think.",
    "{g} are just trying to get on with their lives.",
    "{g} are safe in this town.",
    "{g} are free to worship here.",
)

# Personal attacks without obvious swear words, and civil disagreement addressed to someone.
ATTACKS = (
    "You are too stupid to understand the article.",
    "Only a complete fool like you would write this.",
    "The author is a lying hack who should be fired.",
    "You are a pathetic little troll.",
    "Go back to your basement, loser.",
    "Nobody cares what an ignorant clown like you thinks.",
    "This reporter is a disgrace and a liar.",
    "You're an idiot and everyone here knows it.",
    "Shut up, you worthless moron.",
    "What a brain-dead comment, typical of you.",
)
CIVIL_REPLIES = (
    "You make a fair point, but the figures in the article say otherwise.",
    "I think you are wrong about the timeline; the vote was in March.",
    "Thanks for the link, I had not seen that report.",
    "The author makes a good case, though I would add the cost.",
    "Your comment about the budget is spot on.",
    "You might want to read the second half of the story before replying.",
    "I respectfully disagree with you on the sanctions.",
    "Could you explain what you mean by reform?",
    "The reporter did a good job covering a hard story.",
    "You and I agree more than you think.",
)


def seed_rows() -> list[Row]:
    rows = [Row(t.format(g=g), abuse=1, attack=0, source="seed") for t, g in product(HATE, GROUPS)]
    rows += [Row(t, abuse=0, attack=0, source="seed") for t in CIVIL for _ in range(3)]
    rows += [Row(t.format(g=g), abuse=0, attack=0, source="seed") for t, g in product(CIVIL_GROUP, GROUPS)]
    rows += [Row(t, abuse=1, attack=1, source="seed") for t in ATTACKS for _ in range(3)]
    rows += [Row(t, abuse=0, attack=0, source="seed") for t in CIVIL_REPLIES for _ in range(3)]
    return rows


def group_rows(part: str) -> list[Row]:
    """``SUPPORT_GROUP`` (clean) and ``IMPLICIT_HATE`` (abusive) filled with every group (source
    ``seed_groups``), split by template: ``train`` rows are learnt from, ``valid`` rows (every fourth
    template of each, by rule) only measured and calibrated on.
    Kept apart from :func:`seed_rows`, whose rows are split at random with the public sets' rows, so adding
    them leaves that split as it was."""
    if part not in ("train", "valid"):
        raise ValueError(f"part must be train or valid, not {part!r}")
    return [Row(t.format(g=g), abuse=label, attack=0, source="seed_groups")
            for label, templates in ((0, SUPPORT_GROUP), (1, IMPLICIT_HATE))
            for i, t in enumerate(templates) if (i % 4 == 1) == (part == "valid") for g in GROUPS]
