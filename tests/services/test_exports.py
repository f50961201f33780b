"""The audit export and statements of reasons in the EU DSA Transparency Database fields."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from remarks import db as dbmod
from remarks.models import Article, AuditEvent, Comment, Statement
from remarks.services import exports

SECRET = "test-secret"


@pytest.fixture
def statements(app, make_user):
    bob = make_user("bobsmith")
    with dbmod.unit_of_work(app.state.sessions) as s:
        art = Article(slug="s", title="S", body="B")
        s.add(art)
        s.flush()
        c = Comment(article_id=art.id, author_id=bob.id, text="Buy pills at bobsmith@example.com", state="removed",
                    created_at=datetime(2026, 11, 1, 9, tzinfo=UTC))
        s.add(c)
        s.flush()
        facts = "Bob Smith (bobsmith@example.com, 203.0.113.9) wrote: Buy pills at bobsmith@example.com"
        for measure, ground, source, detected, automated, ends in [
            ("removal", "promotion", "own_initiative", True, True, None),   # flagged and removed by the policy
            ("suspension", "attack", "notice", True, False, datetime(2026, 11, 20, tzinfo=UTC)),  # reported
            ("ban", "illegal", "notice", False, False, None),                # illegal content, reported
            ("warning", "offtopic", "own_initiative", False, False, None),   # a moderator's own warning
        ]:
            s.add(Statement(user_id=bob.id, comment_id=c.id, measure=measure, ground=ground, source=source,
                            facts=facts, explanation=f"Bob Smith broke {ground}", automated_detection=detected,
                            automated_decision=automated, ends_at=ends,
                            created_at=datetime(2026, 11, 2, 10, tzinfo=UTC)))
    return bob


def test_transparency_fields(statements, session):
    removal, suspension, ban, warning = exports.transparency_rows(session, SECRET)
    assert all(list(r) == exports.TRANSPARENCY_FIELDS for r in (removal, suspension, ban, warning))
    expected = {
        "decision_visibility": "DECISION_VISIBILITY_CONTENT_REMOVED", "decision_account": "",
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT", "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "Yes", "automated_decision": "AUTOMATED_DECISION_FULLY",
        "content_type": "CONTENT_TYPE_TEXT", "category": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
        "content_date": "2026-11-01", "application_date": "2026-11-02", "end_date_account_restriction": ""}
    assert {k: removal[k] for k in expected} == expected
    assert (suspension["decision_account"], suspension["end_date_account_restriction"]) == (
        "DECISION_ACCOUNT_SUSPENDED", "2026-11-20")
    assert suspension["source_type"] == "SOURCE_ARTICLE_16" and suspension["decision_visibility"] == ""
    assert suspension["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert suspension["category"] == "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    assert ban["decision_account"] == "DECISION_ACCOUNT_TERMINATED"
    assert ban["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT" and ban["automated_detection"] == "No"
    assert warning["category"] == "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"
    assert warning["incompatible_content_ground"] and warning["incompatible_content_explanation"]


def test_transparency_ids_are_opaque(statements, session):
    rows = list(exports.transparency_rows(session, SECRET))
    assert len({r["puid"] for r in rows}) == 4
    assert all(r["puid"] not in (str(statements.id), "1", "2", "3", "4") for r in rows)
    assert [r["puid"] for r in exports.transparency_rows(session, "another-secret")] != [r["puid"] for r in rows]


def test_transparency_export_has_no_personal_data(statements, session):
    body = "".join(exports.as_jsonl(exports.transparency_rows(session, SECRET)))
    body += "".join(exports.as_csv(exports.transparency_rows(session, SECRET), exports.TRANSPARENCY_FIELDS))
    # username, display name, e-mail, IP address, comment text, the free-text facts and explanation
    for personal in ("bobsmith", "Bob Smith", "Bobsmith", "example.com", "203.0.113", "pills"):
        assert personal not in body, personal


def test_audit_rows_oldest_first_since_a_date_and_as_csv(app, session):
    old, new = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
    with dbmod.unit_of_work(app.state.sessions) as s:
        for at, name in [(new, "comment:created"), (old, "user:created"), (new + timedelta(1), "comment:removed")]:
            s.add(AuditEvent(name=name, subject_type=name.split(":")[0], subject_id=7, data={"rule": "abuse"},
                             created_at=at))
    rows = list(exports.audit_rows(session))
    assert [r["name"] for r in rows] == ["comment:created", "user:created", "comment:removed"]  # append order
    assert [r["name"] for r in exports.audit_rows(session, since=datetime(2026, 3, 1, tzinfo=UTC))] == [
        "comment:created", "comment:removed"]
    lines = [json.loads(x) for x in "".join(exports.as_jsonl(iter(rows))).splitlines()]
    assert lines[0]["data"] == {"rule": "abuse"} and lines[0]["created_at"].startswith("2026-06-01")
    table = list(csv.reader(io.StringIO("".join(exports.as_csv(iter(rows), exports.AUDIT_FIELDS)))))
    assert table[0] == exports.AUDIT_FIELDS and len(table) == 4
    assert table[1][2] == "comment:created" and json.loads(table[1][6]) == {"rule": "abuse"}
