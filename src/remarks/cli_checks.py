"""``remarks moderate``, ``remarks train`` and ``remarks eval``: thin wrappers over
:mod:`remarks.services.batch` and :mod:`remarks.ml`."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from remarks.errors import BadInput, RemarksError

err = Console(stderr=True)


def _fail(exc: RemarksError) -> typer.Exit:
    err.print(f"error: {exc.message}", markup=False, highlight=False)
    return typer.Exit(1)


@contextlib.contextmanager
def _open(path: str, mode: str):  # noqa: ANN202
    if path == "-":
        yield sys.stdin if "r" in mode else sys.stdout
        return
    try:
        fh = open(path, mode, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise BadInput(f"cannot open {path}: {exc.strerror}") from None
    with fh:
        yield fh


def moderate(
    comments: Annotated[str, typer.Argument(help="COMMENTS.jsonl, or - for standard input.")],
    articles: Annotated[str | None, typer.Option("--articles", help="ARTICLES.jsonl (title, body, byline per id).")] = None,
    out: Annotated[str, typer.Option("--out", help="RESULTS.jsonl, or - for standard output.")] = "-",
    checks: Annotated[str | None, typer.Option("--checks", help="Comma-separated check names (default: all installed).")] = None,
) -> None:
    """Score a JSON Lines file of comments and write one verdict per line."""
    from remarks.checks.registry import load_checks
    from remarks.config import Settings
    from remarks.services import batch

    try:
        settings = Settings()
        names = checks.split(",") if checks else settings.checks
        loaded = load_checks(names)
        with contextlib.ExitStack() as stack:
            src = stack.enter_context(_open(comments, "r"))
            arts = stack.enter_context(_open(articles, "r")) if articles else None
            dst = stack.enter_context(_open(out, "w"))
            n = batch.run(src, dst, articles=arts, checks=loaded, thresholds=settings.policy_thresholds())
    except RemarksError as exc:
        raise _fail(exc) from None
    err.print(f"moderated {n} comments", highlight=False)


def train(
    datasets: Annotated[str | None, typer.Option("--datasets", help="The shared datasets folder.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the artifacts (default: the package's).")] = None,
) -> None:
    """Retrain the abuse/attack model from the shared datasets (one core, a few minutes)."""
    from remarks.ml import train_toxicity

    try:
        scores = train_toxicity.train(datasets, out or train_toxicity.ARTIFACTS, log=err.print)
    except RemarksError as exc:
        raise _fail(exc) from None
    err.print(f"validation scores: {scores}", highlight=False)


def evaluate(
    datasets: Annotated[str | None, typer.Option("--datasets", help="The shared datasets folder.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Report folder.")] = Path("bench/reports"),
    record: Annotated[bool, typer.Option("--record", help="Also write the figures into the artifacts' metadata.")] = False,
) -> None:
    """Evaluate the checks and the baselines on the official test splits; write a Markdown report."""
    from remarks.ml import evaluate as ev

    try:
        res = ev.run(datasets, log=err.print)
        path = ev.write_report(res, out)
        if record:
            ev.record(res)
    except RemarksError as exc:
        raise _fail(exc) from None
    print(path)


def register(app: typer.Typer) -> None:
    app.command("moderate")(moderate)
    app.command("train")(train)
    app.command("eval")(evaluate)
