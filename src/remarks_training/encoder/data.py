"""The multi-task training rows: the TRAIN part of the shared datasets that may go into a shipped model.

Never read here: C3 (non-commercial; evaluation only), any official test split, the toxic_spans raw
annotations of its test and trial posts, ETHOS (GPL-3.0), Impermium (Kaggle competition data, no licence
for a shipped model: evaluation only, as for the n-gram model), HateCheck and the Jigsaw sets (test only).
Each row carries the labels its source gives; the other heads are masked out of the loss.
Every source is split ~90/10 into train and validation by a hash (Fox News by article, the attack
suite by template), so validation rows never share a text, an article or a template with training.
What the shipped checks are validated and calibrated on is validation here too (:func:`checks_validation`):
the checks read this encoder's vectors, so a row it trained on would flatter them there.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from remarks.ml.encoder import HEADS, context_text

csv.field_size_limit(10**8)

LICENCES = {
    "davidson": "MIT",
    "olid": "CC BY 4.0 (hosting repository)",
    "fox": "MIT",
    "relevance_fox": "MIT (Fox News comments with their articles' title and description)",
    "relevance_written": "Apache-2.0 (written for this repository)",
    "toxic_spans_raw": "CC0 1.0",
    "youtube": "none stated in the copy",
    "sms": "none stated in the copy",
    "seed": "Apache-2.0 (written for this repository)",
    "attack_suite": "Apache-2.0 (written for this repository)",
}
DAVIDSON_ROWS = 9000
SMS_HAM_ROWS = 1500
WRITTEN_REPEAT = 3


@dataclass
class Item:
    text: str
    labels: dict[str, int]
    source: str
    context: str | None = None  # the article side of a pair
    group: str = ""  # what the train/validation split is drawn by (default: the text)
    split: str = "train"
    extra: dict = field(default_factory=dict)


def _valid(key: str, share: int = 10) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % share == 0


def _csv(path: Path, **kw) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, **kw))


def davidson(root: Path, rng: random.Random) -> list[Item]:
    rows = _csv(root / "davidson_hate_offensive/labeled_data.csv")
    rng.shuffle(rows)
    return [Item(r["tweet"], {"abuse": int(r["class"] != "2"), "identity_hate": int(r["class"] == "0")}, "davidson")
            for r in rows[:DAVIDSON_ROWS]]


def olid(root: Path) -> list[Item]:
    out = []
    for r in _csv(root / "olid/train.tsv", delimiter="\t", quoting=csv.QUOTE_NONE):
        labels = {"abuse": int(r["subtask_a"] == "OFF"), "attack": int(r["subtask_b"] == "TIN" and r["subtask_c"] == "IND")}
        if r["subtask_b"] == "TIN":
            labels["target_group"] = int(r["subtask_c"] == "GRP")
        out.append(Item(r["tweet"], labels, "olid"))
    return out


def _fox(root: Path) -> list[dict]:
    with open(root / "fox_news_comments/fox-news-comments.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def fox(root: Path) -> list[Item]:
    """Fox News comments (hate label), those under the relevance set's held-out articles left out."""
    from remarks_training.relevance import fox_split

    return [Item(r["text"], {"abuse": int(r["label"]), "identity_hate": int(r["label"]), "promotion": 0}, "fox",
                 group=r["title"]) for r in _fox(root) if fox_split(r["title"]) == "train"]


def relevance_pairs(root: Path) -> list[Item]:
    """(article, comment) pairs of the relevance set's TRAIN articles: written stories with hard negatives
    that share words, replies that keep or change the topic, and Fox News comments with their own article
    and with one of another topic. Label: off-topic 1, relevant 0."""
    from remarks_training import relevance

    out = []
    for p in relevance.pairs("train", root):
        ctx = context_text(p.article_title, p.article_body, parent=p.parent)
        # The written pairs (hard negatives, replies) are few and teach the most: seen three times.
        for _ in range(WRITTEN_REPEAT if p.source == "written" else 1):
            out.append(Item(p.comment, {"offtopic": 1 - p.label}, f"relevance_{p.source}", ctx,
                            group=p.article_id, extra={"kind": p.kind, "title": p.article_title,
                                                       "body": p.article_body, "parent": p.parent}))
    return out


def toxic_spans_raw(root: Path) -> list[Item]:
    """Civil Comments posts with per-rater judgements (test and trial posts left out): toxic unless most
    raters ticked 'not toxic'; a sub-label when at least half the raters marked a span of that type."""
    excluded = {r["text"] for s in ("test", "trial") for r in _csv(root / f"toxic_spans/{s}.csv")}
    base = root / "toxic_spans/raw_annotations"
    texts = {r["comment_id"]: r["comment_text"] for r in _csv(base / "comments.csv")}
    votes: dict[str, list[bool]] = defaultdict(list)
    owner: dict[str, str] = {}
    for r in _csv(base / "annotations.csv"):
        votes[r["comment_id"]].append(r["not toxic"] == "True")
        owner[r["annotation"]] = r["comment_id"]
    kinds = {"Insu": "insult", "Threat": "threat", "Identity": "identity_hate", "Profane": "obscene"}
    marked: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in _csv(base / "spans.csv"):
        for prefix, head in kinds.items():
            if r["type"].startswith(prefix) and r["annotation"] in owner:
                marked[(owner[r["annotation"]], head)].add(r["annotation"])
    out = []
    for cid, v in votes.items():
        text = texts.get(cid)
        if not text or text in excluded:
            continue
        toxic = int(sum(v) * 2 <= len(v))
        labels = {"abuse": toxic, "promotion": 0}
        for head in kinds.values():
            labels[head] = int(toxic and len(marked[(cid, head)]) * 2 >= len(v))
        labels["attack"] = labels["insult"]
        out.append(Item(text, labels, "toxic_spans_raw"))
    return out


