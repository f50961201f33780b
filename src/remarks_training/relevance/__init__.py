"""Relevance training and evaluation pairs: (article, comment, label), label 1 = on the article's topic.

Two sources, both split by ARTICLE (a held-out article's comments are never trained on):

- ``articles.jsonl`` in this folder: short news stories written for remarks (title + 2-4 sentence
  body, 46 stories, 22 hard-negative pairs that share words but not a topic: "bank" rates / river
  bank, Apple phone / apple harvest, a market bombing / a farmers' market ...), each with comments
  of five kinds: ``on_topic`` and ``reply_inherits`` (a short reply that keeps the thread's topic)
  are relevant; ``shares_words`` (uses the article's words about something else), ``reply_changes``
  (a reply that changes the subject) and ``generic_off`` are not. Split ``train`` (27 stories) may be
  trained on; ``valid`` (10) is for the relevance calibrator and operating point only and is never
  trained on; ``heldout`` (9) is the test split.
- Fox News comments (MIT) with their article's title + meta description: positives with their own
  article, negatives with an article of a different topic. Four of the ten articles are held out; two
  of the other six (``FOX_VALID``) are the Fox News part of ``valid``.

    from remarks_training import relevance
    relevance.pairs("train", datasets_root)     # written + Fox News: the only split to train on
    relevance.pairs("valid", datasets_root)     # calibrate only: written validation stories + FOX_VALID
    relevance.pairs("heldout", datasets_root)   # evaluate only
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from remarks.checks.offtopic import DISCUSSION

DATA = Path(__file__).with_name("articles.jsonl")
# "valid": written stories no model trains on (the relevance calibrator and operating point only);
# "heldout": the test split. Only "train" may be trained on.
SPLITS = ("train", "valid", "heldout")
RELEVANT_KINDS = {"on_topic": 1, "reply_inherits": 1, "shares_words": 0, "reply_changes": 0, "generic_off": 0}

# The ten Fox News stories by topic (title prefix -> topic); negatives pair a comment only with a story of
# another topic. The held-out four are never trained on.
FOX_TOPICS = {
    "German lawmakers approve": "sexual_violence_law",
    "Texas, 12 states": "lgbt",
    "Navy names ship after": "lgbt",
    "ICE program failing": "immigration",
    "First lady Obama": "election",
    "Confederate flag debate": "race",
    "Black Lives Matter must": "race",
    "Fury as feminist blames": "race",
    "Supreme Court has spoken": "education",
    "States moving to restore": "welfare",
}
FOX_HELDOUT = ("Navy names ship after", "States moving to restore", "Confederate flag debate", "German lawmakers approve")
# Two of the six training stories the relevance model is not fitted on: real comments for its calibrator
# and operating point (the written stories alone are far easier than a comment section: validation AUC
# 0.995 against 0.78 across Fox News stories). Picked by rule, not by result: the two training stories
# of different topics whose titles have the smallest sha256.
FOX_VALID = ("Texas, 12 states", "Fury as feminist blames")


@dataclass(frozen=True)
class Pair:
    article_title: str
    article_body: str
    comment: str
    parent: str | None  # the comment replied to, when the comment is a reply
    label: int  # 1 relevant to this article, 0 not
    kind: str  # on_topic, reply_inherits, shares_words, reply_changes, generic_off, hard_negative, other_topic, fox_own, fox_other
    source: str  # "written" or "fox"
    article_id: str
    split: str
    # What other people had said under ``article_id`` before this comment (the check's discussion), oldest first.
    discussion: tuple[str, ...] = ()
    # And under each of the split's other stories at the same moment: (article_id, texts) pairs.
    other_discussions: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def as_dict(self) -> dict:
        return asdict(self)


def articles(split: str | None = None, path: Path = DATA) -> list[dict]:
    """The written stories of ``split`` (None: every split, "valid" and "heldout" included: never to train on)."""
    _check(split)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def _check(split: str | None) -> None:
    if split not in (None, *SPLITS):
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")


def written_pairs(split: str, seed: int = 13) -> list[Pair]:
    """Every written comment under its own article (labelled by kind), every on-topic comment under its
    hard-negative partner (0, ``hard_negative``) and under one article of another topic (0, ``other_topic``)."""
    _check(split)
    arts = articles(split)
    by_id = {a["id"]: a for a in arts}
    rnd = random.Random(seed)
    out: list[Pair] = []
    for a in arts:
        others = [o for o in arts if o["topic"] != a["topic"] and o["id"] != a["pair"]]
        for kind, text, *parent in a["comments"]:
            par = parent[0] if parent else None
            out.append(Pair(a["title"], a["body"], text, par, RELEVANT_KINDS[kind], kind, "written", a["id"], split))
            if RELEVANT_KINDS[kind] == 1 and kind == "on_topic":
                if a["pair"]:
                    b = by_id[a["pair"]]
                    out.append(Pair(b["title"], b["body"], text, None, 0, "hard_negative", "written", b["id"], split))
                o = rnd.choice(others)
                out.append(Pair(o["title"], o["body"], text, None, 0, "other_topic", "written", o["id"], split))
    return out


def _fox_topic(title: str) -> str:
    for prefix, topic in FOX_TOPICS.items():
        if title.startswith(prefix):
            return topic
    raise ValueError(f"Fox News article without a topic: {title!r}")


def fox_split(title: str) -> str:
    return "heldout" if title.startswith(FOX_HELDOUT) else "train"


def earlier(thread: list[dict], before: int, author: str) -> list[dict]:
    """The discussion a Fox News comment meets at place ``before`` of its story's comments (``thread``, in
    the file's order): the latest ``DISCUSSION`` before it by anyone but ``author``, as ``Memory.discussions``."""
    return [o for o in thread[:before] if o["user"] != author][-DISCUSSION:]


