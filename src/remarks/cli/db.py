"""``remarks db upgrade``, ``remarks db backup`` and ``remarks db restore`` (SQLite)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from remarks.cli.common import App, DbOption, err, out, settings


def upgrade(db: DbOption = None) -> None:
    """Apply the database migrations."""
    from remarks import db as dbmod

    url = settings(db).database_url
    dbmod.upgrade(url)
    out.print(f"database at head: {url}")


def backup(dest: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
           db: DbOption = None) -> None:
    """Back up the SQLite database while the server runs (online, consistent)."""
    from remarks.services import backup as svc

    n = svc.backup(settings(db).database_url, dest)
    err.print(f"backed up {n:,} comments to {dest}")


def restore(source: Annotated[Path, typer.Argument(help="A backup written by remarks db backup.")],
            db: DbOption = None,
            force: Annotated[bool, typer.Option("--force", help="Replace an existing database.")] = False) -> None:
    """Restore a checked SQLite backup (stop the server first)."""
    from remarks.services import backup as svc

    n = svc.restore(settings(db).database_url, source, force=force)
    err.print(f"restored {n:,} comments from {source}")


def register(app: App) -> None:
    group = App(help="Database maintenance.")
    group.command("upgrade")(upgrade)
    group.command("backup")(backup)
    group.command("restore")(restore)
    app.add_typer(group, name="db")
