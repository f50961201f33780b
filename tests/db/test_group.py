"""Group commit (db/group.py): writes that arrive together share one transaction; each gets its own
result or refusal; a refused write leaves nothing and does not sink the others. Real SQLite file (and
PostgreSQL when asked), real threads."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from remarks.db.group import GroupCommit
from remarks.errors import BadInput
from remarks.models import Article


def _story(slug: str):
    def work(session):
        a = Article(slug=slug, title=slug, body="b")
        session.add(a)
        session.flush()
        return a.id
    return work


def _refused(slug: str):
    def work(session):
        session.add(Article(slug=slug, title=slug, body="b"))
        session.flush()  # written, then refused: none of it may stay
        raise BadInput("refused")
    return work


class _Slow:
    """The first write holds the lead long enough for the others to queue behind it as one group."""

    def __init__(self, inner):
        self.inner, self.started = inner, threading.Event()

    def __call__(self, session):
        self.started.set()
        time.sleep(0.3)
        return self.inner(session)


def _slugs(app) -> list[str]:
    with app.state.sessions() as s:
        return sorted(s.scalars(select(Article.slug)).all())


def _behind_a_slow_lead(group: GroupCommit, first: _Slow, works: list) -> list:
    """Write ``first`` (it holds the lead), queue ``works`` behind it in this order, and return each
    queued write's result or its ``BadInput``."""
    with ThreadPoolExecutor(len(works) + 1) as pool:
        lead = pool.submit(group.write, first)
        first.started.wait(5)
        futures = []
        for w in works:
            futures.append(pool.submit(group.write, w))
            time.sleep(0.01)  # queued in this order
        lead.result(10)
        outcomes = []
        for f in futures:
            try:
                outcomes.append(f.result(10))
            except BadInput as exc:
                outcomes.append(exc)
    return outcomes


def test_waiting_writes_are_committed_together_each_with_its_own_result(app):
    sizes: list[int] = []
    group = GroupCommit(app.state.sessions, observe=sizes.append)
    first = _Slow(_story("s-first"))
    with ThreadPoolExecutor(9) as pool:
        lead = pool.submit(group.write, first)
        first.started.wait(5)
        rest = [pool.submit(group.write, _story(f"s{i}")) for i in range(8)]
        ids = [lead.result(10)] + [f.result(10) for f in rest]
    assert len(set(ids)) == 9  # each its own row
    assert _slugs(app) == sorted(["s-first"] + [f"s{i}" for i in range(8)])
    assert sizes[0] == 1 and max(sizes) > 1 and sum(sizes) == 9, sizes  # the eight waited, then went together


def test_a_refused_write_leaves_nothing_and_does_not_sink_the_others(app):
    sizes: list[int] = []
    group = GroupCommit(app.state.sessions, observe=sizes.append)
    first = _Slow(_story("s-first"))
    works = [_story("s0"), _refused("bad"), _story("s1"), _refused("bad2"), _story("s2")]
    outcomes = _behind_a_slow_lead(group, first, works)
    assert [isinstance(o, BadInput) for o in outcomes] == [False, True, False, True, False]
    assert _slugs(app) == ["s-first", "s0", "s1", "s2"]
    assert max(sizes) == 5, sizes  # the refusals were in the group with the others


def test_a_lone_write_is_written_at_once_and_its_error_raised(app):
    group = GroupCommit(app.state.sessions)
    assert isinstance(group.write(_story("alone")), int)
    with pytest.raises(BadInput):
        group.write(_refused("nope"))
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 1


def test_many_threads_many_groups_nothing_lost_nothing_twice(app):
    group = GroupCommit(app.state.sessions, most=4)
    with ThreadPoolExecutor(12) as pool:
        ids = list(pool.map(lambda i: group.write(_story(f"m{i:03}")), range(120)))
    assert len(set(ids)) == 120
    assert _slugs(app) == [f"m{i:03}" for i in range(120)]


def _attached(slug: str, refuse: bool = False):
    """As comments.store inserts a comment: a plain INSERT, its row added to the session as loaded."""
    from sqlalchemy import insert
    from sqlalchemy.orm import make_transient_to_detached

    def work(session):
        row = session.connection().execute(insert(Article.__table__).returning(*Article.__table__.c),
                                           {"slug": slug, "title": slug, "body": "b"}).first()
        a = Article(**row._mapping)
        make_transient_to_detached(a)
        session.add(a)
        if refuse:
            raise BadInput("refused after its row was written")
        return a.id
    return work


def test_a_write_refused_after_attaching_its_row_does_not_clash_with_the_next(app):
    """SQLite gives the next row the refused one's id: the session must not still hold the refused object."""
    group = GroupCommit(app.state.sessions)
    first = _Slow(_attached("a-first"))
    works = [_attached("a0", refuse=True), _attached("a1"), _attached("a2", refuse=True), _attached("a3")]
    outcomes = _behind_a_slow_lead(group, first, works)
    assert [isinstance(o, BadInput) for o in outcomes] == [True, False, True, False], outcomes
    assert _slugs(app) == ["a-first", "a1", "a3"]


def test_what_a_refused_write_noted_for_after_the_commit_goes_with_it(app):
    """The audit events a write notes in session.info (counted by the metrics once committed): a refused
    write's notes are dropped with its savepoint, the others' kept."""
    from sqlalchemy import event

    from remarks.db import make_sessionmaker

    factory = make_sessionmaker(app.state.engine)
    counted: list = []
    event.listen(factory, "after_commit", lambda s: counted.extend(s.info.pop("new_events", [])))

    def noting(slug: str, refuse: bool = False):
        def work(session):
            session.info.setdefault("new_events", []).append(slug)
            if refuse:
                raise BadInput("refused")
            return _story(slug)(session)
        return work

    group = GroupCommit(factory)
    first = _Slow(noting("n-first"))
    with ThreadPoolExecutor(4) as pool:
        lead = pool.submit(group.write, first)
        first.started.wait(5)
        futures = []
        for w in (noting("n0"), noting("n1", refuse=True), noting("n2")):
            futures.append(pool.submit(group.write, w))
            time.sleep(0.01)
        lead.result(10)
        for f in futures:
            try:
                f.result(10)
            except BadInput:
                pass
    assert sorted(counted) == ["n-first", "n0", "n2"]
