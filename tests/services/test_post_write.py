"""A post's short write (services/comments.py ``store``): the rows it leaves, the refusals it makes
again at the write, and what it keeps between posts (active webhooks per transaction, the policy per
process) going stale never."""

import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from remarks import db as dbmod
from remarks.config import Settings
from remarks.errors import BadInput, RateLimited
from remarks.models import (
    Article,
    AuditEvent,
    CheckRecord,
    Comment,
    CommentSignature,
    Decision,
    Sanction,
    SignatureBand,
    User,
    WebhookDelivery,
)
from remarks.models.base import utcnow
from remarks.moderation.pipeline import Pipeline
from remarks.services import comments, policy, publishing
from support import CopiesWordList

LONG = "The council should publish the flood report before the vote; residents deserve to read it first."


@pytest.fixture
def story(app) -> int:
    with dbmod.unit_of_work(app.state.sessions) as s:
        a = Article(slug="story", title="Inquiry opens into border attack", body="Eleven people were killed.")
        s.add(a)
        s.flush()
        return a.id


def checked_then_stored(app, username, story, text, *, meanwhile=None, per_minute=100, key=None,
                        pipeline=None):
    """Score in one transaction, let ``meanwhile(other_session)`` happen elsewhere, then write, as the route does."""
    with app.state.sessions() as s:
        user = s.scalar(select(User).where(User.username == username))
        checked = comments.check(s, user, article_id=story, text=text, pipeline=pipeline or app.state.pipeline,
                                 policy=policy.current(s, app.state.settings), max_chars=5000)
        if meanwhile is not None:
            with app.state.sessions() as other, other.begin():
                meanwhile(other, user)
        s.commit()
        with dbmod.write_turn(s), s.begin():
            c = comments.store(s, user, checked, per_minute=per_minute, idempotency_key=key)
        return c, checked


def test_the_write_leaves_the_rows_of_a_post(app, make_user, story, session):
    make_user("ann")
    before = session.scalar(select(Article.thread_version).where(Article.id == story))
    session.rollback()  # its read snapshot ends: what the post wrote is seen below
    # a site whose checks read near copies (so it keeps each comment's signature, asserted below)
    copies = CopiesWordList()  # the word-list check, also reading near copies
    c, checked = checked_then_stored(app, "ann", story, LONG, pipeline=Pipeline(
        [copies if ch.rule == copies.rule else ch for ch in app.state.pipeline.checks]))
    assert c is checked.stored and c.state == "published"
    row = session.get(Comment, c.id)
    assert (row.text, row.state, row.nudged, row.edited_after_nudge, row.claimed_by_id) == (LONG, "published", False,
                                                                                          False, None)
    assert row.created_at is not None and row.risk == checked.verdict.risk
    events = session.execute(select(AuditEvent.name, AuditEvent.actor_id, AuditEvent.data).where(
        AuditEvent.subject_type == "comment", AuditEvent.subject_id == c.id).order_by(AuditEvent.id)).all()
    assert [e.name for e in events] == ["comment:created", "comment:published"]
    assert events[0].actor_id == row.author_id and events[0].data == {"article_id": story, "parent_id": None}
    assert events[1].actor_id is None and events[1].data["automatic"] is True
    assert events[1].data["reason"] == checked.verdict.reason
    decision = session.scalars(select(Decision).where(Decision.comment_id == c.id)).one()
    assert decision.automatic and decision.action == "publish" and decision.created_at is not None
    assert sorted(r.rule for r in session.scalars(select(CheckRecord).where(CheckRecord.comment_id == c.id))) == sorted(
        r["rule"] for r in comments.check_rows(checked.verdict))
    assert session.get(CommentSignature, c.id).created_at is not None
    assert session.scalar(select(func.count()).select_from(SignatureBand).where(SignatureBand.comment_id == c.id)) == 16
    # The thread version moved once: cached threads of the story are stale, and only by this post.
    assert session.scalar(select(Article.thread_version).where(Article.id == story)) == before + 1


def test_a_removed_comment_gets_its_statement_of_reasons(app, make_user, story, session):
    make_user("ann")
    with dbmod.unit_of_work(app.state.sessions) as s:
        policy.save(s, None, policy.PolicyConfig(banned_words=["flood"]))
    c, _ = checked_then_stored(app, "ann", story, LONG)
    assert c.state == "removed"
    from remarks.models import Statement

    st = session.scalars(select(Statement).where(Statement.comment_id == c.id)).one()
    assert st.decision_id == session.scalars(select(Decision.id).where(Decision.comment_id == c.id)).one()


