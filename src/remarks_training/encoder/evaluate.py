"""The new checks (encoder + stack) against the previous ones on the official test splits, the attack
suite's held-out part and the relevance set's held-out articles. Evaluation only: nothing here is
fitted (the OLID-A threshold comes from the encoder's validation rows).

For the ``remarks eval`` report:  ``from remarks_training.encoder.evaluate import compare``
``compare(datasets_dir) -> {"metrics": {name: {"before": x, "after": y}}, "hatecheck": ..., ...}``.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from remarks.checks.base import CommentContext

# A fixed random part of the largest set, to keep the run within a busy machine's time (both columns on it).
SUBSAMPLE = {"jigsaw": 4000}
HATECHECK_NON_HATEFUL_TARGETED = ("counter_quote_nh", "counter_ref_nh", "negate_neg_nh", "ident_neutral_nh",
                                  "ident_pos_nh")


def _readers():
    from remarks_training import datasets
    return datasets


def old_scores(texts: list[str]) -> dict[str, np.ndarray]:
    """The previous release's abuse and attack models on comments alone."""
    from remarks.ml import toxicity

    model = toxicity.load()
    out: dict[str, list] = {"abuse": [], "attack": []}
    for i in range(0, len(texts), 256):
        p = model.predict(texts[i:i + 256])
        out["abuse"].append(p.abuse)
        out["attack"].append(p.attack)
    return {k: np.concatenate(v) if v else np.zeros(0) for k, v in out.items()}


def new_scores(texts: list[str]) -> dict[str, np.ndarray]:
    """The new abuse and attack checks' scores on comments alone (encoder + stack)."""
    from remarks.checks.abuse import predict

    out: dict[str, list] = {"abuse": [], "attack": []}
    for i in range(0, len(texts), 256):
        for o in predict([CommentContext(text=t) for t in texts[i:i + 256]]):
            out["abuse"].append(o["abuse"])
            out["attack"].append(o["attack"])
    return {k: np.array(v) for k, v in out.items()}


def recall_at(y: np.ndarray, p: np.ndarray, false_holds: float = 0.05) -> float:
    clean = np.sort(p[y == 0])
    t = clean[min(len(clean) - 1, int(np.ceil((1 - false_holds) * len(clean))))]
    return float((p[y == 1] >= t).mean())


