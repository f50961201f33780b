"""/healthz, /metrics, structured logs."""

import json
import logging

from remarks import db as dbmod
from remarks.logs import JsonFormatter
from remarks.models import Article
from support import bearer


def test_metrics_count_posts_decisions_and_queue(app, client, make_user):
    with dbmod.unit_of_work(app.state.sessions) as s:
        s.add(Article(slug="a", title="A story", body="Body."))
    make_user("ann")
    h = bearer(client, "ann")
    client.post("/api/v1/articles/1/comments", headers=h, json={"text": "A calm remark."})
    client.post("/api/v1/articles/1/comments", headers=h, json={"text": "What utter bullshit"})
    body = client.get("/metrics").text
    assert "remarks_comments_posted_total 2.0" in body
    assert 'remarks_decisions_total{action="held",kind="automatic",rule="abuse"} 1.0' in body
    assert 'remarks_decisions_total{action="published",kind="automatic",rule="none"} 1.0' in body
    assert "remarks_queue_size 1.0" in body
    assert 'remarks_check_seconds_count{rule="abuse"} 2.0' in body


def test_metrics_token(app, client):
    app.state.settings.metrics_token = "s3cret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_healthz_and_api_report_a_dead_database_as_503(tmp_path):
    from fastapi.testclient import TestClient

    from remarks.config import Settings
    from remarks.web import create_app

    dead = create_app(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    with TestClient(dead) as c:
        r = c.get("/healthz")
        assert r.status_code == 503 and r.json()["status"] == "unavailable"
        r = c.get("/api/v1/articles")
        assert r.status_code == 503 and r.json()["error"]["code"] == "unavailable"
        assert r.headers["retry-after"] == "5"


def test_json_log_lines():
    rec = logging.LogRecord("remarks.http", logging.INFO, __file__, 1, "request", (), None)
    rec.status, rec.path = 201, "/api/v1/articles/1/comments"
    line = json.loads(JsonFormatter().format(rec))
    assert line["message"] == "request" and line["status"] == 201 and line["level"] == "info"
