"""Cached threads (services/thread_cache.py, web/caching.py): a change makes the next read fresh, in
this process and in another server on the same database; ETag and 304; a logged-in reader still sees
their own held comment."""

from fastapi.testclient import TestClient

from remarks import db as dbmod
from remarks.models import Comment, User
from remarks.web import create_app
from support import bearer, login


def _texts(body) -> list[str]:
    return [c["text"] for c in body["comments"]]


def _post(client, article_id, h, text) -> dict:
    r = client.post(f"/api/v1/articles/{article_id}/comments", json={"text": text}, headers=h)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_change_makes_the_next_read_fresh_here_and_in_another_server(app, client, settings, make_user, article_id):
    make_user("ann")
    make_user("bob")
    other = create_app(settings)  # a second server process's app on the same database
    try:
        with TestClient(other) as second:
            assert client.get(f"/api/v1/articles/{article_id}").json()["comments"] == []
            assert second.get(f"/api/v1/articles/{article_id}").json()["comments"] == []  # cached there too
            first = _post(client, article_id, bearer(client, "ann"), "Who ignored the warning?")
            assert _texts(client.get(f"/api/v1/articles/{article_id}").json()) == ["Who ignored the warning?"]
            assert _texts(second.get(f"/api/v1/articles/{article_id}").json()) == ["Who ignored the warning?"]
            # A reaction given through the second server shows in the first.
            hb = bearer(second, "bob")
            r = second.put(f"/api/v1/comments/{first['id']}/respect", json={"on": True}, headers=hb)
            assert r.status_code == 200, r.text
            assert client.get(f"/api/v1/articles/{article_id}").json()["comments"][0]["reactions"] == 1
            # A moderator's removal (here straight in the database, as a script would) too.
            with dbmod.unit_of_work(app.state.sessions) as s:
                s.get(Comment, first["id"]).state = "removed"
            assert second.get(f"/api/v1/articles/{article_id}").json()["comments"] == []
            assert "Who ignored" not in second.get("/articles/story").text
    finally:
        other.state.engine.dispose()


def test_etag_and_304_for_json_and_page(client, make_user, article_id):
    make_user("ann")
    url = f"/api/v1/articles/{article_id}"
    r = client.get(url)
    tag = r.headers["etag"]
    assert "public" in r.headers["cache-control"] and "stale-while-revalidate" in r.headers["cache-control"]
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    page = client.get("/articles/story")
    assert page.status_code == 200 and page.headers["etag"]
    assert client.get("/articles/story", headers={"If-None-Match": page.headers["etag"]}).status_code == 304
    _post(client, article_id, bearer(client, "ann"), "A new view on the inquiry.")
    changed = client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert _texts(changed.json()) == ["A new view on the inquiry."]
    fresh_page = client.get("/articles/story", headers={"If-None-Match": page.headers["etag"]})
    assert fresh_page.status_code == 200 and "A new view on the inquiry." in fresh_page.text


def test_the_cached_page_carries_each_readers_own_form_token(app, article_id):
    with TestClient(app) as one, TestClient(app) as two:
        a, b = one.get("/articles/story"), two.get("/articles/story")
        assert a.cookies.get("remarks_csrf") and b.cookies.get("remarks_csrf")
        assert a.cookies["remarks_csrf"] != b.cookies["remarks_csrf"]
        assert f'value="{a.cookies["remarks_csrf"]}"' in a.text and f'value="{b.cookies["remarks_csrf"]}"' in b.text
        assert a.headers["etag"] != b.headers["etag"]


def test_no_shared_cache_may_keep_a_readers_token_or_cookie(app, article_id):
    """The thread JSON is for any cache and sets no cookie; the page carries the reader's own form token
    (and sets its cookies), so only the reader's browser may keep it."""
    with TestClient(app) as fresh:
        thread = fresh.get(f"/api/v1/articles/{article_id}")
        assert thread.headers["cache-control"].startswith("public") and "set-cookie" not in thread.headers
        page = fresh.get("/articles/story")
        assert page.headers["cache-control"].startswith("private") and "max-age=5" in page.headers["cache-control"]
        assert {"remarks_csrf", "remarks_device"} <= set(page.cookies)
        again = fresh.get("/articles/story", headers={"If-None-Match": page.headers["etag"]})
        assert again.status_code == 304 and again.headers["cache-control"].startswith("private")
        assert "set-cookie" not in again.headers


def test_a_logged_in_reader_sees_their_held_comment(app, client, make_user, article_id):
    make_user("ann")
    make_user("bob")
    _post(client, article_id, bearer(client, "bob"), "A published comment.")
    client.get(f"/api/v1/articles/{article_id}")  # cached without the held one
    with dbmod.unit_of_work(app.state.sessions) as s:
        ann = s.query(User).filter_by(username="ann").one()
        s.add(Comment(article_id=article_id, author_id=ann.id, text="Held for a moderator.", state="held"))
    assert _texts(client.get(f"/api/v1/articles/{article_id}").json()) == ["A published comment."]
    mine = client.get(f"/api/v1/articles/{article_id}", headers=bearer(client, "ann"))
    assert mine.headers["cache-control"].startswith("private")
    assert sorted(_texts(mine.json())) == ["A published comment.", "Held for a moderator."]
    assert _texts(client.get(f"/api/v1/articles/{article_id}", headers=bearer(client, "bob")).json()) == \
        ["A published comment."]
    with TestClient(app) as browser:
        login(browser, "ann")
        assert "Held for a moderator." in browser.get("/articles/story").text
    assert "Held for a moderator." not in client.get("/articles/story").text


def test_a_sites_new_closing_rule_or_name_makes_its_cached_pages_fresh(app, client, article_id):
    """The page says why comments are closed (the site's rule, in days): a new rule is in the next read,
    not only once the thread changes; a site renamed bumps its articles' threads too, and only its."""
    from datetime import timedelta

    from remarks.models import Article, Publisher
    from remarks.models.base import utcnow
    from remarks.services import closing

    with dbmod.unit_of_work(app.state.sessions) as s:
        s.get(Article, article_id).published_at = utcnow() - timedelta(days=10)
        elsewhere = Publisher(name="Elsewhere", api_key_hash="x" * 64)
        s.add(elsewhere)
        s.flush()
        other = Article(slug="other", title="Another site's story", body=".", publisher_id=elsewhere.id)
        s.add(other)
        s.flush()
        other_id = other.id
        closing.set_close_after_days(s, None, s.get(Article, article_id).publisher, 1)
    assert "1 day after" in client.get("/articles/story").text
    assert "1 day after" in client.get("/articles/story").text  # served from the cache now
    with dbmod.unit_of_work(app.state.sessions) as s:
        closing.set_close_after_days(s, None, s.get(Article, article_id).publisher, 2)
    assert "2 days after" in client.get("/articles/story").text
    with dbmod.unit_of_work(app.state.sessions) as s:
        versions = {a.id: a.thread_version for a in s.query(Article)}
        s.get(Article, article_id).publisher.name = "The Harbour Gazette"
    with dbmod.unit_of_work(app.state.sessions) as s:
        assert s.get(Article, article_id).thread_version == versions[article_id] + 1
        assert s.get(Article, other_id).thread_version == versions[other_id]
