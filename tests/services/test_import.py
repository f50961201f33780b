"""remarks import disqus / wordpress: threads, unclaimed authors, dates, replies and states; a second
run adds nothing; broken files fail with the line and leave nothing behind; a 10,000-comment
Disqus export matches, and memory stays bounded."""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from sqlalchemy import func, select

from remarks import db as dbmod
from remarks.models import Article, AuditEvent, Comment, ExternalIdentity, User
from remarks.events import Event
from remarks.services import importing
from remarks.services.importing.records import ImportFailed
from tests.services.exports import DISQUS_HEAD, disqus_post, disqus_thread, generate_disqus, small_wxr

from datetime import UTC, datetime


def _run(app, fmt, data: bytes, name="export.xml"):
    with dbmod.unit_of_work(app.state.sessions) as s:
        return importing.run(s, None, fmt, io.BytesIO(data), name)


def _count(app, model=Comment):
    with app.state.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_wordpress_threads_authors_dates_replies_and_states(app):
    r = _run(app, "wordpress", small_wxr().encode())
    assert (r.threads, r.articles_created, r.comments_added) == (2, 2, 5)  # the pingback and attachment skipped
    assert r.states == {"published": 3, "held": 1, "removed": 1}
    with app.state.sessions() as s:
        c = {x.idempotency_key: x for x in s.scalars(select(Comment))}
        first, reply = c["import/wordpress/11"], c["import/wordpress/12"]
        assert reply.parent_id == first.id and reply.text == "Agreed — two metres at least."
        assert first.text == "The new wall must be higher." and first.created_at == datetime(2022, 5, 2, 9, tzinfo=UTC)
        assert c["import/wordpress/13"].state == "removed" and c["import/wordpress/14"].state == "held"
        assert first.article.slug == "harbour-wall-rebuild" and first.article.title == "Harbour wall to be rebuilt"
        # user 3 wrote two comments under one (unclaimed, passwordless) account
        assert c["import/wordpress/16"].author_id == first.author_id
        ann = s.get(User, first.author_id)
        assert ann.display_name == "Ann Lee" and ann.password_hash.startswith("!")
        assert s.scalar(select(func.count()).select_from(ExternalIdentity)) == 4


def test_a_second_run_adds_nothing(app):
    _run(app, "wordpress", small_wxr().encode())
    again = _run(app, "wordpress", small_wxr().encode())
    assert (again.comments_added, again.comments_already_there, again.articles_created, again.authors_created) == (0, 5, 0, 0)
    assert _count(app) == 5 and _count(app, User) == 4


