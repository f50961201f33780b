"""Shared fixtures: a real SQLite file per test, and the same tests on a real PostgreSQL
server when ``REMARKS_TEST_POSTGRES_URL`` is set (scripts/test starts one)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from remarks import db as dbmod
from remarks.config import Settings
from remarks.services import accounts
from remarks.web import create_app

PG_URL = os.environ.get("REMARKS_TEST_POSTGRES_URL")
# One template per pytest-xdist worker: each worker drops and re-creates its own at start.
_TEMPLATE = "remarks_template_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
_template_ready = False


def _pg_database() -> str:
    """A fresh PostgreSQL database, copied from a migrated template (fast)."""
    global _template_ready
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not _template_ready:
            conn.execute(text(f"DROP DATABASE IF EXISTS {_TEMPLATE}"))
            conn.execute(text(f"CREATE DATABASE {_TEMPLATE}"))
            dbmod.upgrade(_url_for(_TEMPLATE))
            _template_ready = True
        name = "t_" + uuid.uuid4().hex[:12]
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE}"))
    admin.dispose()
    return _url_for(name)


def _url_for(name: str) -> str:
    return re.sub(r"/[^/]*$", f"/{name}", PG_URL)


def _backends() -> list:
    params = ["sqlite"]
    params.append(pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="no PostgreSQL server "
                                                                        "(scripts/test starts one)")))
    return params


@pytest.fixture(params=_backends())
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'remarks.db'}"
        dbmod.upgrade(url)
        return url
    return _pg_database()


@pytest.fixture
def settings(db_url) -> Settings:
    # Placeholder word-list/link checks keep these tests about the site, not the models.
    return Settings(database_url=db_url, checks=["wordlist", "links"], comments_per_minute=1000,
                    webhooks_enabled=False)


@pytest.fixture
def app(settings):
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def session(app) -> Iterator:
    s = app.state.sessions()
    yield s
    s.rollback()
    s.close()


@pytest.fixture
def make_user(app):
    """make_user("ann", role="moderator") -> the User, committed."""

    def make(username: str, role: str = "commenter", password: str = "correct-horse-battery"):
        with dbmod.unit_of_work(app.state.sessions) as s:
            return accounts.create_user(s, None, username=username, password=password, role=role,
                                        display_name=username.title())

    return make


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def mailbox():
    """A real SMTP server (aiosmtpd) on a free port; ``mailbox.messages`` is what it received."""
    from smtp_capture import Mailbox

    box = Mailbox().start()
    yield box
    box.stop()
