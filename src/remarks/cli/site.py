"""``remarks serve`` and ``remarks user create``."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer

from remarks.cli.common import App, DbOption, out, sessions, settings


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Seed demo articles and accounts into an empty database.")] = False,
    history: Annotated[bool, typer.Option("--demo-history", help="With --demo: two weeks of generated comments, "
                                          "decisions, sanctions, reports and appeals.")] = False,
    workers: Annotated[int, typer.Option(help="Server processes (share one database).")] = 1,
) -> None:
    """Run the site: migrate the database, optionally seed the demo, then serve."""
    import uvicorn

    from remarks import db as dbmod
    from remarks.services import demo as demo_mod

    config = settings(db)
    dbmod.upgrade(config.database_url)
    if demo:
        factory = dbmod.make_sessionmaker(dbmod.make_engine(config.database_url))
        with dbmod.unit_of_work(factory) as session:
            seeded = demo_mod.seed(session, history=history)
        out.print("[green]Demo content added.[/green]" if seeded else "Demo: the database already has content.")
        out.print("Log in as [bold]moderator[/bold] / moderator-demo-pass (moderator desk), "
                  "[bold]reader[/bold] / reader-demo-pass (commenter), [bold]editor[/bold] / editor-demo-pass (admin).")
    out.print(f"remarks on [link]http://{host}:{port}/[/link]  (database {config.database_url})")
    os.environ["REMARKS_DATABASE_URL"] = config.database_url
    from remarks.logs import log_config

    uvicorn.run("remarks.web.asgi:app", host=host, port=port, workers=workers, proxy_headers=True,
                timeout_graceful_shutdown=config.shutdown_seconds, log_config=log_config(config.log_format, config.log_level))


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

    password = password or os.environ.get("REMARKS_NEW_PASSWORD") or getpass.getpass("Password: ")
    factory = sessions(db, migrate=True)
    with dbmod.unit_of_work(factory) as session:
        user = accounts.create_user(session, None, username=username, password=password,
                                    display_name=display_name, role=role)
        out.print(f"created {user.role} {user.username!r} (id {user.id})")


def register(app: App) -> None:
    app.command("serve")(serve)
    users = App(help="User accounts.")
    users.command("create")(user_create)
    app.add_typer(users, name="user")
