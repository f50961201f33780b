"""Train the shipped abuse / attack model (``remarks train``). Reproducible: fixed seed, one core.

Only shippable data (see :data:`remarks_training.datasets.LICENCES`); 10% of it is held out, by
a seeded stratified split, to fit nothing and report validation scores. C3 and every official
test split stay out. Writes ``toxicity.npz`` and ``toxicity.meta.json``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier

from remarks.ml import bilstm, embed, store
from remarks_training import datasets, seed, seed_attacks
from remarks.ml.toxicity import Featurizer, ToxicityModel, head_logits, lexicon_features, prep, stack_features

ARTIFACTS = store.DIR
SOURCE_WEIGHT = {"davidson": 0.3, "olid": 1.0, "fox": 2.0, "toxic_spans_raw": 1.0, "seed": 2.0, "attack_suite": 3.0,
                 "seed_groups": 2.0, "toxic_spans_sent": 1.0, "seed_attacks": 2.0}
VERSION = "toxicity-9"  # the abuse and attack checks' model version: bump it whenever the scores change
C_TFIDF = 4.0
C_EMBEDDING = 1.0  # the embedding heads' regularisation when linear
EMBEDDING_HIDDEN = 64  # the embedding heads' hidden units (0: a linear head); chosen on validation (see the meta file)
SEED = 13


def _fit(x, y, w, c=C_TFIDF) -> LogisticRegression:
    return LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=SEED).fit(x, y, sample_weight=w)


class _Hidden:
    """The embedding head: ``EMBEDDING_HIDDEN`` rectified units then a logit (a multi-layer perceptron,
    early-stopped on a seeded tenth of its rows), or a logistic regression when it is 0."""

    def fit(self, x, y, w):
        if not EMBEDDING_HIDDEN:
            self.lr = LogisticRegression(C=C_EMBEDDING, max_iter=3000).fit(x, y, sample_weight=w)
            self.layers = None
            return self
        mlp = MLPClassifier(hidden_layer_sizes=(EMBEDDING_HIDDEN,), alpha=1e-3, early_stopping=True,
                            random_state=SEED, max_iter=200).fit(x, y, sample_weight=w)
        self.layers = (mlp.coefs_[0], mlp.intercepts_[0])
        self.coef_, self.intercept_ = mlp.coefs_[1].ravel(), mlp.intercepts_[1]
        return self

    def decision_function(self, x):
        if self.layers is None:
            return self.lr.decision_function(x)
        return head_logits(x, self.layers, self.coef_, self.intercept_[0])

    def arrays(self, rule: str) -> dict[str, np.ndarray]:
        if self.layers is None:
            return {f"emb_{rule}_coef": self.lr.coef_.ravel().astype(np.float32),
                    f"emb_{rule}_intercept": self.lr.intercept_.astype(np.float32)}
        return {f"emb_{rule}_hidden_w": self.layers[0].astype(np.float32),
                f"emb_{rule}_hidden_b": self.layers[1].astype(np.float32),
                f"emb_{rule}_coef": self.coef_.astype(np.float32),
                f"emb_{rule}_intercept": np.asarray(self.intercept_, dtype=np.float32)}


def _fit_dense(x, y, w) -> _Hidden:
    return _Hidden().fit(x, y, w)


def _oof(x, y, w, folds: int = 5, fit=_fit) -> tuple[np.ndarray, LogisticRegression]:
    """Out-of-fold logits (what the stacker learns from) and the model fit on everything."""
    out = np.zeros(len(y))
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(x, y):
        out[te] = fit(x[tr], y[tr], w[tr]).decision_function(x[te])
    return out, fit(x, y, w)


def vectors(texts: list[str], cache: Path | None = None, log=print, model_file: Path | None = None) -> np.ndarray:
    """The texts' sentence embeddings (as the checks compute them), kept in ``cache`` between runs
    (~10 minutes for the training rows on 2 cores), keyed by the texts and the embedding model. With
    ``model_file``, another embedder file (a leave-one-source-out fold's) read the same way."""
    model = (store.meta(embed.MODEL_FILE).get("sha256", "") if model_file is None
             else hashlib.sha256(model_file.read_bytes()).hexdigest())
    key = hashlib.sha256("\n".join([embed.VERSION, model, *texts]).encode()).hexdigest()[:16]
    path = cache / f"vectors-{key}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path)
    t0 = time.time()
    from remarks.ml.encoder import Encoder

    out = embed.embed(texts, Encoder(model_file, cache_size=0) if model_file else None)
    log(f"embedded {len(texts)} texts in {time.time() - t0:.0f}s")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out)
    return out


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like ``np.savez_compressed`` but byte-for-byte reproducible (fixed zip timestamps), so the
    sha256 in the metadata is the same every time ``remarks train`` runs."""
    import io
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def span_lexicon(rows: list[tuple[str, set[int]]], min_count: int = 3) -> dict[str, float]:
    """Per normalised word: the share of its occurrences inside a gold toxic span."""
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for text, gold in rows:
        n, _ = prep(text)
        for m in re.finditer(r"[\w$@*']+", n.text):
            a, b = n.to_original(m.start(), m.end())
            inside = sum(i in gold for i in range(a, b)) * 2 > (b - a)
            h = hits[m.group().strip("'")]
            h[0] += inside
            h[1] += 1
    return {w: round(h / c, 3) for w, (h, c) in hits.items() if c >= min_count and h / c >= 0.05}


def span_f1(pred: set[int], gold: set[int]) -> float:
    if not gold:
        return 1.0 if not pred else 0.0
    if not pred:
        return 0.0
    tp = len(pred & gold)
    return 2 * tp / (len(pred) + len(gold))


def mean_span_f1(model: ToxicityModel, rows: list[tuple[str, set[int]]]) -> float:
    scores = []
    for text, gold in rows:
        n, _ = prep(text)
        pred = {i for a, b, _ in model.evidence(n) for i in range(a, b)}
        scores.append(span_f1(pred, gold))
    return float(np.mean(scores))


def split(root: str | None = None, exclude: frozenset[str] = frozenset()) -> tuple[list, list, list]:
    """The training rows, the validation rows (the same set for every model version, so their scores compare)
    and the written attack rows' validation ideas (``seed_attacks``: measured apart, never learnt from)."""
    rows = [r for r in datasets.training_rows(root) if r.text not in exclude]
    for r in rows:  # a comment that is not abusive is not a personal attack either
        if r.attack is None and r.abuse == 0:
            r.attack = 0
    strata = [f"{r.source}:{r.abuse}" for r in rows]
    train_rows, val_rows = train_test_split(rows, test_size=0.1, random_state=SEED, stratify=strata)
    # The attack suite is split by template (a validation row never shares its sentence frame with training).
    train_rows += [r for r in datasets.attack_suite_rows("train") if r.text not in exclude]
    val_rows += datasets.attack_suite_rows("valid")
    # So are the written civil "{group} are ..." sentences, and the written attacks by idea.
    train_rows += [r for r in seed.group_rows("train") if r.text not in exclude]
    val_rows += seed.group_rows("valid")
    # The civil and abusive sentences of the training posts (never of a validation post).
    train_rows += datasets.toxic_spans_sentences(root, {r.text for r in val_rows} | set(exclude))
    train_rows += [r for r in seed_attacks.rows("train") if r.text not in exclude]
    written_val = seed_attacks.rows("valid")
    return train_rows, val_rows, written_val


