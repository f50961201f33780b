"""Leave-one-source-out AUC for abuse and attack: train on every source but one, test on that one.

:func:`run`: the fast n-gram baseline (hashed TF-IDF of character 2-5-grams within words and word 1-2-grams,
logistic regression, C = 4). :func:`run_model`: the shipped abuse/attack model's own recipe
(``train_toxicity.train``: n-gram and sentence-embedding heads and their stacker) retrained once per held-out
source (~35 minutes on 2 cores). Both measure how far the training SOURCES carry to an unseen source. Training
parts only (no official test split, no C3); ETHOS (GPL-3.0) and Impermium's training split are
measurement-only here.
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


MODEL_FILE = "loso_model.json"  # run_model's report (run's: loso.json)
# The sources the shipped model learns from (train_toxicity.split), by their name in _rows.
TRAINED = {"davidson": "davidson", "fox": "fox", "olid": "olid", "toxic_spans_raw": "toxic_spans_raw",
           "attack_suite_train": "attack_suite"}
MODEL_NOTE = ("Model: the shipped abuse/attack model's recipe (`train_toxicity.train`: hashed n-gram heads, "
              "sentence-embedding heads, the BiLSTM trained on Jigsaw 2018 as a fixed input, a stacker), retrained "
              "without the held-out source (for Civil Comments also without the sentences taken from its posts); "
              "its written rows stay in every fold. ETHOS and Impermium's training split are never trained on, so "
              "their fold is the shipped model itself. Scores are the model's (attack: as the check reads it, "
              "comment and worst sentence), before the check's threat and counter-speech rules and calibration.")


FOLD_FILE = "encoder.onnx"  # what `python -m remarks_training.encoder train/export` leaves in its work dir
FOLD_NOTE = (" The sentence vectors of each trained-on fold are that fold's own (`python -m "
             "remarks_training.encoder train --leave-out SOURCE`, then `export --out DIR/SOURCE/encoder.onnx`), "
             "never trained on the held-out source.")


def fold_files(fold_vectors: Path) -> dict[str, Path]:
    """Each trained-on fold's embedder, ``fold_vectors/<encoder source>/encoder.onnx``; every one must be there
    (a mean over folds some of which read vectors that saw their source would flatter the model)."""
    files = {held: fold_vectors / source / FOLD_FILE for held, source in TRAINED.items()}
    missing = sorted(str(f) for f in files.values() if not f.is_file())
    if missing:
        raise ValueError(f"no fold vectors at {', '.join(missing)} (for each: python -m remarks_training.encoder "
                         "train --leave-out SOURCE --work-dir DIR/SOURCE ..., then export --work-dir DIR/SOURCE "
                         "--out DIR/SOURCE/encoder.onnx)")
    return files


def run_model(root: Path, cache: Path | None = None, log=print, fold_vectors: Path | None = None) -> dict:
    """The same folds as :func:`run`, with the shipped model's recipe retrained per held-out source; with
    ``fold_vectors`` (see :func:`fold_files`), each trained-on fold also reads its own sentence vectors."""
    import tempfile

    from sklearn.metrics import roc_auc_score

    from remarks.ml import toxicity
    from remarks_training import train_toxicity

    started = time.time()
    files = fold_files(fold_vectors) if fold_vectors else {}
    data = _rows(root)
    texts = _texts(root, data)
    shipped = _lookup(_vectors(texts, cache, log))

    def scores(model, vectors_of, rule: str, texts: list[str]) -> np.ndarray:
        pred = model.predict(texts, vectors=vectors_of(texts), by_sentence=rule == "attack")
        return getattr(pred, rule)

    res: dict = {"model": MODEL_NOTE + (FOLD_NOTE if files else ""), "abuse": {"folds": {}}, "attack": {"folds": {}}}
    held_sources = sorted({s for by_src in data.values() for s in by_src})
    for held in held_sources:
        t0 = time.time()
        vectors_of = shipped
        if held in TRAINED:
            if held in files:
                vectors_of = _lookup(_vectors(texts, cache, log, files[held]), files[held])
            held_texts = frozenset(t for by_src in data.values() for t, _ in by_src.get(held, []))
            with tempfile.TemporaryDirectory(prefix=f"loso-{held}-") as tmp:
                train_toxicity.train(str(root), out_dir=Path(tmp), log=lambda *a: None, exclude=held_texts,
                                     vectors_of=vectors_of)
                meta = json.loads((Path(tmp) / "toxicity.meta.json").read_text())
                with np.load(Path(tmp) / "toxicity.npz", allow_pickle=False) as z:
                    model = toxicity.ToxicityModel(dict(z), meta)
        else:
            model = toxicity.load()
        for rule, by_src in data.items():
            rows = by_src.get(held)
            if not rows or len({lab for _, lab in rows}) < 2:
                continue
            y = [lab for _, lab in rows]
            p = scores(model, vectors_of, rule, [t for t, _ in rows])
            res[rule]["folds"][held] = {"n": len(rows), "positives": int(sum(y)), "auc": float(roc_auc_score(y, p))}
            log(f"loso (shipped recipe) {rule} held {held}: AUC {res[rule]['folds'][held]['auc']:.3f} "
                f"({time.time() - t0:.0f}s)")
    for rule in ("abuse", "attack"):
        res[rule]["mean"] = float(np.mean([d["auc"] for d in res[rule]["folds"].values()]))
    res["run"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started))
    res["seconds"] = round(time.time() - started)
    return res


def _texts(root: Path, data: dict) -> list[str]:
    """Every text a fold trains on or is tested on, once."""
    from remarks_training import train_toxicity

    train_rows, val_rows, written = train_toxicity.split(str(root))
    return list(dict.fromkeys([r.text for r in train_rows + val_rows + written]
                              + [t for by_src in data.values() for rows in by_src.values() for t, _ in rows]))


def _vectors(texts: list[str], cache: Path | None, log, model_file: Path | None = None) -> dict[str, np.ndarray]:
    """One embedding pass over ``texts`` (with ``model_file``: by that embedder, a fold's own)."""
    from remarks_training import train_toxicity

    return dict(zip(texts, train_toxicity.vectors(texts, cache, log, model_file)))


def _lookup(known: dict[str, np.ndarray], model_file: Path | None = None):
    """``vectors_of(texts)``: the texts' vectors from ``known``, embedding (and keeping) any text not in it
    (a fold's own split can take a sentence of a post the full split keeps for validation)."""
    from remarks.ml import embed
    from remarks.ml.encoder import Encoder

    model = Encoder(model_file, cache_size=0) if model_file else None  # one session for the fold

    def vectors_of(texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            known.update(zip(missing, embed.embed(missing, model)))
        return np.stack([known[t] for t in texts])

    return vectors_of


def save(res: dict, out: Path, name: str = "loso.json") -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    path.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return path