def fox_pairs(split: str, root: str | Path | None = None, seed: int = 13) -> list[Pair]:
    """Fox News comments (``root`` or $REMARKS_DATASETS is the shared datasets folder) of the split's articles with their own article (1, ``fox_own``) and with one
    article of another topic from the same split (0, ``fox_other``). Comments of one word or fewer
    than 3 characters are skipped. ``split`` "valid" is the training split's ``FOX_VALID`` stories.
    Each pair carries the discussion the comment would meet under that story at its place in the file's
    order (the comments before it there by other people; under another story, as many as it has), and the
    discussions under the split's other stories at that moment."""
    _check(split)
    base = Path(root or os.environ.get("REMARKS_DATASETS", ""))
    path = base / "fox_news_comments" / "fox-news-comments.jsonl"
    if not path.is_file():
        raise FileNotFoundError(path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # Each story's comments in the file's order (a thread's order): the discussion a comment meets.
    thread: dict[str, list[dict]] = {}
    place: dict[int, int] = {}
    for r in rows:
        if r["text"].strip():
            place[id(r)] = len(thread.setdefault(r["title"], []))
            thread[r["title"]].append(r)

    def talk(title: str, before: int, author: str) -> tuple[str, ...]:
        return tuple(o["text"] for o in earlier(thread[title], before, author))

    if split == "valid":
        rows = [r for r in rows if r["title"].startswith(FOX_VALID) and len(r["text"].split()) > 1]
    else:
        rows = [r for r in rows if fox_split(r["title"]) == split and len(r["text"].split()) > 1]
    stories = {r["title"]: r["meta"] for r in rows}
    rnd = random.Random(seed)
    out: list[Pair] = []
    for r in rows:
        topic = _fox_topic(r["title"])
        other = rnd.choice(sorted(t for t in stories if _fox_topic(t) != topic))
        at = place[id(r)]
        now = {t: talk(t, min(at, len(thread[t])), r["user"]) for t in sorted(stories)}
        for title, label, kind in ((r["title"], 1, "fox_own"), (other, 0, "fox_other")):
            out.append(Pair(title, stories[title], r["text"], None, label, kind, "fox", title, split, now[title],
                            tuple((t, texts) for t, texts in now.items() if t != title)))
    return out


def pairs(split: str, root: str | Path | None = None) -> list[Pair]:
    """Written pairs + Fox News pairs of one split ("valid": the written validation stories and ``FOX_VALID``)."""
    return written_pairs(split) + fox_pairs(split, root)
