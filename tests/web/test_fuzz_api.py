"""Schemathesis against the app's own /openapi.json, as every role: no 5xx, and every response
matches the schema (the one error shape included)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from remarks import db as dbmod
from remarks.config import Settings
from remarks.services import accounts, demo
from remarks.web import create_app


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    url = f"sqlite:///{path}"
    dbmod.upgrade(url)
    app = create_app(Settings(database_url=url, checks=["wordlist", "links"], comments_per_minute=100000,
                              webhooks_enabled=False))
    tokens = {"anonymous": None}
    with dbmod.unit_of_work(app.state.sessions) as s:
        demo.seed(s)
        from sqlalchemy import select

        from remarks.models import User

        for role, name in (("commenter", "reader"), ("moderator", "moderator"), ("admin", "editor")):
            user = s.scalar(select(User).where(User.username == name))
            tokens[role], _ = accounts.start_session(s, user, days=1)
    return app, tokens


def test_every_operation_as_every_role(world):
    app, tokens = world
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 20
    failures = []
    for op in operations:
        if op.path == "/api/v1/session" and op.method.upper() == "DELETE":
            continue  # logging out would end the sessions the other cases use

        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=op.as_strategy())
        def run(case):
            for token in tokens.values():  # the same request as each role
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                response = case.call(headers=headers)
                case.validate_response(response, checks=(not_a_server_error, status_code_conformance,
                                                         response_schema_conformance))

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report
            failures.append(f"{op.method.upper()} {op.path}: {str(exc)[:300]}")
    assert not failures, "\n".join(failures)
