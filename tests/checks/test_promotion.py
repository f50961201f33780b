"""The promotion check: learned text score, link/contact/phrase evidence, copies, new accounts."""

import pytest

from remarks.checks.base import CommentContext
from remarks.checks.promotion import PromotionCheck, find_patterns
from remarks.services.demo import ARTICLES

TERROR = ARTICLES[0]


def ctx(text, **kw):
    kw.setdefault("article_title", TERROR["title"])
    kw.setdefault("article_body", TERROR["standfirst"] + "\n\n" + TERROR["body"])
    kw.setdefault("author_age_days", 100)
    kw.setdefault("author_comment_count", 50)
    return CommentContext(text=text, **kw)


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("Check out my channel for free gifts!!! http://bit.ly/xyz", 0.9, 1.0),  # link, call to action, channel
        ("Subscribe to my YouTube channel please", 0.8, 1.0),  # self-promotion without a link
        ("check out my channel", 0.7, 1.0),  # the bare phrase
        ("I earn 500 dollars a day working from home, DM me", 0.8, 1.0),  # get-rich + DM me
        ("Email me at deals (at) cheap-pills (dot) com for a discount", 0.7, 1.0),  # obfuscated e-mail
        ("Call 0800 555 1234 now to claim your prize", 0.8, 1.0),  # phone number + prize
        ("The inquiry should publish the warning the border police received.", 0.0, 0.35),  # civil, on topic
        ("Jihadists and smugglers killed eleven people; the Muslim families want answers.", 0.0, 0.4),  # topic words
        ("Agreed.", 0.0, 0.35),  # a short reply is not promotion
    ],
)
def test_promotion_scores(text, low, high):
    r = PromotionCheck().score(ctx(text))
    assert low <= r.score <= high, (text, r.score, r.details)


@pytest.mark.parametrize(
    "text, piece, label",
    [
        ("Great story. Cheap watches at www.best-watches.biz today", "www.best-watches.biz", "link"),  # www link
        ("Cheap meds: pharmacy-deals dot com", "pharmacy-deals dot com", "link"),  # "dot com" written out
        ("more at bit.ly/3xYz now", "bit.ly/3xYz", "short link"),  # shortener
        ("write to sales@spamco.net today", "sales@spamco.net", "e-mail"),  # e-mail
        ("message @crypto_king_77 for signals", "@crypto_king_77", "handle"),  # handle
    ],
)
def test_evidence_spans_index_the_text_as_typed(text, piece, label):
    spans = find_patterns(text)
    assert any(text[s.start:s.end].startswith(piece) and s.label == label for s in spans), spans


def test_link_spam_is_held_with_the_link_as_a_span():
    text = "Cheap watches at www.best-watches.biz today"
    r = PromotionCheck().score(ctx(text))
    assert r.score >= 0.5 and any(text[s.start:s.end] == "www.best-watches.biz" for s in r.spans)


def test_a_new_account_posting_a_link_is_held():
    r = PromotionCheck().score(ctx("More about this at example-news-digest.com", author_age_days=0.1,
                                   author_comment_count=0))
    assert r.score >= 0.8 and r.details["new_account"]


@pytest.mark.parametrize("text", [
    "The council published the consultation documents. Shop owners on the high street were never asked.",
    "I wrote to the minister. Me and my neighbours are still waiting for an answer.",
    "Lessons moved to the internet. Online teaching worked better than anyone expected.",
    "The club finished the season. Top scorers rarely stay at a club like this.",
    "They moved to the States. Us locals were left with the bill.",
    "The deal was signed. Co-operation between the two councils starts in May.",
    "We visited the plant. Site managers explained the safety rules.",
])
def test_a_new_accounts_civil_comment_is_not_promotion(text):
    # A full stop, a space and a capitalised word that is also a top-level domain is not a web address.
    r = PromotionCheck().score(ctx(text, author_age_days=0.1, author_comment_count=0))
    assert r.score < 0.5 and "new_account" not in r.details, (r.score, r.details)
    assert not [s for s in find_patterns(text) if s.label in ("link", "short link")]


def test_batch_memory_finds_the_same_copy_again():
    check = PromotionCheck(remember=True)
    text = "Everyone should read the report on the harbour wall at the council site"
    first = check.score(ctx(text, comment_id="1", author="ann"))
    again = check.score(ctx(text + "!!", comment_id="2", author="ann"))
    assert "duplicate_of" not in first.details
    assert again.details["duplicate_of"]["comment_id"] == "1" and again.details["duplicate_of"]["same_author"]
    assert again.score >= 0.55


def test_duplicates_found_by_the_site_raise_the_score():
    dups = [{"comment_id": "c9", "similarity": 0.95, "author": "x", "article_id": "a2"},
            {"comment_id": "c7", "similarity": 0.9, "author": "y", "article_id": "a3"}]
    text = "Everyone should read the report on the harbour wall at the council site"
    plain = PromotionCheck().score(ctx(text))
    copied = PromotionCheck().score(ctx(text, extras={"duplicates": dups}))
    assert copied.score > plain.score and copied.score >= 0.7
    assert copied.details["duplicate_of"] == {"comment_id": "c9", "similarity": 0.95, "same_author": False}


def test_batch_and_single_agree():
    texts = ["Subscribe to my channel", "The inquiry should say who received the warning."]
    check = PromotionCheck()
    assert [r.score for r in check.score_batch([ctx(t) for t in texts])] == [check.score(ctx(t)).score for t in texts]
