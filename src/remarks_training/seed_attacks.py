"""Written examples of the personal attacks the model missed, and of the civil comments beside them
(Apache-2.0, written for this repository; source ``seed_attacks``).

The public sets teach insults that swear. A news site also sees attacks that never do: a reply that
taunts another commenter ("Did you learn economics from a fortune cookie?"), mockery of the
journalist, ridicule and dehumanising of a person named in the story. Each such comment here comes
with a civil counterpart on the same target (firm, even sharp disagreement with the argument or the
decision, not the person), so what the model learns is the difference, not the topic or the name.

Counter-speech is written the same way (its sentences are in :mod:`remarks_training.seed_counter`): a
hateful or insulting statement alone (abusive), and a comment that quotes or refers to it in order to
reject it (clean for abuse and attack alike), so the model learns that the framing, not the quoted words,
decides.

Written from the issue's description, not copied from HateCheck, the Jigsaw bias templates or the
attack suite (whose held-out people and phrasings no row uses: a test checks it). The split is by
idea: every fifth idea of each kind (an attack and its civil counterparts) is validation only.
"""

from __future__ import annotations

from remarks_training.row import Row
from remarks_training.seed_counter import COUNTER_GROUP, COUNTER_PERSON

SOURCE = "seed_attacks"
# The names the rows are filled with (none of them the attack suite's).
COMMENTERS = ("riverside_jo", "Dave_K", "mtnbiker88", "quietreader", "Ana_from_Eastfield")
JOURNALISTS = ("Nadia Foster", "Owen Pritchard", "Leila Haddad", "Simon Ashcroft")
PEOPLE = (("Brenda Walsh", "Councillor Walsh"), ("Martin Oyelaran", "Director Oyelaran"),
          ("Diane Kowalski", "Governor Kowalski"), ("Raj Patel", "Chairman Patel"),
          ("Fiona Grant", "Dr Grant"), ("Gareth Lund", "Mayor Lund"))
GROUPS = ("Muslims", "immigrants", "women", "gay people", "trans people", "black people", "refugees", "Jews",
          "disabled people", "Roma")

