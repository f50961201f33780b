"""Language of a comment: the abuse and attack checks only know English, so a comment in
another language is held for a moderator, with the language named in the evidence.

The score is the detector's confidence, capped at 0.99: the default policy holds at 0.5 and
removes at 1.0, and a language is a reason to ask a person, never to remove.

py3langid ships its model inside the package (no download). Short texts are noisy ("thanks"
looks Xhosa to it), so only a confident guess over a few words counts; anything else is
treated as English (score 0.0) and left to the other checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from remarks.checks.base import Check, CheckResult, CommentContext
from remarks.text.links import mask_links

# The languages a news site's readers most often write in; restricting the candidates makes
# short comments far less noisy than the full 150-language model.
CANDIDATES = (
    "en fr de es it pt nl sv da no fi pl cs sk hu ro bg ru uk sr hr sl el tr ar fa he hi ur bn "
    "zh ja ko vi th id ms tl sw af ca eu gl lt lv et"
).split()
NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "pl": "Polish",
    "cs": "Czech", "sk": "Slovak", "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "ru": "Russian",
    "uk": "Ukrainian", "sr": "Serbian", "hr": "Croatian", "sl": "Slovenian", "el": "Greek", "tr": "Turkish",
    "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "hi": "Hindi", "ur": "Urdu", "bn": "Bengali",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "vi": "Vietnamese", "th": "Thai", "id": "Indonesian",
    "ms": "Malay", "tl": "Tagalog", "sw": "Swahili", "af": "Afrikaans", "ca": "Catalan", "eu": "Basque",
    "gl": "Galician", "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian",
}
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_MENTION = re.compile(r"@\w+")


def _strip(text: str) -> str:
    """Links and @mentions say nothing about the language."""
    return _MENTION.sub(" ", mask_links(text, " "))


@cache
def _identifier():  # noqa: ANN202
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(CANDIDATES)
    return ident


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the text's language."""
    lang, prob = _identifier().classify(_strip(text))
    return lang, float(prob)


class LanguageCheck(Check):
    """Scores the confidence (at most 0.99) for a confidently non-English comment, else 0.0."""

    rule = "language"
    version = "py3langid-0.4.0-1"

    def __init__(self, *, covered: Sequence[str] = ("en",), min_confidence: float = 0.9, min_letters: int = 10) -> None:
        self.covered = tuple(covered)
        self.min_confidence = min_confidence
        self.min_letters = min_letters

    def score(self, ctx: CommentContext) -> CheckResult:
        text = _strip(ctx.text)
        letters = len(_LETTERS.findall(text))
        lang, prob = detect(text) if letters else ("und", 0.0)
        foreign = letters >= self.min_letters and lang not in self.covered and prob >= self.min_confidence
        details = {"language": lang, "language_name": NAMES.get(lang, lang), "confidence": round(prob, 3)}
        if foreign:
            details["reason"] = f"written in {NAMES.get(lang, lang)}, which the checks do not cover"
        return CheckResult(rule=self.rule, score=round(min(prob, 0.99), 4) if foreign else 0.0, model_version=self.version,
                           labels={lang: round(prob, 3)}, details=details)
