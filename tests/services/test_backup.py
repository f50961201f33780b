"""Backups taken under load restore identical to what was committed before they began."""

import sqlite3
import subprocess
import sys
import threading

from remarks import db as dbmod
from remarks.services import demo


def run(*args):
    return subprocess.run([sys.executable, "-m", "remarks.cli", "db", *args], capture_output=True, text=True,
                          timeout=120)


def test_backup_under_load_and_restore(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    dbmod.upgrade(url)
    factory = dbmod.make_sessionmaker(dbmod.make_engine(url))
    with dbmod.unit_of_work(factory) as s:
        demo.seed(s)
    stop = threading.Event()

    def writer():  # keeps committing comments while the backup runs
        con = sqlite3.connect(tmp_path / "live.db", timeout=30)
        i = 0
        while not stop.is_set():
            con.execute("INSERT INTO comments (article_id, author_id, text, state, created_at, nudged, "
                        "edited_after_nudge, risk) VALUES (1, 3, ?, 'published', '2026-11-24 12:00:00', 0, 0, 0)",
                        (f"under load {i}",))
            con.commit()
            i += 1
        con.close()

    before = sqlite3.connect(tmp_path / "live.db").execute("SELECT count(*) FROM comments").fetchone()[0]
    t = threading.Thread(target=writer)
    t.start()
    try:
        r = run("backup", str(tmp_path / "snap.db"), "--db", url)
    finally:
        stop.set()
        t.join()
    assert r.returncode == 0, r.stderr
    snap = sqlite3.connect(tmp_path / "snap.db")
    assert snap.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copied = snap.execute("SELECT count(*) FROM comments").fetchone()[0]
    assert copied >= before  # every comment committed before the backup began
    rows = snap.execute("SELECT id, text FROM comments ORDER BY id").fetchall()
    snap.close()

    target = f"sqlite:///{tmp_path / 'restored.db'}"
    r = run("restore", str(tmp_path / "snap.db"), "--db", target)
    assert r.returncode == 0, r.stderr
    restored = sqlite3.connect(tmp_path / "restored.db").execute("SELECT id, text FROM comments ORDER BY id").fetchall()
    assert restored == rows
    r = run("restore", str(tmp_path / "snap.db"), "--db", target)
    assert r.returncode == 1 and "--force" in r.stderr


def test_restore_refuses_what_is_not_a_remarks_database(tmp_path):
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    r = run("restore", str(tmp_path / "junk.db"), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert r.returncode == 1 and "not a SQLite database" in r.stderr
    r = run("backup", str(tmp_path / "b.db"), "--db", "postgresql+psycopg://x@127.0.0.1/none")
    assert r.returncode == 1 and "pg_dump" in r.stderr
