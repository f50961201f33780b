"""The fast path (web/fast_reads.py): a cached thread answered before the app gives the same answer as
the app (bytes, ETag, cache and security headers, cookies), 304 on revalidation, a logged-in reader's
own marks, and never an answer older than the database's thread version."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from remarks import db as dbmod
from remarks.models import Article, Comment, User
from remarks.services import threads
from remarks.web.api import _article_out
from support import bearer


def _served(app, kind: str) -> float:
    """How many reads of this kind the fast path answered."""
    return app.state.metrics.fast_reads.labels(kind=kind)._value.get()


def _post(client, article_id, h, text, parent_id=None) -> dict:
    body = {"text": text} | ({"parent_id": parent_id} if parent_id else {})
    r = client.post(f"/api/v1/articles/{article_id}/comments", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()


SAME = ("etag", "cache-control", "vary", "content-type", "content-security-policy", "x-content-type-options",
        "referrer-policy")


def test_an_anonymous_json_read_from_the_fast_path_is_the_apps_answer(app, client, make_user, article_id):
    make_user("ann")
    _post(client, article_id, bearer(client, "ann"), "What did the border guards see?")
    url = f"/api/v1/articles/{article_id}"
    first = client.get(url)  # the app builds and renders the thread
    assert _served(app, "json") == 0
    client.cookies.clear()
    second = client.get(url)
    assert _served(app, "json") == 1
    assert second.status_code == 200 and second.content == first.content
    assert {h: second.headers.get(h) for h in SAME} == {h: first.headers.get(h) for h in SAME}
    # An answer any cache may keep sets no cookie (the device cookie comes with the reader's first page).
    assert "set-cookie" not in second.headers and "set-cookie" not in first.headers
    again = client.get(url, headers={"If-None-Match": second.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and _served(app, "304") == 1
    assert again.headers["etag"] == second.headers["etag"]
    # Not the cached one: other parameters, another page, an order not cached yet.
    assert client.get(url, params={"page": "2"}).json()["comments"] == []
    assert client.get(url, params={"sort": "sideways"}).status_code == 422
    assert client.get(url, params={"page": "0"}).status_code == 422
    assert _served(app, "json") == 1
    # HEAD is GET without the body (web/head.py): the cached answer's headers.
    head = client.head(url)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == second.headers["etag"]
    assert _served(app, "json") == 2
    assert client.get("/api/v1/articles/999999").status_code == 404


def test_an_anonymous_page_from_the_fast_path_carries_the_readers_own_token(app, client, article_id):
    first = client.get("/articles/story")
    assert _served(app, "page") == 0
    with TestClient(app) as other:
        page = other.get("/articles/story")
        assert _served(app, "page") == 1
        token = page.cookies["remarks_csrf"]
        assert f'value="{token}"' in page.text and "\x00" not in page.text
        assert token != first.cookies["remarks_csrf"]
        assert page.text.replace(token, "T") == first.text.replace(first.cookies["remarks_csrf"], "T")
        assert {h: page.headers.get(h) for h in SAME if h != "etag"} == \
            {h: first.headers.get(h) for h in SAME if h != "etag"}
        # Revalidation with the cookie the reader now holds: 304, and the token is kept.
        again = other.get("/articles/story", headers={"If-None-Match": page.headers["etag"]})
        assert again.status_code == 304 and _served(app, "304") == 1
        assert f'value="{token}"' in other.get("/articles/story").text
    # The embed: its own page and its frame policy; another site's name is still refused by the app.
    embed = client.get("/embed/story")
    assert "frame-ancestors" in embed.headers["content-security-policy"]
    assert client.get("/embed/story").headers["content-security-policy"] == embed.headers["content-security-policy"]
    assert client.get("/embed/story", params={"site": "elsewhere"}).status_code == 404
    # A language of its own: rendered by the app once, then served.
    zh = client.get("/articles/story", headers={"Accept-Language": "zh-TW"})
    assert zh.headers["etag"] != first.headers["etag"]
    assert client.get("/articles/story", headers={"Accept-Language": "zh-TW"}).text.replace(
        client.cookies["remarks_csrf"], "T") == zh.text.replace(client.cookies["remarks_csrf"], "T")


def test_a_logged_in_reader_gets_the_cached_thread_with_their_own_marks(app, client, settings, make_user, article_id):
    for name in ("ann", "bob", "cat"):
        make_user(name)
    ha, hb, hc = bearer(client, "ann"), bearer(client, "bob"), bearer(client, "cat")
    mine = _post(client, article_id, ha, "Ann asks who gave the order.")
    bobs = _post(client, article_id, hb, "Bob says the report names him.")
    reply = _post(client, article_id, hc, "Cat replies to Bob.", parent_id=bobs["id"])
    assert client.put(f"/api/v1/comments/{reply['id']}/respect", json={"on": True}, headers=ha).status_code == 200
    with dbmod.unit_of_work(app.state.sessions) as s:
        bob = s.query(User).filter_by(username="bob").one()
    assert client.put(f"/api/v1/me/mutes/{bob.id}", json={"on": True}, headers=ha).status_code == 204
    url = f"/api/v1/articles/{article_id}"
    anonymous = client.get(url).json()
    via_app = client.get(url, headers=ha)
    served_before = _served(app, "viewer")
    fast = client.get(url, headers=ha)
    assert _served(app, "viewer") == served_before + 1
    assert fast.headers["cache-control"] == "private, no-cache" and "etag" not in fast.headers
    assert fast.content == via_app.content
    # What the thread built for Ann alone (the way every logged-in read was made before the cache) says.
    with app.state.sessions() as s:
        ann = s.query(User).filter_by(username="ann").one()
        article = s.get(Article, article_id)
        tree = threads.thread(s, article, viewer=ann, edit_minutes=settings.edit_minutes)
        expected = _article_out(article, tree, []).model_dump(mode="json")
    assert fast.json() == expected
    flags = {c["id"]: (c["reacted"], c["muted"], c["editable"]) for c in fast.json()["comments"]}
    assert flags[mine["id"]] == (False, False, True) and flags[bobs["id"]] == (False, True, False)
    assert (fast.json()["comments"][1]["replies"][0]["reacted"], anonymous["comments"][1]["replies"][0]["reacted"]) == \
        (True, False)
    # A reader with no marks gets the anonymous bytes; an unknown token is still refused by the app.
    client.get(url, headers=bearer(client, "cat"))  # Cat wrote a comment: editable, so marked
    assert client.get(url, headers=hb).json()["comments"][0]["muted"] is False
    assert client.get(url, headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_a_reader_with_a_held_comment_is_answered_by_the_app(app, client, make_user, article_id):
    make_user("ann")
    ha = bearer(client, "ann")
    url = f"/api/v1/articles/{article_id}"
    client.get(url)
    client.get(url, headers=ha)
    with dbmod.unit_of_work(app.state.sessions) as s:
        ann = s.query(User).filter_by(username="ann").one()
        s.add(Comment(article_id=article_id, author_id=ann.id, text="Waiting for a moderator.", state="held"))
    served = _served(app, "viewer")
    assert [c["text"] for c in client.get(url, headers=ha).json()["comments"]] == ["Waiting for a moderator."]
    assert _served(app, "viewer") == served
    assert client.get(url).json()["comments"] == []


def test_a_change_in_the_database_is_seen_by_the_next_fast_read(app, client, make_user, article_id):
    make_user("ann")
    first = _post(client, article_id, bearer(client, "ann"), "The first word on the inquiry.")
    url = f"/api/v1/articles/{article_id}"
    client.get(url)
    client.get("/articles/story")
    tag = client.get(url).headers["etag"]
    with dbmod.unit_of_work(app.state.sessions) as s:  # as a script or another process would
        s.get(Comment, first["id"]).text = "Edited in the database."
    fresh = client.get(url, headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and fresh.json()["comments"][0]["text"] == "Edited in the database."
    assert "Edited in the database." in client.get("/articles/story").text
    with dbmod.unit_of_work(app.state.sessions) as s:  # closing is part of the answer, not of the thread
        s.get(Article, article_id).closed_reason = "Legal advice."
        s.get(Article, article_id).closed_at = s.get(Comment, first["id"]).created_at
    assert client.get(url).json()["comments_closed"].endswith("Legal advice.")


def test_readers_who_miss_together_wait_for_one_build(app, client, make_user, article_id):
    make_user("ann")
    _post(client, article_id, bearer(client, "ann"), "Something to build.")
    cache = app.state.thread_cache
    with app.state.sessions() as s:
        article = s.get(Article, article_id)
        s.expunge(article)
    misses = cache.misses
    barrier = threading.Barrier(8)
    got = []

    def read() -> None:
        barrier.wait()
        got.append(cache.get(article))

    workers = [threading.Thread(target=read) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert len(got) == 8 and len({id(s) for s in got}) == 1
    assert cache.misses == misses + 1


def test_the_fast_version_look_up_reads_what_the_orm_reads(app, article_id):
    """services/thread_cache.Heads (the driver's connection, the columns' own types) against head() through
    a session: the same version, closing (from a date the database stores its own way) and site."""
    from datetime import timedelta

    from remarks.models import Publisher
    from remarks.models.base import utcnow
    from remarks.services.thread_cache import Heads, head

    heads = Heads(dbmod.make_engine(app.state.settings.database_url, 1))
    with dbmod.unit_of_work(app.state.sessions) as s:
        site = Publisher(name="the-valley-post", api_key_hash="x" * 64, close_after_days=2)
        s.add(site)
        s.flush()
        s.add_all([Article(slug="old", title="Old news", body="...", publisher_id=site.id,
                           published_at=utcnow() - timedelta(days=3)),
                   Article(slug="new", title="New news", body="...", publisher_id=site.id)])
    with app.state.sessions() as s:
        for ref in ({"article_id": article_id}, {"slug": "story"}, {"slug": "old"}, {"slug": "new"},
                    {"slug": "none"}, {"article_id": 10**9}):
            assert heads.get(**ref) == head(s, **ref), ref
    assert heads.get(slug="old").closed and not heads.get(slug="new").closed
    assert heads.get(slug="new").site == "the-valley-post"
    version = heads.get(article_id=article_id).version
    with dbmod.unit_of_work(app.state.sessions) as s:  # a change committed elsewhere: seen at once
        s.get(Article, article_id).title = "Inquiry opens"
    assert heads.get(article_id=article_id).version == version + 1
    heads.close()
    assert heads.get(article_id=article_id).version == version + 1  # and it opens another connection
