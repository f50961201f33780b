"""``remarks import disqus FILE.xml`` and ``remarks import wordpress FILE.xml``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from remarks.cli.common import App, DbOption, err, settings

FileArg = Annotated[Path, typer.Argument(help="The export file (XML).", exists=True, dir_okay=False, readable=True)]
ModerateOption = Annotated[bool, typer.Option("--moderate", help="Run every imported comment through the moderation "
                                              "pipeline and hold what breaks the rules (default: keep states as exported).")]


def _import(fmt: str, file: Path, moderate: bool, db: str | None) -> None:
    from remarks import db as dbmod
    from remarks.services import importing

    conf = settings(db)
    dbmod.upgrade(conf.database_url)
    factory = dbmod.make_sessionmaker(dbmod.make_engine(conf.database_url))
    hook = _moderation_hook(conf) if moderate else None
    started = time.perf_counter()
    with dbmod.unit_of_work(factory) as s, file.open("rb") as fh:  # one transaction: all or nothing
        report = importing.run(s, None, fmt, fh, file.name, moderate=hook)
    for line in report.lines():
        print(line)
    err.print(f"imported {file.name} in {time.perf_counter() - started:.1f} s")


def _moderation_hook(settings):
    from remarks.services.importing.moderate import pipeline_hook

    return pipeline_hook(settings)


def import_disqus(file: FileArg, moderate: ModerateOption = False, db: DbOption = None) -> None:
    """Import a Disqus XML export: threads, authors (unclaimed accounts), dates, replies, states."""
    _import("disqus", file, moderate, db)


def import_wordpress(file: FileArg, moderate: ModerateOption = False, db: DbOption = None) -> None:
    """Import a WordPress export (WXR): posts, comments, authors (unclaimed accounts), replies, states."""
    _import("wordpress", file, moderate, db)


def register(app: App) -> None:
    group = App(help="Import comments from Disqus or WordPress exports (a second run adds nothing).")
    group.command("disqus")(import_disqus)
    group.command("wordpress")(import_wordpress)
    app.add_typer(group, name="import")
