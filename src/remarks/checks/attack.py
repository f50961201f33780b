"""The trained ``attack`` check: a personal attack on a commenter, the journalist or a person
in the story.

The probability comes from the fine-tuned encoder's attack head (trained on Impermium insults at
participants, OLID's targeted insults at individuals, Civil Comments insults and the templated
attack suite: commenters, the journalist, people in the story, mockery without swear words),
stacked as the validation data said (:mod:`remarks.ml.stack`); without the encoder file, the
older stacked model of :mod:`remarks.ml.toxicity`. Target sub-labels: the encoder's target heads,
and the context (who the comment names or addresses) for the evidence spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from remarks.checks.abuse import (COUNTER_VERSION, SENTENCES_VERSION, THREAT_PROBABILITY, THREATS_VERSION, addressed,
                                   evidence_spans, mention_evidence, predict, threat_evidence, threats_read, uses_encoder,
                                   version)
from remarks.checks.base import Check, CheckResult, CommentContext, Span
from remarks.ml import encoder, stack

EVIDENCE_FROM = 0.25
_SECOND = re.compile(r"\b(you|your|you're|youre|yourself|u|ur)\b", re.I)
_AUTHOR = re.compile(r"\b(author|writer|reporter|journalist|columnist|editor|this article|this hack)\b", re.I)
_CAP = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
# A person in a story: two or more capitalised words in a row ("Ahmad Karimi"), or one after a title.
_NAME = re.compile(rf"\b{_CAP}(?:\s+{_CAP})+\b|\b(?:Mr|Ms|Mrs|Dr|Minister|President|Premier|Senator|Mayor|Judge|Chief|General)\.?\s+{_CAP}\b")
_TITLES = frozenset("Mr Ms Mrs Dr Minister President Premier Senator Mayor Judge Chief General".split())
_STOP = frozenset(
    "The A An And But Or If In On At To Of For By With From This That These Those It He She They We You I "
    "His Her Their Our My Your Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "January February March April May June July August September October November December".split()
)


def _names(text: str) -> set[str]:
    """Full names and their parts (people are called 'Karimi' as often as 'Ahmad Karimi')."""
    parts = {p for m in _NAME.finditer(text or "") for p in m.group().split()}
    return {p.rstrip(".") for p in parts if len(p) >= 3 and p not in _STOP and p.rstrip(".") not in _TITLES}


@lru_cache(maxsize=256)
def story_names(title: str, body: str) -> frozenset[str]:
    """The names of an article's people, read once per article (every comment under it asks)."""
    return frozenset(_names(f"{title}\n{body}"))


def _find(words: set[str], text: str) -> list[tuple[int, int]]:
    spans = []
    for w in words:
        spans += [(m.start(), m.end()) for m in re.finditer(r"\b" + re.escape(w) + r"\b", text, re.I)]
    return spans


def pair_context(ctx: CommentContext) -> str:
    """The article side of the encoder's pair (as in training): title, byline, parent, body."""
    return encoder.context_text(ctx.article_title, ctx.article_body, ctx.byline, ctx.parent_text)


def targets(ctx: CommentContext) -> dict[str, list[tuple[int, int]]]:
    """Where the comment points at each kind of target (character spans of the original)."""
    text = ctx.text
    people = {p for n in ctx.participants for p in n.split() if len(p) >= 3}
    found = {"commenter": _find(people, text), "author": [], "person_in_story": []}
    if ctx.parent_text is not None or ctx.participants:
        found["commenter"] += [(m.start(), m.end()) for m in _SECOND.finditer(text)]
    byline = {p for p in re.split(r"[\s,]+", ctx.byline or "") if len(p) >= 3 and p[0].isupper() and p not in _STOP}
    found["author"] = _find(byline, text) + [(m.start(), m.end()) for m in _AUTHOR.finditer(text)]
    story = story_names(ctx.article_title, ctx.article_body) - byline - people
    found["person_in_story"] = _find(story, text)
    return found


