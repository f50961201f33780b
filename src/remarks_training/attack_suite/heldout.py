"""The held-out diagnostic of the personal-attack suite: its templates and the people they are filled with.

Never train on it, tune on it, write patterns or word lists from it, or pick thresholds with it; the same
goes for the rows it generates (``cases_heldout.jsonl``, ``attack_suite.cases("heldout")``). Engineers
improving the checks should not open this file: the templates that may be trained on are in
``templates.py``. A check that has seen these sentences or names tells us nothing on this part.

``templates.py`` adds these templates (after its training ones) to each functionality and these people
to the ``"heldout"`` fillers; the placeholders are the ones described there.
"""

USERS = ("sbrennan", "Tim_R", "oldtimer42", "marie.lu")
JOURNALISTS = ("Helen Marsh", "Marco Bellini", "this reporter")
GROUPS = ("all of you upvoting this", "the regulars on this site", "you right-wingers in the comments")
PEOPLE = (  # name, short, decision, title, body: the fields of templates.Person
    ("Karen Doyle", "Minister Doyle", "freezing public sector pay",
     "Finance minister freezes public sector pay",
     "Finance Minister Karen Doyle announced a two-year freeze on public sector pay. Nurses' and "
     "teachers' unions called the decision a betrayal. Doyle said the deficit left no choice."),
    ("Paul Mbeki", "President Mbeki", "doubling tuition for international students",
     "University doubles fees for international students",
     "University president Paul Mbeki said fees for international students will double from September. "
     "Student groups say hundreds will have to leave. The university faces a budget gap."),
    ("Eleanor Vance", "Judge Vance", "releasing the defendant on bail",
     "Judge grants bail in hit-and-run case",
     "Judge Eleanor Vance released the driver accused in last month's hit-and-run on bail. The victim's "
     "family said they were shocked. The trial is set for spring."),
)

TEMPLATES = {  # functionality name -> its held-out templates (placeholders as in templates.py)
    "insult_commenter": ("{addr}you are a brainless clown.", "{addr}only an imbecile like you could write that."),
    "insult_author": ("{a} is a clueless halfwit.", "Only a moron like {a} could write this garbage."),
    "insult_person": ("{p} is a brain-dead fool.", "Only a clown like {p} could be this incompetent."),
    "insult_group": ("{g} are brainless sheep.", "What a collection of clowns {g} are."),
    "mockery_commenter": ("{addr}keep going, every comment you write makes you look sillier.",
        "{addr}did you get your degree out of a cereal box?"),
    "mockery_author": ("{a} couldn't report the weather without getting it wrong.",
        "I assume {a} was paid by the adjective."),
    "mockery_person": ("{p} has the brains of a houseplant.", "Even a goldfish would make better decisions than {p}."),
    "dehumanise_person": ("{p} is a leech on this city.", "{p} is a rat."),
    "obfuscated_commenter": ("{addr}you absolute i d i o t.", "{addr}you're such a m-o-r-o-n."),
    "threat_person": ("I hope somebody finds out where {p} lives.",),
    "civil_commenter": ("{addr}respectfully, I think you have the numbers wrong.",
        "{addr}I used to think that too, until I read the audit."),
    "civil_author": ("{a} should have quoted the audit directly.", "A weak article; {a} relies on a single source."),
    "civil_person": ("{p} should resign over {d}.", "{d} shows {p} did not listen to anyone affected."),
    "civil_group": ("{g} have changed my mind on this one.", "I can't agree with {g} on this."),
    "negation_commenter": ("{addr}nobody here thinks you're a moron.", "@{user} is not a liar, just wrong on this."),
    "negation_person": ("Say what you like, {p} is not a fool.", "{p} is hardly a coward for making a hard choice."),
    "counter_quote": ("\"{p} is a rat\" is not a comment anyone should make here.",
        "Calling @{user} a clown adds nothing to this debate."),
    "counter_ref": ("The insults thrown at {a} in this thread are embarrassing.",
        "Mocking {p} is easier than arguing about {d}."),
    "quote_report": ("The article quotes a resident calling {p} a crook.",
        "Critics called {p} clueless, the piece reports."),
    "object_insult": ("This whole proposal is brainless.", "That spreadsheet is a joke.", "{d} is an insane idea.",
        "What a pathetic, spineless report from the committee."),
    "self_deprecation": ("I was a clown to vote for this.", "Stupid me, I thought this was about the bridge.",
        "I'm the fool who believed the brochure."),
    "praise": ("{p} showed real courage here.", "Thanks {a}, a clear and fair report."),
    "profanity_no_target": ("Well, shit. That's the end of that.", "Bloody hell, another cut.",
        "{d} is fucking unbelievable."),
}
