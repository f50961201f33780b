"""Per-rule calibrators and the default operating point, fitted on VALIDATION data only.

Validation data comes from every training source, never from a test split:
- for the current checks (``current``): the seeded 10 % validation slice ``remarks train`` held out of the
  abuse/attack training rows (Davidson, OLID train, Fox News, Civil Comments raw annotations, seed rows),
  the validation templates of the attack suite's training part and of the written group sentences, and the
  validation ideas of the written attacks and counter-speech (the model learns from the others), the written
  relevance stories' validation split (``relevance.written_pairs("valid")``: ten stories no model trains on,
  neither the relevance model nor the sentence encoder) and the comments of the two Fox News stories the
  relevance model is not fitted on (``relevance.FOX_VALID``);
- for the fine-tuned encoder (``encoder``): the rows its trainer split off as validation (by hash: a text,
  a Fox News or written article, an attack-suite template; the ``relevance.FOX_VALID`` stories always).

The operating point: per-rule hold thresholds on the calibrated probability that catch the most
rule-breaking validation comments (mean over rules) while about 5 % of clean validation comments are
held overall (each rule's share of clean comments held searched on a grid); news comments weigh
``NEWS_WEIGHT`` times more than tweets and other sources.

The share of clean comments held is estimated on ordinary comments only. Some validation sources were
picked for being offensive, and their "clean" rows are nothing like a comment section's: Civil Comments
raw annotations (``toxic_spans_raw``: posts half the raters had found toxic), Davidson (tweets found by a
hate-word lexicon), the attack suite and the written attacks (``seed_attacks``: civil counterparts written
to be as close to an attack as possible). They help fit the calibrators; counted as clean comments they set the thresholds so high
that ordinary comment sections see almost nothing held (measured on C3 on 2026-11-30: the thresholds
fitted with them held 0.1 % of clean comments and caught 1 % of toxic ones).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from remarks_training.evaluation.sets import EvalRow

NEWS_SOURCES = {"fox", "toxic_spans_raw", "attack_suite", "seed_attacks", "relevance_written", "relevance_fox"}
# Sources that are not comments under a news story weigh 1; promotion's own sources (YouTube, SMS)
# too, so that the promotion threshold is set mostly by news comments that promote nothing.
NEWS_WEIGHT = 3.0
CLEAN_HELD_TARGET = 0.05
# Sources whose clean rows were selected for being close to abuse; not a comment section's clean comments.
SELECTED_SOURCES = {"toxic_spans_raw", "davidson", "attack_suite", "seed_attacks"}
MIN_HOLD = 0.5  # never hold a comment the calibrated model thinks more likely fine than not
BINS = 10


@dataclass
class Validation:
    """Rows per rule (label 1 = breaks the rule), each with its source, for fitting and operating points."""

    rows: dict[str, list[EvalRow]] = field(default_factory=dict)  # rule -> rows; row.group = source
    description: str = ""

    def weights(self, rule: str) -> np.ndarray:
        return np.array([NEWS_WEIGHT if r.group in NEWS_SOURCES else 1.0 for r in self.rows[rule]])

    def ordinary(self, rule: str) -> np.ndarray:
        """Which rows may stand for a comment section's clean comments (see ``SELECTED_SOURCES``)."""
        return np.array([r.group not in SELECTED_SOURCES for r in self.rows[rule]])


def _suite_rows() -> list[EvalRow]:
    """The attack suite's validation templates (the n-gram model learns from the others), with context."""
    from remarks_training import datasets

    return [EvalRow(r.text, int(r.attack), "attack_suite", r.extra) for r in datasets.attack_suite_rows("valid")]


def _relevance_rows(root: Path) -> list[EvalRow]:
    """The written relevance stories' validation split (never trained on: not by the relevance model, not by
    the sentence encoder) and the comments of ``relevance.FOX_VALID`` (each with its own story and with
    another one), grouped by source."""
    from remarks_training import relevance
    from remarks_training.evaluation.sets import _relevance_rows as rows_of

    out = []
    for group, pairs in (("relevance_written", relevance.written_pairs("valid")),
                         ("relevance_fox", relevance.fox_pairs("valid", root))):
        rows = rows_of(pairs)
        for r in rows:
            r.group = group
        out += rows
    return out


