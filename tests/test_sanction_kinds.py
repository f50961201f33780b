"""The sanction kinds table drives every place that knows the kinds: the service, the statement,
the export, the policy ladder and the API schema."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from remarks.events import Event
from remarks.models import AuditEvent, Statement, User
from remarks.sanction_kinds import KINDS, MEASURES
from remarks.services import exports, policy, sanctions
from remarks.web import schemas


def test_every_kind_is_complete():
    for kind in KINDS.values():
        assert kind.label and kind.done and kind.title and kind.subject and kind.statement and kind.facts
        assert isinstance(kind.event, Event) and kind.event.webhook == "user.sanctioned"
        assert "{why}" in kind.describe and "{reason}" in kind.describe
        assert (kind.dsa_account != "") == kind.stops_posting  # restricting the account is what DSA reports
    assert set(MEASURES) == {"removal", *KINDS}


def test_the_api_schema_and_the_ladder_read_the_table():
    spec = schemas.SanctionIn.model_json_schema()["properties"]["kind"]
    assert spec["enum"] == list(KINDS)
    assert schemas.DecisionIn.model_json_schema()["properties"]["sanction"]["anyOf"][0]["enum"] == [*KINDS, "next"]
    with pytest.raises(ValueError, match="needs days"):
        policy.Step(kind=next(k.name for k in KINDS.values() if k.ends))


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_sanction_of_each_kind_writes_its_event_statement_and_export(session, make_user, kind):
    made = make_user("mod", role="moderator"), make_user("ann")
    mod, ann = (session.merge(u) for u in made)
    row = sanctions.sanction(session, mod, user_id=ann.id, kind=kind, rule="abuse", reason="insults",
                             days=3 if KINDS[kind].ends else None)
    session.flush()
    names = session.scalars(select(AuditEvent.name).where(AuditEvent.subject_id == ann.id)).all()
    assert KINDS[kind].event in names
    st = session.scalars(select(Statement).where(Statement.sanction_id == row.id)).one()
    assert st.measure == kind
    export = next(r for r in exports.transparency_rows(session, "secret") if r["decision_facts"].startswith(
        KINDS[kind].facts))
    assert export["decision_account"] == KINDS[kind].dsa_account
    assert bool(export["end_date_account_restriction"]) == KINDS[kind].ends
    blocked = sanctions.active_sanction(session, session.get(User, ann.id))
    assert (blocked is not None) == KINDS[kind].stops_posting
