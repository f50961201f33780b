"""``remarks audit export``, ``remarks statements export`` and ``remarks calibrate``."""

from __future__ import annotations

import functools
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from remarks.errors import RemarksError

err = Console(stderr=True)
DbOption = Annotated[str | None, typer.Option("--db", help="Database URL (default: REMARKS_DATABASE_URL).")]
FormatOption = Annotated[str, typer.Option("--format", help="jsonl or csv.")]
OutOption = Annotated[str, typer.Option("--out", help="File to write, or - for standard output.")]


def _clear_errors(command):  # noqa: ANN001, ANN202
    """A database that cannot be reached or read, or a bad argument: one line and exit 1, no traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    @functools.wraps(command)
    def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        try:
            return command(*args, **kwargs)
        except RemarksError as exc:
            err.print(f"error: {exc.message}")
        except SQLAlchemyError as exc:
            cause = getattr(exc, "orig", None) or exc
            err.print(f"error: the database could not be read: {str(cause).splitlines()[0]}")
        except OSError as exc:
            err.print(f"error: {exc}")
        raise typer.Exit(1)

    return run


def _check_format(fmt: str) -> None:
    if fmt not in ("jsonl", "csv"):
        err.print(f"error: --format is jsonl or csv, not {fmt!r}")
        raise typer.Exit(2)


def _session(db: str | None):  # noqa: ANN202
    from remarks import db as dbmod
    from remarks.config import Settings

    settings = Settings(**({"database_url": db} if db else {}))
    return settings, dbmod.make_sessionmaker(dbmod.make_engine(settings.database_url))


def _write(chunks, out: str) -> None:  # noqa: ANN001
    fh = sys.stdout if out == "-" else open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        for c in chunks:
            fh.write(c)
    finally:
        if fh is not sys.stdout:
            fh.close()


def audit_export(fmt: FormatOption = "jsonl", out: OutOption = "-", db: DbOption = None) -> None:
    """Every automatic and human action, oldest first."""
    from remarks.services import exports

    _check_format(fmt)
    _, factory = _session(db)
    with factory() as s:
        rows = exports.audit_rows(s)
        _write(exports.as_csv(rows, exports.AUDIT_FIELDS) if fmt == "csv" else exports.as_jsonl(rows), out)


def statements_export(fmt: FormatOption = "jsonl", out: OutOption = "-", db: DbOption = None) -> None:
    """Statements of reasons in the EU DSA Transparency Database fields (no personal data)."""
    from remarks.services import exports

    _check_format(fmt)
    settings, factory = _session(db)
    with factory() as s:
        rows = exports.transparency_rows(s, settings.secret_key)
        _write(exports.as_csv(rows, exports.TRANSPARENCY_FIELDS) if fmt == "csv" else exports.as_jsonl(rows), out)


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

    settings, factory = _session(db)
    try:
        with dbmod.unit_of_work(factory) as s:
            current = policy.current(s, settings)
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
            Console().print(table)
            if apply:
                admin = s.scalar(select(User).where(User.username == as_user)) if as_user else None
                if as_user and (admin is None or admin.role != "admin"):
                    err.print(f"error: {as_user!r} is not an admin")
                    raise typer.Exit(1)
                policy.save(s, admin, cal.applied(current, reports), note="remarks calibrate --apply")
                err.print("Applied: a new policy version was saved (audit event policy:changed).")
            else:
                err.print("Nothing changed. Run again with --apply to save these thresholds.")
    except RemarksError as exc:
        err.print(f"error: {exc.message}")
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
    statements_app = typer.Typer(help="Statements of reasons.", no_args_is_help=True)
    audit_app.command("export")(_clear_errors(audit_export))
    statements_app.command("export")(_clear_errors(statements_export))
    app.add_typer(audit_app, name="audit")
    app.add_typer(statements_app, name="statements")
    app.command("calibrate")(_clear_errors(calibrate))
