"""Counter-speech: hateful words a commenter quotes, or refers to, in order to condemn them.

Under a story about terrorism many civil comments repeat what they oppose: 'People saying "all Muslims
are terrorists" should be ashamed.', 'Stop calling refugees vermin.' The models read the words and
score the comment as if it said them. The policy judges what the commenter says, so the abuse and
attack models read such a comment with the quoted or referred-to words replaced (the same length, so
evidence offsets still point at the text as typed), and the moderator sees the words marked as
mentioned, not counted.

A mention counts as condemned only when the comment condemns it in so many words (racist, disgusting,
unacceptable, "should be ashamed", "stop calling ...") and nothing in it agrees ("he is right", "so
true"). Words a newspaper does not print even in a quote (obscenities and slurs) are never set aside (``UNPRINTABLE``),
and a threat is set aside only inside a condemned mention. Everything else stays as it was: a commenter who
quotes hate to agree with it, or wraps an insult in quotation marks, is read as before.

A negated insult ("Muslims are not terrorists.", "You're not an idiot.") is set aside the same way,
unless the sentence goes on to something worse ("not just lazy but ...", "not an idiot, but ...").
So are the perpetrators of a crime named as such ("a few murderers", "these terrorists"), read as "people",
unless they are said of someone ("Muslims are the terrorists").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from remarks.text.group_hate import GROUP_WORD
from remarks.text.normalize import PROFANITY, normalize

# Words a newspaper does not print even inside a quotation: obscenities and slurs. Insults and words of
# violence ("scum", "stupid", "kill") are printed when quoted to be condemned, so they may be set aside.
UNPRINTABLE = PROFANITY - frozenset("kill die rape idiot idiots moron morons stupid dumb scum damn crap ass asses "
                                    "dick cock prick piss pissed".split()) | {"pussy", "pussies"}

# Words of condemnation said of the mentioned words (outside them).
_CONDEMN = (r"(?:disgusting|vile|hateful|hurtful|racist|bigoted|bigotry|bigots?|xenophobic|sexist|misogynist\w*|"
            r"homophobic|transphobic|islamophobic|anti-?semitic|unacceptable|wrong|appalling|shameful|shameless|"
            r"(?:a\s+)?disgrace(?:ful)?|offensive|ignorant|dangerous|sickening|abhorrent|despicable|deplorable|"
            r"outrageous|horrible|awful|terrible|nonsense|rubbish|(?:a\s+)?lies?|hate\s+speech|dehumani[sz]ing|"
            r"cruel|inexcusable|unforgivable|not\s+ok(?:ay)?|not\s+acceptable|out\s+of\s+line|uncalled\s+for|"
            r"(?:part\s+of\s+)?the\s+problem|exactly\s+what\s+the\s+\w+\s+want|(?:should|ought\s+to)\s+be\s+ashamed|"
            r"(?:have|has)\s+no\s+place|condemn\w*|denounc\w*|not\s+true|untrue|false|sick\s+of|tired\s+of)")
_CONDEMN_RE = re.compile(rf"\b{_CONDEMN}\b", re.IGNORECASE)
# Agreement with the mentioned words: the comment is not condemning them.
_AGREE_RE = re.compile(
    r"\b(?:(?:is|are|was|were|so|absolutely|totally|completely|dead)\s+(?:right|true|correct)|i\s+agree|agreed|"
    r"well\s+said|spot\s+on|amen|finally\s+someone|about\s+time|can'?t\s+argue|cannot\s+argue|the\s+truth|"
    r"accurate|the\s+reality|common\s+sense|facts?\b(?!\s+check))", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|never|hardly|no|isn't|aren't|wasn't|weren't|ain't|nothing)\s+(?:\w+\s+)?$", re.IGNORECASE)
_SAY = r"(?:say|says|said|saying|call|calls|called|calling|claim|claims|claimed|claiming|write|writes|wrote|writing|" \
       r"post|posts|posted|posting|think|thinks|believe|believes|suggest|suggests|suggesting|imply|implying)"
# The rest of the clause: up to the end of the sentence, a comma opening another clause, or "because".
_REST = (r"(?P<m>[^.!?;\n]{6,200}?)(?=\s*(?:[.!?;\n]|$|,\s*(?:it|that|this|and|but|they|he|she|because|which|as|so|"
         r"you|we|i|please)\b)|\s+(?:because|since|when|unless)\b)")
# The same within one clause (a comma ends it): for frames that are condemnations by themselves, so that
# "Don't call them refugees, call them invaders" sets aside only "them refugees".
_CLAUSE = (r"(?P<m>[^.!?;,\n]{6,150}?)(?=\s*(?:[.!?;,\n]|$)|\s+(?:because|since|when|unless|but|and\s+(?:that|it|this))\b)")
_REFERENCES = (
    # Stop calling refugees vermin. / Quit saying that all Muslims are terrorists.
    rf"\b(?:stop|quit|enough\s+of|no\s+more)\s+(?:calling|saying|claiming|pretending|suggesting|implying|writing|"
    rf"posting|spreading\s+the\s+lie|telling\s+(?:people|everyone|us))\s+(?:that\s+)?{_REST}",
    # Saying that all Muslims are terrorists is racist. / Calling refugees vermin is disgusting.
    rf"(?:^|[.!?;]\s*|\b(?:but|and)\s+)(?:just\s+)?(?:saying|calling|claiming|suggesting|implying|to\s+say|to\s+call|"
    rf"to\s+claim|the\s+(?:idea|claim|notion)|(?:statements?|comments?|remarks?|words|posts?|things)\s+like)\s+"
    rf"(?:that\s+)?(?P<m>[^.!?;\n]{{6,150}}?)\s+(?P<c>(?:is|was|are|were|sounds?)\s+(?:just\s+|simply\s+|really\s+|deeply\s+|"
    rf"so\s+|utterly\s+|completely\s+|plain\s+|pure\s+|nothing\s+but\s+)?{_CONDEMN})\b",
    # People who say Muslims are scum are the problem. / Anyone who calls refugees vermin should be ashamed.
    rf"\b(?:people|those|anyone|someone|somebody|commenters|folks|politicians|everyone)\s+who\s+{_SAY}\s+(?:that\s+)?"
    rf"(?P<m>[^.!?;\n]{{6,150}}?)\s+(?:are|is|should|need\s+to|needs\s+to|must|have|has)\s+(?:just\s+|simply\s+|really\s+|"
    rf"so\s+|all\s+)?{_CONDEMN}\b",
    # I'm sick of hearing that refugees are criminals. / How can anyone say Muslims are animals?
    rf"\b(?:sick|tired)\s+of\s+(?:hearing|reading|people\s+{_SAY})\s+(?:that\s+)?{_REST}",
    rf"\bhow\s+(?:can|could|dare)\s+(?:you|anyone|people|he|she|they|someone)\s+{_SAY}\s+(?:that\s+)?{_REST}",
    # It is not okay to call them animals. / It's racist to say that Jews control the banks.
    rf"\b(?P<c>(?:it's|it\s+is|it\s+was)\s+(?:never\s+|just\s+|simply\s+)?{_CONDEMN})\s+to\s+(?:say|call|claim|suggest|"
    rf"write|imply)\s+(?:that\s+)?{_REST}",
)
_FRAMES = (
    # Don't call them vermin. / You can't say that all Muslims are terrorists. / Never call refugees criminals.
    rf"\b(?:don't|dont|do\s+not|never|shouldn't|should\s+not|can't|cannot|can\s+not|mustn't|must\s+not)\s+(?:ever\s+|"
    rf"just\s+)?(?:call|say|claim|suggest|imply|write)\s+(?:that\s+)?{_CLAUSE}",
    # I can't believe you said Kurds are animals. / There is no excuse for calling refugees vermin.
    rf"\bi\s+(?:can't|cannot|can\s+not|couldn't|could\s+not)\s+believe\s+(?:that\s+)?(?:you|he|she|they|anyone|someone|"
    rf"somebody|people|the\s+\w+)\s+(?:would\s+|could\s+|actually\s+|really\s+|just\s+)?{_SAY}\s+(?:that\s+)?{_CLAUSE}",
    rf"\bno\s+(?:excuse|place|room|call)\s+for\s+(?:saying|calling|claiming|writing|posting|suggesting)\s+(?:that\s+)?{_CLAUSE}",
    # I lost all respect for you when you said Muslims are terrorists. / Shame on him for calling them rats.
    rf"\b(?:lost\s+(?:all\s+)?(?:my\s+)?respect\s+for|ashamed\s+of|disgusted\s+(?:by|with)|appalled\s+(?:by|at)|shame\s+on)\s+"
    rf"(?:you|him|her|them|anyone|people|everyone|those|the\s+\w+)\s+(?:when\s+(?:you|he|she|they)\s+|for\s+|who\s+|"
    rf"after\s+(?:you|he|she|they)\s+){_SAY}\s+(?:that\s+)?{_CLAUSE}",
)
# Words a frame seems to set aside but the comment says itself: "you can't call them anything but animals".
_NOT_A_MENTION = re.compile(r"\banything\s+(?:but|else\s+but|other\s+than)\b|\bexcept\b", re.IGNORECASE)
_REFERENCE_RES = tuple(re.compile(p, re.IGNORECASE) for p in _REFERENCES)
# Frames that condemn by themselves but are everyday words too ("don't call me back", "I can't say it enough"):
# a mention counts only when it says something hateful, an insult called ("them vermin") or a group named.
_FRAME_RES = tuple(re.compile(p, re.IGNORECASE) for p in _FRAMES)
# A quotation of at least two words: straight or curly double quotes, or single quotes around words
# (an apostrophe between letters, as in don't, stays inside).
_QUOTE_RES = (re.compile(r"(?:(?<=[\s(:\u2013\u2014-])|^)[\"\u201c](?P<m>[^\"\u201c\u201d\s][^\"\u201c\u201d\n]{4,298}"
                         r"[^\"\u201c\u201d\s])[\"\u201d](?=[\s.,!?;:)\u2013\u2014-]|$)"),
              re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[(:]))['\u2018](?P<m>(?:[^'\u2018\u2019\n]|(?<=\w)['\u2019](?=\w)){6,300})"
                         r"['\u2019](?=[\s.,!?;:)]|$)"))
# Negated insults and dehumanising words: "Muslims are not terrorists.", "You're not an idiot."
_INSULTS = (r"(?:idiots?|morons?|stupid|dumb|fools?|liars?|scum|vermin|animals?|rats?|parasites?|subhuman|savages?|"
            r"terrorists?|criminals?|rapists?|thieves|thief|trash|garbage|filth|pigs?|monsters?|evil|disgusting|"
            r"worthless|useless|pathetic|ignorant|lazy|violent|dangerous|a\s+threat|a\s+disease|a\s+plague|"
            r"cowards?|hacks?|traitors?|killers?|extremists?)")
_NEGATED_INSULT_RE = re.compile(
    rf"\b(?:(?:is|are|was|were|am|'re|'s|'m)\s+(?P<neg>not|never)|isn't|aren't|wasn't|weren't|ain't)\s+"
    rf"(?:all\s+|really\s+|even\s+|at\s+all\s+)?(?:a\s+|an\s+|the\s+)?(?!just\b|only\b|merely\b)(?P<m>{_INSULTS})\b"
    rf"(?!\s+enough)(?![^.!?;\n]{{0,30}}\bbut\b)", re.IGNORECASE)
# An insult called: "them vermin", "refugees criminals", "him a liar".
_CALLED_INSULT_RE = re.compile(rf"\s*(?:\w+\s+){{1,2}}?(?:a\s+|an\s+)?(?:bunch\s+of\s+)?{_INSULTS}\b", re.IGNORECASE)
# A generalisation denied: "Not all Muslims are terrorists.", "Not every refugee is a criminal." (read as "fine"),
# unless the sentence turns on "but" ("not all Muslims are terrorists, but ...").
_NOT_ALL_RE = re.compile(
    rf"\bnot\s+(?:all|every|every\s+single|each)\s+(?:{GROUP_WORD.pattern}|of\s+them|of\s+these\s+people)\s+"
    rf"(?:are|is|were|was)\s+(?:a\s+|an\s+)?(?P<m>{_INSULTS})\b(?![^.!?;\n]{{0,30}}\bbut\b)", re.IGNORECASE)
# The perpetrators of a crime in the story, named as such: "a few murderers", "these terrorists", "the killers".
# Under a story about an attack, civil comments defend a group against them ("The vast majority of Muslims
# condemn these terrorists.") and the models read group + "terrorists" as hate against the group. Not set
# aside when said of someone ("Muslims are the terrorists", "you killers") or described ("filthy terrorists").
_PERPETRATORS_RE = re.compile(
    r"(?<!\bare\s)(?<!\bis\s)(?<!\bwere\s)(?<!\bwas\s)(?<!\bbe\s)(?<!\ball\s)(?<!\bjust\s)"
    r"\b(?:these|those|the|a\s+few|a\s+handful\s+of|a\s+small\s+number\s+of|a\s+(?:small\s+|tiny\s+)?minority\s+of|"
    r"a\s+couple\s+of)\s+(?P<m>terrorists?|jihadists?|murderers?|killers?|gunm[ae]n|attackers?|bombers?|criminals?|"
    r"smugglers?|extremists?|radicals?|fanatics?|militants?|perpetrators?)\b", re.IGNORECASE)
# What the moderator sees on each kind of span set aside.
LABELS = {"quote": "quoted, not counted", "reference": "referred to, not counted", "negated": "negated, not counted",
          "condemnation": "said of the words, not counted", "perpetrators": "the perpetrators, not counted"}
_WORD = re.compile(r"[a-z][a-z']*")
# A quotation introduced as words someone said, or followed by its condemnation.
_FRAMED = re.compile(rf"\b(?:{_SAY}|shouted|chanted|tweeted|like|such\s+as|words|phrases?|statements?|slogans?|"
                     rf"chants?|signs?|banners?|lines?)\W{{0,3}}(?:that\W{{0,2}})?$", re.IGNORECASE)
_FOLLOWED = re.compile(rf"\W{{0,3}}(?:is|are|was|were|sounds?)?\s*(?:\w+\s+){{0,3}}{_CONDEMN}\b", re.IGNORECASE)
_PLACEHOLDER = "that"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # "quote", "reference", "negated", "condemnation" or "perpetrators" (see ``LABELS``)

    def text(self, comment: str) -> str:
        return comment[self.start:self.end]


def _printable(words: str) -> bool:
    """Words a newspaper would print in a quotation: at least two words, no obscenity or slur (as
    normalised: ``f*ck`` counts)."""
    found = _WORD.findall(normalize(words).text)
    return len(found) >= 2 and not any(w in UNPRINTABLE for w in found)


def _outside(text: str, mentions: list[Mention]) -> str:
    out, last = [], 0
    for m in sorted(mentions, key=lambda m: m.start):
        out.append(text[last:m.start])
        last = m.end
    return " ".join(out + [text[last:]])


def _condemns(text: str) -> bool:
    """Does ``text`` condemn something in so many words ("not racist" does not)?"""
    return any(not _NEGATED.search(text[max(0, m.start() - 24):m.start()]) for m in _CONDEMN_RE.finditer(text))


def _condemned_quote(text: str, a: int, b: int) -> bool:
    """Is the quotation at ``text[a:b]`` what its own sentence condemns? It must be introduced as words
    someone said (``called it "..."``, ``statements like "..."``) or be followed by the condemnation
    (``"..." is racist``); a condemning word elsewhere in a long comment is not enough: news comments
    quote the article to argue with it all the time."""
    start = max(text.rfind(p, 0, a - 1) for p in ".!?\n") + 1
    ends = [i for i in (text.find(p, b + 1) for p in ".!?\n") if i != -1]
    sentence = text[start:a - 1] + " " + text[b + 1:min(ends) if ends else len(text)]
    if not _condemns(sentence):
        return False
    return bool(_FRAMED.search(text[max(start, a - 61):a - 1]) or _FOLLOWED.match(text[b + 1:b + 80]))


def _hateful(m: re.Match) -> bool:
    """Does a frame's mention say something hateful: an insult called ("call them vermin") or a group named
    ("say that all Muslims are terrorists")?"""
    words = m.group("m")
    if re.search(r"\bcall", m.string[m.start():m.start("m")], re.IGNORECASE):
        return bool(_CALLED_INSULT_RE.match(words))
    return bool(GROUP_WORD.search(words))


def find_mentions(text: str) -> list[Mention]:
    """The quoted or referred-to words that ``text`` condemns (offsets into it), in reading order; none
    when the comment agrees with what it mentions or condemns nothing."""
    found: list[Mention] = []
    # "Saying ... is racist", "it is wrong to say ...": a condemnation of words, not of a person. (After a
    # quotation it is not set aside: 'The "expert" is a disgrace' condemns a person.)
    said_of_words: list[Mention] = []
    for rx in _REFERENCE_RES + _FRAME_RES:
        for m in rx.finditer(text):
            if not _printable(text[m.start("m"):m.end("m")]):
                continue
            if rx in _FRAME_RES and (not _hateful(m) or _NOT_A_MENTION.search(text[m.start("m"):m.end("m") + 20])):
                continue
            found.append(Mention(*m.span("m"), "reference"))
            if "c" in rx.groupindex and m.group("c"):
                said_of_words.append(Mention(*m.span("c"), "condemnation"))
    if '""' not in text:  # doubled quotes: a CSV or a tweet's escaping, not a quotation
        found += [Mention(*m.span("m"), "quote") for rx in _QUOTE_RES for m in rx.finditer(text)
                  if _condemned_quote(text, *m.span("m")) and _printable(m.group("m"))]
    if not found:
        return []
    merged: list[Mention] = []
    for m in sorted(found, key=lambda m: (m.start, -m.end)):
        if merged and m.start < merged[-1].end:  # overlapping: keep the wider span
            last = merged[-1]
            merged[-1] = Mention(last.start, max(last.end, m.end), last.kind)
        else:
            merged.append(m)
    if _AGREE_RE.search(_outside(text, merged)):
        return []
    kept = [m for m in dict.fromkeys(said_of_words) if not any(x.start < m.end and m.start < x.end for x in merged)]
    return sorted(merged + kept, key=lambda m: m.start)


def find_set_aside(text: str) -> list[Mention]:
    """Everything the models should not read as said by the commenter: condemned mentions
    (:func:`find_mentions`) and negated insults ("they are not vermin"), in reading order."""
    found = find_mentions(text)
    text = text.replace("\u2019", "'")
    for m in _NEGATED_INSULT_RE.finditer(text):
        # "are not terrorists" is read as "are fine": the negation goes with the insult it negates
        a, b = (m.start("neg") if m.group("neg") else m.start("m")), m.end("m")
        if not any(x.start <= a < x.end for x in found):
            found.append(Mention(a, b, "negated"))
    for m in _NOT_ALL_RE.finditer(text):
        if not any(x.start < m.end() and m.start() < x.end for x in found):
            found.append(Mention(m.start(), m.end(), "negated"))
    for m in _PERPETRATORS_RE.finditer(text):
        if not any(x.start < m.end("m") and m.start("m") < x.end for x in found):
            found.append(Mention(*m.span("m"), "perpetrators"))
    return sorted(found, key=lambda m: m.start)


def set_aside(text: str, mentions: list[Mention]) -> str:
    """``text`` with each mention replaced by a neutral word, padded to the same length (the models read
    the text normalised, runs of spaces as one)."""
    chars = list(text)
    for m in mentions:
        width = m.end - m.start
        # "they are not vermin" -> "they are fine"; "condemn these terrorists" -> "condemn these people"
        word = {"negated": "fine", "perpetrators": "people"}.get(m.kind, _PLACEHOLDER)
        # padded before the word, so it stays next to what follows ("are fine." not "are fine  .")
        filler = (" " * width + word)[-width:] if width >= len(word) else " " * width
        chars[m.start:m.end] = filler
    return "".join(chars)
