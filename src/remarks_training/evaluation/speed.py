"""Speed and memory of all installed checks, in a fresh process (what a server with every model loaded
costs): batched comments/s over 400 Fox News comments under a demo article (and the CPU time of all the
process's threads per comment), p50/p99 of one comment, and the process's peak RSS (also the peak while the
models load, before any timed scoring). Run as ``python -m remarks_training.evaluation.speed DATASETS``."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's own peak RSS (Linux: ``VmHWM``). Not ``ru_maxrss``: at ``exec`` Linux carries the high-water
    mark of the memory the process had before into it, so a measure started by a large process (``remarks eval``
    after scoring the test sets) reported that process's RSS: a child of a 600 MB parent had ru_maxrss 597 MB and
    VmHWM 9 MB."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(root: Path, n: int = 400) -> dict:
    from dataclasses import replace

    from remarks.checks.base import CommentContext
    from remarks.checks.offtopic import DISCUSSION
    from remarks.checks.registry import load_checks
    from remarks.services.demo import ARTICLES

    rows = [json.loads(line) for line in (root / "fox_news_comments" / "fox-news-comments.jsonl").open()][:n]
    art = ARTICLES[0]
    # Each comment with the discussion it meets on the site: the comments before it (their vectors were
    # kept when they were scored, as the site's were when they were posted).
    ctxs = [CommentContext(text=r["text"], article_id="a", article_title=art["title"], article_body=art["body"],
                           extras={"discussion": [o["text"] for o in rows[max(0, i - DISCUSSION):i]]})
            for i, r in enumerate(rows)]
    checks = load_checks(None)
    # Load the models, and what the checks load at the first comment that needs it (the URL extractor at
    # the first dotted word: none in the first 8 comments), so no one-time load is timed.
    warm = ctxs[:8] + [CommentContext(text="Read it at www.example.com.", article_title=art["title"],
                                      article_body=art["body"])]
    for c in checks:
        c.score_batch(warm)
    loaded_peak = peak_rss_mb()
    load_before = os.getloadavg()[0]
    start, cpu = time.perf_counter(), time.process_time()
    for c in checks:
        c.score_batch(ctxs)
    batched = len(ctxs) / (time.perf_counter() - start)
    # CPU time of every thread of the process: moves far less with the machine's other jobs than wall time does.
    batched_cpu = (time.process_time() - cpu) * 1000 / len(ctxs)
    lat = []
    for i, ctx in enumerate(ctxs[:200]):
        ctx = replace(ctx, text=ctx.text + f" ({i})")
        t0 = time.perf_counter()
        for c in checks:
            c.score(ctx)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    return {"checks": sorted(c.rule for c in checks), "batched_per_s": round(batched, 1),
            "batched_cpu_ms": round(batched_cpu, 2),
            "p50_ms": round(statistics.median(lat), 1), "p99_ms": round(lat[int(0.99 * len(lat)) - 1], 1),
            "peak_rss_mb": round(peak_rss_mb(), 0),
            "peak_rss_loading_mb": round(loaded_peak, 0),
            "load_average": round(os.getloadavg()[0], 1), "load_average_start": round(load_before, 1)}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
