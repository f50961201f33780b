"""Figures for the statistics page. Rows are fetched for a window of days and bucketed in Python,
so the same code runs on SQLite and PostgreSQL. Every figure counts the sites of a scope only."""

from __future__ import annotations

import io
import statistics
from collections import Counter, defaultdict
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remarks.models import Appeal, Comment, Decision, Sanction, Statement, User
from remarks.i18n import N_
from remarks.models.base import utcnow
from remarks.services.sites import EVERY_SITE, Scope

PLOTS = {
    "comments_per_day": N_("Comments per day, by state"),
    "holds_removals_per_rule": N_("Holds and removals per rule"),
    "decisions_by_kind": N_("Automatic and human decisions per day"),
    "time_to_decision": N_("Hours from comment to a moderator's decision"),
    "appeals": N_("Appeals and their outcomes"),
    "moderator_throughput": N_("Decisions per moderator"),
    "nudges": N_("Nudged comments: edited or posted as they were"),
}


def _since(days: int):
    return utcnow() - timedelta(days=days)


def _days(days: int) -> list[str]:
    today = utcnow().date()
    return [(today - timedelta(days=i)).isoformat() for i in range(days - 1, -1, -1)]


def table(db: Session, name: str, days: int, scope: Scope = EVERY_SITE) -> tuple[list[str], list[list]]:
    return globals()[f"_{name}"](db, days, scope)


def _comments_per_day(db: Session, days: int, scope: Scope):
    rows = db.execute(select(Comment.created_at, Comment.state).where(Comment.created_at >= _since(days),
                                                                      scope.comments())).all()
    counts: dict[str, Counter] = defaultdict(Counter)
    for created, state in rows:
        counts[created.date().isoformat()][state] += 1
    states = ["published", "held", "removed"]
    return ["date", *states], [[d, *(counts[d][s] for s in states)] for d in _days(days)]


def _holds_removals_per_rule(db: Session, days: int, scope: Scope):
    rows = db.execute(select(Decision.rule, Decision.action, Decision.automatic)
                      .where(Decision.created_at >= _since(days), Decision.action.in_(("hold", "remove")),
                             scope.comments(Decision.comment_id))).all()
    c = Counter((rule or "pre-moderation", action, auto) for rule, action, auto in rows)
    rules = sorted({r for r, _, _ in c})
    return (["rule", "held_automatically", "removed_automatically", "removed_by_moderator"],
            [[r, c[(r, "hold", True)], c[(r, "remove", True)], c[(r, "remove", False)]] for r in rules])


def _decisions_by_kind(db: Session, days: int, scope: Scope):
    rows = db.execute(select(Decision.created_at, Decision.automatic).where(Decision.created_at >= _since(days),
                                                                            scope.comments(Decision.comment_id))).all()
    counts: dict[str, Counter] = defaultdict(Counter)
    for created, auto in rows:
        counts[created.date().isoformat()]["automatic" if auto else "human"] += 1
    return ["date", "automatic", "human"], [[d, counts[d]["automatic"], counts[d]["human"]] for d in _days(days)]


def _time_to_decision(db: Session, days: int, scope: Scope):
    rows = db.execute(select(Comment.id, Comment.created_at, Decision.created_at)
                      .join(Decision, Decision.comment_id == Comment.id)
                      .where(Decision.automatic.is_(False), Decision.created_at >= _since(days), scope.comments())
                      .order_by(Decision.created_at)).all()
    first: dict[int, tuple] = {}
    for cid, created, decided in rows:
        first.setdefault(cid, (created, decided))
    per_day: dict[str, list[float]] = defaultdict(list)
    for created, decided in first.values():
        per_day[decided.date().isoformat()].append((decided - created).total_seconds() / 3600)
    out = []
    for d in _days(days):
        v = sorted(per_day.get(d, []))
        out.append([d, len(v), round(statistics.median(v), 2) if v else "",
                    round(v[min(len(v) - 1, int(0.9 * len(v)))], 2) if v else ""])
    return ["date", "decisions", "median_hours", "p90_hours"], out


