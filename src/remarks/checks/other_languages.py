"""An honest abuse signal for languages the trained models do not read: word lists of profanity
and insults (``data/abuse_words_LANG.txt``, one per language in :data:`remarks.text.languages.COVERAGE`).

A list finds what it lists and nothing else: a listed word raises the score (one word 0.6, held by
the default policy; two 0.84), its absence says nothing - which is why a comment in such a
language is never removed on the models' say-so. Chinese is matched as substrings (no spaces),
Arabic word by word with its common clitics, Turkish word by word with suffixes on longer stems.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from remarks.checks.base import Span
from remarks.text.languages import COVERAGE, Detected

PER_WORD = 0.6
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_TURKISH_LETTERS = re.compile(r"[ğĞşŞıİ]")
_WORD = re.compile(r"\w+", re.UNICODE)
# One character for one, so positions stay those of the text as typed.
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"})
_AR_PREFIXES = ("وال", "فال", "يا", "ال", "و", "ف")


@dataclass(frozen=True)
class WordList:
    lang: str
    phrases: tuple[str, ...]  # matched as written (substrings for zh)
    words: frozenset[str]  # whole words
    stems: tuple[str, ...]  # word starts (tr)


@cache
def word_list(lang: str) -> WordList | None:
    try:
        raw = resources.files("remarks.checks").joinpath(f"data/abuse_words_{lang}.txt").read_text("utf-8")
    except FileNotFoundError:
        return None
    entries = [line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    if lang == "zh":
        return WordList(lang, tuple(sorted(entries, key=len, reverse=True)), frozenset(), ())
    phrases = tuple(_fold(lang, e) for e in entries if " " in e)
    exact = {_fold(lang, e.lstrip("=")) for e in entries if " " not in e and (e.startswith("=") or len(e) < 4)}
    stems = tuple(_fold(lang, e) for e in entries if " " not in e and not e.startswith("=") and len(e) >= 4)
    if lang == "tr":
        return WordList(lang, phrases, frozenset(exact), stems)
    return WordList(lang, phrases, frozenset(exact | set(stems)), ())


def _fold(lang: str, text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if lang == "tr":
        folded = text.replace("I", "ı").replace("İ", "i").lower()
        return folded if len(folded) == len(text) else text.lower()[: len(text)]
    if lang == "ar":
        return text.translate(_AR_FOLD)
    return text.lower()


def languages_to_read(text: str, detected: Detected) -> list[str]:
    """The word lists that apply: by script for Chinese and Arabic (even a two-character comment),
    by detection or Turkish letters for Turkish."""
    out = []
    if _HAN.search(text):
        out.append("zh")
    if _ARABIC.search(text):
        out.append("ar")
    if detected.lang == "tr" or _TURKISH_LETTERS.search(text):
        out.append("tr")
    return [lang for lang in out if lang in COVERAGE]


def find_abuse(text: str, lang: str) -> list[Span]:
    wl = word_list(lang)
    if wl is None:
        return []
    text = unicodedata.normalize("NFC", text)
    folded = _fold(lang, text)
    if len(folded) != len(text):
        folded = text
    spans: list[Span] = []

    def add(start: int, end: int) -> None:
        if not any(start < s.end and s.start < end for s in spans):
            spans.append(Span(start, end, "obscene"))

    for phrase in wl.phrases:
        for m in re.finditer(re.escape(phrase), folded):
            if lang == "zh" or _whole(folded, m.start(), m.end()):
                add(m.start(), m.end())
    for m in _WORD.finditer(folded):
        word = m.group()
        candidates = [word] + ([word[len(p):] for p in _AR_PREFIXES if word.startswith(p)] if lang == "ar" else [])
        if any(c in wl.words for c in candidates) or any(word.startswith(s) for s in wl.stems):
            add(m.start(), m.end())
    return sorted(spans, key=lambda s: s.start)


def _whole(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not (after.isalnum() and after not in "ın")


def score(spans: list[Span], text: str) -> float:
    distinct = {text[s.start:s.end].lower() for s in spans}
    return round(1.0 - (1.0 - PER_WORD) ** len(distinct), 4)
