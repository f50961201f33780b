"""Archive moderation at scale (``remarks moderate``): read JSON Lines or CSV (columns mapped by
flags), score in blocks on this process, on N local processes, or on a Dask cluster — the same
results whatever the backend — resume where an earlier run stopped, and summarise.

Dask does the scheduling; this module only cuts the input into blocks, keeps the output in
input order, and skips ids already written."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from remarks.checks import offtopic, registry
from remarks.checks.base import ArticleRef, CommentContext
from remarks.errors import BadInput
from remarks.moderation.memory import DictMemory
from remarks.moderation.pipeline import Pipeline
from remarks.moderation.policy import Circumstances, PolicyConfig

# Comments per block a worker scores. The relevance check reads the latest comments under each story, which a
# worker has not embedded when another worker scored them: each block pays for that once at its start.
BLOCK = 512


@dataclass(frozen=True)
class Columns:
    """Which input field holds what (flags --id-col, --text-col, ...)."""

    id: str = "id"
    text: str = "text"
    article_id: str = "article_id"
    parent_id: str = "parent_id"
    author: str = "author"


def sniff_format(path: str, declared: str | None) -> str:
    if declared:
        if declared not in ("jsonl", "csv"):
            raise BadInput("--format is jsonl or csv")
        return declared
    return "csv" if path.lower().endswith((".csv", ".csv.gz")) else "jsonl"


def records(stream: IO[str], fmt: str, what: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each non-empty line or CSV row; a bad one is an error naming it."""
    if fmt == "csv":
        try:
            reader = csv.DictReader(stream)
            for row in reader:
                if None in row:
                    raise BadInput(f"{what} line {reader.line_num}: more fields than the header has")
                if any(v for v in row.values()):
                    yield reader.line_num, row
        except csv.Error as exc:
            raise BadInput(f"{what}: not valid CSV ({exc})") from None
        return
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{what} line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise BadInput(f"{what} line {number}: expected a JSON object")
        yield number, obj


def _get(rec: dict, key: str, what: str, number: int, *, required: bool) -> str | None:
    value = rec.get(key)
    if value is None or value == "":
        if required:
            raise BadInput(f"{what} line {number}: missing {key!r}")
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise BadInput(f"{what} line {number}: {key!r} must be a string")
    return str(value)


