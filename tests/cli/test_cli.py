"""The CLI as a user runs it: a real process, a real SQLite file."""

import os
import subprocess
import sys

from sqlalchemy import create_engine, text


def run(*args, env=None, input=None):
    return subprocess.run([sys.executable, "-m", "remarks.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, input=input, timeout=120)


def test_db_upgrade_and_user_create(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    r = run("db", "upgrade", "--db", url)
    assert r.returncode == 0, r.stderr
    r = run("user", "create", "sam", "--role", "moderator", "--db", url, env={"REMARKS_NEW_PASSWORD": "a-long-password"})
    assert r.returncode == 0 and "created moderator 'sam'" in r.stdout, r.stderr
    with create_engine(url).connect() as conn:
        assert conn.execute(text("select role from users where username='sam'")).scalar() == "moderator"
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_user_create_errors_are_clear(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    r = run("user", "create", "sam", "--role", "emperor", "--db", url, env={"REMARKS_NEW_PASSWORD": "a-long-password"})
    assert r.returncode == 1 and "role must be one of" in r.stderr
    r = run("user", "create", "sam", "--db", url, env={"REMARKS_NEW_PASSWORD": "short"})
    assert r.returncode == 1 and "at least 8 characters" in r.stderr


def test_production_mode_refuses_the_development_secret(tmp_path):
    r = run("db", "upgrade", "--db", f"sqlite:///{tmp_path / 'x.db'}", env={"REMARKS_MODE": "production"})
    assert r.returncode == 2 and "REMARKS_SECRET_KEY" in r.stderr
