"""``remarks audit export``, ``remarks statements export`` (every export of
``services.exports.EXPORTS``) and ``remarks calibrate``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.table import Table

from remarks.cli.common import App, DbOption, Usage, err, out, sessions, settings, write_chunks
from remarks.errors import Forbidden
from remarks.services import exports
from remarks.services.sites import EVERY_SITE

FormatOption = Annotated[str, typer.Option("--format", help="jsonl or csv.")]
OutOption = Annotated[str, typer.Option("--out", help="File to write, or - for standard output.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="Only from this date on, e.g. 2026-11-01.")]


def _check_format(fmt: str) -> None:
    if fmt not in ("jsonl", "csv"):
        raise Usage(f"--format is jsonl or csv, not {fmt!r}")


SiteOption = Annotated[str | None, typer.Option("--site", help="Only this site (its name); default every site.")]


def _export_command(export: exports.Export) -> Callable[..., None]:
    def run(fmt: FormatOption = "jsonl", out: OutOption = "-", since: SinceOption = None, site: SiteOption = None,
            db: DbOption = None) -> None:
        from remarks.services import sites

        _check_format(fmt)
        with sessions(db)() as s:
            scope = sites.Scope(frozenset({sites.by_name(s, site).id})) if site else EVERY_SITE
            rows = export.rows(s, settings(db).secret_key, exports.parse_since(since), scope)
            write_chunks(exports.render(export, rows, fmt), out)

    run.__doc__ = export.help
    return run


def calibrate(
    apply: Annotated[bool, typer.Option("--apply", help="Save the suggested thresholds as a new policy version.")] = False,
    as_user: Annotated[str | None, typer.Option("--as", help="The admin applying it (for the audit log).")] = None,
    db: DbOption = None,
) -> None:
    """Suggest per-rule thresholds from moderators' decisions; --apply saves them."""
    from sqlalchemy import select

    from remarks import db as dbmod
    from remarks.models import User
    from remarks.services import calibrate as cal
    from remarks.services import policy

    config = settings(db)
    with dbmod.unit_of_work(sessions(db)) as s:
        current = policy.current(s, config)
        reports = cal.suggest(s, current)
        if not reports:
            err.print(f"Not enough moderator decisions yet (each rule needs {cal.MIN_LABELS} with both outcomes).")
            return
        table = Table("rule", "labels", "removed", "hold now → suggested", "remove now → suggested",
                      "hold recall now/then", "remove precision now/then")
        for r in reports:
            table.add_row(r.rule, str(r.labels), str(r.positives), f"{r.current[0]:.2f} → {r.suggested[0]:.2f}",
                          f"{r.current[1]:.2f} → {r.suggested[1]:.2f}",
                          f"{r.at_current['hold']['recall']:.2f} / {r.at_suggested['hold']['recall']:.2f}",
                          f"{r.at_current['remove']['precision']:.2f} / {r.at_suggested['remove']['precision']:.2f}")
        out.print(table)
        if apply:
            admin = s.scalar(select(User).where(User.username == as_user)) if as_user else None
            if as_user and (admin is None or admin.role != "admin"):
                raise Forbidden(f"{as_user!r} is not an admin")
            policy.save(s, admin, cal.applied(current, reports), note="remarks calibrate --apply")
            err.print("Applied: a new policy version was saved (audit event policy:changed).")
        else:
            err.print("Nothing changed. Run again with --apply to save these thresholds.")


def register(app: App) -> None:
    for export in exports.EXPORTS.values():
        group = App(help=export.group_help)
        group.command("export")(_export_command(export))
        app.add_typer(group, name=export.command)
    app.command("calibrate")(calibrate)
