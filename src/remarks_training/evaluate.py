"""``remarks eval``: the shipped checks against every official test split, beside baselines.

Systems, side by side: ``remarks`` (the shipped abuse/attack model), ``tfidf-lr`` (TF-IDF +
logistic regression trained here on Davidson + OLID-A + Impermium train + ETHOS + Fox, the
baseline of models.md; never shipped), ``toxic-comment-classifier`` (its BiLSTM as it is:
``toxic`` for abuse, ``insult`` for attack) and ``alt-profanity-check`` (when installed).
"""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.pipeline import make_pipeline, make_union

from remarks.ml import bilstm, toxicity
from remarks_training import datasets
from remarks_training.row import Row
from remarks_training.train_toxicity import span_f1

Scorer = Callable[[list[str]], dict[str, np.ndarray]]
HATECHECK_NON_HATEFUL_TARGETED = ("counter_quote_nh", "counter_ref_nh", "negate_neg_nh", "ident_neutral_nh", "ident_pos_nh")


def remarks_scorer() -> Scorer:
    model = toxicity.load()

    def score(texts: list[str]) -> dict[str, np.ndarray]:
        out = {"abuse": [], "attack": []}
        for i in range(0, len(texts), 512):
            p = model.predict(texts[i:i + 512])
            out["abuse"].append(p.abuse)
            out["attack"].append(p.attack)
        return {k: np.concatenate(v) for k, v in out.items()}
    return score


def bilstm_scorer() -> Scorer:
    model = bilstm.load()

    def score(texts: list[str]) -> dict[str, np.ndarray]:
        p = np.concatenate([model.predict(texts[i:i + 512]) for i in range(0, len(texts), 512)])
        return {"abuse": p[:, 0], "attack": p[:, 4]}
    return score


def tfidf_baseline(root=None) -> Scorer:
    texts, ys = [], []
    for r in datasets.training_rows(root):
        if r.source in ("davidson", "olid", "fox"):
            texts.append(r.text)
            ys.append(r.abuse)
    base = datasets._root(root)
    with open(base / "impermium_insults/train.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            texts.append(datasets._unescape_impermium(r["Comment"]))
            ys.append(int(r["Insult"]))
    with open(base / "ethos/Ethos_Dataset_Binary.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            texts.append(r["comment"])
            ys.append(int(float(r["isHate"]) >= 0.5))
    vec = make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True, max_features=200000),
                     TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True))
    model = make_pipeline(vec, LogisticRegression(C=4.0, solver="liblinear")).fit(texts, ys)

    def score(t: list[str]) -> dict[str, np.ndarray]:
        p = model.predict_proba(t)[:, 1]
        return {"abuse": p, "attack": p}
    return score


def profanity_scorer() -> Scorer | None:
    try:
        from profanity_check import predict_prob
    except ImportError:
        return None

    def score(texts: list[str]) -> dict[str, np.ndarray]:
        p = predict_prob(texts)
        return {"abuse": p, "attack": p}
    return score


def _auc(rows: list[Row], p: np.ndarray, rule: str) -> float:
    y = [getattr(r, rule) for r in rows]
    return float(roc_auc_score(y, p))


def power_mean(values: list[float], p: float = -5.0) -> float:
    v = np.asarray(values, dtype=float)
    return float(np.mean(v ** p) ** (1.0 / p))


def bias_metric(rows: list[Row], p: np.ndarray) -> dict:
    """Jigsaw Unintended Bias metric: 1/4 overall AUC + 3/4 mean of the power means (p=-5) of
    subgroup, BPSN and BNSP AUC over identities."""
    y = np.array([r.abuse for r in rows])
    per: dict[str, dict[str, float]] = {}
    idents = sorted({i for r in rows for i in r.extra["identities"]})
    for ident in idents:
        sub = np.array([ident in r.extra["identities"] for r in rows])
        if sub.sum() < 20 or len(set(y[sub])) < 2:
            continue
        bpsn = (sub & (y == 0)) | (~sub & (y == 1))
        bnsp = (sub & (y == 1)) | (~sub & (y == 0))
        per[ident] = {"subgroup": roc_auc_score(y[sub], p[sub]), "bpsn": roc_auc_score(y[bpsn], p[bpsn]),
                      "bnsp": roc_auc_score(y[bnsp], p[bnsp])}
    overall = float(roc_auc_score(y, p))
    means = {k: power_mean([v[k] for v in per.values()]) for k in ("subgroup", "bpsn", "bnsp")}
    final = 0.25 * overall + 0.75 * float(np.mean(list(means.values())))
    return {"overall": overall, **means, "final": final, "per_identity": per}