def read_articles(stream: IO[str], fmt: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for n, rec in records(stream, fmt, "articles"):
        aid = _get(rec, "id", "articles", n, required=True)
        out[aid] = {k: _get(rec, k, "articles", n, required=False) or "" for k in ("title", "body", "byline")}
    return out


NEAR_COPIES = "near_copies"  # where the reader leaves each comment's earlier near-copies for the workers
DISCUSSIONS = "discussions"  # and the discussions under its article and its neighbours before it, by article id


@dataclass(frozen=True)
class Item:
    """One archive comment: its context and what pre-moderation looks at."""

    ctx: CommentContext
    who: Circumstances


def contexts(stream: IO[str], fmt: str, cols: Columns, articles: dict[str, dict[str, str]],
             near_copies: bool = True, discussions: bool = True) -> Iterator[Item]:
    """One item per comment. Parents, participants, the author's earlier comments and earlier
    near-copies come from earlier lines - found here, in one process and in input order, so every
    backend gives the same results, and the same as the site for the same comments. ``near_copies``
    False skips finding them (no check that runs asks for them); ``discussions`` False, the discussions."""
    memory = DictMemory(copies=near_copies)
    order = list(articles)
    position = {aid: i for i, aid in enumerate(order)}
    texts: dict[str, str] = {}
    authors: dict[str, list[str]] = {}
    posted: Counter = Counter()
    seen: set[str] = set()
    for n, rec in records(stream, fmt, "comments"):
        cid = _get(rec, cols.id, "comments", n, required=True)
        if cid in seen:
            raise BadInput(f"comments line {n}: the id {cid!r} appears twice")
        seen.add(cid)
        text = _get(rec, cols.text, "comments", n, required=True)
        aid = _get(rec, cols.article_id, "comments", n, required=False)
        parent = _get(rec, cols.parent_id, "comments", n, required=False)
        author = _get(rec, cols.author, "comments", n, required=False)
        art = articles.get(aid or "", {})
        thread = authors.setdefault(aid or "", [])
        copies = memory.near_copies(text) if near_copies else []
        neighbours = _neighbours(articles, order, position.get(aid or ""))
        talk = memory.discussions([a for a in [aid, *(n.id for n in neighbours)] if a], author,
                                  offtopic.DISCUSSION) if discussions else {}
        memory.remember(cid, text, author, aid)
        prior = posted[author] if author else 0
        ctx = CommentContext(
            text=text, comment_id=cid, article_id=aid, article_title=art.get("title", ""),
            article_body=art.get("body", ""), byline=art.get("byline", ""),
            parent_text=texts.get(parent) if parent else None, author=author,
            participants=tuple(a for a in dict.fromkeys(thread) if a != author), extras={NEAR_COPIES: copies, DISCUSSIONS: talk},
            other_articles=neighbours,
            author_age_days=_age_days(rec, n), author_comment_count=prior if author else None,
        )
        yield Item(ctx, Circumstances(username=author or "", prior_comments=prior, article_slug=aid or ""))
        texts[cid] = text
        if author:
            thread.append(author)
            posted[author] += 1


def _age_days(rec: dict, n: int) -> float | None:
    """How old the author's account was when the comment was posted, from the optional fields
    ``created_at`` and ``author_since`` (ISO 8601)."""
    from datetime import datetime

    posted, since = rec.get("created_at"), rec.get("author_since")
    if not posted or not since:
        return None
    try:
        delta = datetime.fromisoformat(str(posted)) - datetime.fromisoformat(str(since))
    except (TypeError, ValueError):
        raise BadInput(f"comments line {n}: created_at and author_since are ISO 8601 dates") from None
    return delta.total_seconds() / 86400


def _neighbours(articles: dict[str, dict[str, str]], order: list[str], at: int | None, k: int = 8) -> tuple:
    """The site's "other recent articles" for a comment: the articles next to its own in the file
    (archives are usually in date order)."""
    if at is None:
        return ()
    lo = max(0, min(at - k // 2, len(order) - k - 1))
    ids = [a for a in order[lo:lo + k + 1] if a != order[at]][:k]
    return tuple(ArticleRef(a, articles[a]["title"], articles[a]["body"]) for a in ids)


def done_ids(out_path: Path) -> set[str]:
    """Ids already in an earlier run's output: those comments are skipped (resume)."""
    if not out_path.exists():
        return set()
    ids = set()
    with out_path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                ids.add(str(json.loads(line)["id"]))
            except (json.JSONDecodeError, KeyError, TypeError):
                break  # a line cut short by a crash: everything after it is scored again
    return ids


def truncate_partial_line(out_path: Path) -> None:
    """Drop a last line a crash cut short, so the output stays valid JSON Lines."""
    if not out_path.exists():
        return
    data = out_path.read_bytes()
    keep = data[: data.rfind(b"\n") + 1] if not data.endswith(b"\n") else data
    if keep != data:
        out_path.write_bytes(keep)


@cache
def _pipeline(names: tuple[str, ...] | None) -> Pipeline:
    from remarks.checks.registry import load_checks

    return Pipeline(load_checks(list(names) if names is not None else None))


class _BlockMemory(DictMemory):
    """A worker's memory: cached values kept across blocks; near-copies and discussions as the reader found them."""

    copies: list[dict] = []
    talk: dict[str, list[str]] = {}

    def near_copies(self, text: str) -> list[dict]:
        return self.copies

    def discussions(self, article_ids: Sequence[str], author: str | None, limit: int) -> dict[str, list[str]]:
        return {a: self.talk.get(a, [])[-limit:] if limit > 0 else [] for a in article_ids}


@cache
def _memory() -> _BlockMemory:
    return _BlockMemory()


def score_block(items: list[Item], names: tuple[str, ...] | None, policy: dict) -> list[dict]:
    """Score one block with the moderation pipeline; runs in this process or on a Dask worker
    (checks load once per process)."""
    pipeline, memory, config = _pipeline(names), _memory(), PolicyConfig.model_validate(policy)
    provided = []
    for item in items:
        memory.copies = item.ctx.extras.get(NEAR_COPIES, [])
        memory.talk = item.ctx.extras.get(DISCUSSIONS, {})
        provided += pipeline.provide([item.ctx], memory)
    out = []
    for item, ctx, results in zip(items, provided, pipeline.score(provided), strict=True):
        v = pipeline.decide(results, config, ctx.text, item.who)
        out.append({"id": ctx.comment_id, "scores": v.scores(), "action": v.action, "rule": v.rule,
                    "reason": v.reason, "evidence": {r.rule: r.evidence() for r in v.results}})
    return out


def blocks(items: Iterator[Item], skip: set[str], size: int = BLOCK) -> Iterator[list[Item]]:
    block: list[Item] = []
    for item in items:
        if item.ctx.comment_id in skip:
            continue
        block.append(item)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


class Backend:
    """Runs score_block: here (workers=0), on a Dask LocalCluster of N processes, or on a scheduler."""

    def __init__(self, workers: int = 0, scheduler: str | None = None) -> None:
        self.client = None
        self.cluster = None
        if scheduler:
            import dask.config
            from dask.distributed import Client

            # Dask's own setting (DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT, default 30s) bounds the wait.
            self.client = Client(scheduler, timeout=dask.config.get("distributed.comm.timeouts.connect"))
        elif workers > 0:
            from dask.distributed import Client, LocalCluster

            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=40)
            self.client = Client(self.cluster)

    @property
    def parallel(self) -> int:
        if self.client is None:
            return 1
        return max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))

    def run(self, work: Iterator[list[Item]], names: tuple[str, ...] | None, policy: dict) -> Iterator[list[dict]]:
        """Results block by block, in input order, with a bounded number of blocks in flight."""
        if self.client is None:
            for block in work:
                yield score_block(block, names, policy)
            return
        window: deque = deque()
        limit = 3 * self.parallel
        for block in work:
            window.append(self.client.submit(score_block, block, names, policy, pure=False))
            if len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@dataclass
