"""HEAD is answered as GET without the body (web/head.py): pages, the thread JSON (also from the fast
path's cache), health; a route that has no GET still says 405."""

import logging

from support import bearer


def test_head_answers_like_get_without_the_body(client, make_user, article_id):
    make_user("ann")
    r = client.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Who signed off the budget?"},
                    headers=bearer(client, "ann"))
    assert r.status_code == 201, r.text
    slug = client.get(f"/api/v1/articles/{article_id}").json()["slug"]
    for path in (f"/api/v1/articles/{article_id}", f"/articles/{slug}", "/", "/healthz"):
        get = client.get(path)
        head = client.head(path)
        assert get.status_code == 200, path
        assert head.status_code == 200, (path, head.text)
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        if "etag" in get.headers:  # the same representation: the same validator
            assert head.headers["etag"] == get.headers["etag"], path
    json_get = client.get(f"/api/v1/articles/{article_id}")
    assert client.head(f"/api/v1/articles/{article_id}").headers["content-length"] == str(len(json_get.content))
    etag = json_get.headers["etag"]
    assert client.head(f"/api/v1/articles/{article_id}", headers={"If-None-Match": etag}).status_code == 304


def test_head_on_a_route_without_get_is_still_405(client, article_id):
    r = client.head(f"/api/v1/articles/{article_id}/comments/preview")
    assert r.status_code == 405
    assert all("head" not in ops for ops in client.get("/openapi.json").json()["paths"].values())


def test_the_access_log_says_head(client, caplog):
    with caplog.at_level(logging.INFO, logger="remarks.http"):
        client.head("/healthz")
        client.get("/healthz")
    methods = [r.method for r in caplog.records if r.name == "remarks.http"]
    assert methods[-2:] == ["HEAD", "GET"]
