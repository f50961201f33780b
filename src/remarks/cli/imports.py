"""``remarks import disqus FILE.xml`` and ``remarks import wordpress FILE.xml``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from remarks.cli.common import App, DbOption, err, settings

FileArg = Annotated[Path, typer.Argument(help="The export file (XML).", exists=True, dir_okay=False, readable=True)]
SiteOption = Annotated[str | None, typer.Option("--site", help="The site the threads belong to (default: the "
                                               "default site).")]
ModerateOption = Annotated[bool, typer.Option("--moderate", help="Run every imported comment through the moderation "
                                              "pipeline and hold what breaks the rules (default: keep states as exported).")]


def _import(fmt: str, file: Path, moderate: bool, db: str | None, site: str | None = None) -> None:
    from remarks import db as dbmod
    from remarks.services import importing, sites

    conf = settings(db)
    dbmod.upgrade(conf.database_url)
    factory = dbmod.make_sessionmaker(dbmod.make_engine(conf.database_url))
    started = time.perf_counter()
    with dbmod.unit_of_work(factory) as s, file.open("rb") as fh:  # one transaction: all or nothing
        site_id = sites.by_name(s, site).id if site else None
        hook = _moderation_hook(conf, site_id) if moderate else None
        report = importing.run(s, None, fmt, fh, file.name, moderate=hook, site_id=site_id)
    for line in report.lines():
        print(line)
    err.print(f"imported {file.name} in {time.perf_counter() - started:.1f} s")


def _moderation_hook(settings, site_id: int | None = None):
    from remarks.services.importing.moderate import pipeline_hook

    return pipeline_hook(settings, site_id=site_id)


def import_disqus(file: FileArg, moderate: ModerateOption = False, site: SiteOption = None,
                  db: DbOption = None) -> None:
    """Import a Disqus XML export: threads, authors (unclaimed accounts), dates, replies, states."""
    _import("disqus", file, moderate, db, site)


def import_wordpress(file: FileArg, moderate: ModerateOption = False, site: SiteOption = None,
                     db: DbOption = None) -> None:
    """Import a WordPress export (WXR): posts, comments, authors (unclaimed accounts), replies, states."""
    _import("wordpress", file, moderate, db, site)


def register(app: App) -> None:
    group = App(help="Import comments from Disqus or WordPress exports (a second run adds nothing).")
    group.command("disqus")(import_disqus)
    group.command("wordpress")(import_wordpress)
    app.add_typer(group, name="import")
