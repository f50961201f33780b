"""Templates and fillers of the personal-attack functional suite (in the style of HateCheck): the
training part, which may be trained on.

Every functionality has a handful of templates; each template is marked ``train`` or ``heldout``
(the split is by template, never by row) and is filled with the people of its own split: held-out
templates use commenters, journalists and people in the story that no training row names, so a
model cannot pass the diagnostic by remembering a name or a sentence frame. The held-out templates
and people are in ``heldout.py`` and are added to the names below at the end of this file; that
file is the diagnostic, so do not open it to improve the checks (see README.md).

Placeholders: ``{addr}`` a commenter addressed ("@name, " or nothing: a reply to them),
``{user}`` the commenter's name, ``{a}`` the journalist (byline or "the author"), ``{p}`` the
person in the story (name or role + surname), ``{d}`` that person's decision, ``{g}`` a group or
class of commenters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from remarks_training.attack_suite import heldout

TARGETS = ("commenter", "author", "story_person", "group", "none")


@dataclass(frozen=True)
class Person:
    name: str
    short: str  # role + surname, as a commenter would write it
    decision: str  # "cutting the night bus routes"
    title: str  # the story they are in
    body: str


@dataclass(frozen=True)
class Functionality:
    name: str
    attack: int  # 1: a personal attack the policy removes; 0: not one
    target: str  # one of TARGETS
    description: str
    templates: tuple[tuple[str, str], ...]  # (template, "train" | "heldout")
    abuse: int | None = None  # 1 where the text is obscene without attacking anyone


def _t(train: list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((t, "train") for t in train)


# ---- fillers, by split ------------------------------------------------------------------------

USERS = {
    "train": ("jmarsh", "northside_dan", "PatriotMom1776", "kwilliams", "the_real_ed", "LakeviewResident"),
    "heldout": heldout.USERS,
}
JOURNALISTS = {
    "train": ("Priya Raman", "Tom Whitlock", "Grace Holloway", "Daniel Osei", "the author"),
    "heldout": heldout.JOURNALISTS,
}
GROUPS = {
    "train": ("everyone commenting here", "the people in this comment section", "you lefties on this thread",
              "the usual crowd on these comments", "the trolls in this thread"),
    "heldout": heldout.GROUPS,
}
PEOPLE = {
    "train": (
        Person("Linda Okafor", "Mayor Okafor", "cutting the night bus routes",
               "Council votes to cut night bus routes",
               "Mayor Linda Okafor said the city could no longer afford buses after midnight. The council voted 7-4 "
               "to end six night routes from March. Shift workers say they will have no way home."),
        Person("Gregory Baines", "Minister Baines", "closing the maternity ward at St Anne's",
               "Health minister confirms St Anne's maternity ward will close",
               "Health Minister Gregory Baines confirmed the maternity ward at St Anne's hospital will close in June. "
               "Expectant mothers will be sent to the regional hospital 40 km away. Midwives have called a protest."),
        Person("Rachel Kim", "Superintendent Kim", "moving the start of the school day to 9:30",
               "Schools to start at 9:30 from next year",
               "Superintendent Rachel Kim announced that every public school will start at 9:30 next year. "
               "She cited research on teenagers' sleep. Parents who work early shifts say they were not consulted."),
        Person("Victor Hale", "Chief Hale", "ending foot patrols downtown",
               "Police chief ends downtown foot patrols",
               "Police Chief Victor Hale is moving the downtown foot patrol officers to cars. He says response "
               "times will improve. Shop owners fear more break-ins."),
        Person("Sandra Petrov", "Ms Petrov", "raising water bills by 12 percent",
               "Northgate Water to raise bills 12 percent",
               "Northgate Water chief executive Sandra Petrov said bills will rise 12 percent to pay for new pipes. "
               "The company reported record profits last year. The regulator is reviewing the increase."),
        Person("Ahmed Rahimi", "Coach Rahimi", "benching the team captain",
               "City FC coach benches captain before derby",
               "City FC coach Ahmed Rahimi left captain Joel Mendes on the bench for Saturday's derby. City lost 3-0. "
               "Rahimi said the decision was about fitness, not discipline."),
    ),
    "heldout": tuple(Person(*p) for p in heldout.PEOPLE),
}
PARENTS = (  # what the attacked commenter had written (the comment being replied to)
    "I think the council made the right call here, the numbers don't add up otherwise.",
    "Honestly this is the best news this city has had in years.",
    "Nobody forced anyone to live that far from work.",
    "If you read past the headline, the plan is not as bad as people say.",
)

# ---- functionalities --------------------------------------------------------------------------

_TRAIN: tuple[Functionality, ...] = (
    # -- attacks ---------------------------------------------------------------------------------
    Functionality("insult_commenter", 1, "commenter", "a fellow commenter insulted", _t(
        ["{addr}you are a complete idiot.", "{addr}you're too stupid to understand the article.",
         "{addr}what a moron you are.", "{addr}you are a pathetic little troll.",
         "{addr}you're a liar and everyone here knows it."])),
    Functionality("insult_author", 1, "author", "the journalist insulted", _t(
        ["{a} is a hack who should never have been given a byline.", "{a} is an idiot.",
         "What an incompetent fool {a} is.", "{a} is a lying propagandist."])),
    Functionality("insult_person", 1, "story_person", "a person named in the story insulted", _t(
        ["{p} is a corrupt crook.", "{p} is an absolute idiot.", "What a spineless coward {p} is.",
         "{p} is a disgusting liar."])),
    Functionality("insult_group", 1, "group", "a group or class of commenters insulted", _t(
        ["{g} are a bunch of idiots.", "Honestly, {g} are the dumbest people on the internet.",
         "{g} are pathetic losers with nothing better to do.", "I've never seen so many morons as {g}."])),
    Functionality("mockery_commenter", 1, "commenter", "a commenter mocked or taunted, no swear words", _t(
        ["{addr}did your mommy help you type that?", "{addr}aww, somebody skipped their nap today.",
         "{addr}cry harder, it's funny.", "{addr}bless your heart, reading is hard for some people.",
         "{addr}you must be the life of every party, said no one ever."])),
    Functionality("mockery_author", 1, "author", "the journalist mocked, no swear words", _t(
        ["Did {a} write this with crayons?", "{a} must have slept through journalism school.",
         "Someone give {a} a dictionary and a nap.", "Who let {a} near a keyboard again?"])),
    Functionality("mockery_person", 1, "story_person", "a person in the story mocked, no swear words", _t(
        ["{p} couldn't run a lemonade stand.", "Does {p} need help tying shoelaces too?",
         "{p} should go back to kindergarten.", "Somebody check whether {p} can count to ten."])),
    Functionality("dehumanise_person", 1, "story_person", "a person in the story dehumanised", _t(
        ["{p} is a parasite.", "{p} is vermin and should be treated like it.", "{p} is a snake, nothing more."])),
    Functionality("obfuscated_commenter", 1, "commenter", "a commenter insulted with disguised spelling", _t(
        ["{addr}you are an 1d10t.", "{addr}you're a m0r0n.", "{addr}what a st*pid thing to be, a st*pid person."])),
    Functionality("threat_person", 1, "story_person", "a person in the story threatened", _t(
        ["Someone should teach {p} a lesson they won't forget.", "{p} had better watch their back."])),
    # -- not attacks -----------------------------------------------------------------------------
    Functionality("civil_commenter", 0, "commenter", "a commenter disagreed with, civilly", _t(
        ["{addr}I disagree; the figures in the article say otherwise.", "{addr}that's not what the report says.",
         "{addr}you make a fair point, but the cost matters too.", "{addr}I see it differently, and here's why: "
         "the routes were already half empty.", "{addr}do you have a source for that?"])),
    Functionality("civil_author", 0, "author", "the journalist's work criticised, civilly", _t(
        ["{a} left out the cost figures; the article is one-sided.", "I wish {a} had asked the other side.",
         "{a} gets the dates wrong in the third paragraph.", "This piece by {a} reads more like an opinion column."])),
    Functionality("civil_person", 0, "story_person", "the person's decision criticised, not the person", _t(
        ["{p} is wrong about {d}.", "{d} is a mistake, and {p} should reverse it.",
         "I voted for {p}, but {d} was a bad call.", "{p} has not explained {d} properly.",
         "{d} will hurt the people who can least afford it."])),
    Functionality("civil_group", 0, "group", "a group of commenters disagreed with, civilly", _t(
        ["I disagree with {g}, but it's a fair debate.", "Most of {g} seem to miss the point about the cost.",
         "{g} make some good arguments today."])),
    Functionality("negation_commenter", 0, "commenter", "an insult of a commenter negated", _t(
        ["{addr}you're not an idiot, you're just misinformed.", "I don't think @{user} is stupid at all.",
         "@{user} is no troll; they argue in good faith."])),
    Functionality("negation_person", 0, "story_person", "an insult of a person in the story negated", _t(
        ["{p} is not an idiot, whatever people here say.", "{p} is no crook; the audit cleared everything.",
         "I don't believe {p} is a liar."])),
    Functionality("counter_quote", 0, "none", "an insult quoted to condemn it", _t(
        ["Calling {p} a traitor is vile.", "Writing \"{a} is an idiot\" is not an argument.",
         "Whoever called @{user} a moron should apologise.", "Saying \"{p} is vermin\" crosses a line."])),
    Functionality("counter_ref", 0, "none", "insults referred to, to object to them", _t(
        ["The comments calling {p} a crook are out of line.", "Why do people here keep insulting {a}?",
         "Attacking @{user} personally instead of their argument is cheap.",
         "Name-calling {p} won't fix {d}."])),
    Functionality("quote_report", 0, "none", "someone else's insult reported as news", _t(
        ["According to the article, protesters called {p} a liar.", "{p} was booed and called a coward at the meeting.",
         "The union leader called the plan \"idiotic\", the story says."])),
    Functionality("object_insult", 0, "none", "things insulted, not people", _t(
        ["This plan is idiotic.", "What a pathetic excuse for a budget.", "{d} is the dumbest policy I've seen.",
         "The new timetable is a stupid mess.", "This headline is moronic clickbait.", "What a clown show of a meeting.",
         "{d} is a disgusting waste of money."])),
    Functionality("self_deprecation", 0, "none", "the writer insults themself", _t(
        ["I'm an idiot, I misread the figures.", "Call me a fool, but I believed the first estimate.",
         "What a moron I was to trust the forecast.", "I feel like a complete idiot for renewing my pass.",
         "Silly me, I expected a straight answer."])),
    Functionality("praise", 0, "story_person", "a person praised", _t(
        ["{p} handled this brilliantly.", "Credit to {p} for explaining {d} so clearly.", "{a} wrote a fine article."])),
    Functionality("profanity_no_target", 0, "none", "obscene words aimed at no one (abuse, not attack)", _t(
        ["Damn, these fares are bloody ridiculous.", "Holy shit, twelve percent?", "What the hell happened to this city.",
         "This is a fucking disgrace of a budget.", "{d}? Are you shitting me?"]), abuse=1),
)

# each functionality's templates: its training ones above, then its held-out ones from heldout.py
FUNCTIONALITIES: tuple[Functionality, ...] = tuple(
    replace(f, templates=f.templates + tuple((t, "heldout") for t in heldout.TEMPLATES[f.name])) for f in _TRAIN)
