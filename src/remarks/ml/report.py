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
    "OLID-A macro-F1": 0.80,
    "Toxic Spans test char-F1": 0.65,
    "HateCheck hateful functionalities (min)": 0.85,
    "HateCheck non-hateful targeted (min)": 0.80,
    "Bias metric (templates)": 0.90,
}


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
        "(not shipped: trained on Impermium/ETHOS too).",
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
        lines.append(f"\nToxic Spans baseline (the placeholder word-list check): char-F1 {res['spans']['wordlist']:.3f}.")
    lines += ["", "## HateCheck accuracy per functionality", "",
              "| functionality | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
    for f in next(iter(res["hatecheck"].values())):
        lines.append(f"| {f} | " + " | ".join(f"{res['hatecheck'][s][f]:.2f}" for s in systems) + " |")
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
    lines += ["", "## What was tried", "", res.get("notes", "")]
    path = out / "checks.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
