"""The fast path for API posts (web/fast_posts.py) answers as the API's route did: the same stored rows and
audit events for a post, and for what it leaves to the route (a body that is not a comment, no log-in, a
cookie without its CSRF token) the route's own answers."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from remarks.models import AuditEvent, Comment, Decision
from support import bearer


def _path(article_id):
    return f"/api/v1/articles/{article_id}/comments"


def test_a_post_through_the_fast_path_is_stored_decided_and_audited(app, make_user, article_id):
    make_user("ann")
    with TestClient(app) as c:
        h = bearer(c, "ann")
        r = c.post(_path(article_id), json={"text": "When will the inquiry report?", "idempotency_key": "f1"},
                   headers=h)
        again = c.post(_path(article_id), json={"text": "When will the inquiry report?", "idempotency_key": "f1"},
                       headers={**h, "Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 201 and again.status_code == 201, (r.text, again.text)
    first = r.json()
    assert first["state"] == "published" and again.json() == first  # the retry: the same comment, as stored
    with app.state.sessions() as s:
        assert s.scalars(select(Comment.id).where(Comment.idempotency_key == "f1")).all() == [first["id"]]
        assert len(s.scalars(select(Decision.id).where(Decision.comment_id == first["id"])).all()) == 1
        names = s.scalars(select(AuditEvent.name).where(AuditEvent.subject_id == first["id"],
                                                        AuditEvent.subject_type == "comment")).all()
    assert names == ["comment:created", "comment:published"]


@pytest.mark.parametrize(("body", "headers", "status", "words"), [
    (b'{"text": ', {}, 422, "JSON decode error"),  # not JSON
    (b'{"parent_id": 3}', {}, 422, "text: Field required"),  # not a comment
    (b'["a list"]', {}, 422, "valid dictionary"),
    (b'{"text": "fine"}', {"Content-Type": "text/plain"}, 422, ""),  # not sent as JSON
    (b'{"text": "   "}', {}, 400, "the comment is empty"),  # read, then refused by the service
    (b'{"text": "x", "idempotency_key": ""}', {}, 400, "idempotency key is 1 to 100"),
])
def test_what_is_not_a_comment_is_answered_as_the_route_answers(app, make_user, article_id, body, headers, status,
                                                               words):
    make_user("ann")
    with TestClient(app) as c:
        h = {**bearer(c, "ann"), "Content-Type": "application/json", **headers}
        r = c.post(_path(article_id), content=body, headers=h)
    assert r.status_code == status, r.text
    assert words in r.json()["error"]["message"]
    with app.state.sessions() as s:
        assert s.scalars(select(Comment.id)).all() == []  # nothing stored


def test_who_may_post_is_asked_as_the_route_asks(app, make_user, article_id):
    make_user("ann")
    with TestClient(app) as c:
        nobody = c.post(_path(article_id), json={"text": "Hello?"})
        unknown = c.post(_path(article_id), json={"text": "Hello?"}, headers={"Authorization": "Bearer nope"})
        c.post("/api/v1/session", json={"username": "ann", "password": "correct-horse-battery"})
        r = c.post("/api/v1/session", json={"username": "ann", "password": "correct-horse-battery"})
        c.cookies.set("remarks_session", r.json()["token"])
        no_csrf = c.post(_path(article_id), json={"text": "Hello?"})
        missing = c.post(_path(10**9), json={"text": "Hello?"}, headers=bearer(c, "ann"))
    assert (nobody.status_code, nobody.json()["error"]["message"]) == (401, "log in first")
    assert (unknown.status_code, unknown.json()["error"]["message"]) == (401, "the bearer token is unknown or expired")
    assert no_csrf.status_code == 403 and "security token" in no_csrf.json()["error"]["message"]
    assert missing.status_code == 404
    with app.state.sessions() as s:
        assert s.scalars(select(Comment.id)).all() == []


class _Slow:
    """The word-list check, a quarter of a second per batch: posts that arrive meanwhile wait their turn."""

    def __init__(self) -> None:
        from remarks.checks.wordlist import WordListAbuse

        self.inner = WordListAbuse()
        self.rule, self.version = self.inner.rule, self.inner.version
        self.memory_uses, self.rule_info = self.inner.memory_uses, None

    def provide(self, ctx, memory):
        return self.inner.provide(ctx, memory)

    def score_batch(self, ctxs):
        import time

        time.sleep(0.25)
        return self.inner.score_batch(ctxs)


def _concurrent_posts(app, article_id, n: int, threads: int):
    """``n`` posts at once through the app (one event loop, ``threads`` worker threads): the answers."""
    import anyio
    import anyio.to_thread
    import httpx

    async def go():
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            r = await c.post("/api/v1/session", json={"username": "ann", "password": "correct-horse-battery"})
            h = {"Authorization": f"Bearer {r.json()['token']}"}
            answers = [None] * n

            async def one(i):
                answers[i] = await c.post(_path(article_id), json={"text": f"Remark number {i} on the inquiry.",
                                                                   "idempotency_key": f"c{i}"}, headers=h)

            async with anyio.create_task_group() as tg:
                for i in range(n):
                    tg.start_soon(one, i)
            return answers

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # a loop of its own (an earlier test may have left one running here)
        return pool.submit(anyio.run, go).result()


def test_concurrent_posts_are_all_stored_each_with_its_decision_and_audit_events(app, make_user, article_id):
    make_user("ann")
    answers = _concurrent_posts(app, article_id, 12, threads=3)
    assert [r.status_code for r in answers] == [201] * 12, [r.text for r in answers]
    ids = sorted(r.json()["id"] for r in answers)
    with app.state.sessions() as s:
        assert sorted(s.scalars(select(Comment.id)).all()) == ids  # each once, nothing lost
        for cid in ids:
            assert len(s.scalars(select(Decision.id).where(Decision.comment_id == cid)).all()) == 1
            names = s.scalars(select(AuditEvent.name).where(AuditEvent.subject_id == cid,
                                                            AuditEvent.subject_type == "comment")).all()
            assert names == ["comment:created", "comment:published"], (cid, names)


def test_a_post_waiting_for_its_scores_holds_no_worker_thread(app, make_user, article_id):
    """One worker thread: while a batch is scored the other posts still get to the scoring thread, so
    they are scored together (a post that held its thread while waiting made every batch a single one)."""
    from remarks.moderation.batching import BatchingPipeline

    make_user("ann")
    app.state.pipeline = pipeline = BatchingPipeline([_Slow()], max_batch=16)
    answers = _concurrent_posts(app, article_id, 6, threads=1)
    assert [r.status_code for r in answers] == [201] * 6, [r.text for r in answers]
    assert sum(pipeline.batches) == 6 and max(pipeline.batches) > 1, pipeline.batches


def test_an_automatic_removal_written_with_the_group_has_its_statement_of_reasons(app, make_user, article_id):
    """The write runs in the group writer's session, not the request's: the statement of reasons still names the
    story and goes to the author, with its notification and audit event."""
    from remarks.models import Notification, Statement

    make_user("ann")
    make_user("boss", role="admin")
    with TestClient(app) as c:
        r = c.put("/api/v1/admin/policy", headers=bearer(c, "boss"),
                  json={"thresholds": {"abuse": {"hold": 0.1, "remove": 0.2}}})
        assert r.status_code == 200, r.text
        h = bearer(c, "ann")
        r = c.post(_path(article_id), json={"text": "What utter bullshit", "idempotency_key": "rm1"}, headers=h)
    assert r.status_code == 201 and r.json()["state"] == "removed", r.text
    with app.state.sessions() as s:
        st = s.scalars(select(Statement).where(Statement.comment_id == r.json()["id"])).one()
        assert st.measure == "removal" and st.automated_decision and st.user.username == "ann"
        assert "Inquiry opens into border attack" in st.facts and "What utter bullshit" in st.facts
        assert s.scalars(select(Notification.kind).where(Notification.user_id == st.user_id)).all() == ["statement"]
        names = s.scalars(select(AuditEvent.name).where(AuditEvent.subject_type == "statement",
                                                        AuditEvent.subject_id == st.id)).all()
        assert names == ["statement:issued"]
