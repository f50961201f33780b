"""A word-list abuse check: the honest placeholder until the trained ``abuse`` model lands.

It knows only the words in ``data/abuse_words.txt``; it cannot see identity hate without
swear words, threats, or obfuscated spellings beyond simple masking. The README says so.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from remarks.checks.base import Check, CheckResult, CommentContext, Span
from remarks.text.normalize import LEET


@cache
def _words() -> frozenset[str]:
    text = resources.files("remarks.checks").joinpath("data/abuse_words.txt").read_text("utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


_TOKEN = re.compile(r"[\w*$@!]+", re.UNICODE)
_MASKS = str.maketrans({**LEET, "*": ""})


class WordListAbuse(Check):
    """Scores 0.0 with no listed word, rising with each distinct listed word found."""

    rule = "abuse"
    version = "wordlist-1"

    def __init__(self, *, per_word: float = 0.6) -> None:
        self.per_word = per_word

    def score(self, ctx: CommentContext) -> CheckResult:
        words = _words()
        spans: list[Span] = []
        for m in _TOKEN.finditer(ctx.text):
            token = m.group().lower()
            plain = token.translate(_MASKS)
            if token.strip("!$@*") in words or plain in words or _masked_match(token, words):
                spans.append(Span(m.start(), m.end(), "obscene"))
        distinct = {ctx.text[s.start : s.end].lower() for s in spans}
        score = 1.0 - (1.0 - self.per_word) ** len(distinct)
        return CheckResult(
            rule=self.rule,
            score=round(score, 4),
            model_version=self.version,
            spans=tuple(spans),
            details={"matched": sorted(distinct)},
        )


def _masked_match(token: str, words: frozenset[str]) -> bool:
    """'f*ck' matches 'fuck': a masked token matches a listed word of the same length."""
    if "*" not in token or len(token) < 3:
        return False
    pattern = re.compile("^" + "".join("." if c == "*" else re.escape(c) for c in token) + "$")
    return any(len(w) == len(token) and pattern.match(w) for w in words)
