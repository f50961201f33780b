"""Leave-one-source-out AUC for abuse and attack: train on every source but one, test on that one.

The model is the fast n-gram baseline (hashed TF-IDF of character 2-5-grams within words and word 1-2-grams,
logistic regression, C = 4), not the shipped encoder: fine-tuning the encoder once per fold does not fit
on two CPU cores. It measures how far the training SOURCES carry to an unseen source. Training parts only
(no official test split, no C3); ETHOS (GPL-3.0) and Impermium's training split are measurement-only here.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import numpy as np


def _rows(root: Path) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """rule -> source -> [(text, label)]"""
    from remarks_training import datasets
    from remarks_training import attack_suite
    from remarks_training.evaluation.sets import _unescape_impermium

    out: dict[str, dict[str, list]] = {"abuse": {}, "attack": {}}
    for r in datasets.training_rows(root):
        if r.source == "seed":
            continue
        if r.abuse is not None:
            out["abuse"].setdefault(r.source, []).append((r.text, int(r.abuse)))
        if r.attack is not None:
            out["attack"].setdefault(r.source, []).append((r.text, int(r.attack)))
    with open(root / "ethos/Ethos_Dataset_Binary.csv", encoding="utf-8") as fh:
        out["abuse"]["ethos"] = [(r["comment"], int(float(r["isHate"]) >= 0.5)) for r in csv.DictReader(fh, delimiter=";")]
    with open(root / "impermium_insults/train.csv", newline="", encoding="utf-8") as fh:
        out["attack"]["impermium_train"] = [(_unescape_impermium(r["Comment"]), int(r["Insult"])) for r in csv.DictReader(fh)]
    out["attack"]["attack_suite_train"] = [(c["text"], int(c["attack"])) for c in attack_suite.cases("train")]
    return out


def _model():
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    chars = make_pipeline(HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=2**20,
                                            alternate_sign=False, lowercase=True), TfidfTransformer(sublinear_tf=True))
    words = make_pipeline(HashingVectorizer(ngram_range=(1, 2), n_features=2**19, alternate_sign=False),
                          TfidfTransformer(sublinear_tf=True))
    return make_pipeline(make_union(chars, words), LogisticRegression(C=4.0, solver="liblinear"))


def run(root: Path, limit: int | None = None, log=print) -> dict:
    from sklearn.metrics import roc_auc_score

    data = _rows(root)
    rng = np.random.default_rng(5)
    res: dict = {"model": "Model: hashed TF-IDF (char 2-5 within words + word 1-2) + logistic regression, "
                          "C = 4, trained on all the other sources of the rule (no test split, no C3); the "
                          "n-gram proxy for the shipped model (fine-tuning once per fold does not fit here)."}
    for rule, by_src in data.items():
        if limit:
            by_src = {k: [v[i] for i in rng.choice(len(v), min(limit, len(v)), replace=False)] for k, v in by_src.items()}
        folds = {}
        for held in sorted(by_src):
            t0 = time.time()
            train = [x for s, rows in by_src.items() if s != held for x in rows]
            test = by_src[held]
            y = [lab for _, lab in test]
            if len(set(y)) < 2:
                continue
            m = _model().fit([t for t, _ in train], [lab for _, lab in train])
            p = m.predict_proba([t for t, _ in test])[:, 1]
            folds[held] = {"n": len(test), "positives": int(sum(y)), "auc": float(roc_auc_score(y, p))}
            log(f"loso {rule} held {held}: AUC {folds[held]['auc']:.3f} ({time.time() - t0:.0f}s)")
        res[rule] = {"folds": folds, "mean": float(np.mean([d["auc"] for d in folds.values()]))}
    return res


def save(res: dict, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "loso.json"
    path.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return path
