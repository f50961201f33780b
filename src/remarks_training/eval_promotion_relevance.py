"""Evaluate the promotion and relevance checks; write bench/reports/promotion_relevance.md.

    python -m remarks_training.eval_promotion_relevance [DATASETS] [--out bench/reports] [--record]

YouTube: leave one video out (train the text model on four videos + SMS train, test on the fifth).
SMS: the fixed 20% test split. Relevance: Fox News, two articles held out at a time; C3
``non_relevant`` (evaluation only; C3 has no article text, so the other comments under the same
article stand in for it). Near-duplicates: perturbed copies generated here. Speed: 2 cores."""

from __future__ import annotations

import csv
import gzip
import json
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from remarks.checks import duplicates, promotion
from remarks.checks.base import CommentContext
from remarks.ml import promotion as promotion_model
from remarks_training import train_offtopic, train_promotion
from remarks_training.paths import datasets_dir


def _p_text(tfidf, model, texts):
    return promotion_model.probability(texts, tfidf.idf_, model.coef_[0], float(model.intercept_[0]))


def youtube_cross_video(datasets: Path) -> list[dict]:
    yt = train_promotion.youtube(datasets)
    sms_texts, sms_labels = train_promotion.sms(datasets)
    sms_train, _ = train_promotion.sms_split(sms_texts, sms_labels)
    check = promotion.PromotionCheck()
    out = []
    for held in train_promotion.VIDEOS:
        texts, labels, weights = train_promotion.training_set(
            datasets, videos=[v for v in train_promotion.VIDEOS if v != held], sms_rows=sms_train)
        tfidf, model = train_promotion.fit(texts, labels, weights)
        test_texts, test_labels = yt[held]
        p = _p_text(tfidf, model, test_texts)
        scores = [check._result(CommentContext(text=t), float(pt)).score for t, pt in zip(test_texts, p, strict=True)]
        out.append({"video": held, "n": len(test_texts), "auc": roc_auc_score(test_labels, scores),
                    "f1": f1_score(test_labels, [s >= 0.5 for s in scores]),
                    "f1_text_only": f1_score(test_labels, p >= 0.5)})
    return out


def sms_f1(datasets: Path) -> dict:
    texts, labels = train_promotion.sms(datasets)
    train_rows, test_rows = train_promotion.sms_split(texts, labels)
    tt, tl, tw = train_promotion.training_set(datasets, sms_rows=train_rows)
    tfidf, model = train_promotion.fit(tt, tl, tw)
    test_texts = [texts[i] for i in test_rows]
    y = [labels[i] for i in test_rows]
    p = _p_text(tfidf, model, test_texts)
    check = promotion.PromotionCheck()
    scores = [check._result(CommentContext(text=t), float(pt)).score for t, pt in zip(test_texts, p, strict=True)]
    return {"n": len(y), "f1": f1_score(y, [s >= 0.5 for s in scores]), "auc": roc_auc_score(y, scores)}


def news_hold_rate(datasets: Path) -> dict:
    """How many C3 news comments the shipped promotion check holds (score >= 0.5). C3 has no promotion
    label, but nearly all of it promotes nothing, so this is (close to) the false-hold rate on news
    comments. Evaluation only (C3 is non-commercial)."""
    with gzip.open(datasets / "constructive_comments_c3" / "C3_anonymized.csv.gz", "rt", newline="") as fh:
        texts = [r["comment_text"] for r in csv.DictReader(fh)]
    scores = np.array([r.score for r in promotion.PromotionCheck().score_batch(
        [CommentContext(text=t) for t in texts])])
    return {"n": len(texts), "held": float(np.mean(scores >= 0.5)), "high": float(np.mean(scores >= 0.8))}