def youtube(root: Path) -> list[Item]:
    out = []
    for path in sorted((root / "youtube_spam").glob("Youtube0*.csv")):
        for r in _csv(path):
            text = html.unescape(r["CONTENT"].replace("<br />", "\n")).replace("\ufeff", "").strip()
            out.append(Item(text, {"promotion": int(r["CLASS"])}, "youtube", extra={"video": path.stem}))
    return out


def sms(root: Path, rng: random.Random) -> list[Item]:
    spam, ham = [], []
    for line in (root / "sms_spam/SMSSpamCollection.tsv").read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        (spam if label == "spam" else ham).append(text)
    rng.shuffle(ham)
    return [Item(t, {"promotion": 1}, "sms") for t in spam] + [Item(t, {"promotion": 0}, "sms") for t in ham[:SMS_HAM_ROWS]]


def seed() -> list[Item]:
    from remarks_training.seed import seed_rows
    out = []
    for r in seed_rows():
        labels = {k: v for k, v in (("abuse", r.abuse), ("attack", r.attack)) if v is not None}
        out.append(Item(r.text, labels, "seed"))
    return out


TARGETS = {"commenter": "target_commenter", "author": "target_author", "story_person": "target_person",
           "group": "target_group"}


def attack_suite(path: Path | None = None) -> list[Item]:
    """The training part of the templated attack suite, each case alone and as a pair with its article."""
    from remarks_training import attack_suite as suite

    out = []
    for r in suite.cases("train", path) if path else suite.cases("train"):
        labels = {"attack": int(r["attack"])}
        for target, head in TARGETS.items():
            labels[head] = int(bool(r["attack"]) and r.get("target") == target)
        if r.get("abuse") is not None:
            labels["abuse"] = int(r["abuse"])
        ctx = context_text(r.get("article_title", ""), r.get("article_body", ""), r.get("byline", ""),
                           r.get("parent_text"))
        group = r.get("template", r["id"])
        out.append(Item(r["text"], labels, "attack_suite", group=group))
        out.append(Item(r["text"], labels, "attack_suite", ctx, group=group, extra={
            "title": r.get("article_title", ""), "body": r.get("article_body", ""), "byline": r.get("byline", ""),
            "parent": r.get("parent_text"), "participants": tuple(r.get("participants") or ())}))
    return out


def checks_validation(root: Path) -> tuple[set[str], tuple[str, ...]]:
    """What the shipped checks are validated, calibrated and given their thresholds on, which the encoder
    (whose vectors they read) must not train on either: the abuse/attack model's validation rows and
    written validation ideas (texts), and the Fox News stories the relevance model is never fitted on
    (titles' starts: their comments, and pairs read against them)."""
    from remarks_training import train_toxicity
    from remarks_training.relevance import FOX_VALID

    _, val_rows, written_val = train_toxicity.split(str(root))
    return {r.text for r in val_rows + written_val}, FOX_VALID


def build(root: Path, *, seed_value: int = 13, suite: Path | None = None) -> list[Item]:
    rng = random.Random(seed_value)
    items = (davidson(root, rng) + olid(root) + fox(root) + relevance_pairs(root)
             + toxic_spans_raw(root) + youtube(root) + sms(root, rng) + seed() + attack_suite(suite))
    texts, stories = checks_validation(root)
    texts |= {it.text for it in items if it.source == "fox" and it.group.startswith(stories)}
    for it in items:
        if set(it.labels) - set(HEADS):
            raise ValueError(f"unknown head in {it.source}: {set(it.labels) - set(HEADS)}")
        checks = it.text in texts or str(it.extra.get("title", "")).startswith(stories)
        it.split = "valid" if checks or _valid(f"{it.source}:{it.group or it.text}") else "train"
    return items


def leave_out(items: list[Item], sources: Sequence[str]) -> list[Item]:
    """``items`` without the named sources: their rows, the relevance pairs of their comments
    (``relevance_<source>``) and any other row with one of their texts. An unknown name is an error."""
    if not sources:
        return items
    known = {it.source for it in items}
    unknown = set(sources) - known
    if unknown:
        raise ValueError(f"unknown source(s) {sorted(unknown)}; the sources are {sorted(known)}")
    names = set(sources) | {f"relevance_{s}" for s in sources}
    texts = {it.text for it in items if it.source in names}
    return [it for it in items if it.source not in names and it.text not in texts]


def summary(items: list[Item]) -> dict:
    """Row counts per source and split, and positives per head, for the meta file."""
    rows = Counter((it.source, it.split) for it in items)
    pos: dict[str, Counter] = defaultdict(Counter)
    for it in items:
        for k, v in it.labels.items():
            pos[k]["labelled"] += 1
            pos[k]["positive"] += v
    return {
        "sources": {s: {"licence": LICENCES.get(s, "?"), "train": rows[(s, "train")], "valid": rows[(s, "valid")]}
                    for s in sorted({it.source for it in items})},
        "heads": {k: dict(v) for k, v in sorted(pos.items())},
    }
