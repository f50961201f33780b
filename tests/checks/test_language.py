"""Language detection: comments in languages the checks were not trained for are held."""

import pytest

from remarks.checks.base import CommentContext
from remarks.checks.language import LanguageCheck
from remarks.moderation.policy import Thresholds

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
COVERED = [  # languages the checks cover: reported, never held by this rule
    ("市议会今天通过了新的公交预算，夜间班次会增加，这对上夜班的人很有帮助。", "zh"),
    ("وافق مجلس المدينة على ميزانية جديدة للحافلات، وهذا خبر جيد للعمال.", "ar"),
    ("Belediye meclisi yeni otobüs bütçesini onayladı, gece seferleri işçiler için çok iyi olacak.", "tr"),
]


@pytest.mark.parametrize(("text", "lang"), COVERED)
def test_covered_languages_are_reported_not_held(text, lang):
    r = LanguageCheck().score(CommentContext(text=text))
    assert r.score == 0.0 and r.details["language"] == lang and r.details["covered"], r.details
    assert r.details["coverage"]["abuse"] == f"word list ({lang})"


@pytest.mark.parametrize(("text", "lang"), CASES)
def test_language(text, lang):
    r = LanguageCheck().score(CommentContext(text=text))
    if lang is None:
        assert r.score == 0.0, r.details
    else:
        assert r.details["language"] == lang
        assert Thresholds(0.5, 1.0).action(r.score) == "hold"  # held for a person, never removed
        assert r.details["language_name"] in r.details["reason"]
