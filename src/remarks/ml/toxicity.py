"""The shipped abuse / attack model: features, prediction and evidence spans.

Two layers, both plain numpy at run time:

1. a hashed TF-IDF of character (2-5, within words) and word (1-2) n-grams of the
   *normalised* text, with one logistic-regression head per rule;
2. a stacked logistic regression per rule over [TF-IDF logits, the Jigsaw BiLSTM's six
   logits, lexicon and targeting features, and (``toxicity-5`` on) one logistic-regression head per rule
   over the comment's sentence vector (ml/embed.py) - the same vector the relevance check reads, computed once
   per comment (:func:`remarks.ml.embed.embed_shared`)] - its output is the calibrated probability.

Evidence: each word of the normalised text is scored alone by the TF-IDF head and looked up
in a lexicon learnt from Toxic Spans train; words over a threshold become spans, mapped back
to the characters as typed. Artifacts: ``artifacts/toxicity.npz`` + ``toxicity.meta.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from remarks.ml import bilstm, embed, store
from remarks.ml.ngrams import HashedTfidf, Rows
from remarks.text.links import mask_links
from remarks.text.normalize import PROFANITY, Normalized, normalize

CHAR_FEATURES = 2**18
WORD_FEATURES = 2**17
_MENTION = re.compile(r"@\w+")
_WORDS = re.compile(r"[a-z][a-z']*")
SECOND_PERSON = frozenset("you your you're youre yours yourself yourselves u ur ya".split())
IDENTITY = frozenset(
    """muslim muslims islam jew jews jewish black blacks gay gays lesbian trans transgender women woman
    immigrant immigrants refugee refugees migrant migrants arab arabs mexican mexicans kurd kurds saudi
    saudis christian christians asian asians african africans roma somali somalis homosexual homosexuals
    disabled blacks white whites latino latinos latina hispanic hispanics indian indians chinese islamic
    lgbt lgbtq queer bisexual catholic catholics sikh sikhs hindu hindus buddhist buddhists kurdish
    palestinian palestinians israeli israelis""".split()
)
DEHUMANISING = frozenset(
    """vermin animals animal rats rat parasites parasite subhuman plague disease cockroaches pigs apes
    savages filth scum trash garbage infestation breed exterminate wiped deport deported hanged gassed""".split()
)
STACK_NAMES = ("tfidf_abuse", "tfidf_attack") + tuple(f"bilstm_{x}" for x in bilstm.LABELS) + (
    "profanity", "identity", "dehumanising", "identity_x_dehumanising", "second_person", "addressed", "length",
    "addressed_x_insult", "addressed_x_abuse", "identity_x_abuse",
)
# The embedding heads' logits, stacked after STACK_NAMES by a model that has them (``emb_abuse_coef`` ...).
EMBEDDING_NAMES = ("emb_abuse", "emb_attack")


def stack_features(tfidf_abuse: np.ndarray, tfidf_attack: np.ndarray, lstm: np.ndarray, lex: np.ndarray,
                   emb: np.ndarray | None = None) -> np.ndarray:
    """The stacker's inputs; products let a linear stacker say 'insulting AND aimed at someone'.
    ``emb``: the embedding heads' logits (n, 2), for a model that has them."""
    lstm_logits = _logit(lstm)
    addressed = lex[:, 5]
    inter = np.column_stack([addressed * np.maximum(lstm_logits[:, 4], 0), addressed * np.maximum(tfidf_abuse, 0),
                             lex[:, 1] * np.maximum(tfidf_abuse, 0)])
    parts = [tfidf_abuse, tfidf_attack, lstm_logits, lex, inter] + ([emb] if emb is not None else [])
    return np.column_stack(parts).astype(np.float32)


_IDENTITY_WORD = re.compile(r"\b(" + "|".join(sorted(IDENTITY, key=len, reverse=True)) + r")\b")


def mask_identities(text: str) -> str:
    """Identity words become one token, so the n-gram heads learn what is said about a group,
    not which group is named (the 'don't punish the topic' requirement)."""
    return _IDENTITY_WORD.sub("grp", text)


def prep(text: str) -> tuple[Normalized, str]:
    """Normalised text, and the same with mentions, links and identity words replaced (for the TF-IDF)."""
    n = normalize(text)
    return n, mask_identities(mask_links(_MENTION.sub(" @user ", n.text)))


SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (split at . ! ? and line ends), blank ones left out."""
    return [m.group().strip() for m in SENTENCE.finditer(text) if m.group().strip()]


def head_logits(vectors: np.ndarray, hidden: tuple[np.ndarray, np.ndarray] | None, coef: np.ndarray,
                intercept: float) -> np.ndarray:
    """An embedding head's logits: a layer of rectified units (``hidden``: weights, biases), if any, then a
    linear logit. The trainer's out-of-fold logits and the shipped model's come from this one function."""
    h = vectors if hidden is None else np.maximum(vectors @ hidden[0] + hidden[1], 0.0)
    return h @ coef + intercept


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


WORD_PATTERN = r"(?u)\b\w[\w']*\b|[!?]"
KEPT_WORD_SCORES = 8192  # words whose evidence logit is kept, per rule (~150 bytes each)


def Featurizer(idf: np.ndarray | None = None) -> HashedTfidf:  # the name the trainer knows
    """The abuse/attack model's n-gram features (see :mod:`remarks.ml.ngrams`)."""
    return HashedTfidf(CHAR_FEATURES, WORD_FEATURES, WORD_PATTERN, lowercase=False, idf=idf)


def lexicon_features(norm_texts: list[str], addressed: list[bool] | None = None) -> np.ndarray:
    out = np.zeros((len(norm_texts), 7), dtype=np.float32)
    for i, t in enumerate(norm_texts):
        words = _WORDS.findall(t)
        w = set(words)
        prof = sum(x in PROFANITY for x in words)
        ident = bool(w & IDENTITY)
        dehum = bool(w & DEHUMANISING)
        second = any(x in SECOND_PERSON for x in words)
        addr = second or "@user" in t or bool(addressed and addressed[i])
        out[i] = (min(prof, 3), ident, dehum, ident and dehum, second, addr, np.log1p(len(words)))
    return out


@dataclass
class Prediction:
    abuse: np.ndarray  # (n,) calibrated probabilities
    attack: np.ndarray
    bilstm: np.ndarray  # (n, 6)
    features: np.ndarray  # (n, len(STACK_NAMES))
    normalized: list[Normalized]


