"""``remarks site ...`` as an admin types it: a real process, a real SQLite file."""

import os
import subprocess
import sys

from sqlalchemy import create_engine, text


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "remarks.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_site_add_grant_revoke_list(tmp_path):
    url = f"sqlite:///{tmp_path / 'sites.db'}"
    r = run("site", "add", "times", "--db", url)
    assert r.returncode == 0 and r.stdout.startswith("rk_") and "data-site=\"times\"" in r.stderr, r.stderr
    assert run("site", "add", "herald", "--close-after-days", "30", "--db", url).returncode == 0
    assert run("site", "add", "times", "--db", url).returncode == 1  # taken
    r = run("site", "add", "two words", "--db", url)
    assert r.returncode == 1 and "letters, digits" in r.stderr
    run("user", "create", "mia", "--db", url, env={"REMARKS_NEW_PASSWORD": "a-long-password"})
    r = run("site", "grant", "times", "mia", "--db", url)
    assert r.returncode == 0 and "mia is a moderator of: times" in r.stderr, r.stderr
    r = run("site", "grant", "herald", "mia", "--role", "admin", "--db", url)
    assert r.returncode == 1 and "one role per person" in r.stderr
    r = run("site", "grant", "nowhere", "mia", "--db", url)
    assert r.returncode == 1 and "no site 'nowhere'" in r.stderr
    r = run("site", "list", "--db", url)
    assert r.returncode == 0 and "mia (moderator)" in r.stdout and "30 days" in r.stdout
    r = run("site", "revoke", "times", "mia", "--db", url)
    assert r.returncode == 0 and "mia works on: no site" in r.stderr
    with create_engine(url).connect() as conn:
        assert conn.execute(text("select role, all_sites from users where username='mia'")).one() == ("moderator", 0)
        names = conn.execute(text("select name from publishers order by id")).scalars().all()
        assert names == ["default", "times", "herald"]
    assert run("site", "grant-all", "mia", "--db", url).returncode == 0
    with create_engine(url).connect() as conn:
        assert conn.execute(text("select all_sites from users where username='mia'")).scalar() == 1