# ---- mockery and taunts without swear words, each (attack, civil counterpart) ----
# {u}: a commenter's handle (written "@{u}"); otherwise the reply says "you".
MOCK_COMMENTER = (
    ("Did you learn economics from a fortune cookie?",
     "I don't think the economics work the way you describe; the article's figures show the opposite."),
    ("Wow, @{u}, another hot take from the comment section's resident genius.",
     "@{u}, that's a bold take, but I don't think the numbers back it up."),
    ("Oh look, it's you again, here to explain things you clearly never read.",
     "You've made this argument before, and I still think it misses the point about funding."),
    ("Careful, all that thinking might sprain something.", "I've thought about your point and I still disagree."),
    ("Your mum must be so proud of your internet career.",
     "I can see you care about this, but I think you're wrong on the cost."),
    ("Reading comprehension isn't your strong suit, is it?",
     "I think you misread the third paragraph; it says the cuts start in May."),
    ("Imagine being this confidently wrong in public.", "You sound confident, but the census data says the opposite."),
    ("Did someone let you out of the playpen to post this?",
     "I'm not sure where this comes from. Can you share a source?"),
    ("Sweet summer child. Run along now, the adults are talking.",
     "I understand the appeal, but I've seen this policy fail in two other cities."),
    ("Congratulations, you've managed to be wrong about every single thing, which is almost a talent.",
     "We disagree on nearly every point, but thanks for laying out your reasoning."),
    ("Is this your first day on the internet? Adorable.",
     "If you're new to this debate, the council published a summary that's worth reading."),
    ("Tell me you didn't read the article without telling me you didn't read the article.",
     "It sounds like you might have missed the part about the tax credit."),
    ("@{u} has clearly never had a thought that didn't come off a bumper sticker.",
     "@{u}'s argument is simpler than the problem, in my view."),
    ("Wonderful, champ, you're really winning hearts out here.",
     "I see where you're coming from, but I'm not persuaded yet."),
    ("You argue like a toddler who has just been told no.",
     "You argue well, but I think you're ignoring the cost to renters."),
    ("I'd explain it to you, but I left my crayons at home.",
     "Let me try explaining it another way: the levy only applies to second homes."),
    ("lol ok grandpa, back to your rocking chair", "I know you remember it differently, but the records say 1998."),
    ("Nobody asked you, but thanks for the daily dose of nonsense.",
     "Nobody has answered the question you raised, and it's a fair one."),
    ("Bless you for trying. Maybe ask a grown-up to read it to you next time.",
     "Thanks for trying to summarise it, but I think the summary is off."),
    ("You must be a riot at family dinners.",
     "You raise this under every story about the port, and it's a fair concern."),
    ("Do you practise being this clueless, or does it come naturally?",
     "Do you have the figures for last year? I'd like to compare."),
    ("Another comment, another masterclass in missing the point. Bravo.",
     "Another good comment, though I think you miss one point about the deadline."),
    ("Your opinions would be more convincing if you had ever finished a book.",
     "Your opinion would be more convincing with a source or two."),
    ("Put the phone down and go outside, you clearly need the air.",
     "Maybe we should both step back; this thread has got heated."),
    ("Aww, did the facts hurt your feelings?",
     "I know this is a sensitive topic, but I think the facts still point the other way."),
    ("Here comes the village know-it-all again.",
     "Here's where I think your argument goes wrong: the grant was a one-off."),
    ("You're the reason shampoo bottles come with instructions.",
     "You're right that the instructions were unclear, but the deadline was printed on the form."),
    ("Pick a lane, sunshine. Yesterday you said the exact opposite.",
     "Yesterday you argued the opposite. What changed your mind?"),
    ("Ten minutes of reading your comments and I can feel my brain shrinking.",
     "Ten minutes reading this thread and I'm still not sure who is right."),
    ("Must be nice to have so much free time and so little to say.",
     "You've clearly spent time on this; I just reach a different conclusion."),
    ("Cute theory, @{u}. Did you come up with it all by yourself?",
     "Interesting theory, @{u}. Is there any evidence for it?"),
    ("Were you dropped on your head as a baby, or is this just a phase?",
     "Is this a change of view, or did I misunderstand you earlier?"),
    ("The only thing you've ever researched is the bottom of a crisp packet.",
     "I've looked into this a fair bit and came to a different view."),
    ("Oh sure, you're the expert now. Which video taught you that?",
     "Are you an expert in this area? I'd genuinely like to know where that figure comes from."),
    ("@{u}, please never stop posting, the rest of us need the laughs.",
     "@{u}, please keep posting. I don't agree with you, but it keeps the debate honest."),
    ("Hilarious how you think anyone here takes you seriously.",
     "I take your point seriously, but the survey sample was tiny."),
    ("You really peaked in the school debating club, didn't you?",
     "You make the case well, but I think the evidence is thin."),
    ("Go on then, tell us again how you know better than every engineer in the country.",
     "Engineers disagree about this, and I'd like to see the report before deciding."),
    ("A whole paragraph and not one original thought. Impressive.",
     "A long comment with some good points, though I disagree with the last one."),
    ("I see the clown car has pulled up in the comments again, @{u} at the wheel.",
     "I see this thread has turned into the same argument again, @{u}. Let's stick to the bridge."),
    ("I read your comment twice. You say the bridge costs too much, then you want two more. Maybe get a grown-up to "
     "check your homework before you post, sweetheart.",
     "I read your comment twice. You say the bridge costs too much, then you want two more. How does that add up?"),
    ("haha you again. every single thread. don't you have anywhere else to be? no friends, no job, just the comments "
     "section",
     "you've commented on every thread about this, which is fair enough, it's a big issue. but I still think you've "
     "got the bus figures wrong"),
    ("Let me slow this down for you, since big words seem to upset you: the. tax. goes. up.",
     "Let me put it simply, because the article buries it: the tax goes up in April."),
    ("@{u} The confidence of someone who has never been right about anything is truly something to behold.",
     "@{u} You state that very confidently, but the inspection report from March says the opposite."),
    ("So your whole argument is 'my cousin said so'. Truly the Einstein of this comment section.",
     "So your main evidence is what your cousin said? I'd want something more solid before changing my mind."),
    ("Honestly I admire your commitment to being wrong. Every day, rain or shine, you show up and miss the point.",
     "Honestly I admire your commitment to this issue, even though I think you're missing the point about the grant."),
    ("You've posted the same rant nine times. We get it: you're angry and you can't spell. Take a break.",
     "You've made this point several times now. I understand you're angry, but repeating it won't change the figures."),
    ("Oh wow, a conspiracy theory with no evidence, from you of all people, what a shock. Did the voices tell you?",
     "That sounds like a conspiracy theory to me. What evidence is there that the council hid the report?"),
    ("I'm sure your mates down the pub were very impressed with that take, but the grown-ups are discussing the "
     "actual budget.",
     "That's a common view, and I've heard it a lot, but the actual budget tells a different story."),
    ("Don't worry, @{u}, I'm sure one day you'll understand how percentages work. Not today though, clearly.",
     "@{u}, I think the percentages are being misread: 12 percent of the total is not 12 percent of each bill."),
)