class ToxicityModel:
    def __init__(self, arrays: dict[str, np.ndarray], meta: dict) -> None:
        self.featurizer = Featurizer(arrays["idf"].astype(np.float32))
        self.heads = {r: (arrays[f"{r}_coef"].astype(np.float32), float(arrays[f"{r}_intercept"][0]))
                      for r in ("abuse", "attack")}
        self.stack = {r: (arrays[f"stack_{r}_coef"], float(arrays[f"stack_{r}_intercept"][0]),
                          arrays["stack_mean"], arrays["stack_scale"]) for r in ("abuse", "attack")}
        # One head per rule over the sentence embedding (absent from models before toxicity-5): a hidden
        # layer of rectified units (``emb_{rule}_hidden_w`` / ``_b``, if present), then a logit.
        self.embedding_heads = {
            r: ((arrays[f"emb_{r}_hidden_w"].astype(np.float32), arrays[f"emb_{r}_hidden_b"].astype(np.float32))
                if f"emb_{r}_hidden_w" in arrays else None,
                arrays[f"emb_{r}_coef"].astype(np.float32), float(arrays[f"emb_{r}_intercept"][0]))
            for r in ("abuse", "attack") if f"emb_{r}_coef" in arrays}
        self.stack_names = STACK_NAMES + (EMBEDDING_NAMES if self.embedding_heads else ())
        self.lexicon: dict[str, float] = meta.get("span_lexicon", {})
        self.span_params = meta.get("span_params", {"lexicon": 0.5, "logit": 1.0})
        self.meta = meta
        self.bilstm = bilstm.load()
        self._word_scores: dict[str, dict[str, float]] = {}  # rule -> word -> logit (evidence)

    def tfidf_logits(self, x: Rows) -> dict[str, np.ndarray]:
        return {r: x @ c + b for r, (c, b) in self.heads.items()}

    def predict(self, texts: list[str], addressed: list[bool] | None = None, *, by_sentence: bool = False,
                vectors: np.ndarray | None = None) -> Prediction:
        """``by_sentence``: a comment of several sentences gets as its attack score the mean of its own and
        its worst sentence's, so one insult in a long, otherwise civil comment is not diluted (validation
        attack AUC 0.824 -> 0.830; abuse unchanged, so it stays whole). ``vectors``: the texts' sentence
        embeddings, if the caller has them (else, for a model with embedding heads, they are computed)."""
        if self.embedding_heads and vectors is None:
            vectors = embed.embed_shared(texts)
        pred = self._predict(texts, addressed, vectors)
        if by_sentence:
            pred.attack = (pred.attack + self._worst_sentence(texts, addressed, pred.attack, vectors)) / 2
        return pred

    def _worst_sentence(self, texts: list[str], addressed: list[bool] | None, whole: np.ndarray,
                        vectors: np.ndarray | None) -> np.ndarray:
        """Each sentence is read with its comment's embedding (one embedding pass per comment)."""
        worst = whole.copy()
        parts, owner = [], []
        for i, t in enumerate(texts):
            found = sentences(t)
            if len(found) > 1:
                parts += found
                owner += [i] * len(found)
        if parts:
            attack = self._predict(parts, [addressed[i] for i in owner] if addressed else None,
                                   vectors[owner] if vectors is not None else None).attack
            idx = np.array(owner)
            worst[idx] = 0.0
            np.maximum.at(worst, idx, attack)
        return worst

    def embedding_logits(self, vectors: np.ndarray) -> np.ndarray:
        """(n, 2): the abuse and attack heads over the sentence embeddings."""
        return np.column_stack([head_logits(vectors, *head) for head in self.embedding_heads.values()])

    def _predict(self, texts: list[str], addressed: list[bool] | None = None,
                 vectors: np.ndarray | None = None) -> Prediction:
        prepped = [prep(t) for t in texts]
        norm = [p[0] for p in prepped]
        x = self.featurizer.rows([p[1] for p in prepped])
        logits = self.tfidf_logits(x)
        lstm = self.bilstm.predict([n.text for n in norm])
        emb = self.embedding_logits(vectors) if self.embedding_heads else None
        feats = stack_features(logits["abuse"], logits["attack"], lstm,
                               lexicon_features([n.text for n in norm], addressed), emb)
        probs = {}
        for rule, (coef, b, mean, scale) in self.stack.items():
            z = ((feats - mean) / scale) @ coef + b
            probs[rule] = 1.0 / (1.0 + np.exp(-z))
        return Prediction(probs["abuse"], probs["attack"], lstm, feats, norm)

    def word_scores(self, n: Normalized, rule: str = "abuse") -> list[tuple[int, int, str, float]]:
        """(start, end) in the normalised text, the word, and its TF-IDF logit scored alone (a word's row
        does not depend on the other rows: each word is scored once and kept, up to ``KEPT_WORD_SCORES``)."""
        spans = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[\w$@*']+", n.text)]
        if not spans:
            return []
        kept = self._word_scores.setdefault(rule, {})
        new = list(dict.fromkeys(w for _, _, w in spans if w not in kept))
        if new:
            coef, b = self.heads[rule]
            z = self.featurizer.rows([mask_identities(w) for w in new]) @ coef + b
            found = dict(zip(new, map(float, z)))
            kept.update(list(found.items())[: max(0, KEPT_WORD_SCORES - len(kept))])
        else:
            found = {}
        return [(s, e, w, kept[w] if w in kept else found[w]) for s, e, w in spans]

    def evidence(self, n: Normalized, rule: str = "abuse") -> list[tuple[int, int, float]]:
        """Character spans of the ORIGINAL text that drove the score, with a weight in [0, 1]."""
        lex_t, logit_t = self.span_params["lexicon"], self.span_params["logit"]
        out = []
        scored = self.word_scores(n, rule)
        group = any(w in IDENTITY for _, _, w, _ in scored)
        for s, e, w, z in scored:
            if w in IDENTITY:
                continue  # the group named is the target, not the abuse
            lex = self.lexicon.get(w.strip("'"))
            hit = lex >= lex_t if lex is not None else z >= logit_t
            if hit or (group and w in DEHUMANISING):
                a, b = n.to_original(s, e)
                out.append((a, b, round(1.0 / (1.0 + np.exp(-z)), 3)))
        return out


@cache
def version() -> str:
    """The shipped model's version (its meta file's ``version``; ``toxicity-1`` before it had one)."""
    return store.meta("toxicity.npz").get("version", "toxicity-1")


@cache
def load() -> ToxicityModel:
    return ToxicityModel(store.load_npz("toxicity.npz"), store.meta("toxicity.npz"))