def hatecheck(rows: list, p: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    acc: dict[str, list[bool]] = defaultdict(list)
    for r, s in zip(rows, p):
        acc[r.extra["functionality"]].append((s >= threshold) == bool(r.abuse))
    return {k: float(np.mean(v)) for k, v in sorted(acc.items())}


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    grid = np.linspace(0.05, 0.95, 91)
    return float(grid[int(np.argmax([f1_score(y, p >= t, average="macro") for t in grid]))])


def suite_heldout(scorer: Callable[[list[CommentContext]], np.ndarray]) -> dict:
    from remarks_training import attack_suite

    cases = attack_suite.cases("heldout")
    ctxs = [CommentContext(text=c["text"], article_title=c["article_title"], article_body=c["article_body"],
                           byline=c.get("byline") or "", parent_text=c.get("parent_text"),
                           participants=tuple(c.get("participants") or ())) for c in cases]
    p = scorer(ctxs)
    y = np.array([c["attack"] for c in cases])
    by: dict[str, list[bool]] = defaultdict(list)
    for c, s in zip(cases, p):
        by[c["functionality"]].append((s >= 0.5) == bool(c["attack"]))
    return {"auc": float(roc_auc_score(y, p)), "accuracy_at_0.5": {k: float(np.mean(v)) for k, v in sorted(by.items())},
            "recall_at_5pct": recall_at(y, p)}


def relevance_heldout(datasets: Path) -> dict:
    """Off-topic AUC on the relevance set's held-out articles (written + Fox News): new check vs old."""
    from remarks.checks.offtopic import OfftopicCheck
    from remarks_training import relevance

    pairs = relevance.pairs("heldout", datasets)
    ctxs = [CommentContext(text=p.comment, article_title=p.article_title, article_body=p.article_body,
                           parent_text=p.parent) for p in pairs]
    res = [r for i in range(0, len(ctxs), 128) for r in OfftopicCheck().score_batch(ctxs[i:i + 128])]
    y = np.array([1 - p.label for p in pairs])
    new = np.array([r.score for r in res])
    old = np.array([r.labels.get("similarity_model", r.score) for r in res])
    out = {}
    for name, mask in (("all", np.ones(len(pairs), bool)), ("fox", np.array([p.source == "fox" for p in pairs])),
                       ("written", np.array([p.source == "written" for p in pairs]))):
        out[name] = {"before": float(roc_auc_score(y[mask], old[mask])), "after": float(roc_auc_score(y[mask], new[mask])),
                     "rows": int(mask.sum()),
                     "recall_at_0.5": {"before": float((old[mask][y[mask] == 1] >= 0.5).mean()),
                                       "after": float((new[mask][y[mask] == 1] >= 0.5).mean())}}
    return out


def test_sets(datasets: Path) -> dict[str, list]:
    ds = _readers()
    return {"impermium": ds.impermium_test(datasets), "olid": ds.olid_test(datasets),
            "jigsaw": ds.jigsaw_test(datasets), "hatecheck": ds.hatecheck(datasets), "c3": ds.c3(datasets)}


def cached_old_scores(name: str, texts: list[str], cache: Path | None) -> dict[str, np.ndarray]:
    """The previous models' scores, kept in ``cache`` (they do not change with the encoder)."""
    path = cache / f"old_{name}.npz" if cache else None
    if path and path.is_file():
        got = dict(np.load(path))
        if len(got["abuse"]) == len(texts):
            return got
    out = old_scores(texts)
    if path:
        np.savez(path, **out)
    return out


def compare(datasets: Path, log=print, olid_threshold: float | None = None,
            cache: Path | None = None) -> dict:
    """Before (the previous release's models) and after (the encoder checks) on every test set."""
    from remarks.ml import encoder

    t0 = time.time()
    encoder.load().cache_size = 60000  # the promotion figure reuses the C3 pass of the abuse check
    sets = test_sets(datasets)
    scores: dict[str, dict[str, dict[str, np.ndarray]]] = {}
    for name, rows in list(sets.items()):
        old = cached_old_scores(name, [r.text for r in rows], cache)
        if name in SUBSAMPLE and len(rows) > SUBSAMPLE[name]:
            idx = np.sort(np.random.default_rng(0).choice(len(rows), SUBSAMPLE[name], replace=False))
            rows = sets[name] = [rows[i] for i in idx]
            old = {k: v[idx] for k, v in old.items()}
        scores[name] = {"before": old, "after": new_scores([r.text for r in rows])}
        log(f"scored {name} ({len(rows)} rows) {time.time() - t0:.0f}s")
    m: dict[str, dict[str, float]] = defaultdict(dict)
    recall: dict[str, dict[str, float]] = defaultdict(dict)
    for when in ("before", "after"):
        def auc(name: str, rule: str, when: str = when) -> float:
            y = np.array([getattr(r, rule) for r in sets[name]])
            p = scores[name][when][rule]
            recall[f"{name} {rule}"][when] = recall_at(y, p)
            return float(roc_auc_score(y, p))

        m["Impermium test AUC (attack)"][when] = auc("impermium", "attack")
        m["OLID-A AUC (abuse)"][when] = auc("olid", "abuse")
        m["Jigsaw toxic subset AUC"][when] = auc("jigsaw", "abuse")
        m["C3 toxicity>=2 AUC (abuse)"][when] = auc("c3", "abuse")
        m["C3 personal attack AUC (attack)"][when] = auc("c3", "attack")
        y_olid = np.array([r.abuse for r in sets["olid"]])
        t = 0.5 if when == "before" or olid_threshold is None else olid_threshold
        m["OLID-A macro-F1"][when] = float(f1_score(y_olid, scores["olid"][when]["abuse"] >= t, average="macro"))
        hc = hatecheck(sets["hatecheck"], scores["hatecheck"][when]["abuse"])
        hateful = [v for k, v in hc.items() if k.endswith("_h")]
        m["HateCheck hateful functionalities (mean)"][when] = float(np.mean(hateful))
        m["HateCheck non-hateful targeted (min)"][when] = min(hc[k] for k in HATECHECK_NON_HATEFUL_TARGETED)
        m[f"HateCheck per functionality ({when})"] = hc
    m["recall at 5% false holds, mean over test sets"] = {
        w: float(np.mean([v[w] for v in recall.values()])) for w in ("before", "after")}
    res = {"metrics": dict(m), "recall_at_5pct_false_holds": dict(recall),
           "olid_threshold": olid_threshold, "subsampled": SUBSAMPLE}

    from remarks.checks.attack import AttackCheck
    from remarks.ml import toxicity

    def new_attack(ctxs: list[CommentContext]) -> np.ndarray:
        return np.array([r.score for r in AttackCheck(evidence_from=2.0).score_batch(ctxs)])

    def old_attack(ctxs: list[CommentContext]) -> np.ndarray:
        return toxicity.load().predict([c.text for c in ctxs]).attack

    res["attack_suite_heldout"] = {"before": suite_heldout(old_attack), "after": suite_heldout(new_attack)}
    m["Attack suite held-out AUC"] = {w: res["attack_suite_heldout"][w]["auc"] for w in ("before", "after")}
    res["relevance_heldout"] = relevance_heldout(datasets)
    m["Relevance held-out AUC (written + Fox News)"] = {w: res["relevance_heldout"]["all"][w] for w in ("before", "after")}
    m["Fox News relevance AUC, held-out articles"] = {w: res["relevance_heldout"]["fox"][w] for w in ("before", "after")}
    res["promotion_c3_held_at_0.5"] = promotion_news_holds(sets["c3"])
    res["seconds"] = round(time.time() - t0, 1)
    return res


def promotion_news_holds(rows: list) -> dict:
    """Share of C3 news comments (almost none promotional) the promotion check scores >= 0.5."""
    from remarks.checks.promotion import PromotionCheck, text_probability

    ctxs = [CommentContext(text=r.text) for r in rows]
    check = PromotionCheck()
    after = [r.score for i in range(0, len(ctxs), 256) for r in check.score_batch(ctxs[i:i + 256])]
    before = [check._result(c, float(p)).score for c, p in zip(ctxs, text_probability([c.text for c in ctxs]))]
    return {"before": float(np.mean(np.array(before) >= 0.5)), "after": float(np.mean(np.array(after) >= 0.5))}


def speed(datasets: Path | None = None, n: int = 512, threads: int = 2) -> dict:
    """Texts per second through the encoder alone (batches of 32), comments and pairs."""
    from remarks.ml import encoder

    ds = _readers()
    texts = [r.text for r in ds.c3(datasets)][:n]
    enc = encoder.Encoder(threads=threads, cache_size=0)
    t = time.time()
    enc.raw(texts)
    single = n / (time.time() - t)
    t = time.time()
    enc.raw(texts, [encoder.context_text("A council votes to cut night buses", "The mayor said " * 40)] * n)
    return {"comments_per_s": round(single, 1), "pairs_per_s": round(n / (time.time() - t), 1), "threads": threads}


def evaluate(datasets: Path, work_dir: Path, *, record: bool = False, log=print) -> dict:
    from remarks.ml import encoder

    meta_path = encoder.ARTIFACTS / encoder.META_FILE
    meta = json.loads(meta_path.read_text())
    olid_t = meta.get("scores", {}).get("validation", {}).get("olid_threshold")
    res = compare(datasets, log=log, olid_threshold=olid_t, cache=work_dir)
    res["speed"] = speed(datasets)
    (work_dir / "evaluation.json").write_text(json.dumps(res, indent=2, default=float))
    for k, v in res["metrics"].items():
        if "before" in v:
            log(f"{k}: {v['before']:.4f} -> {v['after']:.4f}")
    if record:
        meta.setdefault("scores", {})["test"] = {k: {w: round(x, 4) for w, x in v.items()}
                                                 for k, v in res["metrics"].items() if "before" in v}
        meta["scores"]["test_note"] = ("before: the previous release's checks (toxicity-1, promotion-2, offtopic-1); "
                                       "after: the encoder checks; official test splits, attack suite held-out, "
                                       "relevance held-out articles; C3 evaluation only")
        meta["scores"]["hatecheck_after"] = {k: round(v, 4) for k, v in res["metrics"]["HateCheck per functionality (after)"].items()}
        meta["scores"]["attack_suite_heldout_after"] = res["attack_suite_heldout"]["after"]
        meta["scores"]["promotion_c3_held_at_0.5"] = res["promotion_c3_held_at_0.5"]
        meta["scores"]["speed"] = res["speed"]
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return res
