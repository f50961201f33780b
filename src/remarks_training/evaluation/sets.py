"""Test sets as rows with context. Official test splits and held-out parts only: nothing here is
trained or tuned on. ``label`` is 1 when the comment breaks the rule the set measures (for the
relevance sets: 1 = off-topic, the direction of the ``offtopic`` score)."""

from __future__ import annotations

import csv
import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

from remarks_training import attack_suite, relevance


@dataclass
class EvalRow:
    text: str
    label: int
    group: str = ""  # functionality, source or article
    ctx: dict = field(default_factory=dict)  # CommentContext keyword arguments besides text


@dataclass
class TestSet:
    name: str
    rule: str  # the check that is measured
    rows: list[EvalRow]
    note: str = ""


def _unescape_impermium(s: str) -> str:
    import codecs

    s = s.strip('"')
    try:
        raw = codecs.escape_decode(s.encode("utf-8"))[0]
    except Exception:  # noqa: BLE001 - a few rows are not valid escapes; keep them as typed
        return s
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _csv(path: Path, **kw) -> list[dict]:
    csv.field_size_limit(10**8)
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, **kw))


def impermium(root: Path) -> TestSet:
    rows = [EvalRow(_unescape_impermium(r["Comment"]), int(r["Insult"]), ctx={"parent_text": ""})
            for r in _csv(root / "impermium_insults/test.csv")]
    return TestSet("impermium", "attack", rows, "official test split; every comment posted as a reply")


def c3(root: Path) -> tuple[TestSet, TestSet]:
    abuse, attack = [], []
    with gzip.open(root / "constructive_comments_c3/C3_anonymized.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            chars = dict((k.strip(), float(v)) for k, _, v in
                         (x.partition(":") for x in r["toxicity_characteristics"].split("\n")) if v.strip())
            n = float(r["njudgements_toxicity_expt"] or 0) or 1.0
            text = r["comment_text"]
            abuse.append(EvalRow(text, int(float(r["crowd_toxicity_level"]) >= 2), r["article_id"]))
            attack.append(EvalRow(text, int(chars.get("personal_attack", 0) >= n / 2), r["article_id"]))
    return (TestSet("c3_abuse", "abuse", abuse, "toxicity level >= 2; never trained on"),
            TestSet("c3_attack", "attack", attack, "personal_attack by >= half the raters; never trained on"))


def jigsaw(root: Path) -> TestSet:
    return TestSet("jigsaw", "abuse", [EvalRow(r["comment_text"], int(r["toxic"]))
                                       for r in _csv(root / "jigsaw_toxic_test_subset/test.csv")])


def olid(root: Path) -> TestSet:
    import csv as _c

    rows = [EvalRow(r["tweet"], int(r["subtask_a"] == "OFF"))
            for r in _csv(root / "olid/test.tsv", delimiter="\t", quoting=_c.QUOTE_NONE)]
    return TestSet("olid_a", "abuse", rows, "official test split, sub-task A")


def hatecheck(root: Path) -> TestSet:
    rows = [EvalRow(r["test_case"].strip(), int(r["label_gold"] == "hateful"), r["functionality"])
            for r in _csv(root / "hatecheck/test_suite_cases.csv")]
    return TestSet("hatecheck", "abuse", rows, "test-only functional suite")


def attack_suite_heldout() -> TestSet:
    rows = []
    for c in attack_suite.cases("heldout"):
        ctx = {"article_title": c["article_title"], "article_body": c["article_body"], "byline": c["byline"],
               "parent_text": c["parent_text"], "participants": tuple(c["participants"])}
        rows.append(EvalRow(c["text"], int(c["attack"]), c["functionality"], ctx))
    return TestSet("attack_suite", "attack", rows, "held-out templates and people of the attack suite")


def _relevance_rows(pairs: list[relevance.Pair]) -> list[EvalRow]:
    from remarks.checks.base import ArticleRef

    stories = {p.article_id: (p.article_title, p.article_body) for p in pairs}
    rows = []
    for p in pairs:
        others = tuple(ArticleRef(k, t, b) for k, (t, b) in stories.items() if k != p.article_id)
        ctx = {"article_id": p.article_id, "article_title": p.article_title, "article_body": p.article_body,
               "parent_text": p.parent, "other_articles": others}
        if p.discussion or p.other_discussions:
            ctx["extras"] = {"discussion": list(p.discussion),
                             "other_discussions": {k: list(v) for k, v in p.other_discussions}}
        rows.append(EvalRow(p.comment, 1 - p.label, p.kind, ctx))
    return rows


def fox_relevance(root: Path) -> TestSet:
    return TestSet("fox_relevance", "offtopic", _relevance_rows(relevance.fox_pairs("heldout", root)),
                   "the four held-out Fox News stories; each comment under its own story and under one of "
                   "another topic; the site's other stories are the other held-out ones")


def written_relevance() -> TestSet:
    return TestSet("written_relevance", "offtopic", _relevance_rows(relevance.written_pairs("heldout")),
                   "nine held-out written stories with hard negatives (shared words, changed subject)")


def all_sets(root: Path) -> dict[str, TestSet]:
    c3_abuse, c3_attack = c3(root)
    sets = [impermium(root), c3_abuse, c3_attack, olid(root), jigsaw(root), hatecheck(root),
            attack_suite_heldout(), fox_relevance(root), written_relevance()]
    return {s.name: s for s in sets}


def dump_counts(sets: dict[str, TestSet]) -> str:
    return json.dumps({k: {"rows": len(s.rows), "positives": sum(r.label for r in s.rows)} for k, s in sets.items()})
