"""Train the relevance (off-topic) check on Fox News comments, each with its article's title and
description (MIT). Negatives are built across articles: a comment shown under another story,
sometimes with its own story among the site's other recent articles. The four articles ``remarks eval``
tests on (``relevance.FOX_HELDOUT``) and the two it calibrates on (``relevance.FOX_VALID``) are left
out entirely; the score in the meta file is leave two articles out over the other four.

    python -m remarks_training.train_offtopic [DATASETS]
"""

from __future__ import annotations

import hashlib
import json
import platform
import random
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from remarks.checks import offtopic
from remarks.checks.offtopic import (FEATURES, IDF_FILE, SHORT_WORDS, ArticleVectors, article_vectors,
                                     feature_row)
from remarks.ml import store
from remarks.ml.embed import MODEL_FILE, VERSION, embed
from remarks.text.overlap import content_words, document_frequencies
from remarks_training.paths import datasets_dir
from remarks_training.relevance import earlier

ARTIFACTS = store.DIR


def load(datasets: Path) -> tuple[list[dict], dict[str, ArticleVectors], dict[str, np.ndarray]]:
    rows = [json.loads(line) for line in (datasets / "fox_news_comments" / "fox-news-comments.jsonl").open()]
    rows = [r for r in rows if r["text"].strip()]
    titles = sorted({r["title"] for r in rows})
    arts = {t: article_vectors(t, next(r["meta"] for r in rows if r["title"] == t)) for t in titles}
    texts = sorted({r["text"] for r in rows} | {r["prev"] for r in rows if r["prev"]})
    vecs = dict(zip(texts, embed(texts), strict=True))
    return rows, arts, vecs


def discussion(by_title: dict[str, list[dict]], vecs: dict[str, np.ndarray], title: str, before: int,
               author: str) -> np.ndarray | None:
    """The vectors of the discussion a comment would meet under ``title`` as the comment number ``before``
    in the file's order (``relevance.earlier``)."""
    said = [vecs[r["text"]] for r in earlier(by_title[title], before, author)]
    return np.stack(said) if said else None


