"""Near copies for the promotion check (services/memory.py ``find_duplicates``): the ten closest earlier
comments, most similar first, each with its author and article, as found by comparing with every stored
signature; a burst of hundreds of copies is compared at once, names looked up for the ten only."""

import numpy as np
from sqlalchemy import select

from remarks import db as dbmod
from remarks.checks import duplicates
from remarks.models import Article, Comment, CommentSignature, User
from remarks.services.memory import DatabaseMemory, find_duplicates
from support import CopiesWordList

SENTENCE = "The council should publish the flood report before the vote; residents deserve to read it first."


def test_the_ten_closest_earlier_comments_with_their_authors_and_articles(app, make_user):
    users = [make_user(name) for name in ("ann", "bob", "cat")]
    texts = [f"{SENTENCE} {'Really.' * (i % 4)} [{i}]" for i in range(30)]
    texts += ["Cheap pills and watches, visit our shop for the best prices on every brand you know."] * 3
    with dbmod.unit_of_work(app.state.sessions) as s:
        stories = [Article(slug=f"s{i}", title=f"Story {i}", body=".") for i in range(2)]
        s.add_all(stories)
        s.flush()
        for i, text in enumerate(texts):
            c = Comment(article_id=stories[i % 2].id, author_id=users[i % 3].id, text=text, state="published")
            s.add(c)
            s.flush()
            DatabaseMemory(s).persist(s, c)
    asked = f"{SENTENCE} [new]"
    with app.state.sessions() as s:
        found, sig = find_duplicates(s, asked)
        # What a comparison with every stored signature gives.
        every = s.execute(select(CommentSignature.comment_id, CommentSignature.signature, User.display_name,
                                 Comment.article_id).join(Comment, Comment.id == CommentSignature.comment_id)
                          .join(User, User.id == Comment.author_id).order_by(CommentSignature.comment_id)).all()
    sims = duplicates.similarities(duplicates.signature(asked), [blob for _, blob, _, _ in every]).tolist()
    expected = sorted([{"comment_id": str(cid), "similarity": round(sim, 3), "author": author,
                        "article_id": str(article_id)}
                       for (cid, _, author, article_id), sim in zip(every, sims) if sim >= 0.5],
                      key=lambda d: -d["similarity"])[:10]
    assert len(found) == 10 and found == expected
    assert np.array_equal(duplicates.to_bytes(sig), duplicates.to_bytes(duplicates.signature(asked)))
    assert [d["similarity"] for d in found] == sorted((d["similarity"] for d in found), reverse=True)
    with app.state.sessions() as s:
        assert find_duplicates(s, "A question nobody has asked here before: who paid for the report?")[0] == []


def _post_and_signatures(app, make_user, texts: list[str]) -> int:
    from fastapi.testclient import TestClient

    from support import bearer

    make_user("ann")
    with dbmod.unit_of_work(app.state.sessions) as s:
        story = Article(slug="s", title="Story", body=".")
        s.add(story)
        s.flush()
        story_id = story.id
    with TestClient(app) as c:
        h = bearer(c, "ann")
        for text in texts:
            r = c.post(f"/api/v1/articles/{story_id}/comments", json={"text": text}, headers=h)
            assert r.status_code == 201, r.text
    with app.state.sessions() as s:
        return len(s.scalars(select(CommentSignature.comment_id)).all())


def test_a_site_whose_checks_read_near_copies_keeps_each_comments_signature(app, make_user):
    from remarks.moderation.pipeline import Pipeline

    app.state.pipeline = Pipeline([CopiesWordList()])
    assert _post_and_signatures(app, make_user, [f"{SENTENCE} [{i}]" for i in range(3)]) == 3


def test_a_site_whose_checks_do_not_read_near_copies_keeps_no_signatures(app, make_user):
    """The word-list and link checks (the tests' site), or none: a signature nobody reads is not made."""
    assert _post_and_signatures(app, make_user, [f"{SENTENCE} [{i}]" for i in range(3)]) == 0


def test_the_candidates_are_read_from_the_band_index_alone(app):
    """A burst of one copy shares its band keys with every earlier copy: the look-up reads the candidates'
    ids from the (band_key, comment_id) index, not a table row per earlier copy (migration 0011)."""
    from sqlalchemy import inspect

    from remarks.services import memory

    engine = app.state.engine
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("signature_bands")}
    assert indexes["ix_signature_bands_band_key_comment_id"] == ["band_key", "comment_id"]
    assert "ix_signature_bands_band_key" not in indexes  # the new index serves the band key's look-ups
    if engine.dialect.name == "sqlite":
        keys = duplicates.band_keys(duplicates.signature(SENTENCE))
        compiled = memory._SIGNATURES.stmt.params({f"k{i}": k for i, k in enumerate(keys)}).compile(
            engine, compile_kwargs={"literal_binds": True})
        with engine.connect() as conn:
            plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all())
        assert "COVERING INDEX ix_signature_bands_band_key_comment_id" in plan, plan
