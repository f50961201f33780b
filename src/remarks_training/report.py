"""Markdown + PNG report for ``remarks eval`` (targets from issue 3 beside every figure)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

TARGETS = {
    "Jigsaw toxic subset AUC": 0.965,
    "C3 toxicity>=2 AUC (abuse)": 0.80,
    "C3 personal attack AUC (attack)": 0.80,
    "Impermium test AUC (attack)": 0.90,
    "Impermium test AUC (attack check, as replies)": 0.90,
    "OLID-A macro-F1": 0.80,
    "Toxic Spans test char-F1": 0.65,
    "HateCheck hateful functionalities (min)": 0.85,
    "HateCheck non-hateful targeted (min)": 0.80,
    "Bias metric (templates)": 0.90,
}


NOTES = """\
- **Model.** Hashed TF-IDF (char 2-5 within words + word 1-2) on normalised text with identity words
  masked, one logistic head per rule; stacked with the six logits of the Jigsaw BiLSTM
  (toxic-comment-classifier, MIT, in numpy), lexicon and targeting features; the stacker's output is
  the probability. Trained only on shippable data: Davidson (MIT), Fox News (MIT), OLID train
  (CC BY 4.0), Toxic Spans raw annotations minus the trial/test texts (CC0), ~650 hand-written rows.
  Impermium, ETHOS and C3 are never trained on; the `tfidf-lr` baseline uses Impermium/ETHOS and is
  not shipped.
- **Selection.** Choices were made on a seeded 10 % validation slice of the training data (and Toxic
  Spans trial for the span thresholds). The OLID-A threshold for `remarks` (shown above the table) is
  the validation-slice optimum; the other systems use 0.5.
- **Tried, not kept.** TF-IDF head regularisation C = 1 / 4 / 16: validation abuse AUC 0.898 /
  0.900 / 0.898, attack 0.831 / 0.829 / 0.822, so C = 4 stays. Re-weighting the stacker towards the news-comment sources and adding the
  BiLSTM's 50-unit hidden layer as stack features: no gain on the validation slice (0.900 -> 0.898
  / 0.900 abuse AUC), so not shipped. (Their test-set figures were seen while exploring - mixed:
  C3 +0.005..0.01, HateCheck hateful -0.1 for the news-weighted stack; the decision followed validation.) Gating evidence by score lowers span F1 (see above).
  MiniLM sentence embeddings were not used: at 65-95 texts/s on 2 cores they cannot meet the
  300 comments/s target, and the embedding module (issue 4) was not available in time.
- **Why C3 stays near 0.72.** No shippable training data looks like Globe and Mail comments with
  mild toxicity; the Civil Comments posts in Toxic Spans were all pre-selected as toxic, so the
  model learns "very toxic vs. somewhat toxic" from them. A licensed news-comment training set (or
  moderator decisions from the site itself, fed back to `remarks train`) is the next step.
- **Limitations.** Probabilities are calibrated to the training mix (about 60 % abusive), so on a
  real news site they run high: tune the hold threshold on your own moderated sample. HateCheck's
  counter-speech and negation cases ("saying 'Muslims are vermin' is disgusting") are mostly
  flagged: the model reads words, not who is being quoted. Reclaimed slurs and profanity that is
  not hateful are flagged by design (obscenity is abuse under the policy). Mild disparagement
  ("a lying hack") often scores under 0.5 for `attack`. Only English is scored; other languages
  are held by the `language` check.
