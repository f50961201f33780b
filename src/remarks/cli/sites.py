"""``remarks site add|list|key|grant|grant-all|revoke``: many sites in one installation. A site is a
publisher: its articles, policy, moderators and statistics (``services/sites.py``)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import func, select

from remarks import db as dbmod
from remarks.cli.common import App, DbOption, err, out, sessions
from remarks.errors import NotFound

SiteArg = Annotated[str, typer.Argument(help="The site's name (as in the embed's data-site and ?site=).")]
UserArg = Annotated[str, typer.Argument(help="The account's log-in name.")]
RoleOption = Annotated[str, typer.Option("--role", help="moderator or admin.")]


def _user(s, username: str):
    from remarks.models import User

    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r} (create one with `remarks user create`)")
    return user


def site_add(
    name: SiteArg,
    close_after_days: Annotated[int, typer.Option("--close-after-days", help="Close comments this many days after "
                                                  "an article is published; 0 never.")] = 0,
    db: DbOption = None,
) -> None:
    """Create a site and print its publisher API key (shown once)."""
    from remarks.services import closing, publishing, sites

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        pub, key = publishing.create_publisher(s, None, sites.check_name(name))
        if close_after_days:
            closing.set_close_after_days(s, None, pub, close_after_days)
    print(key)
    err.print(f"site {pub.name!r} (id {pub.id}) created; its CMS sends the key above as X-API-Key (shown once); "
              f"the embed says data-site=\"{pub.name}\"")


def site_list(db: DbOption = None) -> None:
    """Every site with its articles and staff."""
    from remarks.models import Article, Publisher, SiteGrant, User

    with sessions(db, migrate=True)() as s:
        table = Table("id", "site", "articles", "staff of this site", "closes after")
        every = [f"{u.username} ({u.role})" for u in s.scalars(select(User).where(
            User.role.in_(("moderator", "admin")), User.all_sites.is_(True)).order_by(User.username))]
        for pub in s.scalars(select(Publisher).order_by(Publisher.id)):
            n = s.scalar(select(func.count()).select_from(Article).where(Article.publisher_id == pub.id))
            staff = [f"{u.username} ({u.role})" for u in s.scalars(
                select(User).join(SiteGrant, SiteGrant.user_id == User.id)
                .where(SiteGrant.publisher_id == pub.id).order_by(User.username))]
            table.add_row(str(pub.id), pub.name + (" (revoked key)" if pub.revoked_at else ""), str(n),
                          ", ".join(staff) or "-", f"{pub.close_after_days} days" if pub.close_after_days else "never")
        out.print(table)
        out.print(f"Staff of every site: {', '.join(every) or '-'}")


def site_key(name: SiteArg, db: DbOption = None) -> None:
    """Make a new publisher API key for a site and print it (the old one stops working)."""
    from remarks.services import publishing, sites

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        key = publishing.new_key(s, None, sites.by_name(s, name))
    print(key)
    err.print(f"{name}: send the key above as X-API-Key (it is not shown again)")


def site_grant(name: SiteArg, username: UserArg, role: RoleOption = "moderator", db: DbOption = None) -> None:
    """Make someone a moderator (or admin) of a site. Staff of every site become staff of their granted sites only."""
    from remarks.services import sites

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        user = _user(s, username)
        sites.grant(s, None, site=sites.by_name(s, name), user=user, role=role)
        names = ", ".join(p.name for p in sites.sites_of(s, user))
    err.print(f"{username} is a {role} of: {names}")


def site_grant_all(username: UserArg, role: RoleOption = "moderator", db: DbOption = None) -> None:
    """Make someone a moderator (or admin) of every site, present and future."""
    from remarks.services import sites

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        sites.every_site(s, None, user=_user(s, username), role=role)
    err.print(f"{username} is a {role} of every site")


def site_revoke(name: SiteArg, username: UserArg, db: DbOption = None) -> None:
    """Take a site from a moderator or admin of single sites."""
    from remarks.services import sites

    with dbmod.unit_of_work(sessions(db, migrate=True)) as s:
        user = _user(s, username)
        sites.revoke(s, None, site=sites.by_name(s, name), user=user)
        names = ", ".join(p.name for p in sites.sites_of(s, user))
    err.print(f"{username} works on: {names or 'no site'}")


def register(app: App) -> None:
    group = App(help="Sites (publishers) of this installation, and who moderates each.")
    group.command("add")(site_add)
    group.command("list")(site_list)
    group.command("key")(site_key)
    group.command("grant")(site_grant)
    group.command("grant-all")(site_grant_all)
    group.command("revoke")(site_revoke)
    app.add_typer(group, name="site")