def test_comments_join_an_existing_article_with_the_same_id(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        s.add(Article(slug="library-budget", title="Council budget keeps libraries open", body="The body."))
    r = _run(app, "wordpress", small_wxr().encode())
    assert r.articles_created == 1
    with app.state.sessions() as s:
        assert s.scalar(select(Article).where(Article.slug == "library-budget")).title.startswith("Council")


BROKEN = [
    # (what is wrong, the file, what the error says)
    ("a tag left open", DISQUS_HEAD + '<thread dsq:id="1"><id>a</id><title>A</title>\n<post dsq:id="2">\n</disqus>',
     "line 8, column 3"),  # the </disqus> that closes nothing it opened
    ("not XML at all", "this is not an export\n", "line 1"),
    ("a post of a thread that is not there", DISQUS_HEAD + disqus_post(5, 99, "Hi", datetime(2021, 1, 1),
                                                                        ("a", "A", "a@x.example")) + "</disqus>",
     "thread 99"),
    ("a bad date", DISQUS_HEAD + disqus_thread(1, "s", "S", datetime(2021, 1, 1)) + disqus_post(
        5, 1, "Hi", datetime(2021, 1, 1), ("a", "A", "a@x.example")).replace("2021-01-01T00:00:00Z", "yesterday")
     + "</disqus>", "yesterday"),
    ("entity expansion (billion laughs)", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
     '<disqus xmlns="http://disqus.com">&b;</disqus>', "unsafe XML"),
]


@pytest.mark.parametrize("what, text, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_export_fails_clearly_and_imports_nothing(app, what, text, message):
    # Good threads and posts come first in the file: the failure must take them back too.
    good = DISQUS_HEAD.replace("</category>\n", "</category>\n" + disqus_thread(7, "early", "Early", datetime(2021, 1, 1))
                               + disqus_post(70, 7, "Early comment", datetime(2021, 1, 1), ("e", "E", "e@x.example")))
    text = text.replace(DISQUS_HEAD, good) if text.startswith(DISQUS_HEAD) else text
    with pytest.raises(ImportFailed, match=message) as exc:
        _run(app, "disqus", text.encode())
    assert "nothing was imported" in exc.value.message
    assert _count(app) == 0 and _count(app, Article) == 0 and _count(app, ExternalIdentity) == 0


def test_a_wordpress_file_given_as_disqus_is_refused(app):
    r = _run(app, "disqus", small_wxr().encode())  # no Disqus elements at the top: nothing to import
    assert r.comments_added == 0
    with pytest.raises(ImportFailed, match="wp:post_id"):
        _run(app, "wordpress", (DISQUS_HEAD + "</disqus>").replace("<disqus", "<rss><channel><item/></channel></rss><x")
             .split("<x")[0].encode())


def test_ten_thousand_disqus_comments_match_and_a_rerun_adds_nothing(app, tmp_path):
    path = tmp_path / "disqus.xml"
    truth = generate_disqus(path, threads=120, posts=10_000)
    tracemalloc.start()
    started = time.perf_counter()
    with dbmod.unit_of_work(app.state.sessions) as s, path.open("rb") as fh:
        report = importing.run(s, None, "disqus", fh, path.name)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\n10,000 Disqus comments ({path.stat().st_size / 1e6:.1f} MB): {seconds:.1f} s (traced), "
          f"peak traced Python memory {peak / 1e6:.1f} MB")
    assert report.comments_added == 10_000 and report.states == truth["states"]
    with app.state.sessions() as s:
        per_thread = dict(s.execute(select(Article.slug, func.count(Comment.id)).join(Comment)
                                    .group_by(Article.slug)).all())
        assert per_thread == truth["per_thread"]
        rows = s.execute(select(Comment.idempotency_key, Comment.created_at, Comment.parent_id, Comment.id)).all()
        key_of = {cid: key for key, _, _, cid in rows}
        assert {key: created for key, created, _, _ in rows} == truth["dates"]
        assert {key: key_of.get(parent) for key, _, parent, _ in rows} == truth["parents"]
        assert sum(1 for r in rows if r[2]) == truth["replies"]
    assert peak < 60e6  # ids only: the file is never held in memory
    with dbmod.unit_of_work(app.state.sessions) as s, path.open("rb") as fh:
        again = importing.run(s, None, "disqus", fh, path.name)
    assert (again.comments_added, again.comments_already_there) == (0, 10_000)
    assert _count(app) == 10_000
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.name == Event.IMPORT_FINISHED)) == 2


def test_with_moderate_what_breaks_the_rules_is_held_by_the_one_pipeline(app):
    from remarks.models import CheckRecord, Decision
    from remarks.services.importing.moderate import pipeline_hook

    c1 = "<p>The harbour wall needs to be two metres higher.</p>"
    c2 = "You are a fucking idiot and your shit opinion stinks."  # the word-list check of the test settings
    xml = (DISQUS_HEAD + disqus_thread(1, "harbour-wall", "Harbour wall", datetime(2021, 1, 1))
           + disqus_post(10, 1, c1, datetime(2021, 1, 2), ("a", "Ann", "a@x.example"))
           + disqus_post(11, 1, c2, datetime(2021, 1, 3), ("b", "Bo", "b@x.example"), parent=10)
           + disqus_post(12, 1, "Spam, removed at the source.", datetime(2021, 1, 4), ("c", "Cy", "c@x.example"),
                         spam=True) + "</disqus>")
    hook = pipeline_hook(app.state.settings, app.state.pipeline)
    with dbmod.unit_of_work(app.state.sessions) as s:
        r = importing.run(s, None, "disqus", io.BytesIO(xml.encode()), "d.xml", moderate=hook)
    assert r.held_or_removed_by_moderation == 1 and r.states == {"published": 1, "held": 1, "removed": 1}
    with app.state.sessions() as s:
        by_key = {c.idempotency_key: c for c in s.scalars(select(Comment))}
        insult = by_key["import/disqus/11"]
        assert insult.state == "held" and insult.parent_id == by_key["import/disqus/10"].id
        assert s.scalars(select(CheckRecord).where(CheckRecord.comment_id == insult.id)).first() is not None
        d = s.scalars(select(Decision).where(Decision.comment_id == insult.id)).one()
        assert d.action == "hold" and d.reason.startswith("imported")
        assert by_key["import/disqus/10"].state == "published" and by_key["import/disqus/12"].state == "removed"
    # Without --moderate the same file keeps its states: nothing scored.
    with dbmod.unit_of_work(app.state.sessions) as s:
        again = importing.run(s, None, "disqus", io.BytesIO(xml.encode()), "d.xml")
    assert again.comments_added == 0
