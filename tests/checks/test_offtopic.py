"""The relevance check: article-aware, reply-aware, contrasted with the site's other stories."""

import numpy as np
import pytest

from remarks.checks.base import ArticleRef, CommentContext
from remarks.checks.offtopic import ArticleVectors, OfftopicCheck, article_vectors
from remarks.services.demo import ARTICLES

TERROR = ARTICLES[0]
OTHERS = tuple(ArticleRef(a["slug"], a["title"], a["body"]) for a in ARTICLES[1:])
CHECK = OfftopicCheck()  # one instance, so article vectors are computed once for the module


def ctx(text, **kw):
    kw.setdefault("article_title", TERROR["title"])
    kw.setdefault("article_body", TERROR["standfirst"] + "\n\n" + TERROR["body"])
    kw.setdefault("other_articles", OTHERS)
    return CommentContext(text=text, **kw)


@pytest.mark.parametrize(
    "text, parent, off",
    [
        ("Who received the warning two weeks before the attack?", None, False),  # civil, on topic
        ("The smugglers who helped the jihadists must be prosecuted too.", None, False),  # on topic, hard words
        ("The typhoon wrecked the harbour wall and the boats could not go out.", None, True),  # another story
        ("My favourite pizza topping is pineapple and nobody can change my mind.", None, True),  # nothing to do
        ("Agreed.", "If a warning reached the border police, the inquiry has to say who received it.", False),
        ("Source?", "Two smugglers have been charged with helping the cell cross the border.", False),
    ],
)
def test_offtopic(text, parent, off):
    r = CHECK.score(ctx(text, parent_text=parent))
    assert (r.score >= 0.5) is off, (text, r.score, r.details)
    assert r.details["closest_sentence"]


def test_a_typhoon_comment_names_the_typhoon_story():
    r = CHECK.score(ctx("Fishermen in Port Aster need a higher harbour wall before the next typhoon."))
    assert r.score >= 0.5
    assert r.details["closer_to"]["title"] == "Typhoon-hit harbour town begins to rebuild"


def test_an_on_topic_comment_names_no_other_story():
    r = CHECK.score(ctx("Who received the warning two weeks before the attack?"))
    assert "closer_to" not in r.details and 0 < r.details["similarity"] <= 1


def test_short_reply_says_where_its_relevance_came_from():
    r = CHECK.score(ctx("Agreed.", parent_text="The border police should have acted on the warning."))
    assert "short reply" in r.details["note"]


def test_article_vectors_round_trip():
    v = article_vectors("A title", "First sentence of the body here. Second sentence of the body is here.")
    back = ArticleVectors.from_bytes(v.to_bytes())
    assert back.sentences == v.sentences and np.allclose(back.vectors, v.vectors)


def test_vectors_from_the_site_give_the_same_score_as_computed_ones():
    own = article_vectors(TERROR["title"], TERROR["standfirst"] + "\n\n" + TERROR["body"]).to_bytes()
    others = {o.id: article_vectors(o.title, o.body).to_bytes() for o in OTHERS}
    text = "The typhoon wrecked the harbour wall and the boats could not go out."
    given = OfftopicCheck().score(ctx(text, extras={"article_vectors": own, "other_article_vectors": others}))
    assert given.score == pytest.approx(CHECK.score(ctx(text)).score, abs=1e-3)


def test_no_article_text_scores_zero():
    r = CHECK.score(CommentContext(text="Anything at all"))
    assert r.score == 0.0 and "no article text" in r.details["note"]


def test_a_batch_gives_each_comment_the_result_it_gets_alone():
    """A batch embeds only the vectors a score reads (no comment without an article, not a short reply's own):
    every comment still gets exactly what it gets alone."""
    parent = "Two smugglers have been charged with helping the cell cross the border."
    batch = [
        ctx("Who received the warning two weeks before the attack?"),
        ctx("Source?", parent_text=parent),  # a short reply: scored by its parent's vector
        CommentContext(text="Anything at all"),  # no article
        ctx("The typhoon wrecked the harbour wall and the boats could not go out.", parent_text=parent),
        CommentContext(text="Agreed.", parent_text=parent),  # a short reply without an article
    ]
    together = CHECK.score_batch(batch)
    for c, r in zip(batch, together, strict=True):
        assert r == CHECK.score(c), c.text


# What other readers already said under the border story: about a minister the article does not name.
TALK = ["The interior minister knew about the informants and did nothing.",
        "Why is the minister still in office after this?",
        "The minister has to answer for the missed warnings.",
        "Eleven dead and the government shrugs.",
        "Strengthen the border, the smugglers walk through it."]


def test_a_comment_on_what_the_discussion_talks_about_is_relevant():
    alone = CHECK.score(ctx("The minister should resign today, no excuses."))
    among = CHECK.score(ctx("The minister should resign today, no excuses.", extras={"discussion": TALK}))
    assert among.score < 0.5 <= alone.score, (alone.score, among.score)
    assert among.details["discussion"]["comments"] == len(TALK)
    assert 0 < among.details["discussion"]["closest_similarity"] <= 1
    assert "discussion" not in alone.details


@pytest.mark.parametrize("text", ["My favourite pizza topping is pineapple and nobody can change my mind.",
                                  "The typhoon wrecked the harbour wall and the boats could not go out."])
def test_a_discussion_does_not_make_an_off_topic_comment_relevant(text):
    alone, among = CHECK.score(ctx(text)), CHECK.score(ctx(text, extras={"discussion": TALK}))
    assert among.score >= 0.5 and among.score >= alone.score - 0.05, (alone.score, among.score)


def test_only_the_latest_comments_of_the_discussion_are_read():
    from remarks.checks.offtopic import DISCUSSION

    text = "The minister should resign today, no excuses."
    old = ["I had soup for lunch and it was lovely."] * 5
    latest = CHECK.score(ctx(text, extras={"discussion": TALK * 4}))
    assert CHECK.score(ctx(text, extras={"discussion": old + TALK * 4})).score == latest.score
    assert latest.details["discussion"]["comments"] == min(DISCUSSION, len(TALK) * 4)


HARBOUR_TALK = ["Two metres higher is the minimum for the new wall.", "The fishing fleet lost a month of work.",
                "The council sat on the last flood money for a year.", "Volunteers cleared the quay in a week."]


def test_a_comment_closer_to_another_storys_discussion_says_which():
    text = "The fleet cannot wait another winter for the council's money."
    c = ctx(text, extras={"discussion": TALK, "other_discussions": {OTHERS[0].id: HARBOUR_TALK}})
    assert OTHERS[0].id == "typhoon-harbour-rebuild"
    r = CHECK.score(c)
    assert r.score >= 0.5, r.score
    assert r.details["discussion"]["closer_to"]["title"] == OTHERS[0].title
    on_topic = CHECK.score(ctx("The minister should resign today, no excuses.",
                               extras={"discussion": TALK, "other_discussions": {OTHERS[0].id: HARBOUR_TALK}}))
    assert on_topic.score < 0.5 and "closer_to" not in on_topic.details["discussion"], on_topic.details
