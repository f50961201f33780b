"""Accounts (broken item 4): password change, password reset by e-mail (single-use, expiring, hashed,
the same answer for unknown addresses, rate-limited), e-mail verification before the first comment,
sessions ended on a password change; and the unsubscribe link of e-mails."""

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from remarks import db as dbmod
from remarks.models import AccountToken, Article, AuditEvent, LoginSession, Notification, User
from remarks.models.base import utcnow
from remarks.services import accounts, notify
from remarks.web import create_app
from smtp_capture import text_of
from support import bearer, csrf_of, login


@pytest.fixture
def mail_cfg(settings, mailbox):
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "smtp_tls": "none",
                                       "base_url": "http://testserver"})


@pytest.fixture
def ann(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        u = accounts.create_user(s, None, username="ann", password="old-password-1", email="ann@readers.example")
        s.add(Article(slug="story", title="Inquiry opens into border attack", body="Eleven people were killed."))
        return u


def _mail(app, cfg, mailbox, to, count=1):
    notify.deliver_due(app.state.sessions, cfg)
    return mailbox.wait_for(to, count, timeout=5)


def test_password_reset_end_to_end_through_the_emailed_link(app, client, ann, mail_cfg, mailbox):
    old = bearer(client, "ann", "old-password-1")
    page = client.get("/password/forgot")
    r = client.post("/password/forgot", data={"email": "ANN@readers.example", "csrf": csrf_of(page.text)})
    assert r.status_code == 200 and "If an account has this e-mail address" in r.text
    [msg] = _mail(app, mail_cfg, mailbox, "ann@readers.example")
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+)", text_of(msg)).group(1)
    token = link.rsplit("/", 1)[1]
    with app.state.sessions() as s:  # only the hash is kept, and the sent message no longer holds the link
        row = s.scalar(select(AccountToken))
        assert row.token_hash != token and token not in row.token_hash
        assert all(token not in n.body for n in s.scalars(select(Notification)))
    form = client.get(link)
    assert form.status_code == 200 and "Choose a new password" in form.text
    r = client.post(link, data={"password": "short", "csrf": csrf_of(form.text)})
    assert r.status_code == 400
    r = client.post(link, data={"password": "new-password-2", "csrf": csrf_of(form.text)})
    assert r.status_code == 200 and "Password changed" in r.text
    # The old password and the old sessions no longer work; the new password does.
    assert client.get("/api/v1/me", headers=old).status_code == 401
    assert client.post("/api/v1/session", json={"username": "ann", "password": "old-password-1"}).status_code == 401
    assert client.post("/api/v1/session", json={"username": "ann", "password": "new-password-2"}).status_code == 201
    # The link works once.
    again = client.post(link, data={"password": "third-password-3", "csrf": csrf_of(form.text)})
    assert again.status_code == 400 and "not valid any more" in again.text
    with app.state.sessions() as s:
        names = s.scalars(select(AuditEvent.name)).all()
        assert "user:password_reset_requested" in names and "user:password_reset" in names


def test_the_same_answer_whether_or_not_the_address_exists(app, client, ann, mail_cfg, mailbox):
    known = client.post("/api/v1/password-reset", json={"email": "ann@readers.example"})
    unknown = client.post("/api/v1/password-reset", json={"email": "nobody@readers.example"})
    assert known.status_code == unknown.status_code == 202 and known.json() == unknown.json()
    notify.deliver_due(app.state.sessions, mail_cfg)
    assert [m["To"] for m in mailbox.messages] == ["ann@readers.example"]


def test_reset_links_expire(app, client, ann):
    from remarks.services import recovery

    with dbmod.unit_of_work(app.state.sessions) as s:
        recovery.request_reset(s, "ann@readers.example", origin=None, base_url="")
        body = s.scalar(select(Notification.body).where(Notification.kind == "password_reset"))
    token = re.search(r"/password/reset/(\S+)", body).group(1)
    with dbmod.unit_of_work(app.state.sessions) as s:
        s.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    r = client.post("/api/v1/password-reset/confirm", json={"token": token, "new_password": "new-password-2"})
    assert r.status_code == 400 and "not valid any more" in r.json()["error"]["message"]


def test_reset_requests_are_rate_limited(app, client, ann):
    from remarks.services import recovery

    for _ in range(recovery.RESETS_PER_ADDRESS_HOUR):
        assert client.post("/api/v1/password-reset", json={"email": "x@readers.example"}).status_code == 202
    r = client.post("/api/v1/password-reset", json={"email": "ann@readers.example"})
    assert r.status_code == 429
    # Per account, at most three links an hour are sent, whatever the address asking.
    with dbmod.unit_of_work(app.state.sessions) as s:
        for _ in range(5):
            recovery.request_reset(s, "ann@readers.example", origin=None, base_url="")
        assert len(s.scalars(select(AccountToken)).all()) == recovery.RESETS_PER_ACCOUNT_HOUR


