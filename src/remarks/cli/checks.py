"""``remarks moderate``, ``remarks train`` and ``remarks eval``: thin wrappers over
:mod:`remarks.services.archive` and :mod:`remarks_training` (imported only inside ``train`` and ``eval``)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from remarks.cli.common import App, err
from remarks.errors import BadInput, ConfigError


@contextlib.contextmanager
def _open(path: str, mode: str):
    if path == "-":
        yield sys.stdin if "r" in mode else sys.stdout
        return
    try:
        fh = open(path, mode, encoding="utf-8")  # noqa: SIM115 - closed by the with-block just below
    except OSError as exc:
        raise BadInput(f"cannot open {path}: {exc.strerror}") from None
    with fh:
        yield fh


def moderate(
    comments: Annotated[str, typer.Argument(help="COMMENTS.jsonl or .csv, or - for standard input.")],
    articles: Annotated[str | None, typer.Option("--articles", help="ARTICLES.jsonl or .csv (id, title, body, byline).")] = None,
    out: Annotated[str, typer.Option("--out", help="RESULTS.jsonl, or - for standard output. An existing file is resumed.")] = "-",
    checks: Annotated[str | None, typer.Option("--checks", help="Comma-separated check names (default: all installed).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="jsonl or csv (default: from the file name).")] = None,
    id_col: Annotated[str, typer.Option("--id-col", help="Field with the comment id.")] = "id",
    text_col: Annotated[str, typer.Option("--text-col", help="Field with the comment text.")] = "text",
    article_col: Annotated[str, typer.Option("--article-col", help="Field with the article id.")] = "article_id",
    parent_col: Annotated[str, typer.Option("--parent-col", help="Field with the parent comment id.")] = "parent_id",
    author_col: Annotated[str, typer.Option("--author-col", help="Field with the author.")] = "author",
    workers: Annotated[int, typer.Option("--workers", help="Local worker processes (a Dask LocalCluster); 0 = this process.")] = 0,
    dask: Annotated[str | None, typer.Option("--dask", help="Address of a Dask scheduler, e.g. tcp://10.0.0.5:8786.")] = None,
    summary: Annotated[Path | None, typer.Option("--summary", help="Folder for summary.md, summary.json and histograms (default: OUT.summary/).")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Apply the policy saved in this site's database (thresholds, word lists, pre-moderation).")] = None,
    policy_file: Annotated[Path | None, typer.Option("--policy", help="Apply the policy in this TOML file (see docs/policy.example.toml).")] = None,
) -> None:
    """Score an archive of comments: one verdict line per comment, resumable, on N processes or Dask."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from remarks.config import Settings
    from remarks.services import archive
    try:
        settings = Settings()
        names = tuple(checks.split(",")) if checks else (tuple(settings.checks) if settings.checks else None)
        policy = _policy(settings, db, policy_file)
        kind = archive.sniff_format(comments, fmt)
        cols = archive.Columns(id=id_col, text=text_col, article_id=article_col, parent_id=parent_col, author=author_col)
        arts = {}
        if articles:
            with _open(articles, "r") as fh:
                arts = archive.read_articles(fh, archive.sniff_format(articles, None))
        skip: set[str] = set()
        if out != "-":
            archive.truncate_partial_line(Path(out))
            skip = archive.done_ids(Path(out))
            if skip:
                err.print(f"resuming: {len(skip):,} comments already in {out} are skipped", highlight=False)
        total = archive.count_lines(comments, kind)
        report = archive.Summary()
        backend = archive.Backend(workers=workers, scheduler=dask)
        try:
            with contextlib.ExitStack() as stack:
                src = stack.enter_context(_open(comments, "r"))
                dst = sys.stdout if out == "-" else stack.enter_context(open(out, "a", encoding="utf-8"))
                progress = stack.enter_context(Progress(
                    TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=err, transient=False, disable=not err.is_terminal and out == "-"))
                task = progress.add_task("moderating", total=(total - len(skip)) if total else None, rate="")

                def advance(k: int) -> None:
                    progress.advance(task, k)
                    t = progress.tasks[0]
                    if t.elapsed:
                        progress.update(task, rate=f"{t.completed / t.elapsed:,.0f}/s")

                n = archive.run(src, dst, fmt=kind, cols=cols, articles=arts, names=names, policy=policy,
                                backend=backend, skip=skip, summary=report, progress=advance)
        finally:
            backend.close()
        folder = summary or (Path(f"{out}.summary") if out != "-" else None)
        if folder is not None:
            path = report.write(folder)
            err.print(f"summary: {path}", highlight=False)
    except OSError as exc:
        where = getattr(exc, "filename", None)
        raise BadInput(f"cannot open {where}: {exc.strerror}" if where else f"{exc}") from None
    counts = ", ".join(f"{a} {c:,}" for a, c in report.actions.most_common())
    err.print(f"moderated {n:,} comments ({counts})", highlight=False)


def _policy(settings, db: str | None, policy_file: Path | None):
    """The policy the site applies: saved in its database, from a TOML file, or from the settings."""
    from remarks.services import policy

    if db and policy_file:
        raise BadInput("give --db or --policy, not both")
    if policy_file:
        return policy.parse_toml(policy_file.read_text(encoding="utf-8"), base=policy.from_settings(settings))
    if db:
        from remarks.db import make_engine, make_sessionmaker

        from sqlalchemy.exc import SQLAlchemyError

        engine = make_engine(db)
        try:
            with make_sessionmaker(engine)() as session:
                return policy.current(session, settings)
        except SQLAlchemyError as exc:
            raise BadInput(f"cannot read the policy from {db}: {exc.__class__.__name__}") from None
        finally:
            engine.dispose()
    return policy.from_settings(settings)