def test_a_removal_writes_what_the_statement_service_writes(app, make_user, story, session):
    """The post's removal writes its statement, notification and audit event as plain statements: the same
    rows ``statements.for_removal`` writes through the ORM for the same comment and decision, in the
    author's language, the statement's event after the comment's own."""
    from remarks.models import Notification, Statement
    from remarks.services import statements

    ann = make_user("ann")
    with dbmod.unit_of_work(app.state.sessions) as s:
        s.get(User, ann.id).locale = "zh_TW"
        policy.save(s, None, policy.PolicyConfig(banned_words=["flood"]))
    c, _ = checked_then_stored(app, "ann", story, LONG)
    names = session.scalars(select(AuditEvent.name).order_by(AuditEvent.id)).all()
    assert names[-3:] == ["comment:created", "comment:removed", "statement:issued"]

    def written():
        sts = session.scalars(select(Statement).where(Statement.comment_id == c.id).order_by(Statement.id)).all()
        notes = session.scalars(select(Notification).where(Notification.user_id == ann.id)
                                .order_by(Notification.id)).all()
        issued = session.scalars(select(AuditEvent).where(AuditEvent.name == "statement:issued")
                                 .order_by(AuditEvent.id)).all()
        return sts, notes, issued

    plain = written()
    assert [len(rows) for rows in plain] == [1, 1, 1]
    comment = session.get(Comment, c.id)
    decision = session.scalars(select(Decision).where(Decision.comment_id == c.id)).one()
    statements.for_removal(session, comment, decision, base_url="")  # the ORM's, beside it
    session.flush()
    sts, notes, issued = written()
    columns = [c.key for c in Statement.__table__.c if c.key not in ("id", "created_at")]
    assert [getattr(sts[0], k) for k in columns] == [getattr(sts[1], k) for k in columns]
    assert sts[0].created_at is not None
    note_columns = [c.key for c in Notification.__table__.c if c.key not in ("id", "created_at", "next_attempt_at")]
    assert [getattr(notes[0], k) for k in note_columns] == [getattr(notes[1], k) for k in note_columns]
    assert notes[0].subject == "你的留言已被移除"  # in the author's language (zh_TW)
    assert (issued[0].actor_id, issued[0].subject_type, issued[0].subject_id, issued[0].data) == (
        None, "statement", sts[0].id, issued[1].data)
    session.rollback()


def test_the_rate_is_asked_again_at_the_write(app, make_user, story):
    make_user("ann")

    def two_more(other, user):  # the same author posts twice elsewhere while this one is scored
        for i in range(2):
            other.add(Comment(article_id=story, author_id=user.id, text=f"elsewhere {i}", state="published"))

    with pytest.raises(RateLimited):
        checked_then_stored(app, "ann", story, "a third one", meanwhile=two_more, per_minute=2)


def test_a_suspension_that_has_ended_does_not_stop_the_write(app, make_user, story):
    make_user("ann")

    def ended(other, user):  # not lifted, but over
        other.add(Sanction(user_id=user.id, kind="suspension", reason="cooling off",
                           created_at=utcnow() - timedelta(days=3), ends_at=utcnow() - timedelta(days=1)))

    c, _ = checked_then_stored(app, "ann", story, "back again", meanwhile=ended)
    assert c.state == "published"


def test_a_retry_that_raced_its_first_try_gets_the_first_comment(app, make_user, story, session):
    make_user("ann")
    make_user("bob")

    def first_try(other, user):  # the first try with the same key lands while the retry is scored
        other.add(Comment(article_id=story, author_id=user.id, text="only once", state="published",
                          idempotency_key="k-1"))

    c, checked = checked_then_stored(app, "ann", story, "only once", meanwhile=first_try, key="k-1")
    assert c is not checked.stored and checked.stored is None
    assert session.scalar(select(func.count()).select_from(Comment).where(Comment.idempotency_key == "k-1")) == 1
    assert session.scalar(select(func.count()).select_from(Decision).where(Decision.comment_id == c.id)) == 0
    with pytest.raises(BadInput):  # someone else's key
        checked_then_stored(app, "bob", story, "not yours", key="k-1")


def test_a_webhook_subscribed_between_two_posts_gets_the_second(app, make_user, story, session):
    """Active webhooks are looked up once per transaction (none: not at all): a subscription made
    elsewhere (another process, another session) counts from the next post on."""
    make_user("ann")
    checked_then_stored(app, "ann", story, "before the subscription")
    assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
    with dbmod.unit_of_work(app.state.sessions) as s:
        pub, _ = publishing.create_publisher(s, None, "Harbour Gazette CMS")
        hook, _ = publishing.add_webhook(s, pub, url="http://127.0.0.1:9/hook", allow_private=True)
    second, _ = checked_then_stored(app, "ann", story, "after the subscription")
    session.rollback()  # a new read snapshot (SQLite): what the posts wrote since
    events = session.scalars(select(WebhookDelivery.payload).order_by(WebhookDelivery.id)).all()
    assert [(e["event"], e["data"]["comment_id"], e["data"]["state"]) for e in events] == [
        ("comment.created", second.id, "published")]  # a published comment's one webhook event (events.py)
    with dbmod.unit_of_work(app.state.sessions) as s:  # switched off: the next post queues nothing more
        s.get(type(hook), hook.id).active = False
    checked_then_stored(app, "ann", story, "after switching it off")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1