def test_password_change_ends_the_other_sessions(app, client, ann):
    other_device = bearer(client, "ann", "old-password-1")
    login(client, "ann", "old-password-1")
    me = client.get("/me")
    r = client.post("/me/password", data={"current_password": "wrong-one", "new_password": "new-password-2",
                                          "csrf": csrf_of(me.text)})
    assert r.status_code == 400 and "current password is wrong" in r.text
    r = client.post("/me/password", data={"current_password": "old-password-1", "new_password": "new-password-2",
                                          "csrf": csrf_of(me.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/me").status_code == 200  # this browser got a fresh session
    assert client.get("/api/v1/me", headers=other_device).status_code == 401
    with app.state.sessions() as s:
        assert len(s.scalars(select(LoginSession)).all()) == 1
        told = s.scalars(select(Notification.subject).where(Notification.kind == "account")).all()
        assert told == ["Your password was changed"]
    # The API door: the answer carries the new token; the old one is gone.
    token = bearer(client, "ann", "new-password-2")
    r = client.post("/api/v1/me/password", headers=token,
                    json={"current_password": "new-password-2", "new_password": "third-password-3"})
    assert r.status_code == 200
    assert client.get("/api/v1/me", headers=token).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json()['token']}"}).status_code == 200


@pytest.fixture
def verify_app(settings):
    application = create_app(settings.model_copy(update={"require_verified_email": True,
                                                         "base_url": "http://testserver"}))
    yield application
    application.state.engine.dispose()


def test_a_new_account_comments_only_after_confirming_its_address(verify_app):
    with dbmod.unit_of_work(verify_app.state.sessions) as s:
        s.add(Article(slug="story", title="Inquiry opens into border attack", body="Eleven people were killed."))
    with TestClient(verify_app) as client:
        form = client.get("/signup")
        r = client.post("/signup", data={"username": "newbie", "password": "a-long-password", "csrf":
                                         csrf_of(form.text)})
        assert r.status_code == 400 and "e-mail address" in r.text
        r = client.post("/signup", data={"username": "newbie", "password": "a-long-password",
                                         "email": "newbie@readers.example", "csrf": csrf_of(form.text)})
        assert r.status_code == 200  # followed to the front page, logged in
        article = client.get("/articles/story")
        r = client.post("/articles/story/comments", data={"text": "My first comment on the inquiry.",
                                                          "confirm": "1", "csrf": csrf_of(article.text)})
        assert r.status_code == 403 and "confirm your e-mail address first" in r.text
        assert "My first comment on the inquiry." in r.text  # the words stay in the form
        with verify_app.state.sessions() as s:
            body = s.scalar(select(Notification.body).where(Notification.kind == "verify_email"))
        link = re.search(r"http://testserver(/email/verify/\S+)", body).group(1)
        assert "Address confirmed" in client.get(link).text
        assert "not valid any more" in client.get(link).text  # single use
        r = client.post("/articles/story/comments", data={"text": "My first comment on the inquiry.",
                                                          "confirm": "1", "csrf": csrf_of(article.text)},
                        follow_redirects=False)
        assert r.status_code == 303
        with verify_app.state.sessions() as s:
            assert s.scalar(select(User.email_verified_at).where(User.username == "newbie")) is not None


def test_the_unsubscribe_link_works_without_logging_in(app, client, ann, mail_cfg, mailbox):
    with dbmod.unit_of_work(app.state.sessions) as s:
        notify.queue(s, s.get(User, ann.id), "The decision on your report", "We removed it.", kind="report")
    [msg] = _mail(app, mail_cfg, mailbox, "ann@readers.example")
    link = re.search(r"http://testserver(/unsubscribe/\S+)", text_of(msg)).group(1)
    assert msg["List-Unsubscribe"] == f"<http://testserver{link}>"
    client.cookies.clear()
    page = client.get(link)
    assert page.status_code == 200 and "Receipts and decisions on the comments you report" in page.text
    with app.state.sessions() as s:  # opening the link changed nothing
        assert notify.wants_email(s, ann.id, "report")
    assert client.post(link).status_code == 200
    assert client.post(link[:-3] + "xyz").status_code == 400  # a forged token
    with dbmod.unit_of_work(app.state.sessions) as s:
        assert not notify.wants_email(s, ann.id, "report") and notify.wants_email(s, ann.id, "statement")
        notify.queue(s, s.get(User, ann.id), "The decision on your report", "Another one.", kind="report")
        notify.queue(s, s.get(User, ann.id), "Your comment was removed", "A statement.", kind="statement")
    notify.deliver_due(app.state.sessions, mail_cfg)
    assert [m["Subject"] for m in mailbox.to("ann@readers.example")] == [
        "The decision on your report", "Your comment was removed"]
    with app.state.sessions() as s:
        assert s.scalars(select(Notification.status).order_by(Notification.id)).all() == ["sent", "skipped", "sent"]


def test_no_password_reset_where_passwords_are_switched_off(settings):
    application = create_app(settings.model_copy(update={"local_passwords": False}))
    try:
        with TestClient(application) as client:
            r = client.post("/api/v1/password-reset", json={"email": "ann@readers.example"})
            assert r.status_code == 403 and r.json()["error"]["code"] == "passwords_off"
    finally:
        application.state.engine.dispose()
