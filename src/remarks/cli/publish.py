"""``remarks publisher create``, ``remarks webhook add`` and ``remarks webhook deliver``."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from remarks import db as dbmod
from remarks.cli.common import App, DbOption, err, sessions
from remarks.errors import NotFound


def publisher_create(name: Annotated[str, typer.Argument(help="The publisher (a CMS or a site).")], db: DbOption = None) -> None:
    """Create a publisher and print its API key (shown once)."""
    from remarks.services import publishing

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        pub, key = publishing.create_publisher(s, None, name)
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

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        pub = s.scalar(select(Publisher).where(Publisher.name == publisher))
        if pub is None:
            raise NotFound(f"no publisher {publisher!r}")
        hook, secret = publishing.add_webhook(s, pub, url=url, events=event or None)
    print(secret)
    err.print(f"webhook {hook.id} sends {', '.join(hook.events)}; verify X-Remarks-Signature with the secret above")


def webhook_deliver(db: DbOption = None) -> None:
    """Deliver every due webhook once (the server also does this every second)."""
    from remarks.services.webhooks import deliver_due

    counts = deliver_due(sessions(db, migrate=True))
    err.print(", ".join(f"{k} {v}" for k, v in counts.items()))


def register(app: App) -> None:
    pub = App(help="Publishers (a CMS with an API key).")
    pub.command("create")(publisher_create)
    app.add_typer(pub, name="publisher")
    hook = App(help="Webhooks: subscribe a URL, deliver what is due.")
    hook.command("add")(webhook_add)
    hook.command("deliver")(webhook_deliver)
    app.add_typer(hook, name="webhook")
    # The old spelling of `remarks webhook deliver`, kept for scripts written against it; not listed.
    old = App(help="Old name of `remarks webhook`.", hidden=True)
    old.command("deliver")(webhook_deliver)
    app.add_typer(old, name="webhooks", hidden=True)
