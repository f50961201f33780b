"""Fit each rule's stacker on the encoder's VALIDATION split (never a test split) and record it.

For every rule the encoder head alone is the base (a Platt-scaled probability). A group of older
features (the Jigsaw BiLSTM's outputs, the promotion patterns, the old relevance probability ...) is
kept only when it raises the 5-fold cross-validated AUC on the validation rows by at least
``MIN_GAIN``. A rule gets a stacker (and so uses the encoder) only when it beats the previous release's
model alone on the same rows; otherwise its check keeps the previous model.

The previous abuse/attack model's features on these rows come from a copy of it trained without them
(:func:`out_of_fold_toxicity`), so the stacker learns how it does on text it never saw; at run time the
shipped model (trained on every row) fills them. The old promotion text model saw some validation rows:
its figures here are optimistic."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from remarks.ml import encoder as rt
from remarks.ml import stack
from remarks_training.encoder import data

MIN_GAIN = 0.003
BASE = {"abuse": ["enc_abuse"], "attack": ["enc_attack"], "promotion": ["enc_promotion"],
        "offtopic": ["pair_offtopic"], "attack_context": ["enc_attack"]}
# Rules scored on (article, comment) pairs; "attack_context" is the attack check when the comment has an
# article, a byline or a parent to read it against (fitted on the attack suite's validation templates).
PAIR_RULES = {"offtopic": "offtopic", "attack_context": "attack"}
CANDIDATES = {
    "abuse": {"encoder sub-labels": ["enc_obscene", "enc_threat", "enc_identity_hate", "enc_insult"],
              "BiLSTM (Jigsaw)": [f"bilstm_{k}" for k in ("toxic", "severe_toxic", "obscene", "threat", "insult",
                                                          "identity_hate")],
              "profanity list": ["profanity"],
              "previous abuse model (toxicity-1)": ["old_abuse"]},
    "attack": {"encoder insult/abuse": ["enc_insult", "enc_abuse"],
               "encoder targets": ["enc_target_commenter", "enc_target_author", "enc_target_person"],
               "BiLSTM insult": ["bilstm_insult", "bilstm_toxic"],
               "previous attack model (toxicity-1)": ["old_attack"]},
    "promotion": {"link/contact patterns": ["links", "calls"],
                  "previous text model (promotion-2)": ["old_promotion"]},
    "offtopic": {"old relevance model": ["old_offtopic"]},
    "attack_context": {"pair (article, byline, parent)": ["pair_attack", "pair_target_person", "pair_target_author",
                                                          "pair_target_commenter"]},
}
# The previous release's score for each rule, as a stack feature: the encoder must beat it alone.
PREVIOUS = {"abuse": "old_abuse", "attack": "old_attack", "promotion": "old_promotion", "offtopic": "old_offtopic"}
_WORDS = re.compile(r"[a-z][a-z']*")


def ece(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width bins."""
    idx = np.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(p[idx == b].mean() - y[idx == b].mean()) * (idx == b).mean() for b in range(bins)
                     if (idx == b).any()))


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict]:
    idx = np.minimum((p * bins).astype(int), bins - 1)
    return [{"bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}", "n": int((idx == b).sum()),
             "mean_score": round(float(p[idx == b].mean()), 4), "observed": round(float(y[idx == b].mean()), 4)}
            for b in range(bins) if (idx == b).any()]


