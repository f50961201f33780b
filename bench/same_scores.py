"""Do two versions of the code give the same check results? Dump every installed check's score, numeric
labels and evidence spans for a few hundred comments, then compare two dumps.

    PYTHONPATH=OLD/src python bench/same_scores.py dump DATASETS old.json
    PYTHONPATH=NEW/src python bench/same_scores.py dump DATASETS new.json
    python bench/same_scores.py compare old.json new.json      # max difference per check

Comments: 300 Fox News comments under the demo articles (every third a reply to the one before, every
fourth with the other demo stories as the site's other articles), 100 longer C3 comments (Globe and Mail),
40 YouTube comments (spam and not) and a few in other languages; scored in batches of 64 and, for the first
60, one at a time (the single-comment path the posting side takes).
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

OTHER_LANGUAGES = [
    "这篇文章写得很好，谢谢作者。", "你这个傻逼，滚出去。", "شكرا على هذا المقال المفيد جدا عن الميزانية",
    "Bu haber çok önemli, belediye kütüphaneleri açık kalmalı.", "Merci pour cet article très intéressant sur le budget.",
    "Das ist doch völliger Unsinn, die Regierung lügt wieder.",
]


def contexts(root: Path) -> list:
    from remarks.checks.base import ArticleRef, CommentContext
    from remarks.services.demo import ARTICLES

    refs = tuple(ArticleRef(id=str(i), title=a["title"], body=a["body"]) for i, a in enumerate(ARTICLES))
    fox = [json.loads(line)["text"] for line in (root / "fox_news_comments" / "fox-news-comments.jsonl").open()]
    with gzip.open(root / "constructive_comments_c3" / "C3_anonymized.csv.gz", "rt", encoding="utf-8") as fh:
        c3 = [r["comment_text"] for _, r in zip(range(100), csv.DictReader(fh))]
    with (root / "youtube_spam" / "Youtube01-Psy.csv").open(encoding="utf-8") as fh:
        yt = [r["CONTENT"] for _, r in zip(range(40), csv.DictReader(fh))]
    texts = fox[:300] + c3 + yt + OTHER_LANGUAGES
    out = []
    for i, text in enumerate(texts):
        art = ARTICLES[i % len(ARTICLES)]
        out.append(CommentContext(
            text=text, comment_id=str(i), article_id=str(i % len(ARTICLES)), article_title=art["title"],
            article_body=art["body"], byline="Jane Smith", parent_text=texts[i - 1] if i % 3 == 1 else None,
            participants=("Maria", "barryswallows") if i % 3 == 1 else (),
            other_articles=tuple(r for r in refs if r.title != art["title"]) if i % 4 == 0 else ()))
    return out


def numbers(result) -> dict:
    out = {"score": float(result.score)}
    out.update({f"label:{k}": float(v) for k, v in result.labels.items() if isinstance(v, (int, float))})
    out["spans"] = [[s.start, s.end, s.label, s.weight] for s in result.spans]
    return out


def dump(root: Path, path: Path) -> None:
    from remarks.checks.registry import load_checks

    ctxs = contexts(root)
    checks = load_checks(None)
    result: dict[str, dict] = {}
    for c in checks:
        batched = [numbers(r) for i in range(0, len(ctxs), 64) for r in c.score_batch(ctxs[i:i + 64])]
        single = [numbers(c.score(x)) for x in ctxs[:60]]
        result[c.rule] = {"version": c.version, "batched": batched, "single": single}
    path.write_text(json.dumps(result))


def compare(a: Path, b: Path) -> float:
    old, new = json.loads(a.read_text()), json.loads(b.read_text())
    worst = 0.0
    for rule in sorted(set(old) | set(new)):
        if rule not in old or rule not in new:
            print(f"{rule}: only in {'new' if rule in new else 'old'}")
            worst = float("inf")
            continue
        diff, n, spans = 0.0, 0, 0
        for part in ("batched", "single"):
            for x, y in zip(old[rule][part], new[rule][part], strict=True):
                spans += x.pop("spans", None) != y.pop("spans", None)
                for k in set(x) | set(y):
                    # A label only one side has counts as an infinite difference.
                    diff = max(diff, abs(x[k] - y[k]) if k in x and k in y else float("inf"))
                    n += 1
        print(f"{rule}: {n} numbers, max |difference| {diff:.3g}; evidence spans differ for {spans} results "
              f"({old[rule]['version']} vs {new[rule]['version']})")
        worst = max(worst, diff, float("inf") if spans else 0.0)
    return worst


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(0 if compare(Path(sys.argv[2]), Path(sys.argv[3])) <= 1e-6 else 1)
