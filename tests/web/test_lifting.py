"""Lifting a suspension or ban with a reason (broken item 3), and moderators' notes on a user."""

import pytest
from sqlalchemy import select

from remarks import db as dbmod
from remarks.models import AuditEvent, Notification, User, WebhookDelivery
from remarks.services import publishing
from support import bearer, csrf_of, login


@pytest.fixture
def tokens(client, make_user):
    for name, role in (("ann", "commenter"), ("bob", "commenter"), ("mod", "moderator"), ("mod2", "moderator")):
        make_user(name, role=role)
    return {n: bearer(client, n) for n in ("ann", "bob", "mod", "mod2")}


def _user_id(app, name):
    with app.state.sessions() as s:
        return s.scalar(select(User.id).where(User.username == name))


@pytest.mark.parametrize("kind, days", [("ban", None), ("suspension", 30)])
def test_a_moderator_lifts_a_ban_and_the_user_may_post_again(client, tokens, article_id, app, kind, days):
    with dbmod.unit_of_work(app.state.sessions) as s:  # a publisher's webhook listens for lifted measures
        pub, _ = publishing.create_publisher(s, None, "cms")
        publishing.add_webhook(s, pub, url="http://127.0.0.1:9/hook", events=["user.sanction_lifted"],
                               allow_private=True)
    ann = _user_id(app, "ann")
    r = client.post(f"/api/v1/moderation/users/{ann}/sanctions", headers=tokens["mod"],
                    json={"kind": kind, "rule": "attack", "reason": "insults", "days": days})
    sid = r.json()["id"]
    post = client.post(f"/api/v1/articles/{article_id}/comments", headers=tokens["ann"], json={"text": "Hello again."})
    assert post.status_code == 403
    # A reason is required; commenters cannot lift.
    assert client.post(f"/api/v1/moderation/sanctions/{sid}/lift", headers=tokens["mod2"],
                       json={"reason": ""}).status_code == 400
    assert client.post(f"/api/v1/moderation/sanctions/{sid}/lift", headers=tokens["bob"],
                       json={"reason": "I like ann"}).status_code == 403
    r = client.post(f"/api/v1/moderation/sanctions/{sid}/lift", headers=tokens["mod2"],
                    json={"reason": "The insult was a quotation from the article."})
    assert r.status_code == 200, r.text
    assert client.post(f"/api/v1/moderation/sanctions/{sid}/lift", headers=tokens["mod2"],
                       json={"reason": "again and again"}).status_code == 409
    post = client.post(f"/api/v1/articles/{article_id}/comments", headers=tokens["ann"], json={"text": "Hello again."})
    assert post.status_code == 201
    assert client.get("/api/v1/me", headers=tokens["ann"]).json()["sanction"] is None
    # The statement says so, the user is told, the audit log and the webhook record it.
    login(client, "ann")
    me = client.get("/me").text
    assert "This measure was lifted" in me and "quotation from the article" in me
    with app.state.sessions() as s:
        told = s.scalars(select(Notification.subject).where(Notification.user_id == ann)).all()
        assert any("was lifted" in t for t in told)
        ev = s.scalar(select(AuditEvent).where(AuditEvent.name == "user:sanction_lifted"))
        assert ev.subject_id == ann and ev.data["sanction_id"] == sid and "quotation" in ev.data["reason"]
        [d] = s.scalars(select(WebhookDelivery)).all()
        assert d.event == "user.sanction_lifted" and d.payload["data"]["user_id"] == ann
        assert "reason" not in d.payload["data"]


def test_the_desk_user_page_lifts_with_a_reason(client, tokens, app):
    ann = _user_id(app, "ann")
    sid = client.post(f"/api/v1/moderation/users/{ann}/sanctions", headers=tokens["mod"],
                      json={"kind": "ban", "rule": "abuse", "reason": "swearing"}).json()["id"]
    login(client, "mod2")
    page = client.get(f"/desk/users/{ann}")
    assert f"/desk/sanctions/{sid}/lift" in page.text
    r = client.post(f"/desk/sanctions/{sid}/lift", data={"reason": "Mistaken identity.", "csrf": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "lifted" in page and "Mistaken identity." in page and "banned" not in page.split("<h2")[0]


def test_moderator_notes_are_for_moderators_and_audited(client, tokens, app):
    ann = _user_id(app, "ann")
    r = client.post(f"/api/v1/moderation/users/{ann}/notes", headers=tokens["mod"],
                    json={"text": "Writes under a second account as 'harbourfan'."})
    assert r.status_code == 201
    assert client.get(f"/api/v1/moderation/users/{ann}/notes", headers=tokens["bob"]).status_code == 403
    assert client.get(f"/api/v1/moderation/users/{ann}/notes", headers=tokens["ann"]).status_code == 403
    [n] = client.get(f"/api/v1/moderation/users/{ann}/notes", headers=tokens["mod2"]).json()
    assert "harbourfan" in n["text"] and n["author"] == "Mod"
    login(client, "mod2")
    page = client.get(f"/desk/users/{ann}")
    assert "harbourfan" in page.text
    client.post(f"/desk/users/{ann}/notes", data={"text": "Second note.", "csrf": csrf_of(page.text)})
    assert "Second note." in client.get(f"/desk/users/{ann}").text
    login(client, "ann")
    assert "harbourfan" not in client.get("/me").text
    with app.state.sessions() as s:
        assert s.scalars(select(AuditEvent.name).where(AuditEvent.name == "user:note_added")).all() == [
            "user:note_added", "user:note_added"]
