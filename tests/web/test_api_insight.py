"""The audit log and the statistics as JSON under /api/v1, for admins and publishers' keys."""

from remarks import db as dbmod
from remarks.models import Article
from remarks.services import publishing
from support import bearer


def _setup(app, make_user, client):
    make_user("ann")
    make_user("mod", role="moderator")
    make_user("boss", role="admin")
    with dbmod.unit_of_work(app.state.sessions) as s:
        pub, key = publishing.create_publisher(s, None, "cms")
        a = Article(slug="story", title="Inquiry opens", body="Eleven people were killed.", publisher_id=pub.id)
        s.add(a)
        s.flush()
        article_id = a.id
    tokens = {n: bearer(client, n) for n in ("ann", "mod", "boss")}
    for i in range(5):
        client.post(f"/api/v1/articles/{article_id}/comments", headers=tokens["ann"], json={"text": f"Remark {i}."})
    return tokens, key


def test_the_audit_log_pages_with_a_cursor_for_admins_and_publishers(app, make_user, client):
    tokens, key = _setup(app, make_user, client)
    assert client.get("/api/v1/audit").status_code == 401
    assert client.get("/api/v1/audit", headers=tokens["mod"]).status_code == 403
    assert client.get("/api/v1/audit", headers={"X-API-Key": "wrong"}).status_code == 401
    everything = client.get("/api/v1/audit?limit=1000", headers=tokens["boss"]).json()
    assert everything["next"] is None and len(everything["events"]) > 10
    # A publisher's key reads the events about its own site (its articles and their comments): a part of them.
    own = client.get("/api/v1/audit?limit=1000", headers={"X-API-Key": key}).json()["events"]
    assert {e["id"] for e in own} < {e["id"] for e in everything["events"]}
    assert {e["subject_type"] for e in own} <= {"comment", "article", "report"}
    seen, url = [], "/api/v1/audit?limit=4"
    while url:
        page = client.get(url, headers={"X-API-Key": key}).json()
        assert len(page["events"]) <= 4
        seen += [e["id"] for e in page["events"]]
        url = page["next"]
    assert seen == [e["id"] for e in own] and seen == sorted(seen) and len(seen) > 4
    created = client.get("/api/v1/audit?name=comment:created", headers={"X-API-Key": key}).json()["events"]
    assert len(created) == 5 and {e["name"] for e in created} == {"comment:created"}


def test_statistics_as_json_and_in_openapi(app, make_user, client):
    tokens, key = _setup(app, make_user, client)
    summary = client.get("/api/v1/stats?days=7", headers={"X-API-Key": key}).json()
    assert summary["headline"]["Comments"] == 5 and "comments_per_day" in summary["tables"]
    t = client.get("/api/v1/stats/comments_per_day?days=7&per_page=3", headers=tokens["boss"]).json()
    assert t["columns"][0] == "date" and t["pages"] == 3 and len(t["rows"]) == 3
    last = client.get("/api/v1/stats/comments_per_day?days=7&per_page=3&page=3", headers=tokens["boss"]).json()
    assert len(last["rows"]) == 1 and sum(last["rows"][0][1:]) == 5  # today
    assert client.get("/api/v1/stats/nothing", headers=tokens["boss"]).status_code == 404
    assert client.get("/api/v1/stats", headers=tokens["ann"]).status_code == 403
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/audit", "/api/v1/stats", "/api/v1/stats/{name}"} <= set(paths)
