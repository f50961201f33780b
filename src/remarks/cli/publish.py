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


def publisher_sso_secret(name: Annotated[str, typer.Argument(help="The publisher's name.")], db: DbOption = None) -> None:
    """Make a new single sign-on secret for the publisher and print it (shown once; the old one stops working)."""
    from remarks.models import Publisher
    from remarks.services import sso

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        pub = s.scalar(select(Publisher).where(Publisher.name == name))
        if pub is None:
            raise NotFound(f"no publisher {name!r}")
        secret = sso.set_sso_secret(s, None, pub)
    print(secret)
    err.print(f"sign readers' tokens with HS256 and this secret; iss = {name!r}; claims sub, name, email, iat, exp, jti")


def publisher_set(
    name: Annotated[str, typer.Argument(help="The publisher's name.")],
    close_after_days: Annotated[int, typer.Option("--close-after-days", help="Close comments this many days after "
                                                  "an article is published; 0 never closes them.")] = 0,
    db: DbOption = None,
) -> None:
    """Per-site settings of a publisher (its articles are its site)."""
    from remarks.models import Publisher
    from remarks.services import closing

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        pub = s.scalar(select(Publisher).where(Publisher.name == name))
        if pub is None:
            raise NotFound(f"no publisher {name!r}")
        closing.set_close_after_days(s, None, pub, close_after_days or None)
    err.print(f"{name}: comments close {f'{close_after_days} days after publication' if close_after_days else 'never'}")


def webhook_add(
    url: Annotated[str, typer.Argument(help="Where to POST the events.")],
    publisher: Annotated[str, typer.Option("--publisher", help="The publisher's name.")],
    event: Annotated[list[str] | None, typer.Option("--event", help="An event to send (repeat); default all.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow a loopback, private or link-local "
                                                "address (an intranet CMS). Off by default.")] = False,
    db: DbOption = None,
) -> None:
    """Subscribe a URL to events and print its signing secret (shown once)."""
    from remarks.models import Publisher
    from remarks.services import publishing

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        pub = s.scalar(select(Publisher).where(Publisher.name == publisher))
        if pub is None:
            raise NotFound(f"no publisher {publisher!r}")
        hook, secret = publishing.add_webhook(s, pub, url=url, events=event or None, allow_private=allow_private)
    print(secret)
    err.print(f"webhook {hook.id} sends {', '.join(hook.events)}; verify X-Remarks-Signature with the secret above")


def webhook_deliver(db: DbOption = None) -> None:
    """Deliver every due webhook once (the server also does this every second)."""
    from remarks.services.webhooks import deliver_due

    from remarks.config import Settings

    counts = deliver_due(sessions(db, migrate=True), allow_private=Settings().webhook_allow_private)
    err.print(", ".join(f"{k} {v}" for k, v in counts.items()))


def register(app: App) -> None:
    pub = App(help="Publishers (a CMS with an API key).")
    pub.command("create")(publisher_create)
    pub.command("sso-secret")(publisher_sso_secret)
    pub.command("set")(publisher_set)
    app.add_typer(pub, name="publisher")
    hook = App(help="Webhooks: subscribe a URL, deliver what is due.")
    hook.command("add")(webhook_add)
    hook.command("deliver")(webhook_deliver)
    app.add_typer(hook, name="webhook")
    # The old spelling of `remarks webhook deliver`, kept for scripts written against it; not listed.
    old = App(help="Old name of `remarks webhook`.", hidden=True)
    old.command("deliver")(webhook_deliver)
    app.add_typer(old, name="webhooks", hidden=True)
