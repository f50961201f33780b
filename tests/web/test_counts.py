"""GET /api/v1/counts: published comments per article, cached, open to every origin; bad input is a 400."""

from __future__ import annotations

from remarks import db as dbmod
from remarks.models import Article, Comment


def _world(app, make_user):
    ann = make_user("ann")
    with dbmod.unit_of_work(app.state.sessions) as s:
        a, b = Article(slug="story-a", title="A", body="."), Article(slug="story-b", title="B", body=".")
        s.add_all([a, b])
        s.flush()
        for state in ("published", "published", "held", "removed"):
            s.add(Comment(article_id=a.id, author_id=ann.id, text="x", state=state))
        return a.id


def test_counts_published_comments_only_and_unknown_articles_are_zero(client, app, make_user):
    _world(app, make_user)
    r = client.get("/api/v1/counts?articles=story-a,story-b,not-yet-here")
    assert r.status_code == 200
    assert r.json() == {"counts": {"story-a": 2, "story-b": 0, "not-yet-here": 0}}
    assert r.headers["access-control-allow-origin"] == "*"
    assert "max-age=60" in r.headers["cache-control"] and r.headers["etag"]
    again = client.get("/api/v1/counts?articles=story-a,story-b,not-yet-here",
                       headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_counts_are_cached_for_a_while(client, app, make_user):
    aid = _world(app, make_user)
    assert client.get("/api/v1/counts?articles=story-a").json()["counts"]["story-a"] == 2
    with dbmod.unit_of_work(app.state.sessions) as s:
        s.add(Comment(article_id=aid, author_id=1, text="y", state="published"))
    assert client.get("/api/v1/counts?articles=story-a").json()["counts"]["story-a"] == 2  # cached
    app.state.counts.ttl = 0
    assert client.get("/api/v1/counts?articles=story-a").json()["counts"]["story-a"] == 3


def test_bad_requests_are_400_with_a_reason(client):
    assert client.get("/api/v1/counts").status_code == 422
    r = client.get("/api/v1/counts?articles=")
    assert r.status_code == 400 and "name the articles" in r.json()["error"]["message"]
    r = client.get("/api/v1/counts?articles=" + ",".join(f"s{i}" for i in range(101)))
    assert r.status_code == 400 and "at most 100" in r.json()["error"]["message"]
    r = client.get("/api/v1/counts?articles=ok,<script>")
    assert r.status_code == 400 and "not an article id" in r.json()["error"]["message"]
