"""remarks train / remarks eval: the training package is imported only inside the command; a
missing [train] extra or data folder is one clear error line."""

import os
import subprocess
import sys

from remarks_training.paths import DEFAULT_DATASETS, datasets_dir


def run(*args, block=None, cwd=None):
    # Blocking a module in sys.modules is how Python itself reports a package as not installed.
    code = (f"import sys; [sys.modules.__setitem__(m, None) for m in {list(block or [])!r}]; "
            "from remarks.cli import app; sys.argv = ['remarks', *sys.argv[1:]]; app()")
    env = {**{k: v for k, v in os.environ.items() if k != "REMARKS_DATASETS"}, "COLUMNS": "400"}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env=env)


def test_eval_without_the_train_extra_is_one_clear_line(tmp_path):
    r = run("eval", "--datasets", str(tmp_path), block=["profanity_check"])
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert lines == ["error: training and evaluation need the [train] extra (missing: profanity_check); "
                     "install it with: pip install 'remarks[train]'"], r.stderr


def test_train_without_the_training_package_is_one_clear_line(tmp_path):
    r = run("train", "--datasets", str(tmp_path), block=["remarks_training"])
    assert r.returncode == 1 and "[train] extra" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_missing_datasets_folder_is_a_clear_error(tmp_path):
    r = run("train", "--only", "promotion", cwd=tmp_path)  # default ../shared/datasets from here
    assert r.returncode == 1 and "dataset file not found" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert "shared/datasets" in r.stderr


def test_help_documents_the_default():
    r = run("train", "--help")
    assert r.returncode == 0 and "../shared/datasets" in r.stdout


def test_datasets_dir_default_is_relative_to_the_current_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("REMARKS_DATASETS", raising=False)
    assert datasets_dir() == DEFAULT_DATASETS and not DEFAULT_DATASETS.is_absolute()
    assert datasets_dir(tmp_path) == tmp_path
    monkeypatch.setenv("REMARKS_DATASETS", str(tmp_path / "x"))
    assert datasets_dir() == tmp_path / "x"


def test_seed_and_dataset_readers_import_in_either_order():
    for first, second in (("seed", "datasets"), ("datasets", "seed")):
        code = f"import remarks_training.{first}, remarks_training.{second}; print('ok')"
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert r.stdout.strip() == "ok", r.stderr
