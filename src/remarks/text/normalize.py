"""Text normalisation shared by every check, with a map back to the text as typed.

People who want a word past a filter write it ``f*ck``, ``sh!t``, ``a$$``, ``fuuuuck``,
``f u c k``, with a Cyrillic ``о`` or a zero-width space inside. :func:`normalize` undoes
those tricks and keeps, for every character of the result, the range of original characters
it came from, so evidence found in the normalised text can be shown on the comment as typed::

    n = normalize("You f*ck1ng id1ot")
    n.text                 # 'you fucking idiot'
    n.to_original(4, 11)   # (4, 11): the characters of 'f*ck1ng' in the original

The result is lower-case, accents are stripped, and every run of white space is one space.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

# Words people disguise. Used only to decide how to read a masked or stretched token
# ("f**k" -> "fuck", "fuuuck" -> "fuck"); scoring is the models' job, not this list's.
PROFANITY: frozenset[str] = frozenset(
    """fuck fucking fucked fucker fuckers fucks motherfucker shit shits shitty bullshit shithead
    ass asses asshole assholes arse arsehole bitch bitches bastard bastards cunt cunts dick dickhead
    cock piss pissed slut sluts whore whores twat wanker prick damn crap idiot idiots moron morons
    stupid retard retarded dumb scum scumbag nigger niggers nigga faggot faggots fag fags dyke
    tranny kike spic chink raghead kill die rape""".split()
)

# Look-alike letters from other scripts, mapped to the Latin letter they imitate.
HOMOGLYPHS: dict[str, str] = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ɡ": "g", "ո": "n", "ս": "u", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ɑ": "a", "ı": "i", "ℓ": "l",
}

# Digits and symbols used as letters inside a word.
LEET: dict[str, str] = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e", "£": "l",
}
_MASK_CHARS = set("*#%_.-?^~")
_LETTER_LIKE = set(LEET) | _MASK_CHARS
_SEPARATORS = {" ", ".", "-", "_", "*"}


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus, per character, the original range ``[starts[i], ends[i])``.

    The ranges are arrays of 4-byte integers, not tuples of Python ints (8 bytes a pointer and, above 256,
    28 bytes an int): the last 4,096 comments' results are kept (:func:`normalize` is cached), so in a
    server that has seen a few thousand comments the tuples held ~4 KB a 200-character comment."""

    original: str
    text: str
    starts: array  # array("I")
    ends: array

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` to the ``(start, end)`` of the original characters it came from."""
        if not self.text or end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> Normalized:
    """Undo disguises; see the module docstring. Pure and cached for repeated texts."""
    return _normalize(text)


@lru_cache(maxsize=4096)
def _normalize(text: str) -> Normalized:
    chars = _characters(text)
    chars = _join_spaced_letters(chars)
    chars = _fix_tokens(chars)
    return Normalized(
        original=text,
        text="".join(c for c, _, _ in chars),
        starts=array("I", [s for _, s, _ in chars]),
        ends=array("I", [e for _, _, e in chars]),
    )


Char = tuple[str, int, int]


def _characters(text: str) -> list[Char]:
    """NFKC, no accents, no zero-width or control characters, homoglyphs mapped, lower case."""
    out: list[Char] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            pieces = ch.lower() if ch.isprintable() else " "
        else:
            pieces = _fold(ch)
        for p in pieces:
            if p.isspace():
                if out and out[-1][0] == " ":
                    out[-1] = (" ", out[-1][1], i + 1)
                    continue
                p = " "
            out.append((p, i, i + 1))
    while out and out[0][0] == " ":
        out.pop(0)
    while out and out[-1][0] == " ":
        out.pop()
    return out


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Mn", "Me"):
        return ""  # zero-width joiners, soft hyphens, BOM, combining accents
    if cat in ("Cc", "Zl", "Zp", "Zs"):
        return " "
    decomposed = unicodedata.normalize("NFKD", ch)
    out = []
    for c in decomposed:
        if unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        c = unicodedata.normalize("NFKC", c).lower()
        out.append("".join(HOMOGLYPHS.get(x, x) for x in c))
    return "".join(out)


def _join_spaced_letters(chars: list[Char]) -> list[Char]:
    """'f u c k' / 'f.u.c.k' -> 'fuck': three or more single letters separated by one separator."""
    n = len(chars)

    def isolated(k: int) -> bool:
        return (
            chars[k][0].isalpha()
            and (k == 0 or not chars[k - 1][0].isalnum())
            and (k + 1 == n or not chars[k + 1][0].isalnum())
        )

    out: list[Char] = []
    i = 0
    while i < n:
        if not isolated(i):
            out.append(chars[i])
            i += 1
            continue
        k, letters = i, [chars[i]]
        while k + 2 < n and chars[k + 1][0] in _SEPARATORS and isolated(k + 2):
            k += 2
            letters.append(chars[k])
        if len(letters) >= 3:
            out.extend(letters)
            i = k + 1
        else:
            out.append(chars[i])
            i += 1
    return out


_TOKEN = re.compile(r"\S+")


def _fix_tokens(chars: list[Char]) -> list[Char]:
    """Leetspeak, masks and stretched letters, one white-space-separated token at a time."""
    text = "".join(c for c, _, _ in chars)
    out: list[Char] = []
    last = 0
    for m in _TOKEN.finditer(text):
        out.extend(chars[last : m.start()])
        tok = chars[m.start() : m.end()]
        out.extend(_fix_token(tok))
        last = m.end()
    out.extend(chars[last:])
    return out


_EDGE = re.compile(r"^([^\w@$*#]*)(.*?)([^\w*#$]*)$", re.S)


def _fix_token(tok: list[Char]) -> list[Char]:
    word = "".join(c for c, _, _ in tok)
    m = _EDGE.match(word)
    lead, core, _ = m.group(1), m.group(2), m.group(3)
    a, b = len(lead), len(lead) + len(core)
    body = tok[a:b]
    if not core:
        return tok
    if any(c in _LETTER_LIKE for c in core) and any(c.isalpha() for c in core):
        body = _unmask(body)
    body = _unstretch(body)
    return tok[:a] + body + tok[b:]


def _unmask(body: list[Char]) -> list[Char]:
    word = "".join(c for c, _, _ in body)
    if word.isdigit() or re.fullmatch(r"[\d.,:%-]+\w{0,2}", word):
        return body  # numbers, times and amounts: '3.5%', '10pm'
    leet = "".join(LEET.get(c, c) for c in word)
    if _collapse(leet, 1) in PROFANITY or leet in PROFANITY:
        return [(leet[k], s, e) for k, (_, s, e) in enumerate(body)]
    if word.startswith("@") and len(word) > 3:
        return body  # an @mention of a user, not a disguised word
    guess = _wildcard(word)
    if guess:
        return [(guess[k], s, e) for k, (_, s, e) in enumerate(body)]
    letters = sum(c.isalpha() for c in word)
    if letters >= 2 and letters >= len(word) / 2 and not re.search(r"[.\-_?]", word):
        return [(leet[k], s, e) for k, (_, s, e) in enumerate(body)]
    return body


def _wildcard(word: str) -> str | None:
    """'f**k' -> 'fuck': masked characters match any letter of a listed word of the same length."""
    if not any(c in _LETTER_LIKE for c in word) or not word[0].isalnum() and word[0] not in "@$":
        return None
    pattern = re.compile(
        "^" + "".join("." if c in _LETTER_LIKE else re.escape(c) for c in word) + "$"
    )
    hits = sorted(w for w in PROFANITY if len(w) == len(word) and pattern.match(w))
    return hits[0] if hits else None


def _collapse(word: str, keep: int) -> str:
    return re.sub(r"(.)\1{%d,}" % keep, lambda m: m.group(1) * keep, word)


def _unstretch(body: list[Char]) -> list[Char]:
    """'fuuuuck' -> 'fuck', 'soooo' -> 'soo': letter runs of 3+ shrink to 2, or to 1 for a listed word."""
    word = "".join(c for c, _, _ in body)
    if not re.search(r"(.)\1", word):
        return body
    single = _collapse(word, 1)
    keep = 1 if single in PROFANITY and word not in PROFANITY else 2
    if keep == 2 and not re.search(r"(.)\1\1", word):
        return body
    out: list[Char] = []
    for c, s, e in body:
        run = len(out) >= keep and all(out[-1 - r][0] == c for r in range(keep))
        if run and c.isalpha():
            prev = out[-1]
            out[-1] = (prev[0], prev[1], e)
            continue
        out.append((c, s, e))
    return out
