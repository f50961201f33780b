"""Written counter-speech (Apache-2.0, written for this repository; read by :mod:`remarks_training.seed_attacks`).

Each idea is a hateful or insulting statement alone (abusive) and a comment that quotes it or refers to it
in order to reject it (clean for abuse and attack alike): the words are the same, the framing decides.
Written from the issue's description, not copied from HateCheck's counter-speech cases.
"""

# ---- counter-speech: (the statement alone, abusive; a comment rejecting it, clean) ----
# {g}: a group. The statements are hate against a group: abuse, not a personal attack.
COUNTER_GROUP = (
    ("{g} are all criminals.", "Saying that all {g} are criminals is bigotry and it has no place here."),
    ("{g} are a cancer on this country.",
     "Someone upthread wrote that {g} are a cancer on this country. That is disgusting, and the moderators should "
     "remove it."),
    ("{g} should not be allowed to live among us.",
     "I can't believe people still think {g} should not be allowed to live among us. It's shameful."),
    ("{g} are dirty and lazy.", "My grandfather used to say {g} were dirty and lazy. He was wrong, and I told him so."),
    ("Send every one of the {g} back, they ruin everything.",
     "The sign at the rally said to send every one of the {g} back. That isn't patriotism, it's hate."),
    ("{g} are a disease.", "Comparing {g} to a disease is how persecution starts. We should all call it out."),
    ("{g} are too stupid to vote.",
     "The claim that {g} are too stupid to vote is an old prejudice dressed up as an opinion."),
    ("No decent person would ever hire {g}.",
     "If you think no decent person would hire {g}, you need to meet more people. That view is prejudice, plain and "
     "simple."),
    ("{g} are born liars.", "'{g} are born liars.' A line like that tells us about the writer, not about {g}."),
    ("{g} are animals.", "When a politician calls {g} animals, he is giving permission for worse. Don't repeat it."),
    ("{g} don't deserve human rights.",
     "The idea that {g} don't deserve human rights should horrify everyone reading this."),
    ("{g} should be kept out of our schools.",
     "Some parents demanded that {g} be kept out of our schools. The head teacher rightly refused."),
    ("{g} are a threat to our children.",
     "Posters claiming {g} are a threat to our children went up near the school. Police are treating them as a hate "
     "incident, which is right."),
    ("{g} bring disease wherever they go.",
     "Telling people that {g} bring disease wherever they go is a lie with a long and ugly history."),
    ("I would never let {g} into my house.",
     "A neighbour told me he would never let {g} into his house. I stopped talking to him; I won't stand for that."),
    ("{g} are worthless.",
     "Nobody is worthless, and that includes {g}. Whoever wrote otherwise above should be ashamed."),
    ("{g} can't be trusted around kids.",
     "The rumour that {g} can't be trusted around kids has been debunked many times; spreading it is cruel."),
    ("{g} are freaks.", "Kids at my son's school call {g} freaks. We need to teach them better, not shrug it off."),
    ("{g} are nothing but trouble.",
     "Hearing that {g} are nothing but trouble, from a councillor of all people, is deeply disappointing."),
    ("Get these {g} out of our country.",
     "The crowd chanted 'get these {g} out of our country'. Every decent person should condemn that."),
    ("{g} are a burden and a waste of space.",
     "Calling {g} a burden and a waste of space is cruel, and the figures don't back it up anyway."),
    ("{g} are sick in the head.",
     "Anyone claiming {g} are sick in the head is spreading prejudice, and this paper shouldn't print letters like "
     "that."),
    ("{g} are to blame for everything wrong here.",
     "Blaming {g} for everything wrong here is scapegoating, the oldest trick there is."),
    ("We don't want {g} in this town.",
     "Graffiti saying 'we don't want {g} in this town' appeared on the library wall. Good on the volunteers who "
     "scrubbed it off."),
    ("{g} are inferior.", "No, {g} are not inferior, and I can't believe that still needs saying."),
    ("{g} are evil, every last one of them.",
     "Writing that {g} are evil, every last one of them, is exactly the kind of hate the article describes."),
    ("Honestly, {g} make me sick.", "People who say {g} make them sick should take a hard look at themselves."),
    ("{g} are a stain on this country.",
     "I've reported the comment calling {g} a stain on this country. Please do the same."),
    ("{g} should be banned from public office.",
     "Arguing that {g} should be banned from public office is discrimination, full stop."),
    ("{g} are not welcome here, never were, never will be.",
     "To whoever wrote that {g} are not welcome here: you don't speak for this town."),
    ("{g} are a drain on society and always will be.",
     "My uncle posted that {g} are a drain on society and always will be. I replied with the employment figures and "
     "asked him to take it down. Hateful nonsense like that hurts real neighbours."),
    ("{g} are less intelligent, that's just biology.",
     "\"That's just biology\" is what people said to justify treating {g} as less intelligent. It was never science, "
     "only prejudice."),
    ("{g} should be rounded up and sent away.",
     "I'm shocked the letters page printed a reader saying {g} should be rounded up and sent away. Would you print "
     "that about anyone else? Take it down."),
    ("{g} are all the same, dangerous and dishonest.",
     "Whenever someone tells me {g} are all the same, dangerous and dishonest, I ask if they've actually met any. "
     "Usually they haven't."),
    ("Frankly {g} disgust me.",
     "A man on the bus said {g} disgusted him, loudly, in front of a family. Nobody said anything. Next time I will."),
)