# {j}: the journalist (the story's byline, or another journalist's surname).
MOCK_AUTHOR = (
    ("Did {j} even visit the town, or was this written from a sofa?",
     "Did {j} visit the town? The piece would be stronger with local voices."),
    ("{j} clearly thinks readers can't count.",
     "{j}'s figures don't add up: the totals in paragraphs two and five differ."),
    ("Another masterpiece of fiction from {j}. Can't wait for the sequel.",
     "Another piece from {j} that leans on one source; I'd like to hear the other side."),
    ("I see {j} has discovered the thesaurus and lost the facts.",
     "{j} writes well, but a couple of the facts here need checking."),
    ("Who proofreads {j}'s work, a toddler?", "Who edited this? There are several errors in {j}'s second paragraph."),
    ("{j} would find a conspiracy in a bus timetable.",
     "{j} makes a serious claim about the timetable that needs more evidence."),
    ("Is {j} even trying any more, or is the headline all that gets written?",
     "The headline oversells what {j} actually reports further down."),
    ("{j}'s grasp of economics would embarrass a twelve-year-old.",
     "{j}'s economic argument skips over inflation, which matters here."),
    ("Imagine getting paid to write something this lazy, {j}.",
     "This story feels rushed; {j} could have waited for the council's response."),
    ("{j} should stick to writing horoscopes.", "{j} should stick to the facts and leave the speculation out."),
    ("Let me guess, {j} got the whole story from one tweet.",
     "It seems {j} relied heavily on social media posts; I'd like to see primary sources."),
    ("Bravo {j}, you've reached new depths of pointlessness.",
     "I'm not sure what point {j} is making in the final section."),
    ("{j} writes like someone who has never met a working person.",
     "{j} should have spoken to the workers affected, not only to the managers."),
    ("Every time {j} writes about science, a chemistry teacher weeps.",
     "{j} misstates the study's findings: the sample was only forty people."),
    ("Did {j} fail the fact-checking course, or skip it entirely?",
     "Has anyone fact-checked this? {j}'s date for the vote looks wrong to me."),
    ("{j}, here's a tip: learn how a spreadsheet works before you write about budgets.",
     "{j}, the budget table seems to mix monthly and yearly figures."),
    ("The author must think we all forget everything overnight.",
     "The author doesn't mention that this paper argued the opposite last year."),
    ("Hilarious. {j} really believes this counts as journalism.",
     "I'm not convinced this is news rather than opinion, {j}."),
    ("{j}'s editor must be on permanent holiday.",
     "An editor should have caught the contradiction in {j}'s third paragraph."),
    ("Give {j} a gold star for copying out the press release so neatly.",
     "Much of {j}'s article repeats the press release without questioning it."),
    ("How does {j} still have a job? Asking for every reader.",
     "I usually like {j}'s reporting, but this one misses the bigger picture."),
    ("{j} has never met a cliché they didn't fall in love with.",
     "The article by {j} relies on a few clichés where figures would help."),
    ("Cute little opinion piece, {j}. Maybe try reporting next time.",
     "This reads as opinion, {j}; it should be labelled as such."),
    ("{j} must write these on the bus on the way to something more interesting.",
     "{j} seems to have written this before the inquiry published its findings."),
    ("I'd pay to watch {j} try to explain this piece without notes.",
     "I'd like {j} to follow up with the families who were affected."),
    ("The reporter's idea of research is reading the comments under their own articles.",
     "The reporter should have checked the court records rather than relying on one neighbour."),
    ("Whoever wrote this has the curiosity of a paving stone.",
     "Whoever wrote this didn't ask the obvious question about the contract."),
    ("Another day, another 'investigation' by {j} that investigates nothing at all.",
     "The piece is billed as an investigation, but {j} adds little beyond the official statement."),
    ("{j} thinks one quote from a neighbour counts as evidence. Adorable.",
     "{j} relies on one neighbour's quote, which isn't enough to support the headline."),
    ("Someone should confiscate the writer's press pass before they do any more damage.",
     "Someone should ask the writer to correct the casualty figure."),
    ("Apparently {j} thinks a headline in capitals is an argument.",
     "Apparently {j} changed the headline overnight; the new one is more accurate."),
    ("{j}, your mum is the only one who reads your columns, and even she skims.",
     "{j}, I read your columns regularly and this one didn't convince me."),
    ("Not even {j}'s own family believes this drivel.",
     "Not even the government's own figures support {j}'s conclusion."),
    ("{j} seems to have swapped journalism for fan fiction.",
     "{j} seems to have taken the minister's claims at face value."),
    ("Well done, {j}. Twelve hundred words and not a single fact.",
     "Twelve hundred words, and {j} never gives the actual cost."),
    ("I genuinely wonder what {j} does all day. Certainly not research. This reads like it was written in the five "
     "minutes before the deadline by someone half asleep.",
     "I wonder how much time {j} had for this. The research feels thin, and it reads as if it was finished in a "
     "hurry."),
    ("Three corrections in one week, {j}. At this point the paper should just print your articles in the comics "
     "section.",
     "Three corrections in one week, {j}. The paper needs a better checking process before these go out."),
    ("Breaking: {j} discovers that things cost money. Next week {j} learns that water is wet.",
     "{j} reports that the scheme costs money, but doesn't say how much or who pays."),
    ("Oh good, another think piece from {j}, who has never been outside the city centre, on what rural people want.",
     "Another piece from {j} on what rural people want; I'd like to hear from rural people directly next time."),
    ("Dear {j}, a graph is not a decoration. Love, every reader who passed maths.",
     "Dear {j}, the graph in this article has no labels on the axes, which makes it hard to read."),
    ("The writer clearly had the conclusion before the reporting and filled the gaps with wishful thinking and "
     "adjectives.",
     "The writer seems to have started from a conclusion; the reporting doesn't quite support it."),
    ("If {j} put half as much effort into checking facts as into the clever headline, we might get a newspaper worth "
     "reading.",
     "If {j} had checked the figures with the council, the headline would have been more accurate."),
    ("lol {j} really out here writing 'sources say' like we won't notice there are no sources",
     "{j} writes 'sources say' several times without saying who the sources are, which weakens the story."),
)

