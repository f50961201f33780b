"""The relevance check ("Keep comments relevant to the article"): how far a comment is from its
article — and, for a reply, from the comment it answers — in sentence-embedding space, against
the site's other recent stories and generic comment talk. A small logistic regression turns the
similarities into a probability that the comment is off-topic; once other people have commented under
the story, also how close the comment is to what they said (the discussion). With the fine-tuned encoder file,
the score is the encoder's (article, comment) pair head - trained on comments under their own and
other articles, hard negatives that share the article's words, and replies - stacked with that older
probability where the validation data said it adds (:mod:`remarks.ml.stack`); the closest sentence
and the "closer to another story" evidence still come from the similarities.

Article vectors are computed once per article version and kept in the pipeline's memory (the site's
database, or the archive run's dictionary): ``provide`` hands them to ``score`` in ``ctx.extras``, with
the texts of the discussion (``Memory.discussions``)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from remarks.checks.attack import pair_context
from remarks.checks.base import ArticleRef, Check, CheckResult, CommentContext
from remarks.ml import encoder, multilingual, stack, store
from remarks.ml.embed import DIM, VERSION, embed, embed_shared
from remarks.text.languages import language_of
from remarks.text.overlap import Idf, content_words

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
SHORT_WORDS = 5
# What a comment says when it says nothing about any story: "generic comment text".
GENERIC = ["Agreed.", "Thanks for sharing.", "Great article.", "I disagree.", "Well said.", "So true.",
           "This is ridiculous.", "Who cares?", "First!", "LOL", "Nice.", "Interesting.", "Source?",
           "Check out my channel", "Please subscribe", "Happy birthday to my mom"]
FEATURES = ["best_sentence", "title", "article", "parent", "has_parent", "short", "other_margin", "generic",
            "sentence_margin", "title_margin", "words", "words_margin",
            "has_discussion", "discussion_closest", "discussion_centroid", "discussion_margin"]
IDF_FILE = "offtopic_idf.json"  # document frequencies of words in news comments (see remarks.text.overlap)
VERSION_LABEL = "offtopic-9"
# The discussion: the latest comments other people posted under the story (``Memory.discussions``). A story's
# title and standfirst say little; what its readers talk about says more. Read: the mean similarity of the
# DISCUSSION_CLOSEST closest of them, the similarity to their centroid, and how much closer it is to this
# discussion than to the discussions under the site's other stories.
DISCUSSION = 10
DISCUSSION_CLOSEST = 3


@dataclass
class ArticleVectors:
    sentences: list[str]
    vectors: np.ndarray  # (n, DIM): the title first, then each sentence
    centroid: np.ndarray

    @cached_property
    def words(self) -> frozenset[str]:
        """The story's content words (title and sentences), for the shared-words features."""
        return content_words(" ".join(self.sentences))

    def to_bytes(self) -> bytes:
        head = json.dumps({"v": VERSION, "sentences": self.sentences}).encode()
        return len(head).to_bytes(4, "little") + head + self.vectors.astype("<f4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "ArticleVectors":
        n = int.from_bytes(data[:4], "little")
        head = json.loads(data[4:4 + n])
        vecs = np.frombuffer(data[4 + n:], dtype="<f4").reshape(-1, DIM)
        return cls(head["sentences"], vecs, _unit(vecs.mean(axis=0)))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-9)


def split_sentences(title: str, body: str, limit: int = 60) -> list[str]:
    parts = [title.strip()] + [s.strip() for s in _SENTENCE.split(body or "") if len(s.strip()) > 20]
    return [p for p in parts if p][:limit] or [title or " "]


def article_vectors(title: str, body: str) -> ArticleVectors:
    sentences = split_sentences(title, body)
    vecs = embed(sentences)
    return ArticleVectors(sentences, vecs, _unit(vecs.mean(axis=0)))


def article_key(title: str, body: str) -> str:
    return hashlib.sha256(f"{VERSION}\n{title}\n{body}".encode()).hexdigest()[:32]


@cache
def _generic() -> np.ndarray:
    return embed(GENERIC)


