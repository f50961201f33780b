"""Statements run on the driver's cursor (db/plain.py) write and read the same values as SQLAlchemy:
dates, JSON, booleans, a constant IN list, an insert's defaults; a missing column without a default
refused by the database. Real SQLite file (and PostgreSQL when asked)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from remarks.db.plain import Plain
from remarks.models import Article, AuditEvent, Comment, Decision, User
from remarks.services import sanctions


@pytest.fixture
def comment_id(session):
    u = User(username="ann", display_name="Ann", password_hash="x")
    a = Article(slug="s", title="t", body="b")
    session.add_all([u, a])
    session.flush()
    c = Comment(article_id=a.id, author_id=u.id, text="A remark.", state="published")
    session.add(c)
    session.flush()
    return c.id


def test_an_insert_writes_what_sqlalchemy_writes_and_reads_it_back_the_same(session, comment_id):
    when = datetime(2026, 12, 1, 4, 5, 6, 789000, tzinfo=timezone.utc)
    data = {"rule": "abuse", "score": 0.25, "nested": {"words": ["a", "b"]}, "none": None}
    rows = [{"name": "comment:created", "actor_id": None, "subject_type": "comment", "subject_id": comment_id,
             "data": data, "created_at": when}]
    Plain(insert(AuditEvent.__table__), inserts=True).run(session, rows)  # as audit.write writes them
    session.execute(insert(AuditEvent.__table__), [{**rows[0], "name": "comment:published"}])  # SQLAlchemy's way
    got = session.execute(select(AuditEvent.name, AuditEvent.data, AuditEvent.created_at).order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in got] == [("comment:created", data, when), ("comment:published", data, when)]
    read = Plain(select(AuditEvent.name, AuditEvent.data, AuditEvent.created_at).order_by(AuditEvent.id))
    assert read.first(session, {}) == ("comment:created", data, when)  # read as the column types read


def test_an_insert_fills_the_columns_defaults_and_refuses_a_missing_column_without_one(session, comment_id):
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    Plain(insert(Decision.__table__), inserts=True).run(session, {"comment_id": comment_id, "action": "publish"})
    d = session.scalars(select(Decision)).one()
    assert (d.automatic, d.rule, d.reason, d.moderator_id) == (False, None, "", None)
    assert d.created_at >= before  # default=utcnow, made at the insert
    with pytest.raises(IntegrityError):  # text has no default: refused as SQLAlchemy's insert is refused
        Plain(insert(Comment.__table__), inserts=True).run(session, {"article_id": 1, "author_id": 1})


def test_a_select_with_a_constant_in_list_and_booleans(session, comment_id):
    user_id = session.scalar(select(User.id))
    may_block = Plain(select(sanctions.may_block(bindparam("user"))))
    assert not may_block.scalar(session, {"user": user_id})
    from remarks.models import Sanction

    session.add(Sanction(user_id=user_id, kind="ban", rule=None, reason="r"))
    session.flush()
    assert may_block.scalar(session, {"user": user_id})  # the IN list (ban, suspension) as SQLAlchemy renders it
    assert Plain(select(Comment.id).where(Comment.id == bindparam("id"))).first(session, {"id": -1}) is None


def test_all_rows_read_as_sqlalchemy_reads_them_with_unused_places_null(session, comment_id):
    """``Plain.all``: every row, bytes and dates as SQLAlchemy reads them; an IN list of fixed places, the
    unused ones given None (the near-copy look-up's names for at most ten comments)."""
    from remarks.models import CommentSignature

    session.add(CommentSignature(comment_id=comment_id, signature=bytes(range(16))))
    session.flush()
    stmt = (select(CommentSignature.comment_id, CommentSignature.signature, CommentSignature.created_at)
            .where(CommentSignature.comment_id.in_([bindparam("a"), bindparam("b"), bindparam("c")])))
    args = {"a": comment_id, "b": None, "c": None}
    assert Plain(stmt).all(session, args) == [tuple(r) for r in session.execute(stmt, args).all()]
    assert Plain(stmt).all(session, args)[0][1] == bytes(range(16))
    assert Plain(stmt).all(session, {"a": -1, "b": None, "c": None}) == []


def test_loaded_objects_are_as_the_orm_loads_them(app):
    from sqlalchemy import inspect as sa_inspect

    from remarks.db.plain import Loaded
    from remarks.models import Publisher

    with app.state.sessions() as s:
        site = Publisher(name="Harbour Post", api_key_hash="0" * 64)
        s.add(site)
        s.flush()
        s.add_all([Article(slug="s", title="t", body="b"),
                   Article(slug="with-site", title="t2", body="b2", publisher_id=site.id)])
        s.commit()
    both = Loaded(Article, Publisher)
    stmt = Plain(select(*both.columns()).outerjoin_from(Article, Publisher, Publisher.id == Article.publisher_id)
                 .where(Article.slug == bindparam("slug")))
    with app.state.sessions() as s, app.state.sessions() as orm:
        for slug in ("s", "with-site"):
            story, site = both.objects(s, stmt.first(s, {"slug": slug}))
            expected = orm.scalar(select(Article).where(Article.slug == slug))
            assert {c.key: getattr(story, c.key) for c in Article.__table__.c} == \
                   {c.key: getattr(expected, c.key) for c in Article.__table__.c}
            assert (site is None) == (expected.publisher is None)
            state = sa_inspect(story)
            assert state.persistent and not s.dirty and not s.new  # loaded, nothing to flush
            assert s.get(Article, story.id) is story  # in the identity map
            again, _ = both.objects(s, stmt.first(s, {"slug": slug}))
            assert again is story  # the one the session holds
        s.flush()  # nothing written


def test_the_drivers_errors_are_raised_as_sqlalchemy_raises_them(tmp_path):
    """A missing table (a database not migrated: the CLI's one-line error) and a locked database (the writers
    retry it; the app answers 503) are SQLAlchemy's OperationalError, as from any other statement."""
    from remarks import db as dbmod

    engine = dbmod.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        with engine.connect() as conn, pytest.raises(OperationalError, match="no such table"):
            Plain(select(Comment.id)).first(conn, {})
    finally:
        engine.dispose()