# {p}: a person named in the story (full name, or role and surname as commenters write it).
MOCK_PERSON = (
    ("{p} has the planning skills of a wet weekend.", "{p}'s plan lacks any detail on how it will be paid for."),
    ("I'd love to know who tells {p} which way up to hold the map.",
     "I'd like to know who advised {p} on the route changes."),
    ("{p} has been promoted well beyond the point of usefulness.",
     "{p} has been in the job long enough to know this would fail."),
    ("Is there anything {p} can't make worse? Genuinely asking.",
     "Is there a plan B if {p}'s scheme doesn't work? Genuinely asking."),
    ("{p} talks to voters like a bored supply teacher talking to a naughty class.",
     "{p} should explain the decision to voters directly, not through a press release."),
    ("Watching {p} answer questions is like watching a dog chase its own tail.",
     "Watching {p} answer questions, I still didn't hear how the cuts will be paid for."),
    ("Poor {p}, out of their depth in a puddle.",
     "{p} seems out of their depth on the technical details of the contract."),
    ("{p} must have bought that qualification online.",
     "{p}'s qualifications are fine, but this decision ignores the expert advice."),
    ("Every time {p} opens their mouth, the average intelligence in the room drops.",
     "Every time {p} talks about the budget, the numbers change."),
    ("If {p} ever had a brain cell, it would die of loneliness.",
     "If {p} had consulted the residents, this could have been avoided."),
    ("{p}: living proof that anyone at all can get a job in politics.",
     "{p}'s decision is proof that the consultation process needs fixing."),
    ("Somebody hand {p} a colouring book and keep them well away from policy.",
     "Somebody should hand {p} the residents' petition before the vote."),
    ("{p} is a walking punchline.", "{p}'s plan has some serious gaps."),
    ("I've met garden gnomes with more backbone than {p}.", "I wish {p} had stood up to the developers on this one."),
    ("{p} should be given a participation trophy and shown the door.",
     "{p} should be given a clear deadline to publish the full report."),
    ("{p}'s speeches could put a double espresso to sleep.",
     "{p}'s speech didn't answer the question about waiting times."),
    ("Nice of {p} to prove once again that confidence and competence are different things.",
     "{p} sounds confident, but the evidence for the policy is weak."),
    ("Does {p} even read what the staff write for them, or just look at the pictures?",
     "Did {p} read the staff report? It recommended the opposite."),
    ("I hear {p} is still looking for the on switch of their own brain.",
     "I hear {p} is still reviewing the plan; I hope they change course."),
    ("{p} is what happens when nepotism gets a microphone.",
     "{p}'s appointment deserves scrutiny; the post was never advertised."),
    ("Can we get {p} a bib? They keep dribbling nonsense everywhere.",
     "Can we get {p} to publish the costings before the vote?"),
    ("{p} couldn't lead a queue to a bus stop.", "{p} hasn't shown the leadership this crisis needs."),
    ("The best thing {p} could do for this town is take up knitting and stay home.",
     "The best thing {p} could do now is reopen the consultation."),
    ("{p} has one facial expression and zero ideas.", "{p} has offered one idea, and I don't think it's enough."),
    ("Remember when {p} promised to fix the roads? What a joke of a human being.",
     "Remember when {p} promised to fix the roads? That promise still hasn't been kept."),
    ("{p} wouldn't recognise the truth if it wore a name badge.",
     "{p}'s account doesn't match the minutes of the meeting."),
    ("I'm starting to think {p} is a cardboard cut-out someone forgot to put away.",
     "I'm starting to think {p} will quietly drop the proposal."),
    ("Let's all chip in and buy {p} a clue.", "Let's all write to {p} before the deadline on Friday."),
    ("{p} has achieved the impossible: making their predecessor look brilliant.",
     "{p}'s predecessor tried the same policy, and it failed then too."),
    ("How sweet, {p} has learned a new word: 'efficiency'. Shame about the rest of the vocabulary.",
     "{p} keeps saying 'efficiency', but hasn't said where the savings will come from."),
    ("{p} looks like the kind of person who gets lost in a revolving door.",
     "{p} looks likely to lose the vote on this next month."),
    ("Pity the staff who have to explain simple things to {p} three times over.",
     "Staff say they warned {p} about the risks twice."),
    ("Scientists should study {p}: how does anyone fail upwards this fast?",
     "{p} was promoted quickly; voters should look at the record on housing."),
    ("{p} is about as useful as a chocolate teapot.",
     "{p}'s plan is like last year's: heavy on promises, light on money."),
    ("The idea that {p} ever had a plan makes me laugh out loud.",
     "I doubt {p} ever had a detailed plan for the closure."),
    ("{p} should be too embarrassed to leave the house after that interview.",
     "{p} should be asked harder questions than in that interview."),
    ("The clown-in-chief, {p}, strikes again.", "The council leader, {p}, has made another controversial call."),
    ("Even {p}'s own advisers must be laughing at them behind their back.",
     "Even {p}'s own advisers warned against the plan, according to the article."),
    ("{p}, the human equivalent of a pothole.", "{p}, in fairness, inherited the potholes as well."),
    ("Would {p} like a round of applause for reading the speech without help?",
     "Would {p} commit to a public meeting on the decision?"),
    ("Listening to {p} at the press conference was like listening to a toddler explain quantum physics. Lots of "
     "confidence, no idea.",
     "Listening to {p} at the press conference, I heard a lot of confidence but no detail on the costs."),
    ("{p} has spent three years in charge and the only thing that's improved is their tan.",
     "{p} has spent three years in charge and waiting lists are longer than when they started."),
    ("Can't wait for {p}'s next bright idea. Maybe closing the hospital to save on parking? Genius stuff, truly.",
     "I'm worried about what {p} proposes next; closing wards to save money has consequences."),
    ("{p} looked so lost in that interview I nearly sent a search party. Bless.",
     "{p} struggled to answer the interviewer's questions about the timetable."),
    ("Every time {p} says 'tough choices' I remember they can't choose a tie without three advisers.",
     "Every time {p} says 'tough choices', it's the poorest residents who end up paying."),
    ("{p}, a person so dim the council had to put their light switch on a timer.",
     "{p} has been slow to respond to the council's own auditors."),
    ("At this point {p} is just a very expensive hat stand with a pension.",
     "At this point {p} should explain why the pension deal was approved."),
    ("Hands up who thinks {p} could find the town on a map. Anyone? No? Thought not.",
     "Hands up who thinks {p} has visited the town since the floods. I'd like to see them there."),
)