def pairs(rows: list[dict], arts: dict[str, ArticleVectors], vecs: dict[str, np.ndarray], *, under: set[str],
          seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Feature rows and labels (1 = off-topic) for comments whose own article is in ``under``;
    each comment once under its own article and once under a wrong one, each with the discussion it would
    meet there at its place in the file's order (none for the first comments)."""
    rnd = random.Random(seed)
    titles = sorted(arts)
    by_title: dict[str, list[dict]] = {}
    place: dict[int, int] = {}
    for r in rows:
        place[id(r)] = len(by_title.setdefault(r["title"], []))
        by_title[r["title"]].append(r)
    x, y, groups = [], [], []
    for r in rows:
        if r["title"] not in under:
            continue
        at = place[id(r)]
        own_talk = discussion(by_title, vecs, r["title"], at, r["user"])
        words = len(r["text"].split())
        parent = vecs[r["prev"]] if r["prev"] else None
        others = rnd.sample([t for t in titles if t != r["title"]], 3)
        others_talk = [discussion(by_title, vecs, t, at, r["user"]) for t in others]
        if parent is not None and words <= SHORT_WORDS:
            # As the check does: a short reply is scored by what it answers; it has no wrong-story twin.
            row, _ = feature_row(parent, SHORT_WORDS + 1, arts[r["title"]], None, [arts[t] for t in others],
                                 content_words(r["prev"]), own_talk, others_talk)
            x.append(row), y.append(0), groups.append(r["title"])
            continue
        row, _ = feature_row(vecs[r["text"]], words, arts[r["title"]], parent, [arts[t] for t in others],
                             content_words(r["text"]), own_talk, others_talk)
        x.append(row), y.append(0), groups.append(r["title"])
        wrong = rnd.choice([t for t in titles if t != r["title"]])
        pool = [t for t in titles if t not in (wrong, r["title"])]
        wrong_others = rnd.sample(pool, 2) + ([r["title"]] if rnd.random() < 0.5 else [rnd.choice(pool)])
        wrong_parent = None
        if r["prev"]:
            # A reply posted under the wrong story answers a comment of that story.
            wrong_parent = vecs[rnd.choice(by_title[wrong])["text"]]
        row, _ = feature_row(vecs[r["text"]], words, arts[wrong], wrong_parent, [arts[t] for t in wrong_others],
                             content_words(r["text"]), discussion(by_title, vecs, wrong, at, r["user"]),
                             [discussion(by_title, vecs, t, at, r["user"]) for t in wrong_others])
        x.append(row), y.append(1), groups.append(r["title"])
    return np.array(x), np.array(y), groups


def held_out_auc(rows, arts, vecs) -> tuple[float, list[float]]:
    """Leave two articles out at a time: train on the rest, score the held-out articles' pairs."""
    titles = sorted(arts)
    rnd = random.Random(1)
    rnd.shuffle(titles)
    folds = [titles[i:i + 2] for i in range(0, len(titles), 2)]
    all_p, all_y, per_fold = [], [], []
    for fold in folds:
        train_titles = set(titles) - set(fold)
        xtr, ytr, _ = pairs(rows, arts, vecs, under=train_titles, seed=2)
        xte, yte, _ = pairs(rows, arts, vecs, under=set(fold), seed=3)
        model = LogisticRegression(C=1.0, max_iter=1000).fit(xtr, ytr)
        p = model.predict_proba(xte)[:, 1]
        per_fold.append(float(roc_auc_score(yte, p)))
        all_p.append(p)
        all_y.append(yte)
    return float(roc_auc_score(np.concatenate(all_y), np.concatenate(all_p))), per_fold


def write_idf(datasets: Path, out: Path) -> dict:
    """Document frequencies of words in Civil Comments posts (toxic_spans raw annotations, CC0; the posts
    of its test and trial splits left out), for the shared-words features."""
    from remarks_training.datasets import toxic_spans_raw

    texts = [r.text for r in toxic_spans_raw(datasets, exclude_splits=("test", "trial"))]
    table = document_frequencies(texts)
    path = out / IDF_FILE
    path.write_text(json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n")
    meta = {"file": IDF_FILE, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "model": "document frequencies of content words (remarks.text.overlap.content_words), words in two "
                     "posts or more",
            "command": "python -m remarks_training.train_offtopic [DATASETS]",
            "data": f"toxic_spans raw annotations (Civil Comments posts, CC0): {table['docs']} posts, the test and "
                    f"trial splits' posts left out; {len(table['df'])} words",
            "licence": "CC0 1.0 (data)"}
    (out / store.meta_name(IDF_FILE)).write_text(json.dumps(meta, indent=2) + "\n")
    offtopic.idf.cache_clear()
    return meta


def train(datasets: Path, out: Path = ARTIFACTS) -> dict:
    from remarks_training.relevance import FOX_HELDOUT, FOX_VALID, fox_split

    out.mkdir(parents=True, exist_ok=True)
    write_idf(datasets, out)
    rows, arts, vecs = load(datasets)
    # The articles `remarks eval` holds out (relevance.FOX_HELDOUT) and those it calibrates on
    # (relevance.FOX_VALID) are never seen: not their comments, not as the wrong story of another comment.
    arts = {t: a for t, a in arts.items() if fox_split(t) == "train" and not t.startswith(FOX_VALID)}
    auc, per_fold = held_out_auc(rows, arts, vecs)
    x, y, _ = pairs(rows, arts, vecs, under=set(arts), seed=0)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    out.mkdir(parents=True, exist_ok=True)
    weights = {"features": FEATURES, "coef": [round(float(c), 6) for c in model.coef_[0]],
               "intercept": round(float(model.intercept_[0]), 6)}
    path = out / "offtopic.json"
    path.write_text(json.dumps(weights, indent=2) + "\n")
    meta = {
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "model": f"logistic regression on {len(FEATURES)} features: similarities of the sentence vectors of "
                 f"{MODEL_FILE} ({VERSION}) (to the story, the parent, the site's other stories, generic talk and the "
                 f"discussions under the story and the others: the latest {offtopic.DISCUSSION} comments by other "
                 f"people), and the rare words a comment "
                 f"shares with its story ({IDF_FILE})",
        "version": offtopic.VERSION_LABEL,
        "command": "python -m remarks_training.train_offtopic [DATASETS]",
        "data": f"fox_news_comments (MIT): the comments under {len(arts)} of its 10 articles, each article's title "
                "and description; negatives built across those articles; the 4 articles remarks eval tests on "
                f"({', '.join(FOX_HELDOUT)}) and the 2 it calibrates on ({', '.join(FOX_VALID)}) never seen",
        "licence": "MIT (data); Apache-2.0 (embedding model)",
        "libraries": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                      "numpy": np.__version__},
        "scores": {"fox_news_held_out_articles_auc": round(auc, 4),
                   "per_fold_auc": [round(a, 4) for a in per_fold]},
    }
    (out / "offtopic.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


if __name__ == "__main__":
    root = datasets_dir(sys.argv[1] if len(sys.argv) > 1 else None)
    print(json.dumps(train(root)["scores"]))
