"""Explicit threats of violence, found by their grammar, with the words as evidence.

The comment policy removes abusive language, threats among it. The trained models learn threats from
very few examples (88 of ~40,000 training rows) and score plain ones low: "I will find you and kill
you." at 0.56, "You deserve to be shot." at 0.36 (2026-11-30), below the hold threshold. A threat has a
shape a moderator can check, so it is matched as one: someone announcing violence against a person or a
group, wishing it on them, calling for it, or saying they deserve it. The abuse check then holds the
comment for a moderator (never removes it on a match alone) and shows the matched words.

What is not matched on purpose: violence reported (the gunmen killed eleven people), demands for justice
(they must face trial, lock them up), figures of speech without a person as the object (kill the bill,
shoot a video, beat them in the election), and the passive "was killed" of a news story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from remarks.text import group_hate

# Violence done to a body. Not "beat" (elections), "cut" (taxes), "execute" (plans), "burn" alone (evidence).
_HARM = (r"(?:kill|murder|shoot|stab|behead|decapitate|hang|lynch|strangle|choke|slaughter|butcher|torture|rape|"
         r"gut|skin|burn\s+alive|put\s+a\s+bullet\s+in)")
# Harm whose phrase names its victim already.
_HARM_NAMED = (r"(?:bash\s+(?:in\s+)?(?:your|his|her|their)\s+(?:head|skull|face)s?|blow\s+(?:your|his|her|their)\s+"
               r"brains\s+out|slit\s+(?:your|his|her|their)\s+throats?|break\s+(?:your|his|her|their)\s+(?:neck|legs|face)s?|"
               r"beat\s+(?:you|him|her|them)\s+(?:up|to\s+death|senseless))")
# Passive or intransitive harm: what someone "deserves" or "should" suffer.
_SUFFER = (r"(?:die(?!\s+(?:laughing|of\s+laughter|happy|trying|a\s+little))|be\s+killed|be\s+murdered|be\s+shot|be\s+hanged|be\s+hung|hang(?!\s+(?:out|around|on|in\s+there|up|their|his|her|your))|be\s+lynched|be\s+beheaded|"
           r"be\s+executed|be\s+gassed|be\s+exterminated|be\s+wiped\s+(?:out|off\s+the\s+(?:map|face\s+of\s+the\s+earth))|be\s+slaughtered|be\s+tortured|be\s+raped|"
           r"be\s+burned(?:\s+alive)?|be\s+burnt(?:\s+alive)?|burn(?:\s+alive|\s+in\s+hell)?(?!\s+(?:calories|through|the\s+midnight))|be\s+strung\s+up|be\s+put\s+down|"
           r"be\s+rounded\s+up\s+and\s+(?:shot|killed|gassed|executed))")
# The groups a threat may be aimed at: every group the group-hate patterns read (one list: text/group_hate.py),
# and those a threat against is as much a threat though not hate against a protected group: political camps,
# the press, and a few more plurals.
_MORE = r"whites|israelis|liberals|conservatives|leftists|democrats|republicans|journalists|reporters"
_GROUPS = (rf"(?:(?:{group_hate.MEMBER})s|jews|gypsies|blacks|women|{_MORE}|"
           rf"(?:{group_hate.ADJECTIVE}|israeli)\s+(?:people|men|women|folks|kids|children|families|immigrants))")
# One member of a group, counted: "every Muslim", "any immigrant".
_ONE_OF = rf"(?:every|each|any)\s+(?:single\s+)?(?:{group_hate.MEMBER}|israeli|journalist|reporter)"
# A person by role: the journalist, or someone a story is about ("the mayor", "that judge").
_ROLE = (r"(?:reporter|journalist|author|writer|editor|idiot|moron|mayor|minister|president|senator|governor|judge|"
         r"councillor|councilor|premier|sheriff|commissioner|chairman|chairwoman|ceo|man|woman|guy)")
# A person by name, as written (case matters here): a title and a surname ("Mayor Okafor", "Dr. Vance"), or
# two capitalised words ("Ahmad Karimi"); after a verb of harm one capitalised word is a name too ("shoot Karimi").
_CAP = r"(?:[A-Z]')?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z]?[a-z]+)?"  # Karimi, O'Brien, McDonald, Smith-Jones
_TITLE = (r"(?:Mr|Mrs|Ms|Dr|Mayor|Minister|President|Senator|Governor|Judge|Councillor|Councilor|Premier|Sheriff|"
          r"Commissioner|Chief|Officer|Professor|Prof|Rev|Sir)")
_NAMED = rf"(?-i:{_TITLE}\.?\s+{_CAP}|{_CAP}\s+{_CAP})"
# Not a capitalised thing ("hang Christmas lights", "kill Monday mornings"); months are left out: May, June and
# April are people too. Nor an owner ("shoot Jenny's wedding": the lookahead after the name).
_NOT_A_VICTIM = r"(?!(?:Christmas|Easter|Halloween|Thanksgiving|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
_NAMED_OBJECT = rf"(?-i:{_TITLE}\.?\s+{_CAP}|{_NOT_A_VICTIM}{_CAP}(?:\s+{_CAP})?(?!'s\b))"
_PERSON = (r"(?:you|ya|u|him|her|them|yourself|your\s+(?:family|kids|children|wife|husband)|"
           r"(?:the|that|this)\s+" + _ROLE + r"|"
           r"(?:all|every\s+(?:one|last\s+one))\s+of\s+(?:you|them)|every\s+(?:one|last)\s+of\s+them|"
           r"(?:all\s+(?:the\s+)?|every\s+(?:last\s+)?|those\s+|these\s+|the\s+)?" + _GROUPS + r"|" + _ONE_OF + r")")
_SUBJECT = (r"(?:you|he|she|they|people\s+like\s+(?:you|him|her|them|that)|(?:the|that|this)\s+" + _ROLE + r"|"
            + _NAMED + r"|(?:all\s+(?:the\s+)?|every\s+(?:last\s+)?|those\s+|these\s+|the\s+)?"
            + _GROUPS + r"|" + _ONE_OF + r"|(?:each|every)\s+(?:one|last\s+one)\s+of\s+(?:you|them))")
# The object of an announced or called-for harm may be named ("someone should shoot Karimi"); not of a
# command at a sentence's start, where a capitalised word is as often the subject ("Skin Diamond was ...").
_VICTIMS = rf"(?:{_PERSON}|{_NAMED_OBJECT})"
# Whom a veiled threat is aimed at.
_VICTIM = r"(?:you|he|she|they|him|her|them|" + _NAMED_OBJECT + r"|(?:the|that|this)\s+" + _ROLE + r")"

_PATTERNS = {
    # I will find you and kill you / we're going to shoot every one of them
    "announced": rf"\b(?:i|we)(?:'ll|'m|'re|\s+will|\s+am|\s+are|\s+shall|\s+gonna|\s+wanna|\s+want\s+to|\s+would\s+love\s+to)"
                 rf"\b[^.!?;]{{0,40}}?\b(?:{_HARM}\w*\s+{_VICTIMS}|{_HARM_NAMED})\b",
    # you deserve to die / they should all be rounded up and shot / muslims ought to be exterminated
    "deserved": rf"\b{_SUBJECT}\s+(?:all\s+|really\s+|just\s+)?(?:deserves?\s+to|should|ought\s+to|needs?\s+to|must|"
                rf"have\s+to|has\s+to)\s+(?:all\s+|just\s+)?{_SUFFER}\b",
    # I hope you die / hope they get shot / the only good jihadist is a dead one
    "wished": rf"\b(?:i\s+)?hope\s+{_SUBJECT}\s+(?:all\s+)?(?:die|dies|get\s+(?:killed|shot|raped|stabbed|hanged|lynched)|"
              rf"burn|burns|rot\s+in\s+hell)\b|"
              r"\bthe\s+only\s+good\s+(?P<who>[a-z]+(?:\s+[a-z]+)?)\s+(?:is|are)\s+(?:a\s+)?dead"
              r"(?:\s+(?:ones?|(?P=who))\b|(?=\s*(?:[.!?,;:]|$)))",
    # Someone should shoot him / somebody needs to put a bullet in the reporter
    "incited": rf"\b(?:someone|somebody|anyone|people|we)\s+(?:should|needs?\s+to|ought\s+to|must|has\s+to|have\s+to)\s+"
               rf"(?:just\s+)?(?:{_HARM}\w*\s+{_VICTIMS}|{_HARM_NAMED})\b",
    # Kill them all. / Burn their mosques down. (a command at the start of a sentence)
    "commanded": rf"(?:^|[.!?;:]\s*|\n)(?:just\s+|let's\s+|lets\s+)?(?:{_HARM}|burn|bomb|gas|exterminate|nuke)\s+"
                 rf"(?:{_PERSON}|(?:their|the)\s+(?:mosques?|synagogues?|churches|church|temples?|homes|houses|children|kids))\b",
    # Wipe them off the map. / Exterminate the lot of them. (extermination called for, at a sentence's start)
    "exterminate": rf"(?:^|[.!?;:]\s*|\n)(?:just\s+|let's\s+|lets\s+|we\s+(?:should|must|need\s+to)\s+)?(?:wipe\s+"
                   rf"(?:{_PERSON}|the\s+lot\s+of\s+them)\s+(?:out|off\s+the\s+(?:map|face\s+of\s+the\s+earth))|"
                   rf"(?:exterminate|eradicate)\s+(?:{_PERSON}|the\s+lot\s+of\s+them))\b",
    # Veiled: I know where you live / watch your back / you'll pay for this / the mayor had better watch his back /
    # someone should teach Karimi a lesson he won't forget
    "veiled": rf"\b(?:i|we)\s+know\s+where\s+{_VICTIM}\s+lives?\b|\bwatch\s+your\s+back\b|"
              r"\b(?:had|'d)\s+better\s+watch\s+(?:your|his|her|their)\s+backs?\b|"
              r"\byou(?:'ll|\s+will)\s+(?:pay\s+for|regret)\s+(?:this|that|it|writing)\b|"
              r"\b(?:i|we)(?:'ll|\s+will|'re\s+going\s+to|\s+are\s+going\s+to)\s+(?:come|be\s+coming)\s+(?:to|for)\s+"
              r"(?:you|your\s+(?:house|home|family))\b|"
              rf"\bteach\s+{_VICTIM}\s+a\s+lesson\s+(?:you|he|she|they)(?:'ll|\s+will)?\s+(?:won't|will\s+not|never)\s+forget\b",
}
_COMPILED = {kind: re.compile(p, re.IGNORECASE) for kind, p in _PATTERNS.items()}
# A threat whose words name a group (not one person or the people in the conversation) is hate against
# that group: the abuse rule's, not a personal attack.
_AT_GROUP = re.compile(rf"\b(?:{_GROUPS}|{_ONE_OF})\b|\bthe\s+only\s+good\b", re.IGNORECASE)


@dataclass(frozen=True)
class Threat:
    start: int
    end: int
    kind: str  # announced, deserved, wished, incited, commanded, exterminate, veiled
    at_group: bool = False  # aimed at a group of people (hate), not at a person (a personal attack too)

    def text(self, comment: str) -> str:
        return comment[self.start:self.end].strip(" .!?;:\n")


@lru_cache(maxsize=4096)
def find_threats(text: str) -> tuple[Threat, ...]:
    """Each explicit threat in ``text`` (character offsets into it), in reading order (read once for the
    abuse and the attack check)."""
    text = text.replace("\u2019", "'")
    found = []
    for kind, rx in _COMPILED.items():
        for m in rx.finditer(text):
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" .!?;:\n"))
            found.append(Threat(start, m.end(), kind, bool(_AT_GROUP.search(m.group(0)))))
    return tuple(sorted(found, key=lambda t: (t.start, t.end)))