def _context(row) -> dict:
    """The conversation a written row names (the byline, the commenter replied to), as the checks read it."""
    return {k: row.extra[k] for k in ("byline", "participants") if k in row.extra}


def current_validation(root: Path) -> Validation:
    """Validation data for the checks shipped before the encoder (the n-gram/BiLSTM stack)."""
    from sklearn.model_selection import train_test_split

    from remarks_training import datasets
    from remarks_training.train_toxicity import SEED
    rows = datasets.training_rows(root)
    strata = [f"{r.source}:{r.abuse}" for r in rows]
    _, val = train_test_split(rows, test_size=0.1, random_state=SEED, stratify=strata)
    from remarks_training import seed_attacks
    from remarks_training.seed import group_rows
    val += group_rows("valid")  # the written group sentences' validation templates (never trained on)
    val += seed_attacks.rows("valid")  # likewise the written attacks' and counter-speech's validation ideas
    abuse = [EvalRow(r.text, int(r.abuse), r.source, _context(r)) for r in val if r.abuse is not None]
    attack = [EvalRow(r.text, int(r.attack), r.source, _context(r)) for r in val if r.attack is not None] + _suite_rows()
    return Validation({"abuse": abuse, "attack": attack, "offtopic": _relevance_rows(root)},
                      "the seeded 10 % validation slice of the abuse/attack training rows; the validation "
                      "templates of the attack suite and of the written group sentences; the validation ideas of the "
                      "written attacks and counter-speech; the written relevance "
                      "validation stories (never trained on) and the comments of the two "
                      "Fox News stories the relevance model is not fitted on")


def encoder_validation(root: Path) -> Validation:
    """Validation data for the fine-tuned encoder: the rows its trainer held out (``data.build`` marks
    them ``valid`` by a hash of the text, the article or the attack-suite template)."""
    from remarks_training.encoder import data  # present once the encoder lands

    out: dict[str, list[EvalRow]] = {"abuse": [], "attack": [], "offtopic": [], "promotion": []}
    seen: set[tuple] = set()
    for it in data.build(root):
        if it.split != "valid":
            continue
        x = it.extra or {}
        if it.source.startswith("relevance_"):
            key = ("offtopic", it.text, x.get("title"))
            if "offtopic" in it.labels and key not in seen:
                seen.add(key)
                ctx = {"article_title": x.get("title", ""), "article_body": x.get("body", ""),
                       "parent_text": x.get("parent")}
                out["offtopic"].append(EvalRow(it.text, int(it.labels["offtopic"]), it.source, ctx))
            continue
        ctx = {}
        if it.source == "attack_suite":
            if it.context is None:
                continue  # each case once, with the context the check sees
            ctx = {"article_title": x.get("title", ""), "article_body": x.get("body", ""), "byline": x.get("byline", ""),
                   "parent_text": x.get("parent"), "participants": tuple(x.get("participants") or ())}
        for rule in ("abuse", "attack", "promotion"):
            key = (rule, it.source, it.text)
            if rule in it.labels and key not in seen:
                seen.add(key)
                out[rule].append(EvalRow(it.text, int(it.labels[rule]), it.source, ctx))
    return Validation(out, "the encoder trainer's validation rows (split by a hash of the text, the Fox News or "
                           "written article, the attack-suite template; the per-rule stackers were fitted on the "
                           "same rows)")


def encoder_rules() -> set[str]:
    """The rules whose installed check scores with the fine-tuned encoder now (its stacker won and the
    encoder is switched on); every other rule keeps the model it had before."""
    from remarks.checks import abuse
    from remarks.ml import encoder

    if not encoder.in_checks():
        return set()
    stack = encoder.meta().get("stack") or {}
    return ({"abuse", "attack"} if abuse.uses_encoder() else set()) | {r for r in ("offtopic", "promotion") if r in stack}


