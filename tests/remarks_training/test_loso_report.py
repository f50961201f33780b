"""The target report shows the leave-one-source-out AUC of the shipped model's recipe beside the n-gram
model's, fold by fold, once ``remarks eval --only loso-model`` has written its file."""

import json
import shutil
from pathlib import Path

from remarks_training.evaluation import loso, targets

REPORTS = Path(__file__).resolve().parents[2] / "bench" / "reports"


def test_the_report_puts_the_shipped_recipes_folds_beside_the_ngram_models(tmp_path):
    for name in ("targets_before.json", "targets_after.json", "loso.json"):
        shutil.copy(REPORTS / name, tmp_path / name)
    ngram = json.loads((tmp_path / "loso.json").read_text())
    text = targets.write_report(tmp_path).read_text()
    assert "AUC, the shipped model's recipe |" not in text  # no column before it is measured
    model = {"model": "the recipe, retrained", "run": "2026-12-01 22:00 UTC", "seconds": 1,
             "abuse": {"folds": {"fox": {"n": 10, "positives": 4, "auc": 0.777}}, "mean": 0.777},
             "attack": {"folds": {}, "mean": 0.612}}
    loso.save(model, tmp_path, loso.MODEL_FILE)
    text = targets.write_report(tmp_path).read_text()
    row = next(line for line in text.splitlines() if line.startswith("| Leave-one-source-out mean AUC, abuse (the shipped"))
    assert "0.777" in row and "missed by 0.073" in row
    fold = next(line for line in text.splitlines() if line.startswith("| abuse | fox |"))
    assert f"{ngram['abuse']['folds']['fox']['auc']:.3f} | 0.777 |" in fold
    assert next(line for line in text.splitlines() if line.startswith("| attack | olid |")).endswith("| — |")
