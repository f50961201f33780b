"""Language detection: comments in languages the checks were not trained for are held."""

import pytest

from remarks.checks.base import CommentContext
from remarks.checks.language import LanguageCheck
from remarks.checks.policy import Thresholds

CASES = [
    # (comment, expected language or None for "treated as English")
    ("Das ist eine Schande, diese Regierung ist völlig unfähig.", "de"),
    ("Je ne suis pas du tout d'accord avec cet article.", "fr"),
    ("Esta noticia es una vergüenza para el periodismo.", "es"),
    ("Questo articolo è pieno di bugie e propaganda.", "it"),
    ("Это ужасная статья, автор ничего не понимает.", "ru"),
    ("The minister should resign over this scandal.", None),
    ("ok", None),  # too short to tell: left to the other checks
    ("thanks!", None),
    ("lol", None),
    ("Trudeau must go", None),
    ("🤮🤮🤮", None),
]


@pytest.mark.parametrize(("text", "lang"), CASES)
def test_language(text, lang):
    r = LanguageCheck().score(CommentContext(text=text))
    if lang is None:
        assert r.score == 0.0, r.details
    else:
        assert r.details["language"] == lang
        assert Thresholds(0.5, 1.0).action(r.score) == "hold"  # held for a person, never removed
        assert r.details["language_name"] in r.details["reason"]