def _cv_auc(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    p = cross_val_predict(LogisticRegression(C=1.0, max_iter=1000), x, y, cv=folds, method="predict_proba")[:, 1]
    return float(roc_auc_score(y, p)), p


def out_of_fold_toxicity(valid: list[data.Item], work_dir: Path, datasets: Path):
    """The previous abuse/attack model retrained (``remarks train``'s recipe) without the validation
    texts, kept in ``work_dir/oof-toxicity-<hash of those texts>`` (another split trains another)."""
    import hashlib

    from remarks.ml import store, toxicity
    from remarks_training import train_toxicity

    excluded = sorted({it.text for it in valid})
    out = work_dir / f"oof-toxicity-{hashlib.sha256(json.dumps(excluded).encode()).hexdigest()[:12]}"
    if not (out / "toxicity.npz").is_file():
        train_toxicity.train(str(datasets), out_dir=out, exclude=frozenset(excluded))
    return toxicity.ToxicityModel(store.load_npz("toxicity.npz", out), store.meta("toxicity.npz", out))


def old_features(items: list[data.Item], tox=None) -> list[dict]:
    """The older parts' inputs for each row (BiLSTM, patterns, profanity words, old relevance);
    ``tox``: the abuse/attack model to use (default the shipped one)."""
    from remarks.checks.base import CommentContext
    from remarks.checks.offtopic import OfftopicCheck
    from remarks.checks.promotion import find_patterns
    from remarks.ml import bilstm, toxicity

    from remarks.checks.promotion import text_probability

    norm = [toxicity.prep(it.text)[0].text for it in items]
    texts = [it.text for it in items]
    old = {"abuse": [], "attack": []}
    tox = tox or toxicity.load()
    for i in range(0, len(texts), 256):
        pred = tox.predict(texts[i:i + 256])
        old["abuse"] += pred.abuse.tolist()
        old["attack"] += pred.attack.tolist()
    old["promotion"] = text_probability(texts).tolist() if texts else []
    lstm = np.concatenate([bilstm.load().predict(norm[i:i + 256]) for i in range(0, len(norm), 256)]) if norm else []
    out = []
    for i, it in enumerate(items):
        out.append({"bilstm": dict(zip(bilstm.LABELS, map(float, lstm[i]))),
                    "patterns": {s.label for s in find_patterns(it.text)}, "words": _WORDS.findall(norm[i]),
                    "old": {k: float(v[i]) for k, v in old.items()}})
    pairs = [i for i, it in enumerate(items) if it.context is not None and "title" in it.extra]
    if pairs:
        check = OfftopicCheck()
        ctxs = [CommentContext(text=items[i].text, article_title=items[i].extra["title"],
                               article_body=items[i].extra.get("body", ""),
                               parent_text=items[i].extra.get("parent")) for i in pairs]
        for i, res in zip(pairs, check.score_batch(ctxs)):
            out[i]["old"]["offtopic"] = res.labels.get("similarity_model", res.score)
    return out


def cached_old_features(items: list[data.Item], cache: Path | None, tox=None) -> list[dict]:
    """old_features, kept in ``cache`` (they do not depend on the encoder)."""
    import hashlib
    import pickle

    key = hashlib.sha256(json.dumps([[it.text, it.context] for it in items]).encode()).hexdigest()[:16]
    path = cache / f"old_valid_features{'_oof' if tox else ''}_{key}.pkl" if cache else None
    if path and path.is_file():
        return pickle.loads(path.read_bytes())
    out = old_features(items, tox)
    if path:
        path.write_bytes(pickle.dumps(out))
    return out


def feature_rows(items: list[data.Item], enc: rt.Encoder, cache: Path | None = None,
                 tox=None) -> list[dict[str, float]]:
    single = [it for it in items if it.context is None]
    pairs = [it for it in items if it.context is not None]
    rows: dict[int, dict] = {}
    olds = cached_old_features(items, cache, tox)
    old_of = {id(it): o for it, o in zip(items, olds)}
    if single:
        for it, out in zip(single, enc.predict([it.text for it in single])):
            o = old_of[id(it)]
            rows[id(it)] = stack.features(out.probs, bilstm=o["bilstm"], patterns=o["patterns"], words=o["words"],
                                          old=o["old"])
    if pairs:
        alone = enc.predict([it.text for it in pairs])
        for it, a, out in zip(pairs, alone, enc.predict_pairs([it.context for it in pairs], [it.text for it in pairs])):
            o = old_of[id(it)]
            rows[id(it)] = stack.features(a.probs, out.probs, bilstm=o["bilstm"], patterns=o["patterns"],
                                          words=o["words"], old=o.get("old"))
    return [rows[id(it)] for it in items]


def fit(items: list[data.Item], enc: rt.Encoder, log=print, cache: Path | None = None, tox=None) -> dict:
    valid = [it for it in items if it.split == "valid"]
    feats = feature_rows(valid, enc, cache, tox)
    specs, report = {}, {}
    for rule, base in BASE.items():
        label = PAIR_RULES.get(rule, rule)
        idx = [i for i, it in enumerate(valid) if label in it.labels and (it.context is not None) == (rule in PAIR_RULES)]
        y = np.array([valid[i].labels[label] for i in idx])
        if len(set(y)) < 2:
            continue

        def matrix(names: list[str], idx: np.ndarray = idx) -> np.ndarray:
            return np.array([[feats[i].get(n, 0.0) for n in names] for i in idx])

        chosen = list(base)
        best, _ = _cv_auc(matrix(chosen), y)
        steps = [{"features": "encoder head alone", "cv_auc": round(best, 4)}]
        for name, group in CANDIDATES[rule].items():
            auc, _ = _cv_auc(matrix(chosen + group), y)
            kept = auc - best >= MIN_GAIN
            steps.append({"features": f"+ {name}", "cv_auc": round(auc, 4), "kept": kept})
            if kept:
                chosen, best = chosen + group, auc
        previous = PREVIOUS.get(rule)
        bar = round(_cv_auc(matrix([previous]), y)[0], 4) if previous else None
        if previous:  # what the release without the encoder scores on the same rows (the bar to beat)
            steps.append({"features": f"previous model alone ({previous})", "cv_auc": bar, "kept": None})
        # A rule uses the encoder only where it beats the previous model on these rows; attack in context
        # only where the pair adds (else the attack stacker serves every comment).
        uses = (bar is None or best > bar) and (rule != "attack_context" or len(chosen) > len(base))
        _, p_cv = _cv_auc(matrix(chosen), y)
        lr = LogisticRegression(C=1.0, max_iter=1000).fit(matrix(chosen), y)
        if uses:
            specs[rule] = {"features": chosen, "coef": [round(float(c), 6) for c in lr.coef_[0]],
                           "intercept": round(float(lr.intercept_[0]), 6)}
        raw = 1 / (1 + np.exp(-matrix(base)[:, 0]))
        by_source = defaultdict(list)
        for j, i in enumerate(idx):
            by_source[valid[i].source].append(j)
        fpr5 = operating_point(y, p_cv)
        report[rule] = {"rows": len(idx), "positives": int(y.sum()), "steps": steps, "uses_encoder": uses,
                        "cv_auc": round(best, 4), "encoder_auc": round(float(roc_auc_score(y, raw)), 4),
                        "ece_raw": round(ece(y, raw), 4), "ece_calibrated": round(ece(y, p_cv), 4),
                        "reliability": reliability(y, p_cv), "at_5pct_false_holds": fpr5,
                        "auc_by_source": {s: round(float(roc_auc_score(y[j], p_cv[j])), 4)
                                          for s, j in sorted(by_source.items()) if len(set(y[j])) == 2}}
        log(f"{rule}: {report[rule]['cv_auc']} ({', '.join(s['features'] + ' ' + str(s['cv_auc']) for s in steps)})")
    # The OLID-A operating point (macro-F1 on OLID's validation rows), for the OLID-A figure only.
    olid = [i for i, it in enumerate(valid) if it.source == "olid" and "abuse" in it.labels]
    if olid and "abuse" in specs:
        from remarks_training.encoder.evaluate import best_f1_threshold

        p = stack.apply_rows(specs["abuse"], [feats[i] for i in olid])
        report["olid_threshold"] = best_f1_threshold(np.array([valid[i].labels["abuse"] for i in olid]), p)
    return {"stack": specs, "validation": report}


def operating_point(y: np.ndarray, p: np.ndarray, false_holds: float = 0.05) -> dict:
    """The threshold that holds ``false_holds`` of the clean rows, and the share of rule breaks it catches."""
    clean = np.sort(p[y == 0])
    t = float(clean[min(len(clean) - 1, int(np.ceil((1 - false_holds) * len(clean))))]) if len(clean) else 0.5
    return {"threshold": round(t, 4), "recall": round(float((p[y == 1] >= t).mean()), 4),
            "false_holds": round(float((p[y == 0] >= t).mean()), 4)}


def run(datasets: Path, work_dir: Path, *, seed_value: int = 13, log=print) -> dict:
    items = data.build(datasets, seed_value=seed_value)
    enc = rt.Encoder(rt.ARTIFACTS / rt.MODEL_FILE)
    tox = out_of_fold_toxicity([it for it in items if it.split == "valid"], work_dir, datasets)
    res = fit(items, enc, log=log, cache=work_dir, tox=tox)
    meta_path = rt.ARTIFACTS / rt.META_FILE
    meta = json.loads(meta_path.read_text())
    meta["stack"] = res["stack"]
    meta.setdefault("scores", {})["validation"] = res["validation"]
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    (work_dir / "stack.json").write_text(json.dumps(res, indent=2))
    return res
