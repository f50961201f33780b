"""Statistics, the audit export and the transparency export."""

import csv
import io
import json

import pytest

from remarks import db as dbmod
from sqlalchemy import select

from remarks.models import Article, Statement, User
from remarks.services import appeals, comments, moderation, policy, sanctions
from support import login


@pytest.fixture
def activity(app, make_user):
    ann, bob = make_user("annabel"), make_user("bob")
    make_user("mod", role="moderator")
    make_user("boss", role="admin")
    st = app.state.settings
    with dbmod.unit_of_work(app.state.sessions) as s:
        art = Article(slug="story", title="A story", body="Body.")
        s.add(art)
        s.flush()
        mk = dict(article_id=art.id, pipeline=app.state.pipeline, policy=policy.current(s, st), max_chars=5000,
                  per_minute=100)
        ok = comments.submit_comment(s, s.merge(ann), text="A civil remark.", **mk)
        rude = comments.submit_comment(s, s.merge(bob), text="You moron, annabel@example.com", **mk)
        mod = s.scalar(select(User).where(User.username == "mod"))
        moderation.decide(s, mod, comment_id=rude.id, action="remove", rule="attack", reason="insult")
        sanctions.sanction(s, mod, user_id=bob.id, kind="suspension", rule="attack", days=2)
        statement_id = s.scalars(select(Statement.id).where(Statement.comment_id == rude.id)).one()
        appeals.file(s, s.merge(bob), statement_id=statement_id, text="I was provoked, please look again.")
        return {"ok": ok.id, "rude": rude.id}


def test_stats_page_plots_and_csv(client, activity):
    login(client, "mod")
    page = client.get("/desk/stats")
    assert page.status_code == 200 and "Comments per day" in page.text
    for name in ("comments_per_day", "holds_removals_per_rule", "decisions_by_kind", "time_to_decision", "appeals",
                 "moderator_throughput", "nudges"):
        png = client.get(f"/desk/stats/{name}.png")
        assert png.status_code == 200 and png.content[:4] == b"\x89PNG", name
        rows = list(csv.reader(io.StringIO(client.get(f"/desk/stats/{name}.csv").text)))
        assert len(rows) >= 2, name
    per_rule = list(csv.DictReader(io.StringIO(client.get("/desk/stats/holds_removals_per_rule.csv").text)))
    assert {"rule": "attack", "held_automatically": "0", "removed_automatically": "0",
            "removed_by_moderator": "1"} in per_rule
    appeals_csv = list(csv.reader(io.StringIO(client.get("/desk/stats/appeals.csv").text)))
    assert ["open", "1"] in appeals_csv
    assert client.get("/desk/stats/nonsense.png").status_code == 404


def test_audit_export_has_every_step(client, activity):
    login(client, "boss")
    events = [json.loads(x) for x in client.get("/desk/audit.jsonl").text.splitlines()]
    names = [e["name"] for e in events]
    for step in ("comment:created", "comment:published", "comment:removed", "statement:issued", "user:suspended",
                 "appeal:filed"):
        assert step in names
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    rows = list(csv.DictReader(io.StringIO(client.get("/desk/audit.csv").text)))
    assert len(rows) == len(events) and rows[0]["name"] == events[0]["name"]


def test_transparency_export_has_the_fields_and_no_personal_data(client, activity):
    login(client, "boss")
    body = client.get("/desk/statements/transparency.jsonl").text
    rows = [json.loads(x) for x in body.splitlines()]
    assert {r["decision_visibility"] for r in rows} == {"DECISION_VISIBILITY_CONTENT_REMOVED", ""}
    assert {r["decision_account"] for r in rows} == {"", "DECISION_ACCOUNT_SUSPENDED"}
    removal = next(r for r in rows if r["decision_visibility"])
    assert removal["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert removal["category"] == "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    assert removal["source_type"] == "SOURCE_VOLUNTARY" and removal["content_type"] == "CONTENT_TYPE_TEXT"
    for personal in ("annabel", "bob", "Bob", "moron", "example.com", "insult", "provoked"):
        assert personal not in body, personal
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/desk/statements/transparency.csv").text)))
    assert len(csv_rows) == len(rows) and "decision_ground" in csv_rows[0]


def test_exports_are_for_admins(client, activity):
    login(client, "mod")
    for path in ("/desk/audit.jsonl", "/desk/audit.csv", "/desk/statements/transparency.jsonl"):
        assert client.get(path).status_code == 403


def test_anonymous_readers_get_nothing(client, activity):
    for path in ("/desk/audit.jsonl", "/desk/audit.csv", "/desk/statements/transparency.jsonl",
                 "/desk/statements/transparency.csv", "/desk/stats", "/desk/stats/appeals.csv",
                 "/desk/stats/appeals.png"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code in (303, 401), (path, r.status_code)
        assert "annabel" not in r.text and "Appeals" not in r.text, path


def test_commenters_get_no_statistics(client, activity):
    login(client, "annabel")
    for path in ("/desk/stats", "/desk/stats/appeals.csv", "/desk/audit.csv"):
        assert client.get(path, follow_redirects=False).status_code == 403, path