def per_rule(root: Path, rules: set[str] | None = None) -> Validation:
    """Each rule's validation rows from the model its check uses: the encoder trainer's validation rows
    for ``rules`` (default: ``encoder_rules()``), the previous checks' validation rows for the others.
    A calibrator must never be fitted on rows its own model was trained on: the encoder's validation
    split holds Fox News rows the unchanged relevance model was fitted on."""
    rules = encoder_rules() if rules is None else set(rules)
    current = current_validation(root)
    if not rules:
        return current
    enc = encoder_validation(root)
    rows = {rule: enc.rows[rule] for rule in sorted(rules) if rule in enc.rows}
    rows.update({rule: v for rule, v in current.rows.items() if rule not in rules})
    kept = ", ".join(sorted(rows.keys() - rules)) or "none"
    return Validation(rows, f"for {', '.join(sorted(rules))}: {enc.description}; for {kept} (their checks do not "
                            f"use the encoder): {current.description}")


# ---- calibrators ----

def _fit_isotonic(s: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(s, y, sample_weight=w)
    return {"method": "isotonic", "x": [round(float(v), 6) for v in iso.X_thresholds_],
            "y": [round(float(v), 6) for v in iso.y_thresholds_]}


def _fit_platt(s: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict:
    from sklearn.linear_model import LogisticRegression

    z = np.log((np.clip(s, 0, 1) + 1e-6) / (1 - np.clip(s, 0, 1) + 1e-6)).reshape(-1, 1)
    lr = LogisticRegression(C=100.0).fit(z, y, sample_weight=w)
    return {"method": "platt", "a": round(float(lr.coef_[0, 0]), 6), "b": round(float(lr.intercept_[0]), 6)}


def ece(p: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, bins: int = BINS) -> float:
    """Expected calibration error: weighted mean |observed rate - mean probability| over equal-width bins."""
    w = np.ones_like(p) if w is None else w
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += w[m].sum() * abs(np.average(y[m], weights=w[m]) - np.average(p[m], weights=w[m]))
    return float(total / w.sum())


def fit(scores: np.ndarray, y: np.ndarray, w: np.ndarray, seed: int = 7) -> tuple[dict, dict]:
    """Isotonic or Platt, whichever has the lower weighted Brier score in 2-fold cross-fitting; the chosen
    one is then refitted on all rows. Returns (calibrator, cross-fitted diagnostics)."""
    from remarks.ml.calibration import apply_entry

    rng = np.random.default_rng(seed)
    fold = rng.integers(0, 2, len(y))
    cross: dict[str, np.ndarray] = {}
    for name, fitter in (("isotonic", _fit_isotonic), ("platt", _fit_platt)):
        p = np.zeros(len(y))
        for k in (0, 1):
            tr, te = fold != k, fold == k
            p[te] = apply_entry(fitter(scores[tr], y[tr], w[tr]), scores[te])
        cross[name] = p
    brier = {k: float(np.average((p - y) ** 2, weights=w)) for k, p in cross.items()}
    best = min(brier, key=brier.get)
    entry = (_fit_isotonic if best == "isotonic" else _fit_platt)(scores, y, w)
    diag = {"brier_cross_fitted": {k: round(v, 5) for k, v in brier.items()},
            "ece_raw": round(ece(scores, y, w), 4), "ece_calibrated_cross_fitted": round(ece(cross[best], y, w), 4),
            "n": int(len(y)), "positives": int(y.sum()), "_cross_fitted": cross[best]}
    return entry, diag


# ---- the operating point ----

def _weighted_quantile(p: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(p)
    cw = np.cumsum(w[order]) / w.sum()
    return float(p[order][min(np.searchsorted(cw, q), len(p) - 1)])


def operating_point(cal: dict[str, np.ndarray], val: Validation, target: float = CLEAN_HELD_TARGET) -> dict:
    """Per-rule hold thresholds on the calibrated probabilities that catch the most rule-breaking
    validation comments (the mean over rules of the share held, news weighted) while about ``target`` of
    clean comments are held overall: 1 - (1 - h_text)(1 - h_pairs)(1 - h_promotion), where h_text is the share
    of clean abuse/attack validation comments that abuse or attack holds, h_pairs the share of on-topic
    relevance pairs held as off-topic and h_promotion (when promotion is calibrated) the share of
    non-promotional comments held as promotion."""
    ruleset = [r for r in ("abuse", "attack", "offtopic", "promotion") if r in val.rows and r in cal]
    clean = {}
    for rule in ruleset:
        y = np.array([r.label for r in val.rows[rule]])
        m = (y == 0) & val.ordinary(rule)
        clean[rule] = (cal[rule][m], val.weights(rule)[m])
    text: dict[str, dict] = {}
    for rule in ("abuse", "attack"):
        for r, p, w in zip(val.rows[rule], cal[rule], val.weights(rule)):
            if r.group in SELECTED_SOURCES:
                continue
            d = text.setdefault(r.text, {"label": 0, "w": w, "p": {}})
            d["label"] |= r.label
            d["p"][rule] = p
    text_clean = [d for d in text.values() if not d["label"]]
    tw = np.array([d["w"] for d in text_clean])
    text_p = {r: np.array([d["p"].get(r, 0.0) for d in text_clean]) for r in ("abuse", "attack")}

    def threshold(rule: str, b: float) -> float:
        p, w = clean[rule]
        return min(1.0, max(MIN_HOLD, _weighted_quantile(p, w, 1 - b) + 1e-9))

    def share(rule: str, t: dict[str, float]) -> float:
        if rule not in clean or not len(clean[rule][0]):
            return 0.0
        p, w = clean[rule]
        return float(np.average(p >= t[rule], weights=w))

    def overall(t: dict[str, float]) -> tuple[float, float, float, float]:
        held = (text_p["abuse"] >= t.get("abuse", 2.0)) | (text_p["attack"] >= t.get("attack", 2.0))
        h_text = float(np.average(held, weights=tw)) if len(tw) else 0.0
        h_pair, h_promo = share("offtopic", t), share("promotion", t)
        return 1 - (1 - h_text) * (1 - h_pair) * (1 - h_promo), h_text, h_pair, h_promo

    positives = {}
    for rule in ruleset:
        y = np.array([r.label for r in val.rows[rule]])
        positives[rule] = (cal[rule][y == 1], val.weights(rule)[y == 1])

    def caught(t: dict[str, float]) -> float:
        """The mean over rules of the share of rule-breaking validation comments held."""
        return float(np.mean([np.average(p >= t[rule], weights=w) for rule, (p, w) in positives.items() if len(p)]))

    # The best thresholds the scores allow: per-rule shares of clean comments held, on a grid, that catch
    # the most rule-breaking comments (mean over rules) while about `target` of clean comments are held.
    grid = np.round(np.arange(0.0025, target + 1e-9, 0.0025), 4)
    levels = {rule: [threshold(rule, b) for b in grid] for rule in clean}
    best, best_t = -1.0, {rule: threshold(rule, 0.0) for rule in clean}
    for combo in np.array(np.meshgrid(*[np.arange(len(grid))] * len(clean))).T.reshape(-1, len(clean)):
        t = {rule: levels[rule][i] for rule, i in zip(clean, combo)}
        if overall(t)[0] <= target and (c := caught(t)) > best:
            best, best_t = c, t
    t = {rule: float(np.ceil(v * 1e4) / 1e4) for rule, v in best_t.items()}  # never round below a tie
    total, h_text, h_pair, h_promo = overall(t)
    rules = {}
    for rule in ruleset:
        y = np.array([r.label for r in val.rows[rule]])
        w = val.weights(rule)
        p = cal[rule]
        caught = float(np.average(p[y == 1] >= t[rule], weights=w[y == 1])) if (y == 1).any() else float("nan")
        ok = (y == 0) & val.ordinary(rule)
        held = float(np.average(p[ok] >= t[rule], weights=w[ok])) if ok.any() else float("nan")
        rules[rule] = {"hold": t[rule], "remove": 1.0 if rule == "offtopic" else max(t[rule], 0.95),
                       "caught": round(caught, 4), "clean_held": round(held, 4),
                       "positives": int((y == 1).sum()), "negatives": int((y == 0).sum()),
                       "sentence": f"At this threshold about {caught:.0%} of rule-breaking comments are caught "
                                   f"and {held:.0%} of clean ones held."}
    return {"clean_held_overall": round(total, 4),
            "clean_held_text": round(h_text, 4), "clean_held_pairs": round(h_pair, 4),
            "clean_held_promotion": round(h_promo, 4) if "promotion" in ruleset else None, "rules": rules}


def shipped_encoder_version() -> str:
    """The version string the checks report for the fine-tuned encoder in the package (``abuse.model_version``
    with the encoder switched on), or "" when no encoder ships."""
    from remarks.ml import encoder

    sha = encoder.meta().get("sha256", "")
    return f"encoder-{sha[:8]}" if sha else ""


def kept_versions(path: Path, rules: dict[str, dict], shipped: str | None = None) -> dict[str, dict[str, dict]]:
    """The calibrators of ``path`` (the file being replaced) fitted for the other configuration that ships,
    the switched-off encoder's (``shipped``, by default the package's encoder version): recording one
    configuration keeps the other's, so switching the encoder on gives calibrated scores. Calibrators of
    model versions that no longer ship are dropped. The shipped thresholds apply to both: they are
    probabilities."""
    shipped = shipped_encoder_version() if shipped is None else shipped
    if not path.is_file() or not shipped:
        return {}
    old = json.loads(path.read_text(encoding="utf-8"))
    kept: dict[str, dict[str, dict]] = {v: dict(r) for v, r in old.get("by_version", {}).items()}
    for rule, entry in old.get("rules", {}).items():
        if entry.get("model_version"):
            kept.setdefault(entry["model_version"], {})[rule] = entry
    current = {(rule, e.get("model_version")) for rule, e in rules.items()}
    out = {v: {rule: e for rule, e in r.items() if (rule, v) not in current}
           for v, r in sorted(kept.items()) if v == shipped}
    return {v: r for v, r in out.items() if r}


def write_artifacts(entries: dict[str, dict], diags: dict[str, dict], op: dict, val: Validation,
                    model_versions: dict[str, str], command: str, artifacts: Path,
                    keep_version: str | None = None) -> None:
    from remarks.ml import calibration

    cal_path = artifacts / "calibration.json"
    table = {"rules": {rule: {**e, "model_version": model_versions.get(rule)} for rule, e in entries.items()}}
    table["by_version"] = kept_versions(cal_path, table["rules"], keep_version)
    diags = {rule: {k: v for k, v in d.items() if not k.startswith("_")} for rule, d in diags.items()}
    cal_path.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    sha = hashlib.sha256(cal_path.read_bytes()).hexdigest()
    meta = {"file": cal_path.name, "sha256": sha, "command": command,
            "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "data": val.description, "news_weight": NEWS_WEIGHT,
            "sources": {rule: sorted({r.group for r in rows}) for rule, rows in val.rows.items()},
            "model_versions": model_versions, "validation": diags,
            "note": "fitted on validation data only; never on a test split"}
    (artifacts / "calibration.meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    ops = {"created": meta["created"], "command": command, "calibration_sha256": sha,
           "target_clean_held_overall": CLEAN_HELD_TARGET, "news_weight": NEWS_WEIGHT,
           "data": val.description, **op}
    op_path = artifacts / "operating_points.json"
    op_path.write_text(json.dumps(ops, indent=1) + "\n", encoding="utf-8")
    op_meta = {"file": op_path.name, "sha256": hashlib.sha256(op_path.read_bytes()).hexdigest(), "command": command,
               "created": meta["created"], "data": val.description,
               "note": "per-rule default hold thresholds on calibrated scores, and what they do on validation data"}
    (artifacts / "operating_points.meta.json").write_text(json.dumps(op_meta, indent=1) + "\n", encoding="utf-8")
    calibration.load.cache_clear()
    calibration.operating_points.cache_clear()


def reliability_png(curves: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], path: Path) -> None:
    """Reliability diagram: per panel (set/rule), observed rate against mean predicted probability in
    equal-width bins, raw and calibrated."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from remarks.ml.calibration import apply_entry  # noqa: F401 - calibrated arrays come in precomputed

    n = len(curves)
    cols = min(n, 4)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 4.2 * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.axis("off")
    for ax, (title, (y, raw, calibrated)) in zip(axes.flat, curves.items()):
        for p, label, style in ((raw, "raw", "o--"), (calibrated, "calibrated", "s-")):
            idx = np.minimum((p * BINS).astype(int), BINS - 1)
            xs, ys = [], []
            for b in range(BINS):
                m = idx == b
                if m.sum() >= 5:
                    xs.append(p[m].mean())
                    ys.append(y[m].mean())
            ax.plot(xs, ys, style, label=f"{label} (ECE {ece(p, y):.3f})")
        ax.plot([0, 1], [0, 1], "k:", lw=0.8)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("predicted probability")
        ax.legend(fontsize=7)
    for row in axes:
        row[0].set_ylabel("observed rate")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
