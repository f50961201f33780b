"""Webhooks: queued in the same transaction as the change, signed, retried with backoff, never
delivered twice, and the publisher API that feeds articles in."""

import hashlib
import hmac
import http.server
import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from remarks import db as dbmod
from remarks.models import WebhookDelivery
from remarks.models.base import utcnow
from remarks.services import appeals, comments, moderation, policy, publishing, sanctions, webhooks


class Receiver:
    """A real HTTP server on 127.0.0.1 that records requests and answers with the codes it is given."""

    def __init__(self, codes=None):
        self.requests, self.codes = [], list(codes or [])
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append((dict(self.headers), body))
                self.send_response(outer.codes.pop(0) if outer.codes else 200)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def events(self):
        return [json.loads(b)["event"] for _, b in self.requests]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def hooked(app, receiver, make_user):
    make_user("ann")
    make_user("mod", role="moderator")
    make_user("mod2", role="moderator")
    with dbmod.unit_of_work(app.state.sessions) as s:
        pub, key = publishing.create_publisher(s, None, "Harbour Gazette CMS")
        _, secret = publishing.add_webhook(s, pub, url=receiver.url, allow_private=True)
        art, _ = publishing.upsert_article(s, pub, slug="story-1", title="A story", body="The body of the story.")
    return {"secret": secret, "article_id": art.id, "key": key}


def users(s):
    from remarks.models import User

    return {u.username: u for u in s.scalars(select(User))}


def post(app, text, article_id):
    with dbmod.unit_of_work(app.state.sessions) as s:
        return comments.submit_comment(s, users(s)["ann"], article_id=article_id, text=text, pipeline=app.state.pipeline,
                                       policy=policy.current(s, app.state.settings), max_chars=5000, per_minute=100)


def test_events_are_signed_and_carry_no_text(app, receiver, hooked):
    c = post(app, "What utter bullshit, moron", hooked["article_id"])
    assert webhooks.deliver_due(app.state.sessions)["delivered"] == 2
    assert receiver.events() == ["comment.created", "comment.held"]
    headers, body = receiver.requests[0]
    expected = "sha256=" + hmac.new(hooked["secret"].encode(), headers["X-Remarks-Timestamp"].encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
    assert headers["X-Remarks-Signature"] == expected
    payload = json.loads(body)
    assert payload["data"]["comment_id"] == c.id and payload["data"]["article_slug"] == "story-1"
    assert b"bullshit" not in body


def test_removal_sanction_and_appeal_reversal_events(app, receiver, hooked):
    c = post(app, "A civil remark about the story.", hooked["article_id"])
    with dbmod.unit_of_work(app.state.sessions) as s:
        u = users(s)
        moderation.decide(s, u["mod"], comment_id=c.id, action="remove", rule="offtopic")
        sanctions.sanction(s, u["mod"], user_id=u["ann"].id, kind="warning", rule="offtopic")
    with dbmod.unit_of_work(app.state.sessions) as s:
        from remarks.models import Statement

        st = s.scalars(select(Statement).where(Statement.comment_id == c.id)).one()
        a = appeals.file(s, users(s)["ann"], statement_id=st.id, text="It was on topic, please look.")
    with dbmod.unit_of_work(app.state.sessions) as s:
        appeals.decide(s, users(s)["mod2"], appeal_id=a.id, outcome="reversed", answer="Right, it is on topic.")
    webhooks.deliver_due(app.state.sessions)
    assert receiver.events() == ["comment.created", "comment.removed", "user.sanctioned", "comment.restored",
                                 "appeal.decided"]


def test_retries_back_off_then_fail_for_good(app, hooked, session):
    bad = Receiver(codes=[500] * 20)
    try:
        with dbmod.unit_of_work(app.state.sessions) as s:
            pub = s.scalar(select(publishing.Publisher).where(publishing.Publisher.name != "default"))
            publishing.add_webhook(s, pub, url=bad.url, events=["comment.created"], allow_private=True)
        post(app, "Hello there.", hooked["article_id"])
        now = utcnow()
        waits = []
        for _ in range(webhooks.MAX_ATTEMPTS):
            webhooks.deliver_due(app.state.sessions, now=now)
            with app.state.sessions() as s:
                d = s.scalars(select(WebhookDelivery).where(WebhookDelivery.last_status_code == 500)).one()
                if d.status == "failed":
                    break
                waits.append((d.next_attempt_at - now).total_seconds())
                assert webhooks.deliver_due(app.state.sessions, now=now)["retry"] == 0  # not due yet: no attempt
                now = d.next_attempt_at
        assert waits[:4] == [10, 20, 40, 80]
        assert d.status == "failed" and d.attempts == webhooks.MAX_ATTEMPTS
        assert len(bad.requests) == webhooks.MAX_ATTEMPTS
    finally:
        bad.server.shutdown()


def test_two_workers_never_deliver_twice(app, receiver, hooked):
    for i in range(10):
        post(app, f"Remark number {i}.", hooked["article_id"])
    errors, counts = [], []

    def worker():
        try:
            counts.append(webhooks.deliver_due(app.state.sessions))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []  # neither worker failed (on SQLite: no "database is locked" from a claim)
    ids = [json.loads(b)["id"] for _, b in receiver.requests]
    assert len(ids) == 10 and len(set(ids)) == 10
    assert sum(c["delivered"] for c in counts) == 10


def test_a_rolled_back_change_sends_nothing(app, receiver, hooked, session):
    with pytest.raises(RuntimeError), dbmod.unit_of_work(app.state.sessions) as s:
        comments.submit_comment(s, users(s)["ann"], article_id=hooked["article_id"], text="Never committed.",
                                pipeline=app.state.pipeline, policy=policy.current(s, app.state.settings), max_chars=5000,
                                per_minute=100)
        raise RuntimeError("the request failed after the comment was written")
    assert session.scalars(select(WebhookDelivery)).all() == []


def test_backoff_schedule():
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3, 10, 20)] == [10, 20, 40, 3600, 3600]
    assert webhooks.backoff(1) == timedelta(seconds=10)