# Dehumanising or degrading a named person without swear words (abusive and an attack).
DEHUMANISE = (
    ("{p} is a cockroach in a suit.", "{p} is a career politician in a suit, and it shows in this decision."),
    ("{p} is a bloodsucking tick on the taxpayer.", "{p}'s pay rise is hard to justify while services are being cut."),
    ("{p} isn't even human, just a hollow thing that feeds on votes.",
     "{p} seems more focused on the next election than on this problem."),
    ("Creatures like {p} should be kept in a cage, not in office.",
     "People like {p} should face a recall vote, not another term."),
    ("{p} is a slug leaving a trail of slime across the council.",
     "{p} is leaving a trail of unanswered questions across the council."),
    ("{p} is a maggot feeding on this town's carcass.",
     "{p} is profiting from the town's decline, according to the records."),
    ("{p} is a hyena circling the weak.", "{p} is targeting the weakest services first, which is unfair."),
    ("{p} is less a person than a walking infection.", "{p} is less a leader than a spokesperson for the developers."),
    ("{p} is a worm, plain and simple.", "{p} is wrong, plain and simple."),
    ("{p} belongs in a zoo, not in parliament.", "{p} belongs in opposition after this, in my view."),
    ("{p} is a filthy animal.", "{p} is a tough negotiator, but this deal is bad."),
    ("{p} crawled out from under a rock and should crawl back under it.",
     "{p} came out of nowhere at the last election and could lose just as fast."),
    ("{p} is a tapeworm in the belly of the health service.",
     "{p} is draining money from the health service with this contract."),
    ("{p} is a mindless drone, not a person.", "{p} is following the party line rather than thinking it through."),
    ("{p} is livestock with a job title.", "{p} is a manager with a grand title and little real power."),
    ("What {p} needs is a collar and a leash.", "What {p} needs is a proper oversight board."),
    ("{p} is a vulture picking over the bones of the hospital.",
     "{p} is picking over the hospital budget for savings that aren't there."),
    ("{p} is a swine and should be treated like one at market.", "{p} should be held to account at the next election."),
    ("{p} is a fungus that grew in the dark corners of the council.",
     "{p} rose through the quieter corners of the council."),
    ("{p} is subhuman and deserves nothing.",
     "{p} is a human being who deserves a fair hearing, even if the decision is wrong."),
    ("{p} is a germ. Someone disinfect the council chamber.",
     "{p} should not be in charge of the cleaning contract, given the conflict of interest."),
    ("{p} is a mangy stray that wandered into city hall.",
     "{p} is a newcomer who wandered into city hall with no experience."),
    ("{p} is a creature from a swamp, not a public servant.",
     "{p} acted like a bureaucrat, not a public servant, in how they handled this."),
    ("{p} is a louse on the body of this city.", "{p} is a burden on this city's budget with these consultancy fees."),
    ("{p} is an insect in a tie.", "{p} is a technocrat in a tie who doesn't understand the street."),
    ("{p} is a bottom-feeder like every catfish in the harbour.", "{p} has ignored the harbour workers entirely."),
    ("{p} is a thing, not a person.", "{p} is a person who made a bad call, not a villain."),
    ("{p} is an infestation that needs clearing out.", "{p}'s office needs an independent audit after this scandal."),
    ("{p} is a pig with its snout in the trough.", "{p} has steered the council's money towards their donors."),
    ("{p} is a cancer on this town.", "{p}'s policy is a setback for this town."),
    ("People like {p} aren't people at all. They're rot, spreading through every office they touch.",
     "People like {p} have too much influence in every office they touch, and it should be limited."),
    ("{p} is nothing more than a bloated thing that slithered into office and has been feeding ever since.",
     "{p} worked their way into office and has been claiming expenses ever since, according to the audit."),
    ("Look at {p} grunting and snorting at the podium. Somebody herd it back to the pen.",
     "Look at {p} dodging the questions at the podium. The press should keep asking."),
    ("{p} should be scraped off the bottom of this town's shoe.",
     "{p} should step aside and let someone else lead the recovery."),
)