def test_a_webhook_added_in_the_same_transaction_as_a_post_gets_its_events(app, make_user, story, session):
    make_user("ann")
    with app.state.sessions() as s:
        ann = s.scalar(select(User).where(User.username == "ann"))
        checked = comments.check(s, ann, article_id=story, text="in one go", pipeline=app.state.pipeline,
                                 policy=policy.current(s, app.state.settings), max_chars=5000)
        s.commit()
        with s.begin():
            comments.store(s, ann, checked, per_minute=100)  # no webhook yet: none queued
            pub, _ = publishing.create_publisher(s, None, "Harbour Gazette CMS")
            publishing.add_webhook(s, pub, url="http://127.0.0.1:9/hook", allow_private=True)
            from remarks.events import Event
            from remarks.services import audit

            audit.record(s, Event.COMMENT_REMOVED, actor=None, subject_type="comment", subject_id=checked.stored.id)
    assert [p["event"] for p in session.scalars(select(WebhookDelivery.payload))] == ["comment.removed"]


def test_an_edited_policy_file_takes_effect_at_the_next_comment(tmp_path, db_url):
    file = tmp_path / "policy.toml"
    file.write_text("premoderate_links = true\n")
    settings = Settings(database_url=db_url, checks=[], policy_file=str(file))
    engine = dbmod.make_engine(db_url)
    with dbmod.make_sessionmaker(engine)() as s:
        assert policy.current(s, settings).premoderate_links is True
        assert policy.current(s, settings) is policy.current(s, settings)  # kept, not read again
        file.write_text("premoderate_links = false\nbanned_words = [\"flood\"]\n")
        st = file.stat()  # the same second as the first write on a coarse clock: move the time on
        os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        cfg = policy.current(s, settings)
        assert cfg.premoderate_links is False and cfg.banned_words == ["flood"]
        file.unlink()  # gone: the same error as before the cache (no stale policy)
        with pytest.raises(FileNotFoundError):
            policy.current(s, settings)
    engine.dispose()


def test_a_saved_policy_takes_effect_at_once_in_every_database(tmp_path):
    """Saved versions are kept validated by (database, id, time): a new version, or another database
    with the same version id, is never answered from the cache."""
    urls = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.db"
        dbmod.upgrade(url)
        urls.append(url)
    found = []
    for url, words in zip(urls, (["first"], ["second"]), strict=True):
        engine = dbmod.make_engine(url)
        settings = Settings(database_url=url, checks=[])
        with dbmod.unit_of_work(dbmod.make_sessionmaker(engine)) as s:
            policy.save(s, None, policy.PolicyConfig(banned_words=words))
        with dbmod.make_sessionmaker(engine)() as s:
            found.append(policy.current(s, settings).banned_words)
        with dbmod.unit_of_work(dbmod.make_sessionmaker(engine)) as s:
            policy.save(s, None, policy.PolicyConfig(banned_words=[*words, "more"]))
        with dbmod.make_sessionmaker(engine)() as s:
            found.append(policy.current(s, settings).banned_words)
        engine.dispose()
    assert found == [["first"], ["first", "more"], ["second"], ["second", "more"]]


def test_without_checks_the_post_asks_nothing_the_checks_would_read(app, make_user, story):
    """No checks: the thread's participants and other articles are not looked up; the policy still
    gets the author's earlier comments (it holds a user's first N)."""
    from sqlalchemy import event

    make_user("ann")
    with dbmod.unit_of_work(app.state.sessions) as s:
        policy.save(s, None, policy.PolicyConfig(premoderate_first_n=1))
    seen = []
    listener = lambda *a: seen.append(a[2])  # noqa: E731
    event.listen(app.state.engine, "before_cursor_execute", listener)
    try:
        first, _ = checked_then_stored(app, "ann", story, "my first", pipeline=Pipeline([]))
        second, _ = checked_then_stored(app, "ann", story, "my second", pipeline=Pipeline([]))
    finally:
        event.remove(app.state.engine, "before_cursor_execute", listener)
    assert (first.state, second.state) == ("held", "published")
    assert not [q for q in seen if "DISTINCT users.display_name" in q or "articles.id !=" in q]