def hatecheck_accuracy(rows: list[Row], p: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    acc: dict[str, list[bool]] = defaultdict(list)
    for r, s in zip(rows, p):
        acc[r.extra["functionality"]].append((s >= threshold) == bool(r.abuse))
    return {k: float(np.mean(v)) for k, v in sorted(acc.items())}


def olid_f1(rows: list[Row], abuse: np.ndarray, attack: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """Macro-F1 for OLID subtasks A (OFF/NOT), B (TIN/UNT, on OFF tweets), C (IND/GRP/OTH, on TIN tweets)."""
    a_pred = np.where(abuse >= threshold, "OFF", "NOT")
    out = {"A": f1_score([r.extra["a"] for r in rows], a_pred, average="macro")}
    norm = [toxicity.prep(r.text)[0].text for r in rows]
    lex = toxicity.lexicon_features(norm)  # columns: profanity, identity, dehumanising, id x dehum, second, addressed, len
    b_idx = [i for i, r in enumerate(rows) if r.extra["b"] != "NULL"]
    b_pred = ["TIN" if attack[i] >= 0.2 or lex[i, 1] or lex[i, 5] else "UNT" for i in b_idx]
    out["B"] = f1_score([rows[i].extra["b"] for i in b_idx], b_pred, average="macro")
    c_idx = [i for i, r in enumerate(rows) if r.extra["c"] != "NULL"]
    c_pred = ["GRP" if lex[i, 1] else "IND" if attack[i] >= 0.3 or lex[i, 4] else "OTH" for i in c_idx]
    out["C"] = f1_score([rows[i].extra["c"] for i in c_idx], c_pred, average="macro")
    return {k: float(v) for k, v in out.items()}


def attack_check_in_context(rows: list[Row], replies: list[bool]) -> np.ndarray:
    """The attack *check* as deployed: it knows whether a comment replies to another one."""
    from remarks.checks.attack import AttackCheck
    from remarks.checks.base import CommentContext

    check = AttackCheck(evidence_from=2.0)  # scores only; spans are measured elsewhere
    ctxs = [CommentContext(text=r.text, parent_text="" if rep else None) for r, rep in zip(rows, replies)]
    return np.array([res.score for i in range(0, len(ctxs), 512) for res in check.score_batch(ctxs[i:i + 512])])


def spelling_ablation(rows: list[Row]) -> dict[str, dict[str, float]]:
    """HateCheck's spelling-variation functionalities with and without the shared normaliser
    (the model applied to the lower-cased text as typed): what normalisation buys."""
    from unittest import mock

    from remarks.text.normalize import Normalized

    def plain(text: str) -> Normalized:
        low = text.lower()
        return Normalized(text, low, tuple(range(len(low))), tuple(range(1, len(low) + 1)))

    spell = [r for r in rows if r.extra["functionality"].startswith("spell_")]
    texts = [r.text for r in spell]
    model = toxicity.load()
    with_norm = hatecheck_accuracy(spell, model.predict(texts).abuse)
    with mock.patch.object(toxicity, "normalize", plain):
        without = hatecheck_accuracy(spell, model.predict(texts).abuse)
    return {f: {"normalised": with_norm[f], "as typed": without[f]} for f in with_norm}


def validation_threshold(root=None) -> float:
    """The abuse threshold that maximises OLID-A macro-F1 on the OLID rows of the training
    validation slice (the same seeded split ``remarks train`` holds out) - never on the test set."""
    from sklearn.model_selection import train_test_split

    from remarks_training.train_toxicity import SEED

    rows = datasets.training_rows(root)
    strata = [f"{r.source}:{r.abuse}" for r in rows]
    _, val = train_test_split(rows, test_size=0.1, random_state=SEED, stratify=strata)
    val = [r for r in val if r.source == "olid"]
    p = toxicity.load().predict([r.text for r in val]).abuse
    y = [r.abuse for r in val]
    grid = np.arange(0.2, 0.81, 0.05)
    return float(max(grid, key=lambda t: f1_score(y, p >= t, average="macro")))


def span_f1_test(root=None) -> dict[str, float]:
    """Char-F1 of the evidence on every test post, as the check emits it (only from a score of
    EVIDENCE_FROM up), and of the placeholder word list."""
    from remarks.checks.abuse import EVIDENCE_FROM
    from remarks.checks.base import CommentContext
    from remarks.checks.wordlist import WordListAbuse

    rows = datasets.toxic_spans_split("test", root)
    model = toxicity.load()
    scores = model.predict([t for t, _ in rows]).abuse
    every, emitted = [], []
    for (text, gold), s in zip(rows, scores):
        pred = {i for a, b, _ in model.evidence(toxicity.prep(text)[0]) for i in range(a, b)}
        every.append(span_f1(pred, gold))
        emitted.append(span_f1(pred if s >= EVIDENCE_FROM else set(), gold))
    wl = WordListAbuse()
    wl_f1 = np.mean([span_f1({i for s in wl.score(CommentContext(text=t)).spans for i in range(s.start, s.end)}, g)
                     for t, g in rows])
    return {"remarks": float(np.mean(every)), "remarks_emitted": float(np.mean(emitted)), "wordlist": float(wl_f1)}


def run(root=None, log=print) -> dict:
    t0 = time.time()
    systems: dict[str, Scorer] = {"remarks": remarks_scorer(), "toxic-comment-classifier": bilstm_scorer()}
    log("training the TF-IDF baseline ...")
    systems["tfidf-lr"] = tfidf_baseline(root)
    prof = profanity_scorer()
    if prof:
        systems["alt-profanity-check"] = prof
    sets = {"jigsaw": datasets.jigsaw_test(root), "c3": datasets.c3(root), "impermium": datasets.impermium_test(root),
            "olid": datasets.olid_test(root), "hatecheck": datasets.hatecheck(root), "bias": datasets.bias_templates(root)}
    scores: dict[str, dict[str, dict[str, np.ndarray]]] = defaultdict(dict)
    for name, rows in sets.items():
        texts = [r.text for r in rows]
        for sys_name, fn in systems.items():
            scores[name][sys_name] = fn(texts)
        log(f"scored {name} ({len(rows)} rows), {time.time() - t0:.0f}s")
    res: dict = {"systems": list(systems), "metrics": defaultdict(dict), "hatecheck": {}, "bias": {}}
    res["olid_threshold"] = validation_threshold(root)
    for s in systems:
        m = res["metrics"]
        m["Jigsaw toxic subset AUC"][s] = _auc(sets["jigsaw"], scores["jigsaw"][s]["abuse"], "abuse")
        m["C3 toxicity>=2 AUC (abuse)"][s] = _auc(sets["c3"], scores["c3"][s]["abuse"], "abuse")
        m["C3 personal attack AUC (attack)"][s] = _auc(sets["c3"], scores["c3"][s]["attack"], "attack")
        m["Impermium test AUC (attack)"][s] = _auc(sets["impermium"], scores["impermium"][s]["attack"], "attack")
        f1 = olid_f1(sets["olid"], scores["olid"][s]["abuse"], scores["olid"][s]["attack"],
                     threshold=res["olid_threshold"] if s == "remarks" else 0.5)
        for k, v in f1.items():
            m[f"OLID-{k} macro-F1"][s] = v
        hc = hatecheck_accuracy(sets["hatecheck"], scores["hatecheck"][s]["abuse"])
        res["hatecheck"][s] = hc
        hateful = [v for k, v in hc.items() if k.endswith("_h")]
        m["HateCheck hateful functionalities (min)"][s] = min(hateful)
        m["HateCheck hateful functionalities (mean)"][s] = float(np.mean(hateful))
        m["HateCheck non-hateful targeted (min)"][s] = min(hc[k] for k in HATECHECK_NON_HATEFUL_TARGETED)
        b = bias_metric(sets["bias"], scores["bias"][s]["abuse"])
        res["bias"][s] = b
        m["Bias metric (templates)"][s] = b["final"]
    m = res["metrics"]
    m["Impermium test AUC (attack check, as replies)"]["remarks"] = _auc(
        sets["impermium"], attack_check_in_context(sets["impermium"], [True] * len(sets["impermium"])), "attack")
    res["spelling"] = spelling_ablation(sets["hatecheck"])
    res["spans"] = span_f1_test(root)
    res["metrics"]["Toxic Spans test char-F1"] = {"remarks": res["spans"]["remarks"], "wordlist": res["spans"]["wordlist"]}
    from remarks_training import langid_eval

    res["language"] = langid_eval.evaluate(root)
    res["curves"] = {k: (sets[k], scores[k]) for k in ("jigsaw", "c3", "impermium")}
    res["seconds"] = time.time() - t0
    return res


def write_report(res: dict, out_dir: Path) -> Path:
    from remarks_training.report import write

    return write(res, out_dir)


def record(res: dict, artifacts: Path | None = None) -> None:
    """Write the held-out figures into the artifacts' metadata (``remarks eval --record``)."""
    import json

    from remarks_training.train_toxicity import ARTIFACTS

    root = artifacts or ARTIFACTS
    for meta_file, system in (("toxicity.meta.json", "remarks"), ("bilstm_jigsaw.meta.json", "toxic-comment-classifier")):
        path = root / meta_file
        meta = json.loads(path.read_text("utf-8"))
        meta["test_scores"] = {k: round(v[system], 4) for k, v in res["metrics"].items() if system in v}
        meta["test_scores_note"] = "official test splits, from `remarks eval`; see bench/reports/checks.md"
        path.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
