import pytest

from support import bearer


def assert_error_shape(r, status, code=None):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


def test_openapi_and_docs(client):
    spec = client.get("/openapi.json").json()
    assert "/api/v1/articles/{article_id}/comments" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_list_and_get_articles(client, article_id):
    assert [a["id"] for a in client.get("/api/v1/articles").json()] == [article_id]
    body = client.get(f"/api/v1/articles/{article_id}").json()
    assert body["title"].startswith("Inquiry") and body["comments"] == []


def test_post_comment_and_reply_with_a_token(client, make_user, article_id):
    make_user("ann")
    make_user("bob")
    h = bearer(client, "ann")
    r = client.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Who ignored the warning?"}, headers=h)
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["state"] == "published" and {c["rule"] for c in first["checks"]} == {"abuse", "promotion"}
    r = client.post(f"/api/v1/articles/{article_id}/comments", json={"text": "The border police.",
                    "parent_id": first["id"]}, headers=bearer(client, "bob"))
    assert r.status_code == 201
    tree = client.get(f"/api/v1/articles/{article_id}").json()["comments"]
    assert tree[0]["id"] == first["id"] and tree[0]["replies"][0]["text"] == "The border police."


@pytest.mark.parametrize(
    "payload, status",
    [
        ({"text": ""}, 400),  # empty
        ({"text": "a\u0000b"}, 400),  # binary
        ({"text": "z" * 5001}, 413),  # too long
        ({"text": 42}, 422),  # wrong type
        ({}, 422),  # missing text
        ({"text": "ok", "parent_id": "x"}, 422),  # malformed parent id
    ],
)
def test_bad_comment_payloads_get_4xx_in_the_one_error_shape(client, make_user, article_id, payload, status):
    make_user("ann")
    r = client.post(f"/api/v1/articles/{article_id}/comments", json=payload, headers=bearer(client, "ann"))
    assert_error_shape(r, status)


def test_malformed_json_and_wrong_content(client, make_user, article_id):
    make_user("ann")
    h = bearer(client, "ann") | {"Content-Type": "application/json"}
    assert_error_shape(client.post(f"/api/v1/articles/{article_id}/comments", content=b"{not json", headers=h), 422)
    assert_error_shape(client.post(f"/api/v1/articles/{article_id}/comments", content=b"\xff\xfe\x00",
                                   headers=h), 400)
    big = b'{"text": "' + b"a" * 300_000 + b'"}'
    assert_error_shape(client.post(f"/api/v1/articles/{article_id}/comments", content=big, headers=h), 413)


def test_errors_share_one_shape(client, make_user, article_id):
    assert_error_shape(client.get("/api/v1/articles/999"), 404, "not_found")
    assert_error_shape(client.get("/api/v1/nothing-here"), 404)
    assert_error_shape(client.post(f"/api/v1/articles/{article_id}/comments", json={"text": "hi"}), 401)
    assert_error_shape(client.post("/api/v1/session", json={"username": "x", "password": "y"}), 401)
    make_user("ann")
    assert_error_shape(client.get("/api/v1/moderation/queue", headers=bearer(client, "ann")), 403, "forbidden")
    assert_error_shape(client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}), 401)


def test_moderator_queue_decision_and_ban(client, app, make_user, article_id):
    make_user("ann")
    make_user("mod", role="moderator")
    ann, mod = bearer(client, "ann"), bearer(client, "mod")
    posted = client.post(f"/api/v1/articles/{article_id}/comments", headers=ann,
                         json={"text": "You absolute moron, what bullshit"}).json()
    assert posted["state"] == "held"
    queue = client.get("/api/v1/moderation/queue", headers=mod).json()
    assert [q["id"] for q in queue] == [posted["id"]] and queue[0]["article_title"].startswith("Inquiry")
    abuse = next(c for c in queue[0]["checks"] if c["rule"] == "abuse")
    assert {"moron", "bullshit"} <= set(abuse["evidence"]["details"]["matched"])
    r = client.post(f"/api/v1/moderation/comments/{posted['id']}/decisions", headers=mod,
                    json={"action": "remove", "rule": "attack", "reason": "insults another reader"})
    assert r.status_code == 201 and r.json()["moderator"] == "Mod"
    r = client.post(f"/api/v1/moderation/users/{queue[0]['author_id']}/sanctions", headers=mod,
                    json={"kind": "suspension", "rule": "attack", "days": 3, "reason": "insults"})
    assert r.status_code == 201 and "until" in r.json()["message"]
    assert client.get("/api/v1/moderation/queue", headers=mod).json() == []
    refused = client.post(f"/api/v1/articles/{article_id}/comments", headers=ann, json={"text": "hello?"})
    assert_error_shape(refused, 403, "sanctioned")
    assert "suspended" in refused.json()["error"]["message"]
    assert "suspended" in client.get("/api/v1/me", headers=ann).json()["sanction"]