@cache
def idf() -> Idf:
    return Idf(store.load_json(IDF_FILE))


@cache
def _weights() -> tuple[np.ndarray, float]:
    data = store.load_json("offtopic.json")
    return np.array(data["coef"]), float(data["intercept"])


def discussion_features(comment: np.ndarray, discussion: np.ndarray | None) -> tuple[float, float, float]:
    """(1 if there is a discussion, mean similarity of its closest comments, similarity to its centroid)."""
    if discussion is None or not len(discussion):
        return 0.0, 0.0, 0.0
    sims = np.sort(discussion @ comment)[::-1]
    return 1.0, float(sims[:DISCUSSION_CLOSEST].mean()), float(_unit(discussion.mean(axis=0)) @ comment)


def feature_row(comment: np.ndarray, words: int, art: ArticleVectors, parent: np.ndarray | None,
                others: list[ArticleVectors], comment_words: frozenset[str] = frozenset(),
                discussion: np.ndarray | None = None,
                other_discussions: Sequence[np.ndarray | None] = ()) -> tuple[np.ndarray, dict]:
    """The model's inputs: similarities of the comment's vector to the story, its parent, the other
    stories, generic talk and the story's discussion (``discussion``: the vectors of other people's
    comments under it; ``other_discussions``: under each of ``others``, None where there is none); and
    the rare words ``comment_words`` shares with the story and the others."""
    sims = art.vectors @ comment
    best = int(np.argmax(sims))
    article_sim = float(art.centroid @ comment)
    other_sims = [(float(o.centroid @ comment), i) for i, o in enumerate(others)]
    best_other = max(other_sims, default=(0.0, -1))
    other_sentence = max((float(np.max(o.vectors @ comment)) for o in others), default=0.0)
    other_title = max((float(o.vectors[0] @ comment) for o in others), default=0.0)
    shared = idf().overlap(comment_words, art.words)
    talk = discussion_features(comment, discussion)
    elsewhere = max(((discussion_features(comment, d)[1], i) for i, d in enumerate(other_discussions)
                     if d is not None and len(d)), default=None)
    row = np.array([
        float(sims[best]), float(sims[0]), article_sim,
        float(parent @ comment) if parent is not None else 0.0,
        1.0 if parent is not None else 0.0,
        1.0 if words <= SHORT_WORDS else 0.0,
        article_sim - best_other[0] if others else 0.0,
        float(np.max(_generic() @ comment)),
        float(sims[best]) - other_sentence if others else 0.0,
        float(sims[0]) - other_title if others else 0.0,
        shared,
        shared - max((idf().overlap(comment_words, o.words) for o in others), default=0.0),
        *talk,
        talk[1] - elsewhere[0] if talk[0] and elsewhere is not None else 0.0,
    ])
    info = {"closest_sentence": art.sentences[best], "similarity": round(float(sims[best]), 3),
            "article_similarity": round(article_sim, 3), "other_index": best_other[1] if others else -1,
            "other_similarity": round(best_other[0], 3),
            "other_discussion": (elsewhere[1], round(elsewhere[0], 3)) if elsewhere is not None else None}
    return row, info


def probability(rows: np.ndarray) -> np.ndarray:
    coef, intercept = _weights()
    return 1 / (1 + np.exp(-(rows @ coef + intercept)))


def _stacked() -> dict | None:
    return encoder.meta()["stack"].get("offtopic") if encoder.in_checks() else None


def _short_reply(ctx: CommentContext) -> bool:
    """'Agreed.', 'Source?': a reply this short is scored by the comment it answers."""
    return bool(ctx.parent_text) and len(ctx.text.split()) <= SHORT_WORDS


def _talk(ctx: CommentContext) -> list[list[str]]:
    """The discussion's texts under the comment's story, then under each of its other stories (in
    ``ctx.other_articles``' order), as ``provide`` found them; the latest ``DISCUSSION`` of each."""
    extras = ctx.extras or {}
    elsewhere = extras.get("other_discussions") or {}
    return [list(texts or ())[-DISCUSSION:] for texts in
            [extras.get("discussion"), *(elsewhere.get(o.id) for o in ctx.other_articles)]]


