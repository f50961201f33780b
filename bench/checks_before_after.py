"""The all-checks speed measure (``remarks_training.evaluation.speed``) on two checkouts, back to back.

    python bench/checks_before_after.py OLD/src NEW/src DATASETS [RUNS]

Runs this checkout's measure RUNS times (default 3) for each source tree, alternating old and new so both see
the same machine, each in a fresh process with ``OMP_WAIT_POLICY=PASSIVE``; prints every run and the medians
(with ranges) as a Markdown table (batched comments/s and CPU ms a comment, one comment p50/p99 ms, peak RSS
MB overall and while loading, 1-minute load average). Run it on a quiet machine: the figures are wall-clock
times on shared cores; the CPU time moves much less with the other jobs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

FIGURES = [("batched_per_s", "all checks, batched comments/s"), ("batched_cpu_ms", "batched, CPU ms a comment (all threads)"),
           ("p50_ms", "one comment, p50 ms"), ("p99_ms", "one comment, p99 ms"), ("peak_rss_mb", "peak RSS, MB"),
           ("peak_rss_loading_mb", "peak RSS while loading, MB"), ("load_average", "1-minute load")]
# The measure of this checkout runs on both trees (only the checks come from OLD/src or NEW/src), so both are
# measured the same way.
MEASURE = Path(__file__).resolve().parents[1] / "src" / "remarks_training" / "evaluation" / "speed.py"


def run(src: str, datasets: str) -> dict:
    env = {**os.environ, "PYTHONPATH": src, "OMP_WAIT_POLICY": "PASSIVE"}
    code = f"import runpy, sys; sys.argv = ['speed', {datasets!r}]; runpy.run_path({str(MEASURE)!r}, run_name='__main__')"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         timeout=600).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(old: str, new: str, datasets: str, runs: int = 3) -> None:
    results: dict[str, list[dict]] = {"before": [], "after": []}
    for _ in range(runs):
        for name, src in (("before", old), ("after", new)):
            results[name].append(run(src, datasets))
            print(name, json.dumps(results[name][-1]), flush=True)
    print(f"\n| figure (median of {runs}) | before | after |\n|---|---|---|")
    for key, label in FIGURES:
        med = {k: statistics.median(r[key] for r in v) for k, v in results.items()}
        rng = {k: f"{min(r[key] for r in v):g}-{max(r[key] for r in v):g}" for k, v in results.items()}
        print(f"| {label} | {med['before']:g} ({rng['before']}) | {med['after']:g} ({rng['after']}) |")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 3)
