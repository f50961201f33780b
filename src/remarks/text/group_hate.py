"""Hate against a group of people without a swear word, found by its grammar, with the words as evidence.

Under a story about terrorism the abuse that matters is often a sentence about a whole group in ordinary
words: "Kurds breed like rabbits", "Every Muslim in that town knew and said nothing", "You can't trust a
single Muslim neighbour", "Send them all back where they came from". The models score such sentences
between 0.37 and 0.57 (2026-12-02), under the hold threshold, because their words are the same as a civil
comment's. Each has a shape a moderator can check, so it is matched as one, and the abuse check holds the
comment (never removes it on a match alone) with the words marked:

- ``dehumanised``: a group called vermin, a disease, animals, invaders, "the enemy within", or said to
  breed like animals or to infest a country;
- ``generalised``: a whole group (a bare plural, "all", "most", "every") said to be criminals, terrorists,
  complicit, inferior, "all the same"; "some", "many", "a few", "these" and "not all" are not a generalisation;
- ``expelled``: "send them back where they came from", "go back to your own country", "{group} don't belong here";
- ``distrusted``: "never trust a Muslim", "immigrants can't be trusted".

Only groups of people by religion, ethnicity, origin, race, sex or sexuality are read here (``GROUPS``),
not political camps or professions. A negated or quoted-to-condemn sentence is set aside before this reads
it (:mod:`remarks.text.counter`); the perpetrators of a crime are not a group ("the jihadists are animals").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Groups of people by religion, ethnicity, origin, race, sex or sexuality: the plural, and one member (the
# threat patterns read the same groups, and a few more: text/threats.py).
MEMBER = (r"muslim|jew|christian|catholic|hindu|sikh|immigrant|refugee|migrant|asylum\s+seeker|foreigner|arab|"
           r"mexican|asian|african|kurd|somali|syrian|afghan|pakistani|palestinian|turk|roma|gypsy|black|gay|"
           r"lesbian|homosexual")
ADJECTIVE = (r"black|white|brown|gay|trans|jewish|muslim|arab|asian|african|mexican|immigrant|christian|hindu|sikh|"
              r"somali|kurdish|palestinian|chinese|indian|foreign")
GROUPS = (rf"(?:(?:{MEMBER})s|jews|gypsies|blacks|women|islam|(?:{ADJECTIVE})\s+(?:people|men|women|folks|families|"
          r"immigrants|kids|children))")
_ONE = rf"(?:{MEMBER}|(?:{ADJECTIVE})\s+(?:man|woman|person|neighbou?r|guy))"
GROUP_WORD = re.compile(rf"\b(?:{GROUPS}|{_ONE})\b", re.IGNORECASE)  # a group or one of its members, named
# How much of the group a sentence speaks of: a bare plural, all of it, or one member counted as all.
_HEDGES = frozenset({"some", "many", "few", "a few", "not all", "these", "those", "certain", "several", "two", "three"})
_QUANT = r"(?P<q>\b(?:all(?:\s+the)?|most|some|many|a\s+few|few|not\s+all|these|those|certain|several|two|three|the)\s+)?"
_BE = r"(?:are|'re|were|is|was)\s+(?:all\s+|just\s+|simply\s+|basically\s+|really\s+|nothing\s+but\s+|no\s+better\s+than\s+|like\s+)*"
_DEHUMAN = (r"(?:(?:a\s+|an\s+)?(?:plague|disease|cancer|virus|infestation|pestilence|parasite|invasion|fifth\s+column|"
            r"death\s+cult|cult\s+of\s+death|religion\s+of\s+(?:hate|violence|death|terror))|vermin|rats|cockroaches|"
            r"parasites|animals|beasts|savages|sub-?humans?|filth|scum|trash|garbage|pigs|apes|monkeys|dogs|insects|"
            r"leeches|barbarians|invaders|the\s+enemy(?:\s+within)?|not\s+(?:even\s+)?human)")
_NEGATIVE = (r"(?:(?:all\s+)?terrorists?|criminals|rapists|murderers|killers|thieves|liars|traitors|extremists|jihadists|"
             r"terrorist\s+sympathi[sz]ers|complicit|guilty(?!\s+of\s+nothing)|backward|inferior|primitive|violent|evil|dangerous|dirty|"
             r"(?:a\s+)?(?:threat|danger|menace)|the\s+problem|(?:all\s+)?the\s+same(?!\s+as\b)|(?:a\s+)?(?:terrorist|criminal|rapist|"
             r"murderer|killer|thief|liar|traitor|extremist|jihadist))")
_PATTERNS = {
    # Kurds breed like rabbits / Muslims are a cancer / these migrants are animals / infested with refugees
    "dehumanised": rf"{_QUANT}\b(?P<g>{GROUPS})\s+(?:{_BE}{_DEHUMAN}|(?:all\s+)?breed\s+like\s+(?:rabbits|rats|flies|"
                   rf"cockroaches|vermin|animals)|(?:are\s+)?(?:infesting|swarming|overrunning)\b)\b|"
                   rf"\b(?:infested|overrun|swarming)\s+(?:with|by)\s+(?P<g2>{GROUPS})\b",
    # Muslims are all terrorists / most immigrants are criminals / every Muslim in that town knew
    "generalised": rf"{_QUANT}\b(?P<g>{GROUPS})\s+{_BE}{_NEGATIVE}\b|"
                   rf"\b(?:every|each)\s+(?:single\s+)?(?P<g2>{_ONE})\b[^.!?;]{{0,40}}?\b(?:knew\s+(?:about\s+(?:it|this|"
                   r"the\s+\w+)|what\s+was\s+(?:coming|planned|going\s+on))|is\s+(?:a\s+|an\s+)?"
                   rf"{_NEGATIVE}|supports?\s+(?:terror\w*|jihad|the\s+(?:attack|attackers|killers|terrorists)))\b",
    # Send them all back where they came from / go back to your own country / immigrants don't belong here
    "expelled": r"\b(?:send|ship|kick|throw|deport)\s+(?:them|all\s+of\s+them|these\s+people|those\s+people|"
                rf"(?P<g>{GROUPS}))\s+(?:all\s+)?(?:back\s+(?:to\s+)?where\s+they\s+(?:came|come)\s+from|back\s+to\s+"
                r"(?:their|the)\s+(?:own\s+)?(?:countr(?:y|ies)|deserts?|caves?|jungles?)|out\s+of\s+(?:this|our|the)\s+country)\b|"
                r"\bgo\s+back\s+(?:to\s+)?(?:where\s+(?:you|they)\s+(?:came|come)\s+from|to\s+(?:your|their)\s+(?:own\s+)?"
                rf"(?:countr(?:y|ies)|deserts?|caves?))\b|\b(?P<g2>{GROUPS})\s+(?:do\s+not|don't|dont)\s+belong\s+"
                r"(?:here|in\s+(?:this|our)\s+(?:country|town|city))\b",
    # Never trust a Muslim / you can't trust a single Muslim neighbour / refugees cannot be trusted
    "distrusted": r"\b(?:never|can't|cant|cannot|can\s+not|don't|do\s+not|shouldn't|should\s+not)\s+trust\s+"
                  rf"(?:a\s+single\s+|any\s+|a\s+|an\s+|one\s+)?(?P<g>{_ONE}|{GROUPS})\b|"
                  rf"\b(?P<g2>{GROUPS})\s+(?:can't|cannot|can\s+not|should\s+never|must\s+never)\s+be\s+trusted\b",
}
_COMPILED = {kind: re.compile(p, re.IGNORECASE) for kind, p in _PATTERNS.items()}
# Before a match in its sentence: the words are someone else's, or supposed, or denied ("you think all Muslims
# are the same", "if refugees are criminals, ...", "not every Muslim is a terrorist", "the myth that ...").
_NOT_SAID = re.compile(
    r"\b(?:think|thinks|thought|thinking|believe|believes|believed|believing|say|says|said|saying|claim|claims|"
    r"claimed|claiming|imply|implies|implied|implying|suggest|suggests|suggested|suggesting|assume|assumes|assumed|"
    r"assuming|pretend|pretends|pretending|insist|insists|insisted|told|tell|tells|telling|yelled|shouted|wrote|"
    r"writes|argue|argues|argued|as\s+if|as\s+though|if|unless|whether|idea|notion|myth|lie|claim|narrative|"
    r"stereotype|trope|not|never)\s*(?:that\s+)?[^.!?;\n]*$", re.IGNORECASE)


@dataclass(frozen=True)
class GroupHate:
    start: int
    end: int
    kind: str  # dehumanised, generalised, expelled, distrusted
    group: str  # the group's words as written ("Kurds"), or "" when it is only "them"

    def text(self, comment: str) -> str:
        return comment[self.start:self.end].strip(" .!?;:,\n")


def _group(m: re.Match) -> str:
    return next((m.group(g) for g in ("g", "g2") if g in m.re.groupindex and m.group(g)), "")


def _reported(text: str, start: int, end: int) -> bool:
    """Is the match someone else's words, a supposition, a denial or a question, not the commenter's claim?"""
    begin = max(text.rfind(p, 0, start) for p in ".!?;\n") + 1
    stop = min([i for i in (text.find(p, end) for p in ".!?\n") if i != -1] or [len(text)])
    return bool(_NOT_SAID.search(text[begin:start])) or text[stop:stop + 1] == "?"


@lru_cache(maxsize=4096)
def find_group_hate(text: str) -> tuple[GroupHate, ...]:
    """Each statement of hate against a group in ``text`` (character offsets into it), in reading order."""
    text = text.replace("\u2019", "'")
    found = []
    for kind, rx in _COMPILED.items():
        for m in rx.finditer(text):
            q = " ".join((m.groupdict().get("q") or "").lower().split())
            if kind == "generalised" and q in _HEDGES | {"the"}:
                continue  # "some immigrants are criminals", "the Kurds were the victims"
            if kind == "dehumanised" and q in {"some", "a few", "few", "not all"}:
                continue
            if _reported(text, m.start(), m.end()):
                continue
            found.append(GroupHate(m.start(), m.end(), kind, _group(m)))
    return tuple(sorted(found, key=lambda h: (h.start, h.end)))