def _split(discussions: list | None) -> tuple:
    return (discussions[0], discussions[1:]) if discussions else (None, ())


class OfftopicCheck(Check):
    rule = "offtopic"
    memory_uses = frozenset({"cached", "discussion"})

    @property
    def version(self) -> str:  # type: ignore[override]
        return f"{VERSION_LABEL}-encoder-{encoder.meta().get('sha256', '')[:8]}" if _stacked() else VERSION_LABEL

    def __init__(self, *, cache_size: int = 256) -> None:
        self.cache_size = cache_size
        self._cache: OrderedDict[str, ArticleVectors] = OrderedDict()

    def _article(self, title: str, body: str, given: bytes | None = None) -> ArticleVectors:
        if given:
            return ArticleVectors.from_bytes(given)
        key = article_key(title, body)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        vec = article_vectors(title, body)
        self._cache[key] = vec
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return vec

    def provide(self, ctx: CommentContext, memory) -> dict:
        """The article's and the other stories' vectors, computed once per version of their text."""
        if not (ctx.article_title or ctx.article_body):
            return {}

        def vectors(title: str, body: str) -> bytes:
            return memory.cached("offtopic:article-vectors", article_key(title, body),
                                 lambda: article_vectors(title, body).to_bytes())

        # One read for the story and the others (on the site, one statement)
        talk = memory.discussions([a for a in (ctx.article_id, *(o.id for o in ctx.other_articles)) if a],
                                  ctx.author, DISCUSSION)
        return {"discussion": talk.get(ctx.article_id, []),
                "other_discussions": {o.id: talk.get(o.id, []) for o in ctx.other_articles},
                "article_vectors": vectors(ctx.article_title, ctx.article_body),
                "other_article_vectors": {o.id: vectors(o.title, o.body) for o in ctx.other_articles}}

    def score(self, ctx: CommentContext) -> CheckResult:
        return self.score_batch([ctx])[0]

    def score_batch(self, ctxs: Sequence[CommentContext]) -> list[CheckResult]:
        if not ctxs:
            return []
        langs = [language_of(c.text).language for c in ctxs]
        if any(lang != "en" for lang in langs):
            # Comments in other languages: the multilingual model (loaded only now); English as below.
            english = iter(self.score_batch([c for c, lang in zip(ctxs, langs) if lang == "en"]))
            return [next(english) if lang == "en" else self._other_language(c, lang) for c, lang in zip(ctxs, langs)]
        # Each comment is embedded once (the abuse/attack model reads the same vector: embed_shared), parents
        # with it in the same batch; only the vectors a score reads (none without an article; a short reply's
        # own vector is not read).
        read = [i for i, c in enumerate(ctxs) if c.article_title or c.article_body]
        own = [i for i in read if not _short_reply(ctxs[i])]
        parents = [i for i in read if ctxs[i].parent_text]
        # The discussion's comments too: under one story they are mostly the same texts (and the vectors
        # of recent comments are kept by embed_shared), so a batch embeds each once.
        talk = {i: _talk(ctxs[i]) for i in read}
        said = list(dict.fromkeys(t for i in read for texts in talk[i] for t in texts))
        vecs = embed_shared([ctxs[i].text for i in own] + [ctxs[i].parent_text for i in parents] + said)
        comment_vecs, parent_vecs = dict(zip(own, vecs[: len(own)])), dict(zip(parents, vecs[len(own):]))
        said_vecs = dict(zip(said, vecs[len(own) + len(parents):]))
        discussions = {i: [np.stack([said_vecs[t] for t in texts]) if texts else None for texts in talk[i]]
                       for i in read}
        out = [self._one(ctx, comment_vecs.get(i), parent_vecs.get(i), *_split(discussions.get(i)))
               for i, ctx in enumerate(ctxs)]
        spec = _stacked()
        if spec is None or not read:
            return out
        pairs = encoder.load().predict_pairs([pair_context(ctxs[i]) for i in read], [ctxs[i].text for i in read])
        for i, pair in zip(read, pairs, strict=True):
            old = out[i]
            p = stack.apply(spec, stack.features({}, pair.probs, old={"offtopic": old.score}))
            labels = {**old.labels, "encoder": round(pair.probs["offtopic"], 4), "similarity_model": old.score}
            out[i] = CheckResult(self.rule, round(min(max(p, 0.0), 1.0), 4), self.version, details=old.details,
                                 labels=labels)
        return out

    def _other_language(self, ctx: CommentContext, lang: str) -> CheckResult:
        """Relevance of a comment not in English, from multilingual-e5-small similarities."""
        version = "offtopic-e5-1"
        if not (ctx.article_title or ctx.article_body):
            return CheckResult(self.rule, 0.0, version, details={"note": "no article text to compare with"})

        def passages(title: str, body: str) -> tuple[list[str], np.ndarray]:
            sentences = split_sentences(title, body)
            return sentences, multilingual.article_passages(article_key(title, body), sentences)

        sentences, own = passages(ctx.article_title, ctx.article_body)
        q = multilingual.queries([ctx.text])[0]
        sims = own @ q
        best_i = int(np.argmax(sims))
        best = float(sims[best_i])
        if ctx.parent_text:
            best = max(best, float(multilingual.passages([ctx.parent_text])[0] @ q))
        other = max((float(np.max(passages(o.title, o.body)[1] @ q)) for o in ctx.other_articles), default=None)
        p = multilingual.offtopic_probability(best, other)
        details = {"language": lang, "model": multilingual.MODEL, "closest_sentence": sentences[best_i],
                   "similarity": round(best, 3)}
        if other is not None:
            details["other_similarity"] = round(other, 3)
        return CheckResult(self.rule, round(p, 4), version, details=details, labels={"similarity": round(best, 3)})

    def _one(self, ctx: CommentContext, cv: np.ndarray | None, pv: np.ndarray | None,
             discussion: np.ndarray | None = None, other_discussions: Sequence[np.ndarray | None] = ()) -> CheckResult:
        if not (ctx.article_title or ctx.article_body):
            return CheckResult(self.rule, 0.0, self.version, details={"note": "no article text to compare with"})
        extras = ctx.extras or {}
        art = self._article(ctx.article_title, ctx.article_body, extras.get("article_vectors"))
        given_others = extras.get("other_article_vectors") or {}
        others_refs: list[ArticleRef] = list(ctx.other_articles)
        others = [self._article(o.title, o.body, given_others.get(o.id)) for o in others_refs]
        words = len(ctx.text.split())
        short_reply = _short_reply(ctx)
        if short_reply:
            # "Agreed." and "Source?" say little themselves: they are as relevant as what they answer.
            row, info = feature_row(pv, SHORT_WORDS + 1, art, None, others, content_words(ctx.parent_text or ""),
                                    discussion, other_discussions)
        else:
            row, info = feature_row(cv, words, art, pv, others, content_words(ctx.text), discussion,
                                    other_discussions)
        p = float(probability(row[None, :])[0])
        details = {"closest_sentence": info["closest_sentence"], "similarity": info["similarity"],
                   "article_similarity": info["article_similarity"]}
        if short_reply:
            details["note"] = "a short reply: relevance taken from the comment it answers"
        elif pv is not None:
            details["parent_similarity"] = round(float(row[3]), 3)
        if discussion is not None:
            closest = round(float(row[FEATURES.index("discussion_closest")]), 3)
            details["discussion"] = {"comments": len(discussion), "closest_similarity": closest}
            if info["other_discussion"] is not None and info["other_discussion"][1] > closest:
                o = others_refs[info["other_discussion"][0]]
                details["discussion"]["closer_to"] = {"article_id": o.id, "title": o.title,
                                                      "similarity": info["other_discussion"][1]}
        if others and info["other_index"] >= 0 and info["other_similarity"] > info["article_similarity"]:
            o = others_refs[info["other_index"]]
            details["closer_to"] = {"article_id": o.id, "title": o.title, "similarity": info["other_similarity"]}
        return CheckResult(self.rule, round(min(max(p, 0.0), 1.0), 4), self.version, details=details,
                           labels={"article_similarity": info["article_similarity"]})
