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


def test_import_into_a_site_and_export_one_sites_audit(tmp_path):
    from tests.services.exports import small_wxr

    url = f"sqlite:///{tmp_path / 'sites.db'}"
    assert run("site", "add", "herald", "--db", url).returncode == 0
    (tmp_path / "wp.xml").write_text(small_wxr())
    r = run("import", "wordpress", str(tmp_path / "wp.xml"), "--site", "herald", "--db", url)
    assert r.returncode == 0 and "comments added: 5" in r.stdout, r.stderr
    with create_engine(url).connect() as conn:
        assert set(conn.execute(text("select p.name from articles a join publishers p on p.id = a.publisher_id"))
                   .scalars()) == {"herald"}
    assert run("site", "add", "times", "--db", url).returncode == 0
    r = run("import", "wordpress", str(tmp_path / "wp.xml"), "--site", "times", "--db", url)
    assert r.returncode == 1 and "an article of another site" in r.stderr  # herald's threads stay herald's
    r = run("import", "wordpress", str(tmp_path / "wp.xml"), "--site", "nowhere", "--db", url)
    assert r.returncode == 1 and "no site 'nowhere'" in r.stderr
    every = run("audit", "export", "--db", url)
    herald = run("audit", "export", "--site", "herald", "--db", url)
    assert every.returncode == 0 and herald.returncode == 0
    assert '"import:finished"' in every.stdout  # an import belongs to no site: only the whole log has it
    assert '"import:finished"' not in herald.stdout and '"site:' not in herald.stdout
    assert run("statements", "export", "--site", "nowhere", "--db", url).returncode == 1
