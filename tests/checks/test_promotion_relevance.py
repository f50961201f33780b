"""The promotion and relevance checks, the embeddings and the near-duplicate signatures."""

import numpy as np
import pytest

from remarks.checks.base import ArticleRef, CommentContext
from remarks.checks.duplicates import DuplicateIndex, band_keys, signature, similarity
from remarks.checks.offtopic import ArticleVectors, OfftopicCheck, article_vectors
from remarks.checks.promotion import PromotionCheck, find_patterns
from remarks.ml.embed import embed
from remarks.services.demo import ARTICLES

TERROR = ARTICLES[0]
OTHERS = tuple(ArticleRef(a["slug"], a["title"], a["body"]) for a in ARTICLES[1:])


def ctx(text, **kw):
    kw.setdefault("article_title", TERROR["title"])
    kw.setdefault("article_body", TERROR["standfirst"] + "\n\n" + TERROR["body"])
    kw.setdefault("other_articles", OTHERS)
    kw.setdefault("author_age_days", 100)
    kw.setdefault("author_comment_count", 50)
    return CommentContext(text=text, **kw)


def test_embeddings_are_unit_vectors_and_paraphrases_are_close():
    v = embed(["Eleven people died in the attack on the border post.",
               "The border post attack killed eleven.",
               "Heat pump grants will double next year."])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("Check out my channel for free gifts!!! http://bit.ly/xyz", 0.9, 1.0),  # link, call to action, channel
        ("Subscribe to my YouTube channel please", 0.8, 1.0),  # self-promotion without a link
        ("I earn 500 dollars a day working from home, DM me", 0.8, 1.0),  # get-rich + DM me
        ("Email me at deals (at) cheap-pills (dot) com for a discount", 0.7, 1.0),  # obfuscated e-mail: held
        ("Call 0800 555 1234 now to claim your prize", 0.8, 1.0),  # phone number + prize
        ("The inquiry should publish the warning the border police received.", 0.0, 0.35),  # civil, on topic
        ("Jihadists and smugglers killed eleven people; the Muslim families want answers.", 0.0, 0.4),  # topic words
    ],
)
def test_promotion_scores(text, low, high):
    r = PromotionCheck().score(ctx(text))
    assert low <= r.score <= high, (text, r.score, r.details)


def test_promotion_evidence_points_at_the_link():
    text = "Great story. Cheap watches at www.best-watches.biz today"
    spans = find_patterns(text)
    assert any(text[s.start:s.end].startswith("www.best-watches.biz") and s.label == "link" for s in spans)


def test_a_new_account_posting_a_link_is_held():
    r = PromotionCheck().score(ctx("More about this at example-news-digest.com", author_age_days=0.1,
                                   author_comment_count=0))
    assert r.score >= 0.8 and r.details["new_account"]


def test_batch_memory_finds_the_same_copy_again():
    check = PromotionCheck(remember=True)
    first = check.score(ctx("Everyone should read the report on the harbour wall at the council site", comment_id="1",
                            author="ann"))
    again = check.score(ctx("Everyone should read the report on the harbour wall at the council site!!", comment_id="2",
                            author="ann"))
    assert "duplicate_of" not in first.details
    assert again.details["duplicate_of"]["comment_id"] == "1" and again.details["duplicate_of"]["same_author"]
    assert again.score >= 0.55


@pytest.mark.parametrize(
    "a, b, near",
    [
        ("Make money from home with this one simple trick, ask me how", "Make money from home with this one "
         "simple trick!! ask me how", True),  # punctuation
        ("Make money from home with this one simple trick, ask me how", "MAKE MONEY from home with this one simple "
         "trick ask me how", True),  # case
        ("Make money from home with this one simple trick, ask me how", "The council kept the libraries open "
         "and raised parking fees", False),  # unrelated
    ],
)
def test_signatures(a, b, near):
    sa, sb = signature(a), signature(b)
    assert (similarity(sa, sb) >= 0.7) is near
    assert bool(set(band_keys(sa)) & set(band_keys(sb))) is near


def test_short_texts_are_not_duplicates():
    idx = DuplicateIndex()
    idx.add("1", "Agreed.", "ann", "a")
    assert idx.query("Agreed.") == []


@pytest.mark.parametrize(
    "text, parent, off",
    [
        ("Who received the warning two weeks before the attack?", None, False),  # on topic
        ("The smugglers who helped the jihadists must be prosecuted too.", None, False),  # on topic, hard words
        ("The typhoon wrecked the harbour wall and the boats could not go out.", None, True),  # another story
        ("My favourite pizza topping is pineapple and nobody can change my mind.", None, True),  # nothing to do
        ("Agreed.", "If a warning reached the border police, the inquiry has to say who received it.", False),
        ("Source?", "Two smugglers have been charged with helping the cell cross the border.", False),
    ],
)
def test_offtopic(text, parent, off):
    r = OfftopicCheck().score(ctx(text, parent_text=parent))
    assert (r.score >= 0.5) is off, (text, r.score, r.details)
    assert r.details["closest_sentence"]


def test_offtopic_names_the_closer_story():
    r = OfftopicCheck().score(ctx("Fishermen in Port Aster need a higher harbour wall before the next typhoon."))
    assert r.details["closer_to"]["title"] == "Typhoon-hit harbour town begins to rebuild"


def test_article_vectors_round_trip():
    v = article_vectors("A title", "First sentence of the body here. Second sentence of the body is here.")
    back = ArticleVectors.from_bytes(v.to_bytes())
    assert back.sentences == v.sentences and np.allclose(back.vectors, v.vectors)


def test_no_article_text_scores_zero():
    r = OfftopicCheck().score(CommentContext(text="Anything at all"))
    assert r.score == 0.0 and "no article text" in r.details["note"]
