"""E-mail delivery for real: the outbox worker against a real SMTP server (aiosmtpd) started here."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from remarks import db as dbmod
from remarks.models import Article, Notification
from remarks.models.base import utcnow
from remarks.services import accounts, notify
from remarks.web import create_app
from smtp_capture import text_of
from support import bearer, login


@pytest.fixture
def mail_settings(settings, mailbox):
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "smtp_tls": "none",
                                       "mail_interval": 0.2, "mail_from": "comments@daily.example"})


@pytest.fixture
def mail_app(mail_settings):
    application = create_app(mail_settings)
    yield application
    application.state.engine.dispose()


def _people(app, *names_roles):
    with dbmod.unit_of_work(app.state.sessions) as s:
        for name, role in names_roles:
            accounts.create_user(s, None, username=name, password="correct-horse-battery", role=role,
                                 display_name=name.title(), email=f"{name}@readers.example")
        a = Article(slug="story", title="Inquiry opens into border attack", body="Eleven people were killed.")
        s.add(a)
        s.flush()
        return a.id


def test_a_removal_is_emailed_to_the_author_once_by_the_running_server(mail_app, mailbox):
    """Broken item 1: with SMTP set, a removal's statement of reasons reaches the author's inbox."""
    article_id = _people(mail_app, ("ann", "commenter"), ("mod", "moderator"), ("boss", "admin"))
    with TestClient(mail_app) as client:  # the lifespan starts the delivery worker
        ann, mod = bearer(client, "ann"), bearer(client, "mod")
        c = client.post(f"/api/v1/articles/{article_id}/comments", headers=ann,
                        json={"text": "The council hid the report."}).json()
        r = client.post(f"/api/v1/moderation/comments/{c['id']}/decisions", headers=mod,
                        json={"action": "remove", "rule": "offtopic", "reason": "this belongs under the harbour story"})
        assert r.status_code == 201, r.text
        [msg] = mailbox.wait_for("ann@readers.example")
        assert msg["Subject"] == "Your comment was removed"
        body = text_of(msg)
        assert "Your comment was removed." in body and "The council hid the report." in body
        assert "Relevance to the article" in body and "this belongs under the harbour story" in body
        assert "/unsubscribe/" in body and msg["List-Unsubscribe"]
        # Later passes do not send it again; the outbox page says it went.
        import time

        time.sleep(1.0)
        assert len(mailbox.to("ann@readers.example")) == 1
        login(client, "boss")
        page = client.get("/desk/outbox").text
        assert "sent" in page and "Your comment was removed" in page


def _queue_many(app, n: int) -> None:
    _people(app, ("ann", "commenter"))
    with dbmod.unit_of_work(app.state.sessions) as s:
        from sqlalchemy import select

        from remarks.models import User

        ann = s.scalar(select(User).where(User.username == "ann"))
        for i in range(n):
            notify.queue(s, ann, f"Message {i}", f"Body {i}", kind="general")


def test_two_workers_never_send_a_message_twice(app, settings, mailbox):
    """Two delivery workers (as in two server processes) racing over the same outbox."""
    cfg = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "smtp_tls": "none"})
    _queue_many(app, 30)
    factory = dbmod.make_sessionmaker(dbmod.make_engine(settings.database_url))
    results = []

    def work():
        for _ in range(3):
            results.append(notify.deliver_due(factory, cfg, limit=7))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    notify.deliver_due(factory, cfg)  # whatever is left
    subjects = sorted(m["Subject"] for m in mailbox.to("ann@readers.example"))
    assert subjects == sorted(f"Message {i}" for i in range(30))
    with factory() as s:
        from sqlalchemy import select

        assert set(s.scalars(select(Notification.status)).all()) == {"sent"}


def test_a_refusing_server_gives_retries_with_backoff_then_failed(app, settings, mailbox, client, make_user):
    mailbox.refuse = "550 5.7.1 relaying denied"
    cfg = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "smtp_tls": "none"})
    _queue_many(app, 1)
    now = utcnow()
    counts = notify.deliver_due(app.state.sessions, cfg, now=now)
    assert counts == {"sent": 0, "retry": 1, "failed": 0, "skipped": 0}
    assert notify.deliver_due(app.state.sessions, cfg, now=now + timedelta(seconds=5))["retry"] == 0  # backing off
    with app.state.sessions() as s:
        n = s.query(Notification).one()
        assert n.status == "pending" and n.attempts == 1 and "relaying denied" in n.error
        assert n.next_attempt_at >= now + timedelta(seconds=30)
    for _attempt in range(2, notify.MAX_ATTEMPTS + 1):
        now += timedelta(hours=2)
        counts = notify.deliver_due(app.state.sessions, cfg, now=now)
    assert counts["failed"] == 1
    with app.state.sessions() as s:
        n = s.query(Notification).one()
        assert n.status == "failed" and n.attempts == notify.MAX_ATTEMPTS
    assert notify.deliver_due(app.state.sessions, cfg, now=now + timedelta(days=1)) == {
        "sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    assert mailbox.messages == []
    make_user("boss", role="admin")
    login(client, "boss")
    page = client.get("/desk/outbox").text
    assert "failed" in page and "relaying denied" in page


def test_an_unreachable_server_is_retried_and_nothing_is_lost(app, settings, mailbox):
    port = mailbox.port
    mailbox.stop()
    cfg = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none"})
    _queue_many(app, 3)
    assert notify.deliver_due(app.state.sessions, cfg)["retry"] == 3
    with app.state.sessions() as s:
        assert {n.status for n in s.query(Notification)} == {"pending"}


def test_without_smtp_nothing_is_sent_and_the_messages_wait(app, settings):
    _queue_many(app, 2)
    assert notify.deliver_due(app.state.sessions, settings)["sent"] == 0
    with app.state.sessions() as s:
        assert {n.status for n in s.query(Notification)} == {"pending"}


def test_no_address_is_skipped_not_retried(app, settings, mailbox, make_user):
    cfg = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "smtp_tls": "none"})
    user = make_user("noaddress")
    with dbmod.unit_of_work(app.state.sessions) as s:
        from remarks.models import User

        notify.queue(s, s.get(User, user.id), "Hello", "Body")
    assert notify.deliver_due(app.state.sessions, cfg)["skipped"] == 1
    assert mailbox.messages == []
