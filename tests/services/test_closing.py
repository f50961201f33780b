"""Closing comments: by hand with a reason, automatically N days after publication per site; the
page shows why, the API and the page refuse new posts (409 with the reason), reopening works."""

from __future__ import annotations

from datetime import timedelta

from remarks import db as dbmod
from remarks.models import Article, Publisher
from remarks.models.base import utcnow
from remarks.services import closing, publishing
from tests.support import bearer, csrf_of, login


def _article(app, *, days_old=0, close_after=None):
    with dbmod.unit_of_work(app.state.sessions) as s:
        pub, _ = publishing.create_publisher(s, None, "Harbour Gazette")
        closing.set_close_after_days(s, None, pub, close_after)
        art, _ = publishing.upsert_article(s, pub, slug="story", title="A story", body="The body of the story.",
                                           published_at=utcnow() - timedelta(days=days_old))
        return art.id


def test_a_moderator_closes_by_hand_and_posts_are_refused_with_the_reason(client, app, make_user):
    aid = _article(app)
    make_user("ann")
    make_user("mod", role="moderator")
    ann, mod = bearer(client, "ann"), bearer(client, "mod")
    assert client.post(f"/api/v1/articles/{aid}/comments", headers=ann, json={"text": "Before closing."}).status_code == 201
    r = client.put(f"/api/v1/moderation/articles/{aid}/closing", headers=mod,
                   json={"closed": True, "reason": "The trial has started."})
    assert r.status_code == 200 and r.json()["closed"] and not r.json()["automatic"]
    r = client.post(f"/api/v1/articles/{aid}/comments", headers=ann, json={"text": "After closing."})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "closed" and "The trial has started." in r.json()["error"]["message"]
    r = client.post(f"/api/v1/articles/{aid}/comments/preview", headers=ann, json={"text": "After closing."})
    assert r.status_code == 409
    assert client.get(f"/api/v1/articles/{aid}").json()["comments_closed"].endswith("The trial has started.")
    assert client.put(f"/api/v1/moderation/articles/{aid}/closing", headers=ann,
                      json={"closed": False}).status_code == 403  # readers cannot reopen
    assert client.put(f"/api/v1/moderation/articles/{aid}/closing", headers=mod,
                      json={"closed": True, "reason": ""}).status_code == 400  # a reason is required
    client.put(f"/api/v1/moderation/articles/{aid}/closing", headers=mod, json={"closed": False})
    assert client.post(f"/api/v1/articles/{aid}/comments", headers=ann, json={"text": "Reopened."}).status_code == 201


def test_the_page_shows_why_and_keeps_the_thread(client, app, make_user):
    _article(app)
    make_user("ann")
    make_user("mod", role="moderator")
    login(client, "mod")
    page = client.get("/articles/story")
    r = client.post("/desk/articles/story/closing", data={"action": "close", "reason": "Legal advice.",
                                                          "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.clear()
    login(client, "ann")
    page = client.get("/articles/story")
    assert "Comments are closed. Legal advice." in page.text and 'id="new-comment"' not in page.text
    r = client.post("/articles/story/comments", data={"text": "Still here?", "csrf": csrf_of(page.text),
                                                       "confirm": "1"})
    assert r.status_code == 409 and "Legal advice." in r.text


def test_comments_close_by_themselves_after_the_sites_days(client, app, make_user):
    aid = _article(app, days_old=15, close_after=14)
    make_user("ann")
    r = client.post(f"/api/v1/articles/{aid}/comments", headers=bearer(client, "ann"), json={"text": "Late."})
    assert r.status_code == 409 and "close 14 days after" in r.json()["error"]["message"]
    with app.state.sessions() as s:
        st = closing.state(s.get(Article, aid))
        assert st.closed and st.automatic


def test_a_young_article_and_a_site_without_the_setting_stay_open(client, app, make_user):
    aid = _article(app, days_old=3, close_after=14)
    make_user("ann")
    h = bearer(client, "ann")
    assert client.post(f"/api/v1/articles/{aid}/comments", headers=h, json={"text": "Early."}).status_code == 201
    with dbmod.unit_of_work(app.state.sessions) as s:
        closing.set_close_after_days(s, None, s.query(Publisher).filter(Publisher.name != "default").one(), None)
        s.get(Article, aid).published_at = utcnow() - timedelta(days=400)
    assert client.post(f"/api/v1/articles/{aid}/comments", headers=h, json={"text": "Old."}).status_code == 201
