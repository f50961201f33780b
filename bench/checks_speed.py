"""Speed of the abuse + attack checks on 2 cores, beside the baselines.

    OMP_NUM_THREADS=1 python bench/checks_speed.py [N]   # its section of bench/reports/checks_speed.md

Texts: the first N Globe and Mail comments of C3 (news comments of realistic length; used here
for timing only). Batched = ``score_batch`` over chunks of 256; single = one comment per call,
p50/p99 over N calls, model caches cleared so nothing is scored twice.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

from remarks.checks import abuse as abuse_mod
from remarks.checks.abuse import AbuseCheck
from remarks.checks.attack import AttackCheck
from remarks.checks.base import CommentContext
from remarks.checks.wordlist import WordListAbuse
from remarks.ml import bilstm, toxicity
from remarks_training import datasets

OUT = Path(__file__).resolve().parent / "reports" / "checks_speed.md"
BEGIN, END = "<!-- abuse-attack -->", "<!-- /abuse-attack -->"


def write_section(lines: list[str]) -> None:
    """This benchmark's table between its markers; the rest of the report (all checks) stays."""
    section = "\n".join([BEGIN, *lines, END])
    text = OUT.read_text() if OUT.exists() else "# Checks speed\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    OUT.write_text(text)


def both(ctxs):
    abuse_mod._CACHE.clear()
    AbuseCheck().score_batch(ctxs)
    AttackCheck().score_batch(ctxs)


def timed_batched(fn, items, chunk=256) -> float:
    t = time.perf_counter()
    for i in range(0, len(items), chunk):
        fn(items[i:i + chunk])
    return len(items) / (time.perf_counter() - t)


def timed_single(fn, items) -> tuple[float, float]:
    times = []
    for it in items:
        t = time.perf_counter()
        fn([it])
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.99 * (len(times) - 1))]


def main(n: int = 1000) -> None:
    texts = [r.text for r in datasets.c3()[:n]]
    ctxs = [CommentContext(text=t, parent_text="", participants=("Maria",), byline="Jane Smith") for t in texts]
    toxicity.load()
    both(ctxs[:10])  # warm up: load artifacts once
    lstm = bilstm.load()
    wl = WordListAbuse()
    systems = {
        "remarks abuse + attack": (lambda c: both(c), ctxs),
        "toxic-comment-classifier (numpy BiLSTM)": (lambda t: lstm.predict(t), texts),
        "word list (placeholder check)": (lambda c: [wl.score(x) for x in c], ctxs),
    }
    try:
        from profanity_check import predict_prob

        systems["alt-profanity-check"] = (lambda t: predict_prob(t), texts)
    except ImportError:
        pass
    lines = ["## Abuse + attack beside the baselines (`bench/checks_speed.py`)", "",
             f"{n} C3 news comments (mean {statistics.mean(map(len, texts)):.0f} chars), "
             f"Python {platform.python_version()}, {platform.machine()}; target: >= 300 comments/s batched and "
             "p99 <= 50 ms single, both checks.", "",
             "| system | batched comments/s | single p50 ms | single p99 ms |", "|---|---|---|---|"]
    for name, (fn, items) in systems.items():
        rate = timed_batched(fn, items)
        p50, p99 = timed_single(fn, items[: min(300, n)])
        lines.append(f"| {name} | {rate:.0f} | {p50:.1f} | {p99:.1f} |")
        print(lines[-1])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_section(lines)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