def c3_non_relevant(datasets: Path) -> dict:
    with gzip.open(datasets / "constructive_comments_c3" / "C3_anonymized.csv.gz", "rt", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_article: dict[str, list[dict]] = {}
    for r in rows:
        by_article.setdefault(r["article_id"], []).append(r)

    def label(r: dict) -> int:
        n = int(float(r["njudgements_constructiveness_expt"] or 0)) or 1
        for part in (r["non_constructive_characteristics"] or "").split("\n"):
            name, _, count = part.partition(":")
            if name.strip() == "non_relevant" and count.strip() and int(count) / n >= 0.5:
                return 1
        return 0

    # Every comment is embedded once; a comment's "article" is the other comments under the same
    # article (up to 40), so the comment itself never counts as its own context.
    from remarks.checks.offtopic import ArticleVectors, _unit, feature_row, probability
    from remarks.ml.embed import embed
    from remarks.text.overlap import content_words

    texts = [r["comment_text"] for r in rows]
    vecs = embed(texts)
    index = {id(r): i for i, r in enumerate(rows)}
    feats, ys = [], []
    for comments in by_article.values():
        ids = [index[id(r)] for r in comments]
        if len(ids) < 4:
            continue
        for k, i in enumerate(ids):
            ctx_ids = [j for j in ids if j != i][:40]
            art = ArticleVectors([texts[j] for j in ctx_ids], vecs[ctx_ids], _unit(vecs[ctx_ids].mean(axis=0)))
            row, _ = feature_row(vecs[i], len(texts[i].split()), art, None, [], content_words(texts[i]))
            feats.append(row)
            ys.append(label(comments[k]))
    scores = probability(np.array(feats))
    return {"n": len(ys), "positives": sum(ys), "auc": roc_auc_score(ys, scores)}


def perturb(text: str, rnd: random.Random) -> str:
    words = text.split()
    for _ in range(max(1, len(words) // 8)):
        op = rnd.choice(["typo", "drop", "insert", "case", "punct", "swap"])
        i = rnd.randrange(len(words))
        w = words[i]
        if op == "typo" and len(w) > 3:
            j = rnd.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        elif op == "drop" and len(words) > 6:
            del words[i]
        elif op == "insert":
            words.insert(i, rnd.choice(["really", "very", "just", "so", "!!!"]))
        elif op == "case":
            words[i] = w.upper()
        elif op == "punct":
            words[i] = w + rnd.choice([".", "!", ",", "..."])
        elif op == "swap" and i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def near_duplicates(datasets: Path, n: int = 400, threshold: float = 0.5) -> dict:
    """Each original is posted, then a perturbed copy and an unrelated comment are looked up.
    A match counts as right when the two texts' word-pair sets really overlap (exact Jaccard at
    least 0.5): YouTube spam campaigns post the same copy under many names, so some "unrelated"
    comments are in fact copies."""
    yt = train_promotion.youtube(datasets)
    pool = list(dict.fromkeys(t for v in yt.values() for t in v[0] if len(t.split()) >= 8))
    rnd = random.Random(5)
    rnd.shuffle(pool)
    originals, strangers = pool[:n], pool[n:2 * n]
    index = duplicates.DuplicateIndex(threshold=threshold)
    for i, t in enumerate(originals):
        index.add(f"o{i}", t, None, None)
    shingled = [duplicates.shingles(t) for t in originals]

    def jaccard(a: set, b: set) -> float:
        return len(a & b) / max(len(a | b), 1)

    found = right = wrong = 0
    for i, t in enumerate(originals):
        copy = perturb(t, rnd)
        hits = index.query(copy)
        found += any(d["comment_id"] == f"o{i}" for d in hits)
    for t in strangers:
        sh = duplicates.shingles(t)
        for d in index.query(t):
            if jaccard(sh, shingled[int(d["comment_id"][1:])]) >= 0.5:
                right += 1
            else:
                wrong += 1
    recall = found / n
    precision = (found + right) / max(found + right + wrong, 1)
    return {"n": n, "recall": recall, "precision": precision, "false_matches": wrong, "true_copies": right,
            "threshold": threshold}


def speed(datasets: Path, n: int = 400) -> dict:
    from remarks.checks.registry import load_checks
    from remarks.services.demo import ARTICLES

    rows = [json.loads(line) for line in (datasets / "fox_news_comments" / "fox-news-comments.jsonl").open()][:n]
    art = ARTICLES[0]
    ctxs = [CommentContext(text=r["text"], article_title=art["title"], article_body=art["body"]) for r in rows]
    out = {}
    checks = load_checks(None)
    groups = {"promotion": [c for c in checks if c.rule == "promotion"],
              "offtopic": [c for c in checks if c.rule == "offtopic"],
              "all checks": checks}
    for name, group in groups.items():
        for c in group:
            c.score_batch(ctxs[:20])  # load models
        start = time.perf_counter()
        for c in group:
            c.score_batch(ctxs)
        batched = len(ctxs) / (time.perf_counter() - start)
        lat = []
        for ctx in ctxs[:200]:
            t0 = time.perf_counter()
            for c in group:
                c.score(ctx)
            lat.append((time.perf_counter() - t0) * 1000)
        lat.sort()
        out[name] = {"batched_per_s": batched, "p50_ms": statistics.median(lat), "p99_ms": lat[int(0.99 * len(lat)) - 1]}
    return out


TRAILER = """
## What was tried, and what misses

- **YouTube F1 0.930 (target 0.95, missed by 0.020).** The check adds link/phone/e-mail/call-to-action
  patterns to a hashed char+word n-gram logistic regression (the patterns add 0.01–0.03 F1 over the text
  model alone, table above). Trained on YouTube + SMS alone it reached 0.940, but it then held 17.5% of
  C3's news comments as promotion: YouTube ham is short, so length itself read as spam (73% of C3
  comments over 200 words). News comments that promote nothing (toxic_spans train, CC0; Fox News, MIT)
  were added as negatives: weight 0.1 / 0.3 / 1.0 gave F1 0.931 / 0.928 / 0.930 and C3 holds
  2.7% / 2.2% / 1.9%; 1.0 ships (SMS F1 0.931 -> 0.916 with it). Most remaining C3 holds carry a link (a source cited). A "commercial
  words" pattern (cheap, discount, % off ...) was tried and dropped: no YouTube gain, 40 more C3 holds
  ("cheap politics"). The misses are mostly short self-promotion without a link and hams that quote a
  URL. SMS at weight 0.3 helped the Psy and Shakira folds. The threshold is the policy's hold
  threshold (0.5), not tuned on the held-out video.
- **Relevance AUC 0.825 (target 0.90, missed by 0.075).** Ten articles with one-sentence descriptions is
  little to learn from, and many Fox News comments are generic outrage that fits any of the ten stories.
  Features tried: best-sentence, title and centroid similarity, parent similarity, margins against the
  other stories (sentence, title, centroid), similarity to generic comment talk; the margins gave the
  largest gain (0.81 → 0.825). Not tried for lack of time: fine-tuning MiniLM on the CPU, a non-linear
  model over the same features. C3 `non_relevant` (0.651) has no article text at all.
- **Near-duplicates** meet both targets at similarity ≥ 0.5; at 0.7 precision is perfect but recall falls
  to 0.79, so the check uses 0.5.
- **Speed** was measured while other training jobs shared the two cores; `bench/archive.py` measures the
  four checks in batch on Dask (one and two workers) with a quieter machine.
"""


def main(datasets: Path, out_dir: Path, record: bool = False) -> Path:
    t0 = time.time()
    yt = youtube_cross_video(datasets)
    sms = sms_f1(datasets)
    news = news_hold_rate(datasets)
    rows, arts, vecs = train_offtopic.load(datasets)
    fox_auc, per_fold = train_offtopic.held_out_auc(rows, arts, vecs)
    c3 = c3_non_relevant(datasets)
    dup = near_duplicates(datasets)
    dup_high = near_duplicates(datasets, threshold=0.7)
    spd = speed(datasets)
    mean_f1 = statistics.mean(r["f1"] for r in yt)
    mean_auc = statistics.mean(r["auc"] for r in yt)

    def gap(value: float, target: float) -> str:
        return "met" if value >= target else f"missed by {target - value:.3f}"

    lines = [
        "# Promotion and relevance checks", "",
        f"Generated by `python -m remarks_training.eval_promotion_relevance` in {time.time() - t0:.0f} s. "
        "C3 is evaluation only.", "",
        "| metric | target | remarks | |", "|---|---|---|---|",
        f"| YouTube spam F1, leave one video out (mean of 5) | 0.95 | {mean_f1:.3f} | {gap(mean_f1, 0.95)} |",
        f"| YouTube spam AUC, leave one video out (mean of 5) | | {mean_auc:.3f} | |",
        f"| SMS spam F1 (20% held-out split) | | {sms['f1']:.3f} | AUC {sms['auc']:.3f}, n = {sms['n']} |",
        f"| C3 news comments held as promotion (score ≥ 0.5; no promotion label, nearly all benign) | | "
        f"{news['held']:.2%} | ≥ 0.8: {news['high']:.2%}, n = {news['n']} |",
        f"| Relevance AUC, Fox News held-out articles | 0.90 | {fox_auc:.3f} | {gap(fox_auc, 0.90)} |",
        f"| C3 `non_relevant` AUC (context: other comments under the article) | | {c3['auc']:.3f} | "
        f"{c3['positives']} of {c3['n']} off-topic |",
        f"| Near-duplicate recall (perturbed copies), similarity ≥ 0.5 as the check uses | 0.95 | {dup['recall']:.3f} | "
        f"{gap(dup['recall'], 0.95)} |",
        f"| Near-duplicate precision, similarity ≥ 0.5 | 0.99 | {dup['precision']:.3f} | {gap(dup['precision'], 0.99)} |",
        f"| Near-duplicate recall / precision at similarity ≥ 0.7 | | {dup_high['recall']:.3f} / "
        f"{dup_high['precision']:.3f} | |",
        "", "## YouTube, per held-out video", "", "| video | comments | AUC | F1 (check) | F1 (text model alone) |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r['video']} | {r['n']} | {r['auc']:.3f} | {r['f1']:.3f} | {r['f1_text_only']:.3f} |" for r in yt]
    lines += ["", "## Relevance, per held-out pair of Fox News articles", "",
              " · ".join(f"{a:.3f}" for a in per_fold), "",
              "The Fox News \"articles\" are a title and a one-sentence description (the only relevance data with "
              "article text that may be shipped); on the site the check sees the whole story. Negatives are the "
              "same comments shown under another story, half the time with their own story among the site's "
              "other articles.", "",
              "## Speed (2 cores, one process; Fox News comments)", "",
              "| checks | batched comments/s | p50 ms (one comment) | p99 ms (one comment) |", "|---|---|---|---|"]
    lines += [f"| {k} | {v['batched_per_s']:.0f} | {v['p50_ms']:.1f} | {v['p99_ms']:.1f} |" for k, v in spd.items()]
    lines += ["", "Targets: all four checks ≥ 100 comments/s batched and p99 ≤ 100 ms for one comment.", "",
              f"Near-duplicates: {dup['n']} YouTube comments posted, then a perturbed copy of each (typos, dropped, "
              f"inserted, swapped words, case, punctuation) and {dup['n']} unrelated comments looked up; MinHash "
              f"64 permutations, 16 bands; at ≥ {dup['threshold']}: {dup['false_matches']} false matches and "
              f"{dup['true_copies']} real copies among the unrelated comments (campaign spam)."]
    lines += TRAILER.splitlines()
    if record:
        meta_path = train_promotion.ARTIFACTS / "promotion.meta.json"
        meta = json.loads(meta_path.read_text())
        meta["scores"] = {"measured_by": "python -m remarks_training.eval_promotion_relevance --record",
                          "youtube_leave_one_video_out_f1_mean": round(mean_f1, 4),
                          "youtube_leave_one_video_out_auc_mean": round(mean_auc, 4),
                          "sms_20pct_held_out_f1": round(sms["f1"], 4), "sms_20pct_held_out_auc": round(sms["auc"], 4),
                          "c3_news_comments_held_share": round(news["held"], 4)}
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "promotion_relevance.md"
    path.write_text("\n".join(lines) + "\n")
    return path


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = datasets_dir(args[0] if args else None)
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else Path("bench/reports")
    print(main(root, out, record="--record" in sys.argv).read_text())
