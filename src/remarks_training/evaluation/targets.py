"""Issue 14's target table: every figure measured on the installed checks, beside the previous
release's figure. Writes ``bench/reports/targets.md`` (+ ``targets_<label>.json`` per run,
``reliability.png``) and, with ``write_calibration``, the calibration and operating-point artifacts.

Nothing is tuned on a test split: calibrators, the operating point and the OLID-A threshold come from
validation data (:mod:`.calibrate`); test sets are only scored.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score, roc_curve

from remarks_training.evaluation import calibrate, relevance_conditions, score, sets

# (key, figure, target, previous release's figure, how the previous figure was measured)
FIGURES: list[tuple[str, str, str, str, str]] = [
    ("impermium_auc", "Impermium test AUC (attack, as replies)", "≥ 0.92", "0.886", ""),
    ("c3_abuse_auc", "C3 toxicity ≥ 2 AUC (abuse; never trained on)", "≥ 0.80", "0.716", ""),
    ("c3_attack_auc", "C3 personal attack AUC (attack; never trained on)", "≥ 0.80", "0.698", ""),
    ("olid_a_f1", "OLID-A macro-F1 (threshold from validation)", "≥ 0.82", "0.757", ""),
    ("jigsaw_auc", "Jigsaw toxic subset AUC", "≥ 0.970", "0.960", ""),
    ("hatecheck_hateful_mean", "HateCheck hateful functionalities, mean accuracy", "≥ 0.85", "0.734", ""),
    ("hatecheck_nonhateful_min", "HateCheck non-hateful targeted, min accuracy", "≥ 0.50", "0.225", ""),
    ("fox_relevance_auc", "Fox News relevance AUC, held-out articles", "≥ 0.92", "0.825",
     "Fox News relevance: the previous figure is the mean of five folds of two held-out articles; now four fixed "
     "held-out articles (`relevance.FOX_HELDOUT`). The previous release's relevance model (ten weights over "
     "similarity features) was fitted on all ten Fox stories, these four included, so its `before` figure here "
     "is optimistic. The shipped model (`offtopic-3`) never saw them, nor the two stories its calibrator is "
     "fitted on (`relevance.FOX_VALID`)."),
    ("written_relevance_auc", "Written stories relevance AUC, held-out articles (hard negatives)", "", "—", ""),
    ("attack_suite_mean", "Attack suite held-out part, mean accuracy over functionalities", "", "—", ""),
    ("attack_suite_min", "Attack suite held-out part, min accuracy over functionalities", "", "—", ""),
    ("loso_abuse", "Leave-one-source-out mean AUC, abuse (n-gram model)", "≥ 0.85", "—", ""),
    ("loso_attack", "Leave-one-source-out mean AUC, attack (n-gram model)", "≥ 0.85", "—", ""),
    ("loso_model_abuse", "Leave-one-source-out mean AUC, abuse (the shipped model's recipe, retrained per source)",
     "≥ 0.85", "—", ""),
    ("loso_model_attack", "Leave-one-source-out mean AUC, attack (the shipped model's recipe, retrained per source)",
     "≥ 0.85", "—", ""),
    ("recall_at_5_mean", "Recall at 5 % false holds, mean over test sets", "≥ 0.75", "—", ""),
    ("ece_mean_test", "ECE of the calibrated scores, mean over test sets", "", "—", ""),
    ("batched_per_s", "All checks, batched comments/s (2 cores)", "≥ 150", "102", ""),
    ("p99_ms", "All checks, one comment, p99 ms", "≤ 50", "41", ""),
    ("peak_rss_mb", "Peak RSS with all checks loaded, MB", "≤ 400", "~600",
     "Memory: the previous figure is the server's RSS; now the peak RSS of a process that loads every check and "
     "scores with it (the web server adds its own ~60-100 MB)."),
]
HATECHECK_NON_HATEFUL_TARGETED = ("counter_quote_nh", "counter_ref_nh", "negate_neg_nh", "ident_neutral_nh",
                                  "ident_pos_nh")
RECALL_SETS = ("impermium", "c3_abuse", "c3_attack", "olid_a", "jigsaw", "fox_relevance", "written_relevance",
               "attack_suite")
ECE_SETS = ("impermium", "c3_abuse", "c3_attack", "fox_relevance")


def recall_at(y: np.ndarray, p: np.ndarray, fpr_max: float = 0.05) -> float:
    """The share of rule-breaking comments caught at the best threshold that holds at most ``fpr_max``
    of the clean ones (a property of the ranking; the shipped threshold is the operating point)."""
    fpr, tpr, _ = roc_curve(y, p)
    return float(tpr[fpr <= fpr_max].max())


def accuracy_by_group(rows: list[sets.EvalRow], p: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    acc: dict[str, list[bool]] = defaultdict(list)
    for r, s in zip(rows, p):
        acc[r.group].append((s >= threshold) == bool(r.label))
    return {k: float(np.mean(v)) for k, v in sorted(acc.items())}


def _joint_validation_scores(val: calibrate.Validation, checks: dict, log: Callable[[str], None],
                             cache: Path | None) -> dict[str, score.Scores]:
    """Abuse and attack scores of the validation comments in one pass of the shared model (the two
    lists overlap), relevance on its own."""
    def key(r: sets.EvalRow) -> tuple:
        return (r.text, repr(sorted(r.ctx.items())))

    union: dict[tuple, sets.EvalRow] = {}
    for rule in ("abuse", "attack"):
        for r in val.rows[rule]:
            union.setdefault(key(r), r)
    rows = list(union.values())
    index = {k: i for i, k in enumerate(union)}
    both = score.score_joint(rows, ["abuse", "attack"], checks, log, cache)
    out = {rule: both[rule][[index[key(r)] for r in val.rows[rule]]] for rule in ("abuse", "attack")}
    for rule in val.rows:
        if rule not in out:
            out[rule] = score.score(val.rows[rule], rule, checks, log, cache)
    return out


def _validation(root: Path, which: str) -> calibrate.Validation:
    if which == "auto":  # per rule, the validation rows of the model its check uses now
        return calibrate.per_rule(root)
    return calibrate.encoder_validation(root) if which == "encoder" else calibrate.current_validation(root)


def _sample(rows: list, limit: int | None, seed: int = 3) -> list:
    """At most ``limit`` rows, drawn at random (for quick smoke runs and tests)."""
    if not limit or len(rows) <= limit:
        return rows
    rng = np.random.default_rng(seed)
    return [rows[i] for i in sorted(rng.choice(len(rows), limit, replace=False))]


def fox_heldout_trained_on(root: Path) -> list[str]:
    """Held-out Fox News stories whose comments the shipped encoder's trainer put in its TRAINING split
    (if any): the relevance figure on them is then not a held-out figure."""
    from remarks.ml import calibration

    if not (calibration.ARTIFACT.parent / "encoder.onnx").is_file():
        return []
    try:
        from remarks_training.encoder import data
    except ImportError:
        return []
    from remarks_training import relevance

    held = {p.comment for p in relevance.fox_pairs("heldout", root)}
    titles = {p.article_id for p in relevance.fox_pairs("heldout", root)}
    seen = {it.group for it in data.build(root)
            if it.split == "train" and it.text in held and it.source in ("fox", "relevance_fox", "fox_pairs")}
    return sorted(t for t in titles if t in seen) or (["some held-out comments"] if seen else [])


def run(root: Path, *, validation: str = "auto", write_calibration: bool = True, measure_speed: bool = True,
        limit: int | None = None, test_limit: int | None = None, cache: Path | None = None,
        log: Callable[[str], None] = print) -> dict:
    from remarks.ml import calibration

    t0 = time.time()
    checks = score.checks_by_rule()
    versions = {rule: getattr(c, "version", None) for rule, c in checks.items()}
    log(f"checks: {versions}")
    val = _validation(root, validation)
    val.rows = {k: _sample(v, limit) for k, v in val.rows.items()}
    log(f"validation: {val.description} ({ {k: len(v) for k, v in val.rows.items()} })")
    # Calibrators are fitted on the checks' own scores; a check's floor (an explicit threat's probability)
    # is applied after calibration, as on the site (checks/calibrated.py), so the operating point and every
    # figure below read the final scores. No score depends on a calibrator: one pass.
    val_scores = _joint_validation_scores(val, checks, log, cache)
    entries, diags, val_cal = {}, {}, {}
    for rule, rows in val.rows.items():
        y = np.array([r.label for r in rows])
        entries[rule], diags[rule] = calibrate.fit(val_scores[rule].raw, y, val.weights(rule))
        val_cal[rule] = val_scores[rule].final(entries[rule])
    op = calibrate.operating_point(val_cal, val)
    if "promotion" not in val.rows and "promotion" in checks:  # not calibrated: held at its own 0.5
        clean_text = [r for r in val.rows["abuse"] if not r.label]
        promo = score.score(clean_text, "promotion", checks, log, cache)
        op["promotion_clean_held_at_0.5"] = round(float(np.mean(promo.final() >= 0.5)), 4)
    hold = {rule: d["hold"] for rule, d in op["rules"].items()}
    log(f"operating point: hold at {hold}, clean held {op['clean_held_overall']:.3f}")
    if write_calibration:
        calibrate.write_artifacts(entries, diags, op, val, versions, "remarks eval --only targets",
                                  calibration.ARTIFACT.parent)

    test = sets.all_sets(root)
    sampled = {}
    for s in test.values():
        n = len(s.rows)
        s.rows = _sample(s.rows, limit or test_limit)
        if len(s.rows) < n:
            sampled[s.name] = (len(s.rows), n)
    scores = {}
    c3_same = [r.text for r in test["c3_abuse"].rows] == [r.text for r in test["c3_attack"].rows]
    if c3_same:  # the same comments: one pass of the shared model for both rules
        both = score.score_joint(test["c3_abuse"].rows, ["abuse", "attack"], checks, log, cache)
        scores["c3_abuse"], scores["c3_attack"] = both["abuse"], both["attack"]
    for name, s in test.items():
        if name not in scores:
            scores[name] = score.score(s.rows, s.rule, checks, log, cache)
    labels = {name: np.array([r.label for r in s.rows]) for name, s in test.items()}
    cal = {name: scores[name].final(entries[test[name].rule]) for name in test}
    rank = {name: scores[name].ranking(entries[test[name].rule]) for name in test}
    f: dict[str, float] = {}
    auc = {name: float(roc_auc_score(labels[name], rank[name])) for name in test if name != "hatecheck"}
    f["impermium_auc"], f["c3_abuse_auc"], f["c3_attack_auc"] = auc["impermium"], auc["c3_abuse"], auc["c3_attack"]
    f["jigsaw_auc"], f["fox_relevance_auc"] = auc["jigsaw"], auc["fox_relevance"]
    f["written_relevance_auc"] = auc["written_relevance"]
    olid_val = [i for i, r in enumerate(val.rows["abuse"]) if r.group == "olid"]
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2)
    yv = np.array([val.rows["abuse"][i].label for i in olid_val])
    pv = val_scores["abuse"][olid_val]  # on the check's own score, floored, as the earlier reports chose it
    olid_t = float(max(grid, key=lambda t: f1_score(yv, pv.flagged(t), average="macro"))) if len(olid_val) else 0.5
    f["olid_a_f1"] = float(f1_score(labels["olid_a"], scores["olid_a"].flagged(olid_t), average="macro"))
    hc = accuracy_by_group(test["hatecheck"].rows, scores["hatecheck"].flagged())
    f["hatecheck_hateful_mean"] = float(np.mean([v for k, v in hc.items() if k.endswith("_h")]))
    f["hatecheck_nonhateful_min"] = min(hc[k] for k in HATECHECK_NON_HATEFUL_TARGETED)
    suite = accuracy_by_group(test["attack_suite"].rows, scores["attack_suite"].flagged())
    suite_op = accuracy_by_group(test["attack_suite"].rows, cal["attack_suite"], hold["attack"])
    f["attack_suite_mean"], f["attack_suite_min"] = float(np.mean(list(suite.values()))), min(suite.values())
    recall = {name: recall_at(labels[name], rank[name]) for name in RECALL_SETS}
    f["recall_at_5_mean"] = float(np.mean(list(recall.values())))
    ece = {name: {"raw": calibrate.ece(np.clip(scores[name].raw, 0, 1), labels[name]),
                  "calibrated": calibrate.ece(cal[name], labels[name])} for name in ECE_SETS}
    f["ece_mean_test"] = float(np.mean([v["calibrated"] for v in ece.values()]))
    at_op = {}
    for name in RECALL_SETS:
        y, p = labels[name], cal[name]
        t = hold[test[name].rule]
        at_op[name] = {"caught": float(np.mean(p[y == 1] >= t)), "clean_held": float(np.mean(p[y == 0] >= t))}
    by_kind = {}
    for name in ("written_relevance", "fox_relevance"):
        rows = test[name].rows
        for kind in sorted({r.group for r in rows}):
            idx = [i for i, r in enumerate(rows) if r.group == kind]
            by_kind[f"{name}:{kind}"] = {"n": len(idx), "mean_offtopic_score": float(np.mean(scores[name].raw[idx])),
                                         "label": int(rows[idx[0]].label)}
    trained_on = fox_heldout_trained_on(root)
    conditions = relevance_conditions.measure(test["fox_relevance"].rows, checks, log, cache) if not limit else {}
    if sampled:
        log(f"sampled test sets: {sampled}")
    curves_val = {f"validation {rule} (cross-fitted)": (np.array([r.label for r in val.rows[rule]]),
                                                          np.clip(val_scores[rule].raw, 0, 1), d.pop("_cross_fitted"))
                  for rule, d in diags.items()}
    res = {"figures": f, "versions": versions, "fox_heldout_trained_on": trained_on, "sampled": sampled, "validation": val.description, "calibration": diags,
           "operating_point": op, "olid_threshold": olid_t, "hatecheck": hc, "attack_suite": suite,
           "attack_suite_at_operating_point": suite_op, "recall_at_5": recall, "ece": ece, "at_operating_point": at_op,
           "relevance_by_kind": by_kind, "relevance_conditions": conditions, "auc": auc, "sets": {k: s.note for k, s in test.items()},
           "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    res["_curves"] = {**curves_val, "C3 abuse": (labels["c3_abuse"], np.clip(scores["c3_abuse"].raw, 0, 1), cal["c3_abuse"]),
                      "C3 attack": (labels["c3_attack"], np.clip(scores["c3_attack"].raw, 0, 1), cal["c3_attack"]),
                      "Impermium attack": (labels["impermium"], np.clip(scores["impermium"].raw, 0, 1), cal["impermium"]),
                      "Fox relevance (off-topic)": (labels["fox_relevance"], np.clip(scores["fox_relevance"].raw, 0, 1),
                                                    cal["fox_relevance"])}
    if measure_speed:
        log("measuring speed and memory in a fresh process ...")
        out = subprocess.run([sys.executable, "-m", "remarks_training.evaluation.speed", str(root)],
                             capture_output=True, text=True, timeout=1800, check=False)
        if out.returncode == 0:
            spd = json.loads(out.stdout.strip().splitlines()[-1])
            res["speed"] = spd
            f.update({k: spd[k] for k in ("batched_per_s", "p99_ms", "peak_rss_mb")})
        else:
            log(f"speed measurement failed: {out.stderr[-500:]}")
    res["seconds"] = round(time.time() - t0)
    return res


# ---- the report ----

def _fmt(key: str, v: float | None) -> str:
    if v is None:
        return "—"
    if key in ("batched_per_s", "peak_rss_mb"):
        return f"{v:.0f}"
    if key == "p99_ms":
        return f"{v:.1f}"
    return f"{v:.3f}"


def _met(target: str, v: float | None) -> str:
    if not target or v is None:
        return ""
    op, num = target.split()
    num = float(num)
    ok = v >= num if op == "≥" else v <= num
    return "met" if ok else f"missed by {abs(v - num):.3f}".rstrip("0").rstrip(".")


LABELS = ("before", "after")
COLUMN = {"before": "before (checks of the previous release, this harness)", "after": "after (the checks as shipped now, this harness)"}


def save(res: dict, label: str, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"targets_{label}.json"
    path.write_text(json.dumps({k: v for k, v in res.items() if not k.startswith("_")}, indent=1, default=float) + "\n",
                    encoding="utf-8")
    if "_curves" in res:
        calibrate.reliability_png(res["_curves"], out / f"reliability_{label}.png")
    return path


def write_report(out: Path, loso: dict | None = None) -> Path:
    runs = {label: json.loads((out / f"targets_{label}.json").read_text()) for label in LABELS
            if (out / f"targets_{label}.json").is_file()}
    if loso is None and (out / "loso.json").is_file():
        loso = json.loads((out / "loso.json").read_text())
    from remarks_training.evaluation.loso import MODEL_FILE

    loso_model = json.loads((out / MODEL_FILE).read_text()) if (out / MODEL_FILE).is_file() else None
    for r in runs.values():
        if loso:
            r["figures"]["loso_abuse"] = loso["abuse"]["mean"]
            r["figures"]["loso_attack"] = loso["attack"]["mean"]
        if loso_model and r is runs.get("after"):  # measured with the shipped model only
            r["figures"]["loso_model_abuse"] = loso_model["abuse"]["mean"]
            r["figures"]["loso_model_attack"] = loso_model["attack"]["mean"]
    labels = list(runs)
    last = runs[labels[-1]] if labels else None
    lines = ["# Issue 14 targets: `remarks eval`", "",
             "Every figure of the issue's target table, measured through the installed checks exactly as the site "
             "calls them, beside the previous release's figure (recorded in `bench/reports/checks.md` and "
             "`promotion_relevance.md` of 2026-11-24 and the README). Test splits are only scored: calibrators, "
             "the operating point and the OLID-A threshold come from validation data.", ""]
    for label in labels:
        r = runs[label]
        lines.append(f"- **{label}**: run {r['created']} in {r['seconds']} s; check versions "
                     + ", ".join(f"{k} `{v}`" for k, v in sorted(r["versions"].items())) + ".")
    lines += ["", "| figure | target | previous release | " + " | ".join(COLUMN[x] for x in labels) + " | |",
              "|---|---|---|" + "---|" * len(labels) + "---|"]
    for key, name, target, prev, _note in FIGURES:
        vals = [runs[x]["figures"].get(key) for x in labels]
        met = _met(target, vals[-1]) if vals else ""
        lines.append(f"| {name} | {target} | {prev} | " + " | ".join(_fmt(key, v) for v in vals) + f" | {met} |")
    notes = [n for _, _, _, _, n in FIGURES if n]
    lines += [""] + [f"- {n}" for n in notes]
    for label in labels:
        if runs[label].get("note"):
            lines.append(f"- **{label}**: {runs[label]['note']}")
        if runs[label].get("sampled"):
            lines.append(f"- **{label}**: scored on random samples (seed 3) of the largest test sets, for time: "
                         + ", ".join(f"{k} {a:,} of {b:,}" for k, (a, b) in runs[label]["sampled"].items())
                         + " (an AUC on 4,000 rows has a standard error of about 0.005-0.01).")
        if runs[label].get("fox_heldout_trained_on"):
            lines.append(f"- **{label}: the Fox News relevance figure is not held out**: the encoder's trainer had "
                         + "; ".join(runs[label]["fox_heldout_trained_on"])
                         + " in its training split (it splits Fox News by a hash of the title, not by "
                         "`relevance.FOX_HELDOUT`). The written stories' figure is clean.")
    if last:
        lines += ["- Accuracies (HateCheck, attack suite) count a comment as flagged at a check score ≥ 0.5, as the "
                  "previous release's report did (or at a floor the check's own rules set: an explicit threat); AUC "
                  "and recall at 5 % false holds do not depend on a threshold.",
                  "- Scores are read as the site reads them (`checks/calibrated.py`): the calibrator of the rule, then "
                  "the check's floor (an explicit threat 0.9, group hate 0.8) on the calibrated scale; ranked with the "
                  "check's own score breaking ties. The calibrators are fitted on the checks' own scores, floors apart.",
                  "- Speed and memory are measured in a fresh process that loads every installed check; the machine "
                  "is shared with other jobs (1-minute load average during the run: "
                  + ", ".join(f"{x} {runs[x].get('speed', {}).get('load_average', '?')}" for x in labels)
                  + " on 2 cores), so throughput is a lower bound.", ""]
        lines += _details(runs, labels, loso, loso_model)
    lines += ["", "![reliability](reliability_%s.png)" % labels[-1] if labels else ""]
    path = out / "targets.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _details(runs: dict, labels: list[str], loso: dict | None, loso_model: dict | None = None) -> list[str]:
    last = runs[labels[-1]]
    op = last["operating_point"]
    lines = ["## Calibration and the operating point", "",
             f"Calibrators fitted on {last['validation']}; news comments weighted {calibrate.NEWS_WEIGHT:.0f}×. "
             "Default hold thresholds (calibrated probability): "
             + ", ".join(f"{r} **{d['hold']:.2f}**" for r, d in op["rules"].items())
             + "; the thresholds that catch the most rule-breaking validation comments (mean over rules) while "
             f"holding {op['clean_held_overall']:.1%} of clean validation comments overall "
             f"(abuse/attack {op['clean_held_text']:.1%}, relevance {op['clean_held_pairs']:.1%}"
             + (f", promotion {op['clean_held_promotion']:.1%})." if op.get("clean_held_promotion") is not None else
                f"); promotion is not calibrated (no validation split for it): at its own 0.5 it holds a further "
                f"{op.get('promotion_clean_held_at_0.5') or 0:.1%} of them."), "",
             "| rule | method | validation n (positives) | ECE raw → calibrated (cross-fitted, validation) | "
             "at the default threshold (validation) |", "|---|---|---|---|---|"]
    cal_meta = last["calibration"]
    for rule, d in cal_meta.items():
        method = min(d["brier_cross_fitted"], key=d["brier_cross_fitted"].get)
        lines.append(f"| {rule} | {method} | {d['n']} ({d['positives']}) | {d['ece_raw']:.3f} → "
                     f"{d['ece_calibrated_cross_fitted']:.3f} | {op['rules'][rule]['sentence']} |")
    lines += ["", "The calibrators map scores to the rate of rule-breaking in the validation mix (news comments "
              "weighted); a test set with another base rate (C3: 9 % toxic, 3 % attacks) is then over-predicted, which "
              "is why ECE on test sets can rise after calibration while the ranking (AUC) is unchanged. The operating "
              "point, not the probability, is what the policy uses.", "",
              "ECE on test sets (10 equal-width bins), raw check score → calibrated:", "",
              "| test set | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for name in ECE_SETS:
        lines.append(f"| {name} | " + " | ".join(
            f"{runs[x]['ece'][name]['raw']:.3f} → {runs[x]['ece'][name]['calibrated']:.3f}" for x in labels) + " |")
    lines += ["", "## Recall at 5 % false holds, per test set", "",
              "Best threshold for each set (ranking quality); and, at the default operating point, the share caught "
              "and the share of clean comments held.", "",
              "| test set | " + " | ".join(f"{x}: recall @ 5 % | {x}: at default (caught / clean held)" for x in labels)
              + " |", "|---|" + "---|---|" * len(labels)]
    for name in RECALL_SETS:
        cells = []
        for x in labels:
            a = runs[x]["at_operating_point"][name]
            cells += [f"{runs[x]['recall_at_5'][name]:.3f}", f"{a['caught']:.2f} / {a['clean_held']:.2f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if loso:
        lines += ["", "## Leave-one-source-out (train on every other source, test on this one)", "",
                  loso["model"], ""]
        if loso_model:
            lines += ["Beside it (`remarks eval --only loso-model`, run "
                      f"{loso_model.get('run', '?')} in {loso_model.get('seconds', '?')} s), "
                      + loso_model["model"].removeprefix("Model: "), ""]
        lines += ["| rule | held-out source | rows (positives) | AUC, n-gram model |"
                  + (" AUC, the shipped model's recipe |" if loso_model else ""),
                  "|---|---|---|---|" + ("---|" if loso_model else "")]
        for rule in ("abuse", "attack"):
            for src, d in loso[rule]["folds"].items():
                other = (loso_model or {}).get(rule, {}).get("folds", {}).get(src)
                lines.append(f"| {rule} | {src} | {d['n']} ({d['positives']}) | {d['auc']:.3f} |"
                             + ((f" {other['auc']:.3f} |" if other else " — |") if loso_model else ""))
            lines.append(f"| {rule} | **mean** | | **{loso[rule]['mean']:.3f}** |"
                         + (f" **{loso_model[rule]['mean']:.3f}** |" if loso_model else ""))
    lines += ["", "## Attack suite, held-out part, accuracy per functionality (score ≥ 0.5)", "",
              "| functionality | attack? | " + " | ".join(labels) + " |", "|---|---|" + "---|" * len(labels)]
    from remarks_training.attack_suite.templates import FUNCTIONALITIES

    kinds = {fn.name: fn.attack for fn in FUNCTIONALITIES}
    for fn in last["attack_suite"]:
        lines.append(f"| {fn} | {'yes' if kinds.get(fn) else 'no'} | "
                     + " | ".join(f"{runs[x]['attack_suite'].get(fn, float('nan')):.2f}" for x in labels) + " |")
    lines += ["", "## Relevance by kind of comment (mean off-topic score; label 1 = off-topic)", "",
              "| set:kind | n | label | " + " | ".join(labels) + " |", "|---|---|---|" + "---|" * len(labels)]
    for k, d in last["relevance_by_kind"].items():
        lines.append(f"| {k} | {d['n']} | {d['label']} | "
                     + " | ".join(f"{runs[x]['relevance_by_kind'].get(k, {}).get('mean_offtopic_score', float('nan')):.2f}"
                                  for x in labels) + " |")
    lines += ["", "## Fox News relevance by what the check knows (AUC, held-out stories)", "",
              relevance_conditions.__doc__.split("\n\n")[0].replace("\n", " "), "",
              "| when a comment comes in, the check knows | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for k, text in relevance_conditions.CONDITIONS.items():
        lines.append(f"| {text} | " + " | ".join(
            f"{runs[x]['relevance_conditions'][k]:.3f}" if k in runs[x].get("relevance_conditions", {}) else "—"
            for x in labels) + " |")
    lines += ["", "## HateCheck accuracy per functionality (abuse score ≥ 0.5)", "",
              "| functionality | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for fn in last["hatecheck"]:
        lines.append(f"| {fn} | " + " | ".join(f"{runs[x]['hatecheck'].get(fn, float('nan')):.2f}" for x in labels) + " |")
    lines += ["", "## Test sets", ""] + [f"- `{k}`: {v}" for k, v in last["sets"].items()]
    lines.append(f"- OLID-A threshold from the OLID validation rows: {last['olid_threshold']:.2f}.")
    return lines