# kind -> (pairs, labels of the first text, labels of the others); a label None is not judged.
KINDS = {
    "mock_commenter": (MOCK_COMMENTER, {"abuse": None, "attack": 1}),
    "mock_author": (MOCK_AUTHOR, {"abuse": None, "attack": 1}),
    "mock_person": (MOCK_PERSON, {"abuse": None, "attack": 1}),
    "dehumanise_person": (DEHUMANISE, {"abuse": 1, "attack": 1}),
    "counter_group": (COUNTER_GROUP, {"abuse": 1, "attack": 0}),
    "counter_person": (COUNTER_PERSON, {"abuse": 1, "attack": 1}),
}
CLEAN = {"abuse": 0, "attack": 0}
VALID_EVERY = 5  # every fifth idea of each kind is validation only


def _fills(template: str, k: int, kind: str) -> list[tuple[str, dict]]:
    """The texts one template gives (two names where it has a slot), each with the context the check would
    see: the byline for the journalist, the replied-to commenter as a participant. A reply saying "you"
    comes as written and again addressed to the commenter by handle."""
    if kind == "mock_commenter" and "{u}" not in template:
        u = COMMENTERS[k % len(COMMENTERS)]
        first = template if template.startswith(("I ", "I'")) else template[0].lower() + template[1:]
        return [(template, {}), (f"@{u}, {first}", {"participants": (u,)})]
    if "{u}" in template:
        u = COMMENTERS[k % len(COMMENTERS)]
        return [(template.replace("{u}", u), {"participants": (u,)})]
    if "{j}" in template:
        a, b = JOURNALISTS[k % len(JOURNALISTS)], JOURNALISTS[(k + 1) % len(JOURNALISTS)]
        return [(template.replace("{j}", a), {"byline": a}),
                (template.replace("{j}", b.split()[-1]), {"byline": b})]
    if "{p}" in template:
        full, short = PEOPLE[k % len(PEOPLE)][0], PEOPLE[(k + 1) % len(PEOPLE)][1]
        return [(template.replace("{p}", full), {}), (template.replace("{p}", short), {})]
    if "{g}" in template:
        groups = GROUPS[k % len(GROUPS)], GROUPS[(k + 3) % len(GROUPS)]
        return [(_cap(template.replace("{g}", g)), {}) for g in groups]
    return [(template, {})]


def _cap(text: str) -> str:
    """The first letter upper-case (after an opening quote), as a group's name starts a sentence."""
    i = next(n for n, c in enumerate(text) if c.isalpha())
    return text[:i] + text[i].upper() + text[i + 1:]


def rows(part: str) -> list[Row]:
    """The written rows of ``part``: ``train`` (learnt from) or ``valid`` (every fifth idea of each kind:
    measured and calibrated on, never learnt from). Each row's ``extra`` holds its context and its kind."""
    if part not in ("train", "valid"):
        raise ValueError(f"part must be train or valid, not {part!r}")
    out = []
    for kind, (pairs, first) in KINDS.items():
        for i, pair in enumerate(pairs):
            if (i % VALID_EVERY == VALID_EVERY - 3) != (part == "valid"):
                continue
            for j, template in enumerate(pair):
                labels = first if j == 0 else CLEAN
                for text, ctx in _fills(template, i, kind):
                    out.append(Row(text, abuse=labels["abuse"], attack=labels["attack"], source=SOURCE,
                                   extra={**ctx, "kind": kind, "idea": f"{kind}:{i}"}))
    return out
