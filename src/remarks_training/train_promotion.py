"""Train the promotion text model: hashed character and word n-grams (no vocabulary to ship)
with logistic regression, on YouTube comment spam (all five videos) plus SMS spam as auxiliary data and
news comments (toxic_spans CC0, Fox News MIT) as non-promotional examples. Saved as numpy arrays (idf and weights); loaded without pickle.

    python -m remarks_training.train_promotion [DATASETS]
"""

from __future__ import annotations

import csv
import hashlib
import json
import platform
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression

from remarks.ml import promotion as promotion_model
from remarks.ml import store
from remarks.ml.promotion import clean
from remarks_training.paths import datasets_dir

ARTIFACTS = store.DIR
VIDEOS = ["Youtube01-Psy", "Youtube02-KatyPerry", "Youtube03-LMFAO", "Youtube04-Eminem", "Youtube05-Shakira"]


def features(texts: list[str]):  # raw hashed counts (scipy CSR)
    return promotion_model.counts(texts)


def youtube(datasets: Path) -> dict[str, tuple[list[str], list[int]]]:
    out = {}
    for video in VIDEOS:
        with (datasets / "youtube_spam" / f"{video}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        out[video] = ([clean(r["CONTENT"]) for r in rows], [int(r["CLASS"]) for r in rows])
    return out


def sms(datasets: Path) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    with (datasets / "sms_spam" / "SMSSpamCollection.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            label, _, text = line.rstrip("\n").partition("\t")
            if label in ("ham", "spam"):
                texts.append(text)
                labels.append(1 if label == "spam" else 0)
    return texts, labels


def fit(texts: list[str], labels: list[int], weights: list[float] | None = None, c: float = 4.0):
    x = features(texts)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(x)
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(tfidf.transform(x), labels, sample_weight=weights)
    return tfidf, model


def sms_split(texts: list[str], labels: list[int]) -> tuple[list[int], list[int]]:
    """A fixed 80/20 split by a hash of the text (duplicates stay on one side)."""
    train, test = [], []
    for i, t in enumerate(texts):
        (test if int(hashlib.md5(t.encode()).hexdigest(), 16) % 5 == 0 else train).append(i)
    return train, test


def news_ham(datasets: Path) -> list[str]:
    """News comments that promote nothing: toxic_spans train (Civil Comments, CC0) and Fox News
    comments (MIT). Without them the model learns YouTube's length cue (ham there is short) and
    holds long news comments as spam."""
    with (datasets / "toxic_spans" / "train.csv").open(encoding="utf-8", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    with (datasets / "fox_news_comments" / "fox-news-comments.jsonl").open(encoding="utf-8") as fh:
        texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return [t for t in texts if t.strip()]


NEWS_WEIGHT = 1.0


def training_set(datasets: Path, videos: list[str] | None = None, sms_rows: list[int] | None = None,
                 news_weight: float | None = None):
    news_weight = NEWS_WEIGHT if news_weight is None else news_weight
    yt = youtube(datasets)
    texts, labels, weights = [], [], []
    for v in videos or VIDEOS:
        texts += yt[v][0]
        labels += yt[v][1]
        weights += [1.0] * len(yt[v][0])
    st, sl = sms(datasets)
    rows = sms_rows if sms_rows is not None else range(len(st))
    # SMS is another medium: it teaches phone numbers, prizes and "text STOP" but counts less.
    texts += [st[i] for i in rows]
    labels += [sl[i] for i in rows]
    weights += [0.3] * len(rows)
    if news_weight > 0:
        news = news_ham(datasets)
        texts += news
        labels += [0] * len(news)
        weights += [news_weight] * len(news)
    return texts, labels, weights


def train(datasets: Path, out: Path = ARTIFACTS) -> dict:
    sms_texts, sms_labels = sms(datasets)
    sms_train, _ = sms_split(sms_texts, sms_labels)
    texts, labels, weights = training_set(datasets, sms_rows=sms_train)
    tfidf, model = fit(texts, labels, weights)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "promotion.npz"
    np.savez_compressed(path, idf=tfidf.idf_.astype(np.float32), coef=model.coef_[0].astype(np.float32),
                        intercept=np.array([model.intercept_[0]], dtype=np.float32))
    meta = {
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "model": "hashed char_wb 2-5 + word 1-2 n-grams (2^18 each), sublinear tf-idf, logistic regression",
        "command": "python -m remarks_training.train_promotion [DATASETS]",
        "data": {
            "youtube_spam": "all five videos (1,956 comments); the shared copy states no licence — the collection "
                            "(Alberto, Lochter & Almeida 2015) is published on the UCI Machine Learning Repository",
            "sms_spam": "the 80% training part of the SMS Spam Collection (weight 0.3); the shared copy states no "
                        "licence — published on the UCI Machine Learning Repository",
            "toxic_spans": "train.csv (7,939 Civil Comments news comments, CC0 1.0) as non-promotional examples",
            "fox_news_comments": "all 1,528 comments (MIT) as non-promotional examples",
        },
        "licence_note": "youtube_spam and sms_spam: the shared copies state no licence; check before a commercial "
                        "release. toxic_spans CC0 1.0, fox_news_comments MIT.",
        "libraries": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                      "numpy": np.__version__},
        "scores": "filled in by python -m remarks_training.eval_promotion_relevance --record (see bench/reports/promotion_relevance.md)",
    }
    (out / "promotion.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


if __name__ == "__main__":
    root = datasets_dir(sys.argv[1] if len(sys.argv) > 1 else None)
    print(train(root)["sha256"])