def train(root: str | None = None, out_dir: Path = ARTIFACTS, log=print, exclude: frozenset[str] = frozenset(),
          cache: Path | None = None, vectors_of=None) -> dict:
    """``exclude``: texts left out of training (the encoder's stackers need a model that never saw
    the rows they are fitted on; the leave-one-source-out folds, a source). ``cache``: a folder keeping the
    training rows' embeddings between runs. ``vectors_of``: texts -> their embeddings, when the caller already
    has them (the folds share one embedding pass)."""
    t0 = time.time()
    train_rows, val_rows, written_val = split(root, exclude)
    log(f"{len(train_rows)} training rows, {len(val_rows)} validation rows (+ {len(written_val)} written): "
        f"{Counter(r.source for r in train_rows)}")

    feat = Featurizer()
    prepped = [prep(r.text) for r in train_rows]
    counts = feat.counts([p[1] for p in prepped])
    feat.fit_idf(counts)
    x = feat.transform([p[1] for p in prepped])
    w = np.array([SOURCE_WEIGHT[r.source] for r in train_rows])
    logits, heads = {}, {}
    for rule in ("abuse", "attack"):
        idx = np.array([i for i, r in enumerate(train_rows) if getattr(r, rule) is not None])
        y = np.array([getattr(train_rows[i], rule) for i in idx])
        oof, model = _oof(x[idx], y, w[idx])
        full = model.decision_function(x)
        full[idx] = oof
        logits[rule], heads[rule] = full, model
        log(f"tfidf {rule}: {len(idx)} rows, {time.time() - t0:.0f}s")

    # One head per rule over the sentence embedding; out-of-fold logits for the stacker, as for the n-grams.
    texts = [r.text for r in train_rows]
    vecs = vectors_of(texts) if vectors_of else vectors(texts, cache, log)
    emb_logits, emb_heads = {}, {}
    for rule in ("abuse", "attack"):
        idx = np.array([i for i, r in enumerate(train_rows) if getattr(r, rule) is not None])
        y = np.array([getattr(train_rows[i], rule) for i in idx])
        oof, model = _oof(vecs[idx], y, w[idx], fit=_fit_dense)
        full = model.decision_function(vecs)
        full[idx] = oof
        emb_logits[rule], emb_heads[rule] = full, model
    log(f"embedding heads fitted, {time.time() - t0:.0f}s")

    norm_texts = [p[0].text for p in prepped]
    lstm = np.concatenate([bilstm.load().predict(norm_texts[i:i + 512]) for i in range(0, len(norm_texts), 512)])
    feats = stack_features(logits["abuse"], logits["attack"], lstm, lexicon_features(norm_texts, addressed_rows(train_rows)),
                           np.column_stack([emb_logits["abuse"], emb_logits["attack"]]))
    mean, scale = feats.mean(axis=0), feats.std(axis=0) + 1e-6
    z = (feats - mean) / scale
    arrays = {"idf": feat.idf.astype(np.float16), "stack_mean": mean.astype(np.float32),
              "stack_scale": scale.astype(np.float32)}
    for rule in ("abuse", "attack"):
        arrays[f"{rule}_coef"] = heads[rule].coef_.ravel().astype(np.float16)
        arrays[f"{rule}_intercept"] = heads[rule].intercept_.astype(np.float32)
        arrays |= emb_heads[rule].arrays(rule)
        idx = np.array([i for i, r in enumerate(train_rows) if getattr(r, rule) is not None])
        y = np.array([getattr(train_rows[i], rule) for i in idx])
        st = LogisticRegression(C=1.0, max_iter=1000, random_state=SEED).fit(z[idx], y, sample_weight=w[idx])
        arrays[f"stack_{rule}_coef"] = st.coef_.ravel().astype(np.float32)
        arrays[f"stack_{rule}_intercept"] = st.intercept_.astype(np.float32)
    log(f"stack fitted, {time.time() - t0:.0f}s")

    spans_train = datasets.toxic_spans_split("train", root)
    meta = {"span_lexicon": span_lexicon(spans_train), "span_params": {"lexicon": 0.5, "logit": 1.0}}
    model = ToxicityModel(arrays, meta)
    trial = datasets.toxic_spans_split("trial", root)
    best = max(((lx, lg) for lx in (0.3, 0.4, 0.5, 0.6) for lg in (0.0, 0.5, 1.0, 1.5, 2.0)),
               key=lambda p: _with_params(model, p, trial))
    model.span_params = meta["span_params"] = {"lexicon": best[0], "logit": best[1]}

    scores = validation_scores(model, val_rows) | part_scores(model, val_rows, written_val)
    scores["toxic_spans_trial_f1"] = round(mean_span_f1(model, trial), 4)
    log(f"validation: {scores}")
    out_dir.mkdir(parents=True, exist_ok=True)
    save_npz(out_dir / "toxicity.npz", arrays)
    meta.update({
        "version": VERSION,
        "command": "remarks train --only abuse" + (" --datasets DATASETS" if root else ""),
        "training_rows": dict(sorted(Counter(r.source for r in train_rows).items())),
        "sha256": hashlib.sha256((out_dir / "toxicity.npz").read_bytes()).hexdigest(),
        "datasets": {k: v for k, v in datasets.LICENCES.items()},
        "also_uses": "bilstm_jigsaw.npz (toxic-comment-classifier 0.3.0, MIT; Jigsaw 2018 data); the sentence "
                     f"vectors of {embed.MODEL_FILE} ({embed.VERSION}: all-MiniLM-L6-v2, Apache-2.0, fine-tuned on the "
                     f"training sets its meta file lists)",
        "not_used": "C3 (non-commercial), ETHOS (GPL-3.0), Impermium (no licence), all official test splits, "
                    "the attack suite's held-out part",
        "validation": scores, "seed": SEED, "source_weights": SOURCE_WEIGHT, "stack_features": list(model.stack_names),
        "embedding_head": {"hidden": EMBEDDING_HIDDEN, "c": C_EMBEDDING},
        "libraries": {"python": platform.python_version(), "numpy": np.__version__,
                      "scikit-learn": sklearn.__version__, "scipy": scipy.__version__},
        "trained_seconds": round(time.time() - t0),
    })
    (out_dir / "toxicity.meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    return scores


def _with_params(model: ToxicityModel, params, rows) -> float:
    model.span_params = {"lexicon": params[0], "logit": params[1]}
    return mean_span_f1(model, rows)


def addressed_rows(rows) -> list[bool]:
    """Whether each row names someone in its conversation, as the attack check sees it at run time
    (rows without a context: only "you" and @mentions count, which ``lexicon_features`` finds itself)."""
    from remarks.checks.abuse import addressed
    from remarks.checks.base import CommentContext

    return [bool(r.extra) and addressed(CommentContext(text=r.text, byline=r.extra.get("byline") or "",
                                                       participants=tuple(r.extra.get("participants") or ())))
            for r in rows]


def validation_scores(model: ToxicityModel, rows) -> dict:
    pred = model.predict([r.text for r in rows], addressed_rows(rows))
    out = {}
    for rule in ("abuse", "attack"):
        keep = [i for i, r in enumerate(rows) if getattr(r, rule) is not None]
        y = [getattr(rows[i], rule) for i in keep]
        p = getattr(pred, rule)[keep]
        out[f"{rule}_auc"] = round(float(roc_auc_score(y, p)), 4)
        out[f"{rule}_ece"] = round(ece(np.array(y), p), 4)
    return out


def part_scores(model: ToxicityModel, val_rows, written_val) -> dict:
    """The validation parts the attack rule is weakest on: the attack suite's validation templates and the
    written attacks' validation ideas (AUC per rule where both labels occur; accuracy at 0.5 over every label)."""
    return {"attack_suite_valid": _part([r for r in val_rows if r.source == "attack_suite"], model),
            "seed_attacks_valid": _part(written_val, model)}


def _part(rows, model: ToxicityModel) -> dict:
    pred = model.predict([r.text for r in rows], addressed_rows(rows))
    out, right = {"rows": len(rows)}, []
    for rule in ("abuse", "attack"):
        keep = [i for i, r in enumerate(rows) if getattr(r, rule) is not None]
        y, p = np.array([getattr(rows[i], rule) for i in keep]), getattr(pred, rule)[keep]
        if len(set(y)) == 2:
            out[f"{rule}_auc"] = round(float(roc_auc_score(y, p)), 4)
        right += list((p >= 0.5) == y)
    out["accuracy"] = round(float(np.mean(right)), 4)
    return out


def ece(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    edges = np.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(y[edges == b].mean() - p[edges == b].mean()) * (edges == b).mean()
                     for b in range(bins) if (edges == b).any()))


if __name__ == "__main__":
    train()
