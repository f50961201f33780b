"""Readers for the shared datasets (``../shared/datasets``; see each folder's SOURCE.md).

``training_rows`` returns only data whose licence lets us ship a model trained on it
(MIT, CC0, CC BY); the ``*_test`` readers return official test splits, for evaluation only.
C3 (CC BY-NC-SA) is read for evaluation and never enters training or tuning.
"""

from __future__ import annotations

import ast
import codecs
import csv
import gzip
import json
import re
from collections import defaultdict
from pathlib import Path

from remarks.errors import BadInput
from remarks.ml.toxicity import SENTENCE
from remarks_training.paths import datasets_dir
from remarks_training.row import Row
from remarks_training.seed import seed_rows

csv.field_size_limit(10**8)


LICENCES = {
    "davidson_hate_offensive": "MIT",
    "fox_news_comments": "MIT",
    "olid": "CC BY 4.0 (hosting repository)",
    "toxic_spans": "CC0 1.0",
    "seed_examples": "Apache-2.0 (written for this repository)",
    "attack_suite": "Apache-2.0 (written for this repository; its training part only)",
}


def _root(root: str | Path | None) -> Path:
    path = datasets_dir(root)
    if not path.is_dir():
        raise BadInput(f"datasets folder not found: {path}")
    return path


def training_rows(root: str | Path | None = None) -> list[Row]:
    root = _root(root)
    rows: list[Row] = []
    with open(root / "davidson_hate_offensive/labeled_data.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append(Row(r["tweet"], abuse=int(r["class"] != "2"), source="davidson"))
    with open(root / "olid/train.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            attack = int(r["subtask_b"] == "TIN" and r["subtask_c"] == "IND")
            rows.append(Row(r["tweet"], abuse=int(r["subtask_a"] == "OFF"), attack=attack, source="olid"))
    with open(root / "fox_news_comments/fox-news-comments.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rows.append(Row(r["text"], abuse=int(r["label"]), source="fox"))
    rows.extend(toxic_spans_raw(root, exclude_splits=("test", "trial")))
    rows.extend(seed_rows())
    return rows


def attack_suite_rows(part: str) -> list[Row]:
    """The attack suite's training part, split by template as the encoder's trainer splits it: ``train``
    (the n-gram model learns from it) or ``valid`` (calibration and validation only). The suite's
    held-out part is never read here. Each row keeps the context the attack check sees in ``extra``."""
    from remarks_training import attack_suite
    from remarks_training.encoder.data import _valid

    if part not in ("train", "valid"):
        raise ValueError(f"part must be train or valid, not {part!r}")
    out = []
    for c in attack_suite.cases("train"):
        if _valid(f"attack_suite:{c['template']}") != (part == "valid"):
            continue
        ctx = {"article_title": c["article_title"], "article_body": c["article_body"], "byline": c["byline"],
               "parent_text": c["parent_text"], "participants": tuple(c["participants"])}
        out.append(Row(c["text"], abuse=c["abuse"], attack=int(c["attack"]), source="attack_suite", extra=ctx))
    return out


def _raw_annotations(root: Path) -> tuple[dict[str, str], list[dict[str, str]], dict[str, list[dict[str, str]]]]:
    """The toxic_spans raw annotations: texts by comment id, one row per (comment, rater), and each rater's
    spans by annotation id."""
    base = root / "toxic_spans/raw_annotations"
    with open(base / "comments.csv", newline="", encoding="utf-8") as fh:
        texts = {r["comment_id"]: r["comment_text"] for r in csv.DictReader(fh)}
    with open(base / "annotations.csv", newline="", encoding="utf-8") as fh:
        annotations = list(csv.DictReader(fh))
    spans: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(base / "spans.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            spans[r["annotation"]].append(r)
    return texts, annotations, spans


def toxic_spans_raw(root: Path, exclude_splits: tuple[str, ...]) -> list[Row]:
    """Civil Comments posts with per-rater judgements: majority 'not toxic' -> 0, else 1."""
    excluded = {t for s in exclude_splits for t, _ in toxic_spans_split(s, root)}
    texts, annotations, spans = _raw_annotations(root)
    votes: dict[str, list[bool]] = defaultdict(list)
    insulted: dict[str, set[str]] = defaultdict(set)  # comment -> raters who marked an Insult span
    for r in annotations:
        votes[r["comment_id"]].append(r["not toxic"] == "True")
        if any(s["type"].startswith("Insu") for s in spans[r["annotation"]]):
            insulted[r["comment_id"]].add(r["annotation"])
    rows = []
    for cid, v in votes.items():
        text = texts.get(cid)
        if text and text not in excluded:
            abuse = int(sum(v) * 2 <= len(v))
            attack = int(abuse and len(insulted[cid]) * 2 >= len(v))
            rows.append(Row(text, abuse=abuse, attack=attack, source="toxic_spans_raw"))
    return rows


def toxic_spans_sentences(root: str | Path | None, exclude: set[str] | frozenset[str] = frozenset(),
                          split: str = "train") -> list[Row]:
    """Sentences of the multi-sentence Civil Comments posts, labelled by where the raters put their spans:
    a sentence most raters marked a span in is abusive (a personal attack if most marked an Insult there);
    one no rater marked, in a post no rater called toxic as a whole, is clean. Every post is one the raters
    were shown because Civil Comments found it toxic, so these are the civil sentences of news comments
    that the post-level rows lack. ``split="train"``: the posts outside the test and trial splits and
    ``exclude``; ``split="trial"``: the trial posts only (validation)."""
    root = _root(root)
    trial = {t for t, _ in toxic_spans_split("trial", root)}
    excluded = set(exclude) | {t for t, _ in toxic_spans_split("test", root)}
    texts, annotations, raw_spans = _raw_annotations(root)
    raters: dict[str, list[str]] = defaultdict(list)
    whole: dict[str, int] = defaultdict(int)
    for r in annotations:
        raters[r["comment_id"]].append(r["annotation"])
        whole[r["comment_id"]] += r["all toxic"] == "True"
    spans = {a: [(int(s["start"]), int(s["end"]), s["type"].startswith("Insu")) for s in found
                 if s["start"].isdigit() and s["end"].isdigit()] for a, found in raw_spans.items()}
    rows = []
    for cid, anns in raters.items():
        text = texts.get(cid)
        if not text or text in excluded or (text in trial) != (split == "trial"):
            continue
        sentences = [m for m in SENTENCE.finditer(text) if len(m.group().split()) >= 4]
        if len(sentences) < 2:
            continue
        for m in sentences:
            a, b = m.span()
            marked = sum(any(s < b and e > a for s, e, _ in spans.get(x, ())) for x in anns)
            insult = sum(any(s < b and e > a and i for s, e, i in spans.get(x, ())) for x in anns)
            if marked * 2 > len(anns):
                rows.append(Row(m.group().strip(), abuse=1, attack=int(insult * 2 > len(anns)),
                                source="toxic_spans_sent"))
            elif marked == 0 and whole[cid] == 0:
                rows.append(Row(m.group().strip(), abuse=0, attack=0, source="toxic_spans_sent"))
    return rows


def toxic_spans_split(split: str, root: str | Path | None = None) -> list[tuple[str, set[int]]]:
    with open(_root(root) / f"toxic_spans/{split}.csv", newline="", encoding="utf-8") as fh:
        return [(r["text"], set(ast.literal_eval(r["spans"]))) for r in csv.DictReader(fh)]


# ---- official test splits (evaluation only) ----

def jigsaw_test(root=None) -> list[Row]:
    with open(_root(root) / "jigsaw_toxic_test_subset/test.csv", newline="", encoding="utf-8") as fh:
        return [Row(r["comment_text"], abuse=int(r["toxic"]), source="jigsaw") for r in csv.DictReader(fh)]


def c3(root=None) -> list[Row]:
    """Globe and Mail comments: abuse = toxicity level >= 2; attack = personal_attack ticked by >= half the raters."""
    rows = []
    with gzip.open(_root(root) / "constructive_comments_c3/C3_anonymized.csv.gz", "rt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            chars = dict(
                (k.strip(), float(v)) for k, _, v in (x.partition(":") for x in r["toxicity_characteristics"].split("\n")) if v.strip()
            )
            n = float(r["njudgements_toxicity_expt"] or 0) or 1.0
            rows.append(Row(r["comment_text"], abuse=int(float(r["crowd_toxicity_level"]) >= 2),
                            attack=int(chars.get("personal_attack", 0) >= n / 2), source="c3"))
    return rows


def _unescape_impermium(s: str) -> str:
    s = s.strip('"')
    try:
        raw = codecs.escape_decode(s.encode("utf-8"))[0]
    except Exception:  # noqa: BLE001 - a few rows are not valid escapes; keep them as typed
        return s
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def impermium_test(root=None) -> list[Row]:
    with open(_root(root) / "impermium_insults/test.csv", newline="", encoding="utf-8") as fh:
        return [Row(_unescape_impermium(r["Comment"]), attack=int(r["Insult"]), source="impermium")
                for r in csv.DictReader(fh)]


def olid_test(root=None) -> list[Row]:
    with open(_root(root) / "olid/test.tsv", encoding="utf-8") as fh:
        return [Row(r["tweet"], abuse=int(r["subtask_a"] == "OFF"), source="olid_test",
                    extra={"a": r["subtask_a"], "b": r["subtask_b"], "c": r["subtask_c"]})
                for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def hatecheck(root=None) -> list[Row]:
    with open(_root(root) / "hatecheck/test_suite_cases.csv", newline="", encoding="utf-8") as fh:
        return [Row(r["test_case"].strip(), abuse=int(r["label_gold"] == "hateful"), source="hatecheck",
                    extra={"functionality": r["functionality"], "target": r["target_ident"]})
                for r in csv.DictReader(fh)]


IDENTITY_TERMS = (
    "lesbian gay bisexual transgender trans queer lgbt lgbtq homosexual straight heterosexual male female "
    "nonbinary african black white european hispanic latino latina latinx mexican canadian american asian "
    "indian chinese japanese christian muslim jewish buddhist catholic protestant sikh taoist old older "
    "young younger teenage millenial elderly blind deaf paralyzed"
).split()
_WORD = re.compile(r"[a-z]+")


def bias_templates(root=None) -> list[Row]:
    rows = []
    with gzip.open(_root(root) / "jigsaw_bias_eval/en_sentence_templates.csv.gz", "rt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            words = set(_WORD.findall(r["phrase"].lower()))
            idents = [t for t in IDENTITY_TERMS if t in words]
            rows.append(Row(r["phrase"], abuse=int(r["toxicity"] == "toxic"), source="bias_templates",
                            extra={"identities": idents}))
    return rows
