"""SQLite backups taken online (sqlite3's backup API: consistent while the server writes) and
restores that check what they restore. PostgreSQL: pg_dump / pg_restore (docs/deploy.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from remarks.errors import BadInput

REQUIRED = {"alembic_version", "articles", "comments", "users", "audit_events"}


def sqlite_path(url: str) -> Path:
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        raise BadInput("remarks db backup/restore handle SQLite; for PostgreSQL use pg_dump and pg_restore "
                       "(see docs/deploy.md)")
    if not u.database or u.database == ":memory:":
        raise BadInput("the database URL names no SQLite file")
    return Path(u.database)


def backup(url: str, dest: Path) -> int:
    """Copy the live database to ``dest`` page by page; returns the number of comments copied."""
    src_path = sqlite_path(url)
    if not src_path.exists():
        raise BadInput(f"there is no database at {src_path}")
    if dest.exists():
        raise BadInput(f"{dest} exists already; choose a new file name")
    src = sqlite3.connect(src_path, timeout=30)
    out = sqlite3.connect(dest)
    try:
        src.backup(out, pages=256)
        return check(out)
    finally:
        out.close()
        src.close()


def check(conn: sqlite3.Connection) -> int:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = REQUIRED - tables
    if missing:
        raise BadInput(f"not a remarks database (missing tables: {', '.join(sorted(missing))})")
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise BadInput("the database file is damaged (integrity_check failed)")
    return conn.execute("SELECT count(*) FROM comments").fetchone()[0]


def restore(url: str, source: Path, *, force: bool = False) -> int:
    """Replace the database with a checked backup; refuses to overwrite an existing one unless forced
    (stop the server first: a running server keeps its own view of the old file)."""
    if not source.exists():
        raise BadInput(f"there is no backup at {source}")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        count = check(src)
    except sqlite3.DatabaseError as exc:
        raise BadInput(f"{source} is not a SQLite database ({exc})") from None
    dest_path = sqlite_path(url)
    if dest_path.exists() and not force:
        src.close()
        raise BadInput(f"{dest_path} exists; stop the server and pass --force to replace it")
    out = sqlite3.connect(dest_path)
    try:
        src.backup(out)
    finally:
        out.close()
        src.close()
    return count
