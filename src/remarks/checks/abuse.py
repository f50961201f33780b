"""The trained ``abuse`` check: abusive or obscene language, threats, dehumanising hate.

Scores come from the fine-tuned encoder (:mod:`remarks.ml.encoder`, one pass per comment shared
with the attack and promotion checks), stacked with the older parts only where the validation data
said they add (:mod:`remarks.ml.stack`). Without the encoder file the older model
(:mod:`remarks.ml.toxicity`: hashed n-gram TF-IDF heads + the Jigsaw BiLSTM) scores alone.
Evidence spans come from the older model's word scores on the normalised text (so ``f*ck`` and
``fuuuck`` count), pointing at the characters as typed. Sub-labels: obscene, threat, identity_hate,
insult.

Words the comment quotes or refers to in order to condemn them, and insults it negates
(:mod:`remarks.text.counter`: 'Stop calling refugees vermin.', 'They are not terrorists.') are set aside
before the models read it, for this check and the attack check alike, and marked for the moderator as
not counted.

An explicit threat of violence (:mod:`remarks.text.threats`: announced, wished, called for, deserved, extermination)
puts the comment at a calibrated ``THREAT_PROBABILITY`` at least (``CheckResult.floor``, applied after
calibration), above the hold threshold and below removal: a
moderator sees it with the threatening words marked, whatever the models scored. Hate against a group in
ordinary words (:mod:`remarks.text.group_hate`: a group dehumanised, generalised as criminal, told to go
back, said not to be trusted) puts it at ``GROUP_HATE_PROBABILITY`` at least, likewise a hold, not a removal.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from remarks.checks import other_languages
from remarks.checks.base import Check, CheckResult, CommentContext, Span
from remarks.ml import encoder, stack, toxicity
from remarks.text.counter import LABELS, Mention, find_set_aside, set_aside
from remarks.text.languages import coverage, language_of
from remarks.text.group_hate import GroupHate, find_group_hate
from remarks.text.threats import Threat, find_threats

# Spans are computed only for comments this likely to be flagged: they cost a second pass.
EVIDENCE_FROM = 0.25
# The calibrated probability an explicit threat is given at least: above the default hold threshold, below removal (0.95).
THREAT_PROBABILITY = 0.9
THREATS_VERSION = "threats-7"  # part of the check's version: the patterns change what it scores
GROUP_HATE_PROBABILITY = 0.8
GROUP_HATE_VERSION = "grouphate-2"  # likewise for the group-hate patterns (the abuse check only)
SENTENCES_VERSION = "sentences-1"  # the attack check's n-gram score: the comment's and its worst sentence's
COUNTER_VERSION = "counter-6"  # likewise for the abuse and attack checks: what is set aside as counter-speech
_CACHE: OrderedDict[tuple[str, bool], dict] = OrderedDict()
_CACHE_SIZE = 2048


def addressed(ctx: CommentContext) -> bool:
    """Does the comment name someone in the conversation (a participant, the byline, an @handle)?"""
    names = [n for n in (*ctx.participants, ctx.byline) if n and len(n) >= 3]
    low = ctx.text.lower()
    return "@" in ctx.text or any(re.search(r"\b" + re.escape(n.lower()) + r"\b", low) for n in names)


@lru_cache(maxsize=4096)
def mentions(text: str) -> tuple[Mention, ...]:
    """What ``text`` quotes or refers to in order to condemn it, and insults it negates
    (see :mod:`remarks.text.counter`)."""
    return tuple(find_set_aside(text))


def read_text(text: str) -> str:
    """The text the models read: the comment with condemned mentions set aside (same length)."""
    found = mentions(text)
    return set_aside(text, list(found)) if found else text


def mention_evidence(text: str) -> tuple[tuple[Span, ...], list[dict]]:
    """Spans and details of the words set aside, for the moderator."""
    found = mentions(text)
    return (tuple(Span(m.start, m.end, LABELS[m.kind], 0.0) for m in found),
            [{"kind": m.kind, "words": m.text(text)} for m in found])


def threats_read(out: dict) -> tuple[Threat, ...]:
    """The explicit threats in the text the models read (:func:`read_text`: a threat quoted or referred to in
    order to condemn it is set aside), for the abuse and the attack check alike."""
    return find_threats(out["normalized"].original)


def group_hate_read(out: dict) -> tuple[GroupHate, ...]:
    """Hate against a group in the text the models read (a sentence negated or quoted to condemn it is set aside)."""
    return find_group_hate(out["normalized"].original)


def threat_evidence(threats: Sequence[Threat], text: str) -> tuple[tuple[Span, ...], list[dict]]:
    """Spans and details of the explicit threats found (:mod:`remarks.text.threats`), for the moderator."""
    return (tuple(Span(t.start, t.end, "threat", 1.0) for t in threats),
            [{"kind": t.kind, "words": t.text(text)} for t in threats])


def uses_encoder() -> bool:
    """The abuse and attack checks share one prediction: the encoder's, when it is on and has a stacker
    for both rules (a rule it did not beat on validation keeps the previous model)."""
    return encoder.in_checks() and {"abuse", "attack"} <= set(encoder.meta()["stack"])


def _needed(prefix: str) -> bool:
    specs = encoder.meta()["stack"]
    return any(f.startswith(prefix) for rule in ("abuse", "attack") for f in specs[rule]["features"])


def _predict_encoder(texts: list[str]) -> list[dict]:
    specs = encoder.meta()["stack"]
    outs = encoder.load().predict(texts)
    old = toxicity.load().predict(texts) if _needed("old_") else None
    norms = old.normalized if old is not None else [toxicity.prep(t)[0] for t in texts]
    lstm = old.bilstm if old is not None else (
        toxicity.bilstm.load().predict([n.text for n in norms]) if _needed("bilstm_") else None)
    result = []
    for i, out in enumerate(outs):
        lstm_i = dict(zip(toxicity.bilstm.LABELS, map(float, lstm[i]))) if lstm is not None else None
        prev = {"abuse": float(old.abuse[i]), "attack": float(old.attack[i])} if old is not None else None
        feats = stack.features(out.probs, bilstm=lstm_i, words=toxicity._WORDS.findall(norms[i].text), old=prev)
        result.append({"abuse": stack.apply(specs["abuse"], feats), "attack": stack.apply(specs["attack"], feats),
                       "encoder": out.probs, "bilstm": lstm_i, "normalized": norms[i]})
    return result


def _predict_old(texts: list[str], addressed_: list[bool]) -> list[dict]:
    model = toxicity.load()
    pred = model.predict(texts, addressed_, by_sentence=True)  # embeds the texts (shared with relevance)
    return [{"abuse": float(pred.abuse[i]), "attack": float(pred.attack[i]),
             "bilstm": dict(zip(toxicity.bilstm.LABELS, pred.bilstm[i].tolist())),
             "features": dict(zip(model.stack_names, pred.features[i].tolist())),
             "normalized": pred.normalized[i]} for i in range(len(texts))]


def predict(ctxs: Sequence[CommentContext]) -> list[dict]:
    """Model outputs per comment, shared by the abuse and attack checks (computed once)."""
    new = uses_encoder()
    # The encoder reads the comment alone; the older model also whether it names someone.
    keys = [(read_text(c.text), True if new else addressed(c)) for c in ctxs]
    found = {k: _CACHE[k] for k in keys if k in _CACHE}
    todo = list(dict.fromkeys(k for k in keys if k not in found))
    if todo:
        texts = [k[0] for k in todo]
        outs = _predict_encoder(texts) if new else _predict_old(texts, [k[1] for k in todo])
        for key, out in zip(todo, outs, strict=True):
            found[key] = _CACHE[key] = out
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return [found[k] for k in keys]


def evidence_spans(out: dict, rule: str, label: str) -> tuple[Span, ...]:
    model = toxicity.load()
    return tuple(Span(a, b, label, w) for a, b, w in model.evidence(out["normalized"], rule))


def version() -> str:
    return f"encoder-{encoder.meta().get('sha256', '')[:8]}" if uses_encoder() else toxicity.version()


class AbuseCheck(Check):
    rule = "abuse"

    @property
    def version(self) -> str:  # type: ignore[override]
        return f"{version()}+{THREATS_VERSION}+{COUNTER_VERSION}+{GROUP_HATE_VERSION}"

    def __init__(self, *, evidence_from: float = EVIDENCE_FROM) -> None:
        self.evidence_from = evidence_from

    def score(self, ctx: CommentContext) -> CheckResult:
        return self.score_batch([ctx])[0]

    def score_batch(self, ctxs: Sequence[CommentContext]) -> list[CheckResult]:
        return [other_languages_result(c, self._result(out, c.text)) for c, out in zip(ctxs, predict(ctxs), strict=True)]

    def _result(self, out: dict, text: str) -> CheckResult:
        score = float(np.clip(out["abuse"], 0.0, 1.0))
        if "encoder" in out:
            enc = out["encoder"]
            labels = {k: round(enc[k], 4) for k in ("obscene", "threat", "identity_hate", "insult")}
            return self._finish(score, labels, out, text)
        lstm, feats = out["bilstm"], out["features"]
        group_hate = score if feats["identity_x_dehumanising"] else 0.0
        labels = {
            "obscene": round(lstm["obscene"], 4),
            "threat": round(lstm["threat"], 4),
            "identity_hate": round(max(lstm["identity_hate"], group_hate), 4),
            "insult": round(lstm["insult"], 4),
        }
        return self._finish(score, labels, out, text)

    def _finish(self, score: float, labels: dict, out: dict, text: str) -> CheckResult:
        norm = out["normalized"]
        floor = 0.0  # the calibrated probability the rules below put the comment at (applied after calibration)
        threats = threats_read(out)
        if threats:
            floor = THREAT_PROBABILITY
            labels = {**labels, "threat": max(labels.get("threat", 0.0), THREAT_PROBABILITY)}
        hate = group_hate_read(out)
        if hate:
            floor = max(floor, GROUP_HATE_PROBABILITY)
            labels = {**labels, "identity_hate": max(labels.get("identity_hate", 0.0), GROUP_HATE_PROBABILITY)}
        flagged = score >= self.evidence_from or floor > 0
        spans = evidence_spans(out, "abuse", max(labels, key=labels.get)) if flagged else ()
        threat_spans, threat_details = threat_evidence(threats, norm.original)
        spans = threat_spans + tuple(Span(h.start, h.end, "group hate", 1.0) for h in hate) + spans
        details = {"matched": sorted({norm.original[s.start:s.end] for s in spans})}
        if threats:
            details["threats"] = threat_details
        if hate:
            details["group_hate"] = [{"kind": h.kind, "group": h.group, "words": h.text(norm.original)} for h in hate]
        if norm.text != norm.original.lower():
            details["normalized_text"] = norm.text[:500]
        set_aside_spans, counter = mention_evidence(text)
        if counter:
            spans += set_aside_spans
            details["counter_speech"] = counter
        return CheckResult(rule=self.rule, score=round(score, 4), model_version=self.version,
                           spans=spans, labels=labels, details=details, floor=floor)


def other_languages_result(ctx: CommentContext, english: CheckResult) -> CheckResult:
    """For a comment in Chinese, Arabic or Turkish (by script or detection) the word list of that
    language adds its evidence; the English models' score stays (a mis-detected English comment
    keeps it) but says nothing about such a text, which ``details`` records."""
    detected = language_of(ctx.text)
    langs = other_languages.languages_to_read(ctx.text, detected)
    if not langs and detected.language == "en":
        return english
    spans = [s for lang in langs for s in other_languages.find_abuse(ctx.text, lang)]
    listed = other_languages.score(spans, ctx.text)
    details = {**english.details, "language": detected.language,
               "abuse_signal": coverage(detected.language).abuse or "none for this language"}
    if spans:
        details["matched"] = sorted({ctx.text[s.start:s.end] for s in spans})
    score = max(english.score, listed)
    labels = {**english.labels, "word_list": listed}
    if listed >= english.score:
        labels["obscene"] = max(labels.get("obscene", 0.0), listed)
    return CheckResult(rule=english.rule, score=round(score, 4), model_version=english.model_version,
                       spans=tuple(spans) if listed >= english.score else english.spans, labels=labels,
                       details=details, floor=english.floor)
