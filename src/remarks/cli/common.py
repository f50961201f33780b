"""What every ``remarks`` command shares: the one ``--db`` option, the settings and session
factory built from it, the consoles, and the one error handler.

Every command is registered through ``App`` (a Typer whose ``command`` wraps the function in
``handled``), so a project error is one line on standard error and a non-zero exit, never a
traceback: exit 1 for a refused action (``RemarksError``, an unreadable database, a file that
cannot be opened), exit 2 for bad settings or bad usage.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from remarks.config import Settings
from remarks.errors import RemarksError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

err = Console(stderr=True)
out = Console()

DbOption = Annotated[str | None, typer.Option(
    "--db", help="Database URL (default: REMARKS_DATABASE_URL or sqlite:///remarks.db).")]


class Usage(RemarksError):
    """A bad argument the parser could not catch (exit 2, like the parser's own errors)."""

    exit_code = 2


def say_error(message: str) -> None:
    err.print(f"error: {message}", markup=False, highlight=False)


def handled(command: Callable) -> Callable:
    """The one error handler: a project error is one line and a non-zero exit."""
    from pydantic import ValidationError
    from sqlalchemy.exc import SQLAlchemyError

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RemarksError as exc:
            say_error(exc.message)
            code = getattr(exc, "exit_code", 1)
        except ValidationError as exc:
            say_error(f"bad settings: {exc}")
            code = 2
        except SQLAlchemyError as exc:
            cause = getattr(exc, "orig", None) or exc
            say_error(f"the database could not be read: {str(cause).splitlines()[0]}")
            code = 1
        except OSError as exc:
            where = getattr(exc, "filename", None)
            say_error(f"cannot open {where}: {exc.strerror}" if where and exc.strerror else str(exc))
            code = 1
        raise typer.Exit(code)

    return run


class App(typer.Typer):
    """A command group whose every command runs inside ``handled``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("pretty_exceptions_enable", False)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable], Callable]:
        register = super().command(*args, **kwargs)

        def decorator(f: Callable) -> Callable:
            register(handled(f))
            return f

        return decorator


def settings(db: str | None = None, **overrides: Any) -> Settings:
    """The settings, with ``--db`` (when given) as the database URL."""
    if db:
        overrides["database_url"] = db
    return Settings(**overrides)


def sessions(db: str | None = None, *, migrate: bool = False) -> sessionmaker[Session]:
    """A session factory for the database ``--db`` names (migrated first with ``migrate``)."""
    from remarks import db as dbmod

    url = settings(db).database_url
    if migrate:
        dbmod.upgrade(url)
    return dbmod.make_sessionmaker(dbmod.make_engine(url))


def write_chunks(chunks: Iterable[str], path: str) -> None:
    """Write text chunks to a file, or to standard output for ``-``."""
    fh = sys.stdout if path == "-" else open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - stdout is not closed
    try:
        for c in chunks:
            fh.write(c)
    finally:
        if fh is not sys.stdout:
            fh.close()
