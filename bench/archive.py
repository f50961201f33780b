"""Archive throughput: all installed checks over news comments, in this process (the baseline),
then on a Dask LocalCluster of 1 and 2 worker processes; the scaling ratio and an estimate for a
1-million-comment archive on 1, 8 and 64 workers. Writes bench/reports/archive.md.

    .venv/bin/python bench/archive.py [--n 4000] [--datasets ../shared/datasets]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import time
from pathlib import Path

from remarks.checks.registry import load_checks
from remarks.config import Settings
from remarks.services import archive
from remarks.services.policy import from_settings

HERE = Path(__file__).parent


def build(datasets: Path, n: int) -> tuple[str, dict]:
    """News comments (Fox News comments with their articles, then Civil Comments texts from
    toxic_spans spread over the same articles) as a JSON Lines archive."""
    fox = [json.loads(line) for line in (datasets / "fox_news_comments" / "fox-news-comments.jsonl").open()]
    titles = sorted({c["title"] for c in fox})
    articles = {f"a{i}": {"title": t, "body": next(c["meta"] for c in fox if c["title"] == t), "byline": ""}
                for i, t in enumerate(titles)}
    by_title = {a["title"]: k for k, a in articles.items()}
    rows = [{"id": f"f{i}", "article_id": by_title[c["title"]], "author": c.get("user") or None, "text": c["text"]}
            for i, c in enumerate(fox)]
    with (datasets / "toxic_spans" / "train.csv").open(newline="") as fh:
        for i, rec in enumerate(csv.DictReader(fh)):
            rows.append({"id": f"t{i}", "article_id": f"a{i % len(articles)}", "text": rec["text"]})
    rows = [r for r in rows if r["text"] and r["text"].strip()][:n]
    return "".join(json.dumps(r) + "\n" for r in rows), articles


def timed(backend: archive.Backend, data: str, articles: dict, names, thresholds) -> tuple[float, int]:
    out = io.StringIO()
    start = time.perf_counter()
    n = archive.run(io.StringIO(data), out, fmt="jsonl", cols=archive.Columns(), articles=articles, names=names,
                    policy=thresholds, backend=backend)
    return time.perf_counter() - start, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--datasets", type=Path, default=HERE.parent.parent / "shared" / "datasets")
    ap.add_argument("--out", type=Path, default=HERE / "reports" / "archive.md")
    args = ap.parse_args()
    data, articles = build(args.datasets, args.n)
    settings = Settings()
    thresholds = from_settings(settings)  # the policy the site would apply
    checks = load_checks(None)
    names = tuple(c.entry_name for c in checks)
    warm = "".join(data.splitlines(keepends=True)[:300])

    rows = []
    local = archive.Backend()
    timed(local, warm, articles, names, thresholds)  # load the models once, as a worker would
    secs, n = timed(local, data, articles, names, thresholds)
    rows.append(("this process, no Dask (baseline)", 1, secs, n))
    for workers in (1, 2):
        backend = archive.Backend(workers=workers)
        try:
            copies = "".join(line.replace('"id": "', f'"id": "w{k}-', 1) for k in range(2 * workers)
                             for line in warm.splitlines(keepends=True))
            timed(backend, copies, articles, names, thresholds)  # warm every worker
            secs, n = timed(backend, data, articles, names, thresholds)
        finally:
            backend.close()
        rows.append((f"Dask LocalCluster, {workers} worker process{'es' if workers > 1 else ''}", workers, secs, n))

    rate = {w: n / s for label, w, s, n in rows if label.startswith("Dask")}
    ratio = rate[2] / rate[1]
    efficiency = ratio / 2
    lines = [
        "# Archive moderation throughput", "",
        f"{n:,} news comments (Fox News comments with their articles, then Civil Comments texts), checks: "
        f"{', '.join(names)}; {platform.processor() or platform.machine()}, 2 cores. "
        "Models loaded before timing. Regenerate: `.venv/bin/python bench/archive.py`.", "",
        "| backend | workers | seconds | comments/s |", "|---|---|---|---|",
    ]
    lines += [f"| {label} | {w} | {s:.1f} | {n / s:.0f} |" for label, w, s, n in rows]
    lines += ["", f"Scaling ratio, 2 workers / 1 worker: **{ratio:.2f}×** (target ≥ 1.7×; efficiency "
              f"{efficiency:.0%} per worker). Target ≥ 100 comments/s with all four checks on 2 cores.", "",
              "## A 1-million-comment archive", "",
              "Estimated from the 1-worker rate, assuming each added worker (one core each, on as many machines "
              "as needed) keeps the 2-worker efficiency; the reader and the ordered writer are one process, so "
              "beyond a few dozen workers the estimate is optimistic.", "",
              "| workers | comments/s | time for 1,000,000 comments |", "|---|---|---|"]
    for w in (1, 8, 64):
        r = rate[1] * (1 if w == 1 else w * efficiency)
        hours = 1_000_000 / r / 3600
        lines.append(f"| {w} | {r:,.0f} | {hours:.1f} h ({hours * 60:.0f} min) |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