def test_decision_needs_a_rule_to_remove(client, make_user, article_id):
    make_user("ann")
    make_user("mod", role="moderator")
    c = client.post(f"/api/v1/articles/{article_id}/comments", headers=bearer(client, "ann"),
                    json={"text": "fine"}).json()
    r = client.post(f"/api/v1/moderation/comments/{c['id']}/decisions", headers=bearer(client, "mod"),
                    json={"action": "remove"})
    assert_error_shape(r, 400)


def test_logout_ends_the_token(client, make_user):
    make_user("ann")
    h = bearer(client, "ann")
    assert client.get("/api/v1/me", headers=h).status_code == 200
    assert client.delete("/api/v1/session", headers=h).status_code == 204
    assert client.get("/api/v1/me", headers=h).status_code == 401


def test_rate_limit_answers_429(app, client, make_user, article_id):
    app.state.settings.comments_per_minute = 2
    make_user("ann")
    h = bearer(client, "ann")
    codes = [client.post(f"/api/v1/articles/{article_id}/comments", headers=h, json={"text": f"c{i}"}).status_code
             for i in range(3)]
    assert codes == [201, 201, 429]


def test_cookie_session_needs_csrf_header_on_api_writes(client, make_user, article_id):
    from support import login

    make_user("ann")
    login(client, "ann")
    r = client.post(f"/api/v1/articles/{article_id}/comments", json={"text": "via cookie"})
    assert_error_shape(r, 403, "forbidden")
    token = client.cookies.get("remarks_csrf")
    r = client.post(f"/api/v1/articles/{article_id}/comments", json={"text": "via cookie"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 201


def test_healthz(client):
    assert client.get("/healthz").json()["status"] == "ok"


def test_login_rate_limit_after_ten_failures(client, make_user):
    make_user("ann")
    codes = [client.post("/api/v1/session", json={"username": "ann", "password": f"wrong-{i}"}).status_code
             for i in range(11)]
    assert codes == [401] * 10 + [429]
    # Even the right password waits now: guessing stops for this username.
    r = client.post("/api/v1/session", json={"username": "ann", "password": "correct-horse-battery"})
    assert r.status_code == 429 and r.headers["retry-after"] == "900"


def test_every_login_is_a_new_session(client, make_user):
    make_user("ann")
    first, second = bearer(client, "ann"), bearer(client, "ann")
    assert first != second
    client.delete("/api/v1/session", headers=first)
    assert client.get("/api/v1/me", headers=first).status_code == 401
    assert client.get("/api/v1/me", headers=second).status_code == 200


def test_one_decision_removes_sanctions_and_cleans_up_like_the_desk(client, make_user, article_id):
    """The desk's one-key action through the API: remove, ban the author citing the comment, and
    remove the rest of their comments (one use-case, services.moderation.decide_and_sanction)."""
    spec = client.get("/openapi.json").json()["components"]["schemas"]["DecisionIn"]["properties"]
    assert {"sanction", "days", "remove_all"} <= set(spec)
    make_user("ann")
    make_user("mod", role="moderator")
    h = bearer(client, "ann")
    ids = [client.post(f"/api/v1/articles/{article_id}/comments", json={"text": f"Remark number {n} on the story."},
                       headers=h).json()["id"] for n in range(3)]
    m = bearer(client, "mod")
    r = client.post(f"/api/v1/moderation/comments/{ids[0]}/decisions", headers=m,
                    json={"action": "remove", "rule": "abuse", "reason": "insults", "sanction": "ban",
                          "remove_all": True})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["action"] == "remove" and body["removed"] == 2
    assert body["sanction"]["kind"] == "ban" and body["sanction"]["user_id"] and "banned" in body["sanction"]["message"]
    assert client.get(f"/api/v1/articles/{article_id}").json()["comments"] == []
    refused = client.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Still here?"}, headers=h)
    assert_error_shape(refused, 403, "sanctioned")
    # A suspension without a length is refused, and nothing of the step is kept (one unit of work).
    make_user("bob")
    cid = client.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Another remark."},
                      headers=bearer(client, "bob")).json()["id"]
    bad = client.post(f"/api/v1/moderation/comments/{cid}/decisions", headers=m,
                      json={"action": "remove", "rule": "abuse", "sanction": "suspension"})
    assert_error_shape(bad, 400)
    assert [c["id"] for c in client.get(f"/api/v1/articles/{article_id}").json()["comments"]] == [cid]
