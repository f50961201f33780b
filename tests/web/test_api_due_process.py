import pytest

from remarks.moderation import rules

from support import bearer


@pytest.fixture
def tokens(client, make_user):
    for name, role in (("ann", "commenter"), ("bob", "commenter"), ("mod", "moderator"), ("mod2", "moderator"),
                       ("boss", "admin")):
        make_user(name, role=role)
    return {n: bearer(client, n) for n in ("ann", "bob", "mod", "mod2", "boss")}


def test_preview_is_the_nudge_and_stores_nothing(client, tokens, article_id):
    r = client.post(f"/api/v1/articles/{article_id}/comments/preview", headers=tokens["ann"],
                    json={"text": "What utter bullshit"})
    assert r.status_code == 200 and r.json()["action"] == "hold" and r.json()["rule"] == "abuse"
    assert client.get(f"/api/v1/articles/{article_id}").json()["comments"] == []


def test_report_appeal_and_reverse_through_the_api(client, tokens, article_id):
    c = client.post(f"/api/v1/articles/{article_id}/comments", headers=tokens["ann"], json={"text": "A view."}).json()
    r = client.post(f"/api/v1/comments/{c['id']}/reports", headers=tokens["bob"], json={"reason": "offtopic"})
    assert r.status_code == 201 and "received your report" in r.json()["message"]
    r = client.post(f"/api/v1/comments/{c['id']}/reports", headers=tokens["bob"],
                    json={"reason": "illegal", "explanation": ""})
    assert r.status_code in (400, 409)
    client.post(f"/api/v1/moderation/comments/{c['id']}/decisions", headers=tokens["mod"],
                json={"action": "remove", "rule": "offtopic", "reason": "another story"})
    sts = client.get("/api/v1/me/statements", headers=tokens["ann"]).json()
    assert len(sts) == 1 and sts[0]["measure"] == "removal" and sts[0]["may_appeal"]
    assert client.get("/api/v1/me/statements", headers=tokens["bob"]).json() == []  # not bob's to see
    r = client.post(f"/api/v1/me/statements/{sts[0]['id']}/appeal", headers=tokens["bob"],
                    json={"text": "Appealing someone else's decision"})
    assert r.status_code == 404
    a = client.post(f"/api/v1/me/statements/{sts[0]['id']}/appeal", headers=tokens["ann"],
                    json={"text": "It was about this story."}).json()
    assert [x["id"] for x in client.get("/api/v1/moderation/appeals", headers=tokens["mod2"]).json()] == [a["id"]]
    r = client.post(f"/api/v1/moderation/appeals/{a['id']}/decision", headers=tokens["mod"],
                    json={"outcome": "reversed", "answer": "Deciding my own case"})
    assert r.status_code == 403
    r = client.post(f"/api/v1/moderation/appeals/{a['id']}/decision", headers=tokens["mod2"],
                    json={"outcome": "reversed", "answer": "It is on topic; restored."})
    assert r.json()["state"] == "reversed"
    assert [x["id"] for x in client.get(f"/api/v1/articles/{article_id}").json()["comments"]] == [c["id"]]


def test_policy_api_is_for_admins_and_validates(client, tokens):
    assert client.get("/api/v1/admin/policy", headers=tokens["mod"]).status_code == 403
    pol = client.get("/api/v1/admin/policy", headers=tokens["boss"]).json()
    abuse = rules.get("abuse")  # the default: the shipped operating point
    assert pol["thresholds"]["abuse"] == {"hold": abuse.hold, "remove": abuse.remove}
    r = client.put("/api/v1/admin/policy", headers=tokens["boss"],
                   json={"thresholds": {"abuse": {"hold": 0.8, "remove": 0.2}}})
    assert r.status_code == 400 and "must not be above" in r.json()["error"]["message"]
    r = client.put("/api/v1/admin/policy", headers=tokens["boss"], json={"premoderate_links": True})
    assert r.status_code == 200 and r.json()["premoderate_links"] is True
    assert client.get("/api/v1/admin/policy", headers=tokens["boss"]).json()["premoderate_links"] is True