MODEL_TARGETS = {"commenter": "target_commenter", "author": "target_author", "person_in_story": "target_person",
                 "group": "target_group"}


class AttackCheck(Check):
    rule = "attack"

    @property
    def version(self) -> str:  # type: ignore[override]
        return f"{version()}+{COUNTER_VERSION}" + ("" if uses_encoder() else f"+{SENTENCES_VERSION}") + f"+{THREATS_VERSION}"

    def __init__(self, *, evidence_from: float = EVIDENCE_FROM) -> None:
        self.evidence_from = evidence_from

    def score(self, ctx: CommentContext) -> CheckResult:
        return self.score_batch([ctx])[0]

    def score_batch(self, ctxs: Sequence[CommentContext]) -> list[CheckResult]:
        outs = predict(ctxs)
        spec = encoder.meta()["stack"].get("attack_context") if encoder.in_checks() else None
        todo = [i for i, c in enumerate(ctxs) if c.article_title or c.article_body or c.parent_text or c.byline]
        if spec and "pair_attack" in spec["features"] and todo and "encoder" in outs[0]:
            # Read against the article (its people), the byline and the parent: one pair pass, shared
            # with the relevance check.
            pairs = encoder.load().predict_pairs([pair_context(ctxs[i]) for i in todo], [ctxs[i].text for i in todo])
            outs = list(outs)
            for i, pair in zip(todo, pairs, strict=True):
                feats = stack.features(outs[i]["encoder"], pair.probs)
                outs[i] = {**outs[i], "attack": stack.apply(spec, feats), "encoder": {**outs[i]["encoder"], **{
                    k: v for k, v in pair.probs.items() if k.startswith("target_")}}}
        return [self._result(ctx, out) for ctx, out in zip(ctxs, outs)]

    def _result(self, ctx: CommentContext, out: dict) -> CheckResult:
        found = targets(ctx)
        if not any(found.values()) and _SECOND.search(ctx.text):
            found["commenter"] = [(m.start(), m.end()) for m in _SECOND.finditer(ctx.text)]
        score = out["attack"]
        enc = out.get("encoder")
        insult = enc["insult"] if enc is not None else out["bilstm"]["insult"]
        if any(found.values()):
            # Insulting language with a target the context identifies is an attack, even when the
            # text model was unsure whom it was aimed at.
            score = max(score, min(out["abuse"], insult))
        # A threat of violence against a person (not a group: that is hate, the abuse rule's) attacks them
        # whatever the words: held at the same probability the abuse check gives it (text/threats.py).
        threats = [t for t in threats_read(out) if not t.at_group]
        floor = THREAT_PROBABILITY if threats else 0.0  # on the calibrated scale: applied after calibration
        score = round(min(max(score, 0.0), 1.0), 4)
        labels = {k: (max(score, floor) if v else 0.0) for k, v in found.items()}
        spans: tuple[Span, ...] = ()
        if score >= self.evidence_from or floor > 0:
            spans = evidence_spans(out, "attack", "insult")
            spans += tuple(Span(a, b, f"target:{k}", 1.0) for k, v in found.items() for a, b in sorted(set(v)))
        threat_spans, threat_details = threat_evidence(threats, ctx.text)
        spans = threat_spans + spans
        details = {
            "targets": [k for k, v in found.items() if v],
            "addressed": addressed(ctx),
            "matched": sorted({ctx.text[s.start:s.end] for s in spans if not s.label.startswith("target")}),
        }
        if threats:
            details["threats"] = threat_details
        set_aside_spans, counter = mention_evidence(ctx.text)
        if counter:
            spans += set_aside_spans
            details["counter_speech"] = counter
        if enc is not None:
            # Whom the encoder reads the attack as aimed at (its target heads).
            details["model_targets"] = {k: round(enc[h], 4) for k, h in MODEL_TARGETS.items()}
        return CheckResult(rule=self.rule, score=score, model_version=self.version,
                           spans=spans, labels=labels, details=details, floor=floor)