CHECK_MODELS = ("abuse", "promotion", "offtopic")


def _training(command: str):
    """The training package, imported only inside ``remarks train`` / ``remarks eval``; a clear error
    when the [train] extra is not installed."""
    try:
        import remarks_training
    except ImportError:
        remarks_training = None
    missing = remarks_training.missing_extra(command) if remarks_training else ["remarks_training"]
    if missing:
        raise ConfigError(f"training and evaluation need the [train] extra (missing: {', '.join(missing)}); "
                                "install it with: pip install 'remarks[train]'")
    from remarks_training.paths import datasets_dir

    return datasets_dir


DATASETS_HELP = "The datasets folder (default: $REMARKS_DATASETS, else ../shared/datasets from the current directory)."


def train(
    datasets: Annotated[str | None, typer.Option("--datasets", help=DATASETS_HELP)] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the artifacts (default: the package's).")] = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="abuse (also attack), promotion or offtopic; repeat. Default: all.")] = None,
    cache: Annotated[Path | None, typer.Option("--cache", help="Folder keeping the training rows' sentence embeddings "
                                                "between runs (abuse).")] = None,
) -> None:
    """Retrain the shipped models from the shared datasets (one core; a few minutes in all)."""
    chosen = only or list(CHECK_MODELS)
    unknown = set(chosen) - set(CHECK_MODELS)
    if unknown:
        raise BadInput(f"--only takes {', '.join(CHECK_MODELS)}; not {', '.join(sorted(unknown))}")
    datasets_dir = _training("train")
    try:
        if "abuse" in chosen:
            from remarks_training import train_toxicity

            scores = train_toxicity.train(datasets_dir(datasets), out or train_toxicity.ARTIFACTS, log=err.print,
                                          cache=cache)
            err.print(f"abuse/attack validation scores: {scores}", highlight=False)
        if "promotion" in chosen:
            from remarks_training import train_promotion

            meta = train_promotion.train(datasets_dir(datasets), out or train_promotion.ARTIFACTS)
            err.print(f"promotion model written (sha256 {meta['sha256'][:12]}…)", highlight=False)
        if "offtopic" in chosen:
            from remarks_training import train_offtopic

            meta = train_offtopic.train(datasets_dir(datasets), out or train_offtopic.ARTIFACTS)
            err.print(f"offtopic model written; held-out article AUC {meta['scores']}", highlight=False)
    except FileNotFoundError as exc:
        raise BadInput(f"dataset file not found: {exc.filename} (pass --datasets DIR)") from None


def evaluate(
    datasets: Annotated[str | None, typer.Option("--datasets", help=DATASETS_HELP)] = None,
    out: Annotated[Path, typer.Option("--out", help="Report folder.")] = Path("bench/reports"),
    record: Annotated[bool, typer.Option("--record", help="Also write the artifacts' metadata; with targets, the "
                                                          "calibrators and operating points fitted on validation data.")] = False,
    only: Annotated[list[str] | None, typer.Option("--only", help="targets (issue 14's target table), loso "
                                                                  "(leave one source out, n-gram model), loso-model "
                                                                  "(the same, the shipped model retrained per source: "
                                                                  "~35 min), abuse or promotion (the previous release's "
                                                                  "reports); default targets and loso.")] = None,
    label: Annotated[str, typer.Option("--label", help="Column of the target table this run fills: before or after.")] = "after",
    cache: Annotated[Path | None, typer.Option("--cache", help="Folder keeping check scores (and, for loso-model, "
                                                                   "sentence embeddings) between runs.")] = None,
    fold_vectors: Annotated[Path | None, typer.Option("--fold-vectors", help="For loso-model: a folder with each "
                                                                             "fold's sentence vectors, "
                                                                             "SOURCE/encoder.onnx (encoder train "
                                                                             "--leave-out SOURCE).")] = None,
) -> None:
    """Evaluate the checks on the test splits beside the previous release's figures; write Markdown reports."""
    chosen = only or ["targets", "loso"]
    if label not in ("before", "after"):
        raise BadInput(f"--label must be before or after, not {label!r}")
    datasets_dir = _training("eval")
    try:
        if {"targets", "loso", "loso-model"} & set(chosen):
            from remarks_training.evaluation import loso, targets

            root = datasets_dir(datasets)
            if fold_vectors is not None:  # checked before any other work
                if "loso-model" not in chosen:
                    raise BadInput("--fold-vectors is read by --only loso-model")
                try:
                    loso.fold_files(fold_vectors)
                except ValueError as exc:
                    raise BadInput(str(exc)) from None
            if "targets" in chosen:
                res = targets.run(root, write_calibration=record, cache=cache, log=err.print)
                targets.save(res, label, out)
            if "loso" in chosen:
                loso.save(loso.run(root, log=err.print), out)
            if "loso-model" in chosen:
                loso.save(loso.run_model(root, cache=cache, log=err.print, fold_vectors=fold_vectors), out,
                          loso.MODEL_FILE)
            print(targets.write_report(out))
        if "abuse" in chosen:
            from remarks_training import evaluate as ev

            res = ev.run(datasets_dir(datasets), log=err.print)
            print(ev.write_report(res, out))
            if record:
                ev.record(res)
        if "promotion" in chosen or "offtopic" in chosen:
            from remarks_training import eval_promotion_relevance

            print(eval_promotion_relevance.main(datasets_dir(datasets), out, record=record))
    except FileNotFoundError as exc:
        raise BadInput(f"dataset file not found: {exc.filename} (pass --datasets DIR)") from None


def register(app: App) -> None:
    app.command("moderate")(moderate)
    app.command("train")(train)
    app.command("eval")(evaluate)
