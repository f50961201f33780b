"""Learning from moderators' decisions: each human decision is a label (a removal citing rule R
is a positive for R; an approval a negative for every rule). Re-fit each rule's calibration on
them and suggest thresholds, with precision and recall at the current and suggested values.
Nothing changes until an admin applies the suggestion (a new policy version, an audit event)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sqlalchemy import select
from sqlalchemy.orm import Session

from remarks.models import CheckRecord, Decision
from remarks.services.policy import PolicyConfig, RuleThresholds

MIN_LABELS = 20


@dataclass
class RuleReport:
    rule: str
    labels: int
    positives: int
    current: tuple[float, float]
    suggested: tuple[float, float]
    at_current: dict[str, float]
    at_suggested: dict[str, float]
    slope: float
    intercept: float


def labels(session: Session) -> dict[str, tuple[list[float], list[int]]]:
    """rule -> (check scores, 1 if a moderator removed citing that rule else 0), last human decision wins."""
    last: dict[int, Decision] = {}
    for d in session.scalars(select(Decision).where(Decision.automatic.is_(False)).order_by(Decision.id)):
        last[d.comment_id] = d
    out: dict[str, tuple[list[float], list[int]]] = {}
    if not last:
        return out
    records = session.scalars(select(CheckRecord).where(CheckRecord.comment_id.in_(list(last)))).all()
    for r in records:
        d = last[r.comment_id]
        if d.action not in ("approve", "remove"):
            continue
        xs, ys = out.setdefault(r.rule, ([], []))
        xs.append(r.score)
        ys.append(1 if d.action == "remove" and d.rule == r.rule else 0)
    return out


def _pr(scores: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float]:
    flagged = scores >= threshold
    tp = int((flagged & (y == 1)).sum())
    precision = tp / flagged.sum() if flagged.sum() else 1.0
    recall = tp / (y == 1).sum() if (y == 1).sum() else 1.0
    return {"precision": round(float(precision), 3), "recall": round(float(recall), 3),
            "flagged": int(flagged.sum())}


def suggest(session: Session, policy: PolicyConfig, *, hold_recall: float = 0.95,
            remove_precision: float = 0.98) -> list[RuleReport]:
    reports = []
    for rule, (xs, ys) in sorted(labels(session).items()):
        y = np.array(ys)
        if len(ys) < MIN_LABELS or y.min() == y.max() or rule not in policy.thresholds:
            continue
        x = np.array(xs).reshape(-1, 1)
        model = LogisticRegression().fit(x, y)
        prob = model.predict_proba(x)[:, 1]
        grid = np.unique(np.concatenate([np.round(np.array(xs), 3), [0.0, 1.0]]))
        # Hold: the highest threshold that still sends hold_recall of the removals to a person.
        hold = max((t for t in grid if _pr(x[:, 0], y, t)["recall"] >= hold_recall), default=0.0)
        # Remove: the lowest threshold whose automatic removals a moderator agreed with remove_precision of the time.
        remove = min((t for t in grid if _pr(x[:, 0], y, t)["precision"] >= remove_precision
                      and _pr(x[:, 0], y, t)["flagged"] > 0), default=1.0)
        hold, remove = float(min(hold, remove)), float(remove)
        cur = policy.thresholds[rule]
        reports.append(RuleReport(
            rule=rule, labels=len(ys), positives=int(y.sum()), current=(cur.hold, cur.remove),
            suggested=(round(hold, 3), round(remove, 3)),
            at_current={"hold": _pr(x[:, 0], y, cur.hold), "remove": _pr(x[:, 0], y, cur.remove)},
            at_suggested={"hold": _pr(x[:, 0], y, hold), "remove": _pr(x[:, 0], y, remove)},
            slope=float(model.coef_[0][0]), intercept=float(model.intercept_[0])))
        del prob
    return reports


def applied(policy: PolicyConfig, reports: list[RuleReport]) -> PolicyConfig:
    thresholds = dict(policy.thresholds)
    for r in reports:
        thresholds[r.rule] = RuleThresholds(hold=r.suggested[0], remove=r.suggested[1])
    return policy.model_copy(update={"thresholds": thresholds})
