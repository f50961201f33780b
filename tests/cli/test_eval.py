"""``remarks eval`` refuses bad options with a clear message (the figures themselves are measured by
``python -m remarks_training.evaluation``; see bench/reports/targets.md)."""

import os
import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "remarks.cli", "eval", *args], capture_output=True, text=True,
                          env=os.environ, timeout=120)


def test_bad_label_is_one_clear_error():
    r = run("--label", "middle")
    assert r.returncode == 1 and "--label must be before or after" in r.stderr and "Traceback" not in r.stderr


def test_missing_datasets_folder_is_one_clear_error(tmp_path):
    r = run("--only", "targets", "--datasets", str(tmp_path / "nowhere"))
    assert r.returncode != 0 and "Traceback" not in r.stderr and "nowhere" in r.stderr
