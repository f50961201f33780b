"""``remarks db backup`` and ``remarks db restore`` (SQLite)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from remarks.errors import RemarksError

err = Console(stderr=True)
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: REMARKS_DATABASE_URL).")]


def _url(db: str | None) -> str:
    from remarks.config import Settings

    return db or Settings().database_url


def backup(dest: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
           db: DbOption = None) -> None:
    """Back up the SQLite database while the server runs (online, consistent)."""
    from remarks.services import backup as svc

    try:
        n = svc.backup(_url(db), dest)
    except RemarksError as exc:
        err.print(f"error: {exc.message}")
        raise typer.Exit(1) from None
    err.print(f"backed up {n:,} comments to {dest}")


def restore(source: Annotated[Path, typer.Argument(help="A backup written by remarks db backup.")],
            db: DbOption = None,
            force: Annotated[bool, typer.Option("--force", help="Replace an existing database.")] = False) -> None:
    """Restore a checked SQLite backup (stop the server first)."""
    from remarks.services import backup as svc

    try:
        n = svc.restore(_url(db), source, force=force)
    except RemarksError as exc:
        err.print(f"error: {exc.message}")
        raise typer.Exit(1) from None
    err.print(f"restored {n:,} comments from {source}")


def register(app: typer.Typer) -> None:
    db_app = next(g.typer_instance for g in app.registered_groups if g.name == "db")
    db_app.command("backup")(backup)
    db_app.command("restore")(restore)
