"""``remarks publisher create``, ``remarks webhook add`` and ``remarks webhooks deliver``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select

from remarks.errors import RemarksError

err = Console(stderr=True)
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: REMARKS_DATABASE_URL).")]


def _factory(db: str | None):  # noqa: ANN202
    from remarks import db as dbmod
    from remarks.config import Settings

    settings = Settings(**({"database_url": db} if db else {}))
    dbmod.upgrade(settings.database_url)
    return dbmod, dbmod.make_sessionmaker(dbmod.make_engine(settings.database_url))


def publisher_create(name: Annotated[str, typer.Argument(help="The publisher (a CMS or a site).")], db: DbOption = None) -> None:
    """Create a publisher and print its API key (shown once)."""
    from remarks.services import publishing

    dbmod, factory = _factory(db)
    try:
        with dbmod.unit_of_work(factory) as s:
            pub, key = publishing.create_publisher(s, None, name)
    except RemarksError as exc:
        err.print(f"error: {exc.message}")
        raise typer.Exit(1) from None
    print(key)
    err.print(f"publisher {pub.name!r} created; send the key above as the X-API-Key header (it is not shown again)")


def webhook_add(
    url: Annotated[str, typer.Argument(help="Where to POST the events.")],
    publisher: Annotated[str, typer.Option("--publisher", help="The publisher's name.")],
    event: Annotated[list[str] | None, typer.Option("--event", help="An event to send (repeat); default all.")] = None,
    db: DbOption = None,
) -> None:
    """Subscribe a URL to events and print its signing secret (shown once)."""
    from remarks.models import Publisher
    from remarks.services import publishing

    dbmod, factory = _factory(db)
    try:
        with dbmod.unit_of_work(factory) as s:
            pub = s.scalar(select(Publisher).where(Publisher.name == publisher))
            if pub is None:
                err.print(f"error: no publisher {publisher!r}")
                raise typer.Exit(1)
            hook, secret = publishing.add_webhook(s, pub, url=url, events=event or None)
    except RemarksError as exc:
        err.print(f"error: {exc.message}")
        raise typer.Exit(1) from None
    print(secret)
    err.print(f"webhook {hook.id} sends {', '.join(hook.events)}; verify X-Remarks-Signature with the secret above")


def webhooks_deliver(db: DbOption = None) -> None:
    """Deliver every due webhook once (the server also does this every second)."""
    from remarks.services.webhooks import deliver_due

    _, factory = _factory(db)
    counts = deliver_due(factory)
    err.print(", ".join(f"{k} {v}" for k, v in counts.items()))


def register(app: typer.Typer) -> None:
    pub = typer.Typer(help="Publishers (a CMS with an API key).", no_args_is_help=True)
    hook = typer.Typer(help="Webhooks.", no_args_is_help=True)
    hooks = typer.Typer(help="Webhook deliveries.", no_args_is_help=True)
    pub.command("create")(publisher_create)
    hook.command("add")(webhook_add)
    hooks.command("deliver")(webhooks_deliver)
    app.add_typer(pub, name="publisher")
    app.add_typer(hook, name="webhook")
    app.add_typer(hooks, name="webhooks")
