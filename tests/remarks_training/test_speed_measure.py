"""The speed measure's peak RSS is the measured process's own, whatever started it."""

import json
import subprocess
import sys

import numpy as np

from remarks_training.evaluation.speed import peak_rss_mb


def test_a_large_parent_does_not_count_as_the_measured_processes_peak():
    """Linux carries the pre-exec high-water mark into ru_maxrss (here: a child of this 300 MB process reads
    ~300 MB there): a measure started by remarks eval read the eval process's RSS as its own peak."""
    held = np.ones(300 * 2**20 // 8)  # 300 MB touched in this process
    code = "import json; from remarks_training.evaluation.speed import peak_rss_mb; print(json.dumps(peak_rss_mb()))"
    own = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert held.sum() > 0 and peak_rss_mb() > 300
    assert own < 150