"""


def _plots(res: dict, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import roc_curve

    files = []
    fig, axes = plt.subplots(1, 4, figsize=(20, 4.5))
    panels = [("jigsaw", "abuse"), ("c3", "abuse"), ("c3", "attack"), ("impermium", "attack")]
    for ax, (name, rule) in zip(axes, panels):
        rows, scores = res["curves"][name]
        y = [getattr(r, rule) for r in rows]
        for sys_name, s in scores.items():
            fpr, tpr, _ = roc_curve(y, s[rule])
            ax.plot(fpr, tpr, label=sys_name)
        ax.plot([0, 1], [0, 1], "k:", lw=0.5)
        ax.set_title(f"ROC: {name} ({rule})")
        ax.set_xlabel("false positive rate")
    axes[0].set_ylabel("true positive rate")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "roc.png", dpi=80)
    files.append("roc.png")
    plt.close(fig)

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    for ax, (name, rule) in zip(axes, [("c3", "abuse"), ("impermium", "attack")]):
        rows, scores = res["curves"][name]
        y = np.array([getattr(r, rule) for r in rows])
        p = scores["remarks"][rule]
        frac, mean = calibration_curve(y, p, n_bins=10, strategy="quantile")
        ax.plot(mean, frac, "o-", label="remarks")
        ax.plot([0, 1], [0, 1], "k:")
        ax.set_title(f"Calibration: {name} ({rule})")
        ax.set_xlabel("predicted probability")
        ax.set_ylabel("observed rate")
    fig.tight_layout()
    fig.savefig(out / "calibration.png", dpi=80)
    files.append("calibration.png")
    plt.close(fig)

    hc = res["hatecheck"]
    funcs = list(next(iter(hc.values())))
    fig, ax = plt.subplots(figsize=(12, 8))
    width = 0.8 / len(hc)
    for k, (sys_name, acc) in enumerate(hc.items()):
        ax.barh(np.arange(len(funcs)) + k * width, [acc[f] for f in funcs], height=width, label=sys_name)
    ax.set_yticks(np.arange(len(funcs)) + 0.4 - width / 2, funcs, fontsize=8)
    ax.axvline(0.85, color="k", ls=":", lw=0.8)
    ax.set_xlabel("accuracy (abuse >= 0.5 means hateful)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "hatecheck.png", dpi=80)
    files.append("hatecheck.png")
    plt.close(fig)
    return files


def write(res: dict, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    plots = _plots(res, out)
    systems = res["systems"]
    lines = [
        "# remarks eval: abuse and attack checks on the official test splits",
        "",
        f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `remarks eval` in {res['seconds']:.0f} s. "
        "C3 is evaluation-only (never trained or tuned on). `tfidf-lr` is the models.md baseline "
        "(not shipped: trained on Impermium/ETHOS too). "
        f"OLID-A threshold for remarks: {res.get('olid_threshold', 0.5):.2f} (from the validation slice).",
        "",
        "| metric | target | " + " | ".join(systems) + " | gap to target (remarks) |",
        "|---|---|" + "---|" * len(systems) + "---|",
    ]
    for metric, vals in res["metrics"].items():
        target = TARGETS.get(metric)
        cells = [f"{vals[s]:.3f}" if s in vals else "-" for s in systems]
        if "remarks" not in vals:
            continue
        gap = "" if target is None else ("met" if vals["remarks"] >= target else f"{vals['remarks'] - target:+.3f}")
        lines.append(f"| {metric} | {target if target is not None else ''} | " + " | ".join(cells) + f" | {gap} |")
    if "wordlist" in res["spans"]:
        lines.append(f"\nToxic Spans: char-F1 of the evidence on every test post {res['spans']['remarks']:.3f}; as the "
                     f"check emits it (spans only from an abuse score of 0.25) {res['spans']['remarks_emitted']:.3f}; "
                     f"the placeholder word-list check {res['spans']['wordlist']:.3f}.")
    lines += ["", "## HateCheck accuracy per functionality", "",
              "| functionality | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
    for f in next(iter(res["hatecheck"].values())):
        lines.append(f"| {f} | " + " | ".join(f"{res['hatecheck'][s][f]:.2f}" for s in systems) + " |")
    if "spelling" in res:
        lines += ["", "### What the shared normaliser buys (HateCheck spelling variations, remarks abuse)", "",
                  "| functionality | normalised | as typed (lower-cased only) |", "|---|---|---|"]
        lines += [f"| {f} | {v['normalised']:.2f} | {v['as typed']:.2f} |" for f, v in res["spelling"].items()]
    lines += ["", "`profanity_nh` expects non-hateful, but the newspaper's policy counts obscenity as abuse, so the "
              "abuse check is meant to fail that row.", "",
              "## Identity bias (Jigsaw templates; power mean p = -5)", "",
              "| system | overall AUC | subgroup | BPSN | BNSP | final |", "|---|---|---|---|---|---|"]
    for s in systems:
        b = res["bias"][s]
        lines.append(f"| {s} | {b['overall']:.3f} | {b['subgroup']:.3f} | {b['bpsn']:.3f} | {b['bnsp']:.3f} | {b['final']:.3f} |")
    worst = sorted(res["bias"]["remarks"]["per_identity"].items(), key=lambda kv: kv[1]["bpsn"])[:8]
    lines += ["", "Lowest BPSN identities (remarks): " + ", ".join(f"{k} {v['bpsn']:.2f}" for k, v in worst)]
    if "language" in res:
        lg = res["language"]
        lines += ["", "## Language identification", "", lg["summary"]]
    lines += ["", "## Plots", ""] + [f"![{p}]({p})" for p in plots]
    lines += ["", "## What was tried, and limitations", "", NOTES]
    path = out / "checks.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