# Insults of a person (an attack), and a comment objecting to them. {p} a person in the story, {j} the journalist.
COUNTER_PERSON = (
    ("{p} is a pathetic liar.", "Some comments here call {p} a pathetic liar. You can oppose the policy without that."),
    ("{j} is a talentless fraud.",
     "Whoever keeps calling {j} a talentless fraud: disagree with the article by all means, but leave the insults "
     "out."),
    ("You're a brainless sheep.", "Replying 'you're a brainless sheep' to everyone who disagrees isn't debate."),
    ("{p} is a useless old fool.", "I've seen {p} called a useless old fool all week. Ageism isn't an argument."),
    ("{p} looks like a bloated toad.",
     "Mocking how {p} looks is beneath this comment section; the policy is what matters."),
    ("{j} is an ignorant hack.", "The replies calling {j} an ignorant hack are unfair; the article is well sourced."),
    ("{p} is a traitor who should be ashamed to show their face.",
     "Describing {p} as a traitor who should be ashamed to show their face is over the top for a planning decision."),
    ("You're too thick to understand any of this.",
     "Telling someone they're too thick to understand this won't change their mind."),
    ("{p} is a spineless worm.",
     "Comments calling {p} a spineless worm are why sensible people stop reading these threads."),
    ("{p} is an embarrassment to the human race.",
     "{p} is not 'an embarrassment to the human race'. That's a ridiculous thing to say about anyone over a zoning "
     "vote."),
    ("{j} is a paid liar.", "Suggesting {j} is a paid liar, with no evidence at all, is a smear."),
    ("Shut up, nobody wants to hear from a loser like you.",
     "Telling other commenters to shut up and calling them losers gets us nowhere."),
    ("{p} is dumber than a box of rocks.",
     "I don't like {p}'s plan either, but the 'dumber than a box of rocks' comments are childish."),
    ("{p} is a greedy pig.",
     "The placards calling {p} a greedy pig didn't help the protest; the facts were strong enough."),
    ("You clearly have the brain of a child.",
     "Saying someone has the brain of a child because they disagree with you is not an argument."),
    ("{p} is a lying weasel.",
     "I get that people are angry with {p}, but 'lying weasel' isn't a criticism of the policy. Stick to what they "
     "did."),
    ("You're an idiot, a total waste of oxygen.",
     "Calling another commenter a waste of oxygen because they like the plan is exactly why people stop commenting "
     "here."),
    ("{j} is a brainless stooge of the council.",
     "Readers calling {j} a brainless stooge of the council should read the whole article; it criticises the council "
     "twice."),
)
