"""The ``remarks`` command: thin wrappers that turn errors into clear messages and exit codes."""

from __future__ import annotations

import getpass
import importlib.util
import os
from typing import Annotated

import typer
from rich.console import Console

from remarks.config import Settings
from remarks.errors import RemarksError

app = typer.Typer(help="remarks: comments for news sites, moderated by the newspaper's published policy.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
err = Console(stderr=True)
out = Console()

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: REMARKS_DATABASE_URL or sqlite:///remarks.db).")]


def _settings(db: str | None = None, **overrides) -> Settings:  # noqa: ANN003
    if db:
        overrides["database_url"] = db
    try:
        return Settings(**overrides)
    except ValueError as exc:
        err.print(f"[red]error:[/red] bad settings: {exc}")
        raise typer.Exit(2) from None


def fail(exc: RemarksError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc.message}")
    return typer.Exit(1)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Seed demo articles and accounts into an empty database.")] = False,
    workers: Annotated[int, typer.Option(help="Server processes (share one database).")] = 1,
) -> None:
    """Run the site: migrate the database, optionally seed the demo, then serve."""
    import uvicorn

    from remarks import db as dbmod
    from remarks.services import demo as demo_mod

    settings = _settings(db)
    dbmod.upgrade(settings.database_url)
    if demo:
        factory = dbmod.make_sessionmaker(dbmod.make_engine(settings.database_url))
        with dbmod.unit_of_work(factory) as session:
            seeded = demo_mod.seed(session)
        out.print("[green]Demo content added.[/green]" if seeded else "Demo: the database already has content.")
        out.print("Log in as [bold]moderator[/bold] / moderator-demo-pass (moderator desk), "
                  "[bold]reader[/bold] / reader-demo-pass (commenter), [bold]editor[/bold] / editor-demo-pass (admin).")
    out.print(f"remarks on [link]http://{host}:{port}/[/link]  (database {settings.database_url})")
    os.environ["REMARKS_DATABASE_URL"] = settings.database_url
    from remarks.logs import log_config

    uvicorn.run("remarks.web.asgi:app", host=host, port=port, workers=workers, proxy_headers=True,
                log_config=log_config(settings.log_format))


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Apply the database migrations."""
    from remarks import db as dbmod

    settings = _settings(db)
    dbmod.upgrade(settings.database_url)
    out.print(f"database at head: {settings.database_url}")


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="Log-in name.")],
    role: Annotated[str, typer.Option(help="commenter, moderator or admin.")] = "commenter",
    display_name: Annotated[str | None, typer.Option(help="Name shown with comments.")] = None,
    password: Annotated[str | None, typer.Option(help="Password (asked for when not given; or REMARKS_NEW_PASSWORD).")] = None,
    db: DbOption = None,
) -> None:
    """Create a user account."""
    from remarks import db as dbmod
    from remarks.services import accounts

    settings = _settings(db)
    password = password or os.environ.get("REMARKS_NEW_PASSWORD") or getpass.getpass("Password: ")
    dbmod.upgrade(settings.database_url)
    factory = dbmod.make_sessionmaker(dbmod.make_engine(settings.database_url))
    try:
        with dbmod.unit_of_work(factory) as session:
            user = accounts.create_user(session, None, username=username, password=password,
                                        display_name=display_name, role=role)
            out.print(f"created {user.role} {user.username!r} (id {user.id})")
    except RemarksError as exc:
        raise fail(exc) from None


# Command groups that live beside this file register themselves here.
for _name in ("remarks.cli_checks", "remarks.cli_desk", "remarks.cli_publish", "remarks.cli_ops"):
    if importlib.util.find_spec(_name) is not None:
        importlib.import_module(_name).register(app)

if __name__ == "__main__":  # python -m remarks.cli
    app()