def _appeals(db: Session, days: int, scope: Scope):
    q = select(Appeal.state).where(Appeal.created_at >= _since(days))
    if not scope.every_site:  # an appeal's site: the comment removed, or the one the sanction cited
        q = (q.join(Statement, Statement.id == Appeal.statement_id)
             .outerjoin(Sanction, Sanction.id == Statement.sanction_id)
             .where(scope.comments(func.coalesce(Statement.comment_id, Sanction.comment_id))))
    rows = db.scalars(q).all()
    c = Counter(rows)
    return ["outcome", "appeals"], [[s, c[s]] for s in ("open", "upheld", "reversed")]


def _moderator_throughput(db: Session, days: int, scope: Scope):
    rows = db.execute(select(User.display_name, Decision.created_at).join(User, User.id == Decision.moderator_id)
                      .where(Decision.automatic.is_(False), Decision.created_at >= _since(days),
                             scope.comments(Decision.comment_id))).all()
    c = Counter(name for name, _ in rows)
    return ["moderator", "decisions", "per_day"], [[n, k, round(k / days, 2)] for n, k in c.most_common()]


def _nudges(db: Session, days: int, scope: Scope):
    rows = db.execute(select(Comment.nudged, Comment.edited_after_nudge).where(Comment.created_at >= _since(days),
                                                                               Comment.nudged.is_(True),
                                                                               scope.comments())).all()
    edited = sum(1 for _, e in rows if e)
    return ["outcome", "comments"], [["edited after the nudge", edited], ["posted unchanged", len(rows) - edited]]


def has_data(name: str, rows: list[list]) -> bool:
    """Whether a plot would show anything: some number other than zero (empty axes say nothing)."""
    return any(isinstance(v, (int, float)) and v for r in rows for v in r[1:])


EMPTY = {
    "comments_per_day": N_("No comments in these {days} days yet."),
    "holds_removals_per_rule": N_("Nothing was held or removed in these {days} days."),
    "decisions_by_kind": N_("No decisions in these {days} days yet."),
    "time_to_decision": N_("No moderator has decided a held comment in these {days} days."),
    "appeals": N_("Nobody appealed a decision in these {days} days."),
    "moderator_throughput": N_("No moderator decisions in these {days} days."),
    "nudges": N_("No comment was nudged before posting in these {days} days."),
}


def headline(db: Session, days: int, scope: Scope = EVERY_SITE) -> dict[str, object]:
    _, per_day = _comments_per_day(db, days, scope)
    _, kinds = _decisions_by_kind(db, days, scope)
    _, ttd = _time_to_decision(db, days, scope)
    _, app = _appeals(db, days, scope)
    _, nud = _nudges(db, days, scope)
    hours = [r[2] for r in ttd if r[2] != ""]
    nudged = nud[0][1] + nud[1][1]
    return {
        N_("Comments"): sum(sum(r[1:]) for r in per_day),
        N_("Held now or removed"): sum(r[2] + r[3] for r in per_day),
        N_("Automatic decisions"): sum(r[1] for r in kinds),
        N_("Moderator decisions"): sum(r[2] for r in kinds),
        N_("Median hours to a moderator's decision"): statistics.median(hours) if hours else "—",
        N_("Appeals (open / upheld / reversed)"): " / ".join(str(r[1]) for r in app),
        N_("Nudged comments edited"): f"{nud[0][1]} of {nudged}" if nudged else "—",
    }


def plot(name: str, header: list[str], rows: list[list]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.2))
    labels = [str(r[0]) for r in rows]
    if header[0] == "date":
        x = range(len(rows))
        bottom = [0.0] * len(rows)
        for j, col in enumerate(header[1:], start=1):
            vals = [float(r[j]) if r[j] != "" else 0.0 for r in rows]
            if name == "time_to_decision":
                if col == "decisions":
                    continue
                ax.plot(list(x), vals, marker="o", label=col)
            else:
                ax.bar(list(x), vals, bottom=bottom, label=col)
                bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        step = max(1, len(labels) // 6)
        ax.set_xticks(list(x)[::step], [lb[5:] for lb in labels[::step]])
    else:
        for j, col in enumerate(header[1:], start=1):
            if col == "per_day":
                continue
            ax.barh([f"{lb}" for lb in labels], [float(r[j]) for r in rows], label=col, alpha=0.85)
    ax.set_title(PLOTS[name], fontsize=10)
    if len(header) > 2:
        ax.legend(fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    plt.close(fig)
    return buf.getvalue()
