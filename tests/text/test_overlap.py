"""The shared-words features of the relevance check: rare words a comment shares with its story."""

from remarks.checks import offtopic
from remarks.checks.base import CommentContext
from remarks.text.overlap import Idf, content_words, document_frequencies


def test_content_words_drop_stop_words_short_words_and_plural_s():
    assert content_words("The smugglers were in Texas, and they ran.") == {"smuggler", "texa", "ran"}
    assert content_words("") == frozenset()


def test_a_rare_shared_word_weighs_more_than_a_common_one():
    table = document_frequencies(["people vote early", "people like votes", "people in texas"] * 5)
    idf = Idf(table)
    story = content_words("Texas sues over people and votes")
    assert idf.overlap(content_words("Texas again"), story) > idf.overlap(content_words("people again"), story)
    assert idf.overlap(content_words("nothing shared here"), story) == 0.0
    assert idf.overlap(content_words("Texas"), story) == 1.0
    assert idf.overlap(content_words("Texas people votes"), story) > 1.0  # two weighted words shared


def test_the_shipped_table_and_the_check_use_it():
    assert offtopic.idf().docs > 10_000 and "border" in offtopic.idf().df
    title = "Smugglers held after border post attack in Mardin"
    body = "Police in Mardin said the smugglers brought weapons across the border before the attack."
    check = offtopic.OfftopicCheck()
    named = check.score(CommentContext(text="Mardin has been a smuggling route for decades.", article_title=title,
                                       article_body=body))
    other = check.score(CommentContext(text="My cat refuses to eat fish and the vet is no help.",
                                       article_title=title, article_body=body))
    assert named.score < other.score
