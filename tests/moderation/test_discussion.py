"""The discussion under a story (``Memory.discussions``): the latest comments by other people, oldest first,
whatever their state; the same from the site's database and from an archive run's reader."""

import io
import json

from remarks import db as dbmod
from remarks.models import Article, Comment
from remarks.moderation.memory import DictMemory
from remarks.services import archive
from remarks.services import memory as memory_module
from remarks.services.memory import DatabaseMemory

# (author, article, text, state)
POSTS = [("ann", 0, "The warnings were ignored.", "published"), ("bob", 0, "Who read them?", "held"),
         ("ann", 1, "The harbour wall needs money.", "published"), ("cat", 0, "The minister must go.", "removed"),
         ("ann", 0, "And the police chief.", "published"), ("bob", 0, "Agreed with ann.", "published")]


def test_the_site_reads_the_latest_comments_by_other_people(app, make_user):
    users = {name: make_user(name) for name in ("ann", "bob", "cat")}
    with dbmod.unit_of_work(app.state.sessions) as s:
        stories = [Article(slug=f"s{i}", title=f"Story {i}", body=".") for i in range(2)]
        s.add_all(stories)
        s.flush()
        for author, story, text, state in POSTS:
            s.add(Comment(article_id=stories[story].id, author_id=users[author].id, text=text, state=state))
            s.flush()
        ids = [str(a.id) for a in stories]
    with app.state.sessions() as s:
        memory = DatabaseMemory(s)
        assert memory.discussions(ids, users["ann"].display_name, 20) == {
            ids[0]: ["Who read them?", "The minister must go.", "Agreed with ann."], ids[1]: []}
        assert memory.discussions(ids, users["bob"].display_name, 2) == {
            ids[0]: ["The minister must go.", "And the police chief."], ids[1]: ["The harbour wall needs money."]}
        assert memory.discussions([ids[0]], None, 0) == {ids[0]: []}
        assert memory.discussions(["not-an-id", ids[1]], None, 5) == {"not-an-id": [], ids[1]: ["The harbour wall needs money."]}
        # More stories than one statement reads: the rest in a second one
        many = [str(n) for n in range(1000, 1000 + memory_module._STORIES)] + [ids[1]]
        assert memory.discussions(many, None, 5)[ids[1]] == ["The harbour wall needs money."]


def test_an_archive_run_reads_the_same():
    memory = DictMemory(copies=False)
    for i, (author, story, text, _) in enumerate(POSTS):
        memory.remember(f"c{i}", text, author, f"a{story}")
    assert memory.discussions(["a0"], "ann", 20) == {"a0": ["Who read them?", "The minister must go.", "Agreed with ann."]}
    assert memory.discussions(["a0", "a1"], "bob", 2) == {"a0": ["The minister must go.", "And the police chief."],
                                                          "a1": ["The harbour wall needs money."]}
    assert memory.near_copies("The warnings were ignored.") == []  # no signatures kept
    lines = "".join(json.dumps({"id": f"c{i}", "article_id": f"a{story}", "author": author, "text": text}) + "\n"
                    for i, (author, story, text, _) in enumerate(POSTS))
    items = list(archive.contexts(io.StringIO(lines), "jsonl", archive.Columns(), {}, near_copies=False))
    # Each comment meets what other people said before it under its story.
    assert [i.ctx.extras[archive.DISCUSSIONS].get(i.ctx.article_id) for i in items] == [
        [], ["The warnings were ignored."], [], ["The warnings were ignored.", "Who read them?"],
        ["Who read them?", "The minister must go."],
        ["The warnings were ignored.", "The minister must go.", "And the police chief."]]


def test_the_latest_comments_are_read_from_the_story_index(app):
    """Read on every post: the (article_id, id) index gives a story's latest comments without sorting all of
    them (migration 0012)."""
    from sqlalchemy import inspect

    from remarks.services import memory

    engine = app.state.engine
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("comments")}
    assert indexes["ix_comments_article_id_id"] == ["article_id", "id"]
    if engine.dialect.name == "sqlite":
        stories = {f"a{i}": i + 1 for i in range(memory._STORIES)}
        compiled = memory._DISCUSSIONS.stmt.params(**stories, author="Ann", limit=20).compile(
            engine, compile_kwargs={"literal_binds": True})
        with engine.connect() as conn:
            plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all())
        assert plan.count("ix_comments_article_id_id") == memory._STORIES and "TEMP B-TREE" not in plan, plan


def test_the_reader_finds_discussions_only_when_a_check_that_runs_reads_them():
    from remarks.checks import registry

    assert "discussion" in registry.memory_uses(["offtopic"])
    assert "discussion" not in registry.memory_uses(["wordlist", "abuse"])
    lines = "".join(json.dumps({"id": f"c{i}", "article_id": "a0", "author": a, "text": t}) + "\n"
                    for i, (a, _, t, _) in enumerate(POSTS))
    without = list(archive.contexts(io.StringIO(lines), "jsonl", archive.Columns(), {}, discussions=False))
    assert all(i.ctx.extras[archive.DISCUSSIONS] == {} for i in without)