class Summary:
    actions: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    scores: dict[str, list[float]] = field(default_factory=dict)
    flagged_authors: Counter = field(default_factory=Counter)
    total: int = 0

    def add(self, result: dict, author: str | None) -> None:
        self.total += 1
        self.actions[result["action"]] += 1
        for rule, score in result["scores"].items():
            self.scores.setdefault(rule, []).append(score)
        if result["action"] != "publish":
            self.rules[result.get("rule") or "other"] += 1
            if author:
                self.flagged_authors[author] += 1

    def write(self, folder: Path) -> Path:
        """summary.md, summary.json and one score histogram PNG per rule."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        folder.mkdir(parents=True, exist_ok=True)
        images = []
        for rule, values in sorted(self.scores.items()):
            fig, ax = plt.subplots(figsize=(5, 3))
            ax.hist(values, bins=20, range=(0, 1), color="#8c1c13")
            ax.set_title(f"{rule} scores ({len(values):,} comments)")
            ax.set_xlabel("score")
            ax.set_ylabel("comments")
            fig.tight_layout()
            fig.savefig(folder / f"hist_{rule}.png", dpi=80)
            plt.close(fig)
            images.append(f"hist_{rule}.png")
        data = {"total": self.total, "actions": dict(self.actions), "rules": dict(self.rules),
                "most_flagged_authors": self.flagged_authors.most_common(20)}
        (folder / "summary.json").write_text(json.dumps(data, indent=2))
        lines = [f"# Moderation summary: {self.total:,} comments", "", "| action | comments |", "|---|---|"]
        lines += [f"| {a} | {n:,} |" for a, n in self.actions.most_common()]
        lines += ["", "| rule that held or removed | comments |", "|---|---|"]
        lines += [f"| {r} | {n:,} |" for r, n in self.rules.most_common()]
        lines += ["", "Most-flagged authors:", ""]
        lines += [f"- {a}: {n}" for a, n in self.flagged_authors.most_common(20)] or ["- none"]
        lines += [""] + [f"![{img}]({img})" for img in images]
        (folder / "summary.md").write_text("\n".join(lines) + "\n")
        return folder / "summary.md"


def run(comments: IO[str], out: IO[str], *, fmt: str, cols: Columns, articles: dict[str, dict[str, str]],
        names: tuple[str, ...] | None, policy: PolicyConfig, backend: Backend,
        skip: set[str] = frozenset(), summary: Summary | None = None,
        progress: Callable[[int], None] | None = None) -> int:
    """Score every comment not in ``skip`` with the site's pipeline and policy and append its result
    line; returns how many were scored."""
    authors: dict[str, str | None] = {}

    def remember(items: Iterator[Item]) -> Iterator[Item]:
        for item in items:
            authors[item.ctx.comment_id] = item.ctx.author
            yield item

    uses = registry.memory_uses(list(names) if names is not None else None)
    work = blocks(remember(contexts(comments, fmt, cols, articles, near_copies="near_copies" in uses,
                                    discussions="discussion" in uses)), set(skip))
    config = policy.model_dump(mode="json")
    count = 0
    for results in backend.run(work, names, config):
        for res in results:
            out.write(json.dumps(res, ensure_ascii=False) + "\n")
            if summary is not None:
                summary.add(res, authors.pop(res["id"], None))
        out.flush()
        count += len(results)
        if progress is not None:
            progress(len(results))
    return count


def count_lines(path: str, fmt: str) -> int | None:
    if path == "-":
        return None
    with open(path, encoding="utf-8", errors="replace") as fh:
        n = sum(1 for line in fh if line.strip())
    return max(0, n - 1) if fmt == "csv" else n


__all__ = ["Backend", "Columns", "Item", "Summary", "contexts", "count_lines", "done_ids", "read_articles", "run",
           "score_block", "sniff_format", "truncate_partial_line", "io"]