def test_publisher_api(client, hooked):
    h = {"X-API-Key": hooked["key"]}
    r = client.put("/api/v1/publisher/articles/story-2", headers=h, json={"title": "Second story", "body": "Text."})
    assert r.status_code == 201 and r.json()["created"]
    r = client.put("/api/v1/publisher/articles/story-2", headers=h, json={"title": "Second story, updated"})
    assert r.status_code == 200 and not r.json()["created"]
    assert "Second story, updated" in client.get("/articles/story-2").text
    assert client.put("/api/v1/publisher/articles/story-3", json={"title": "x"}).status_code == 401
    r = client.put("/api/v1/publisher/articles/story-3", headers={"X-API-Key": "rk_wrong"}, json={"title": "x"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"
    r = client.post("/api/v1/publisher/webhooks", headers=h, json={"url": "ftp://nope"})
    assert r.status_code == 400
    hook = client.post("/api/v1/publisher/webhooks", headers=h, json={"url": "https://cms.example/hook",
                                                                     "events": ["comment.held"]}).json()
    assert hook["secret"] and hook["events"] == ["comment.held"]
    assert client.get(f"/api/v1/publisher/webhooks/{hook['id']}/deliveries", headers=h).json() == []
    assert client.get("/api/v1/publisher/articles/story-1/comments", headers=h).json() == []


def test_the_server_delivers_in_the_background(app, receiver, hooked, make_user):
    import time

    from fastapi.testclient import TestClient

    from support import bearer

    app.state.settings.webhooks_enabled = True
    with TestClient(app) as client:  # the lifespan starts the delivery thread
        client.post(f"/api/v1/articles/{hooked['article_id']}/comments", headers=bearer(client, "ann"),
                    json={"text": "Posted through the API."})
        deadline = time.monotonic() + 10
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.1)
    assert receiver.events() == ["comment.created"]
