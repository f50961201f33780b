"""The shared normaliser: disguised spellings come back, and offsets land on the typed characters."""

import pytest

from remarks.text.normalize import normalize

CASES = [
    # (typed, normalised)
    ("You f*ck1ng id1ot", "you fucking idiot"),  # mask + leetspeak in one word
    ("sh!t", "shit"),  # '!' used as a letter
    ("a$$hole", "asshole"),  # '$' used as a letter
    ("@ss", "ass"),  # '@' at the start of a disguised word is a letter
    ("@maria you are right", "@maria you are right"),  # ... but an @mention stays a mention
    ("f**k off", "fuck off"),  # masked letters resolved against the list of disguised words
    ("fuuuuuck", "fuck"),  # stretched letters of a listed word shrink to one
    ("soooo goooood", "soo good"),  # other stretched words keep two
    ("f u c k you", "fuck you"),  # spaced letters
    ("f.u.c.k", "fuck"),  # dotted letters
    ("i\u200bdiot", "idiot"),  # zero-width space inside a word
    ("\u0456d\u0456\u043et", "idiot"),  # Cyrillic look-alikes
    ("ＦＵＣＫ", "fuck"),  # full-width letters (NFKC)
    ("Café", "cafe"),  # accents stripped
    ("wh0re", "whore"),
    ("I paid $300 at 10pm, 3.5%!", "i paid $300 at 10pm, 3.5%!"),  # numbers and amounts untouched
    ("Hello!!! What?", "hello!!! what?"),  # trailing punctuation is not leetspeak
    ("Plan B is fine", "plan b is fine"),  # one single letter is not a spaced word
    ("  many   spaces\n\there ", "many spaces here"),  # white space collapsed and trimmed
]


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_normalize(typed, expected):
    assert normalize(typed).text == expected


@pytest.mark.parametrize(
    ("typed", "word", "original"),
    [
        ("You f*ck1ng id1ot", "fucking", "f*ck1ng"),
        ("You f*ck1ng id1ot", "idiot", "id1ot"),
        ("what a fuuuuck up", "fuck", "fuuuuck"),
        ("go f u c k yourself", "fuck", "f u c k"),
        ("\u200bi\u200bdiot!", "idiot", "i\u200bdiot"),
        ("Ｉdiot", "idiot", "Ｉdiot"),
    ],
)
def test_spans_map_back_to_the_typed_characters(typed, word, original):
    n = normalize(typed)
    start = n.text.index(word)
    a, b = n.to_original(start, start + len(word))
    assert typed[a:b] == original


def test_every_character_maps_inside_the_original():
    typed = "Ａ\u200b b c d\u0301 f**k $$$ ok"
    n = normalize(typed)
    assert len(n.starts) == len(n.ends) == len(n.text)
    assert all(0 <= s < e <= len(typed) for s, e in zip(n.starts, n.ends))
    assert list(n.starts) == sorted(n.starts)


def test_empty_and_blank():
    assert normalize("").text == ""
    assert normalize(" \u200b ").text == ""
    assert normalize("").to_original(0, 0) == (0, 0)
