"""Two weeks of lived-in history for the demo, so the queue, reports, appeals and every statistics
chart have something in them on first start. Every comment is generated from templates written for
the demo (no outside data). Scores are the demo's own (not a model's): scoring hundreds of comments
at start-up would make ``scripts/demo`` slow; real comments posted in the demo go through the pipeline."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from remarks.events import Event
from remarks.models import AuditEvent, CheckRecord, Comment, Decision, Report, User
from remarks.models.base import utcnow
from remarks.services import appeals, sanctions, statements

READERS = ["Ines Moreau", "Tom Whitaker", "Priya Shah", "Kofi Mensah", "Lena Berg", "Marco Ruiz", "Aiko Tanaka",
           "Sean Doyle", "Fatima Zahra", "Pieter de Vries", "Grace Lin", "Owen Price", "Nadia Petrova", "Ravi Kumar"]

# Civil remarks per article: an opening, a point, and sometimes a question (combined at random).
ON_TOPIC = {
    "border-attack-inquiry": (
        ["The inquiry has to be public.", "Eleven people died; the families deserve answers.",
         "Six months is too long to wait.", "I hope the judge gets full access to the police files.",
         "Good that the families were heard."],
        ["Who received the warning two weeks before, and what did they do with it?",
         "The smuggling route was known for years; someone decided not to close it.",
         "Charging two smugglers is not the same as finding out what went wrong at the post.",
         "The civilians waiting to cross had no protection at all.",
         "The interior ministry said it would cooperate fully; let us see the documents."],
        ["Will the report be published in full?", "Will the border police chief give evidence?", ""]),
    "typhoon-harbour-rebuild": (
        ["Good to see the boats out again.", "The volunteers did an amazing job on the quay.",
         "My family fished out of Port Aster for forty years.", "Two metres higher sounds right to me."],
        ["The old wall was built for storms we no longer get.", "The council should not wait for national funds.",
         "Flood insurance for those two hundred homes will be impossible without a new wall.",
         "Engineers warned about the wall years ago."],
        ["Who pays if the national funds do not come?", "When does the work on the wall start?", ""]),
    "city-council-budget-libraries": (
        ["Keeping all nine libraries open is the right call.", "Libraries are the only free warm place for many.",
         "Twenty cents an hour is a fair price.", "The four-hour debate was worth it."],
        ["Shop owners on the high street will feel the parking fee rise.",
         "The branch libraries in the east of the city are always full after school.",
         "The opposition had no alternative plan to pay for the libraries.",
         "Parking fees fund the libraries; that seems a fair trade."],
        ["Will opening hours stay the same?", "What happens to the parking fees after next year?", ""]),
    "heat-pump-grants": (
        ["Doubling the grant will help.", "We fitted a heat pump last year.", "7,500 is a serious amount."],
        ["The shortage of installers is the real problem.", "Without trained engineers the grant money sits unused.",
         "Our bill fell by a third after switching from gas.", "Older houses need insulation before a heat pump."],
        ["How long is the waiting list for an installer?", "Does the grant cover insulation too?", ""]),
}
# Remarks that break a rule, with the words the demo marks as evidence (rule, text, evidence phrase).
BAD = [
    ("abuse", "What a load of crap, these idiots cannot build a wall.", "crap"),
    ("abuse", "Bloody useless council, the whole lot of them.", "Bloody useless"),
    ("abuse", "This is shit journalism and you know it.", "shit"),
    ("attack", "You are a moron, {name}, and everyone here knows it.", "You are a moron"),
    ("attack", "Nobody cares what you think, {name}. Crawl back under your rock.", "Crawl back under your rock"),
    ("attack", "The author of this piece is a clueless hack.", "clueless hack"),
    ("promotion", "Make 500 a day from home!!! Visit www.quick-cash-now.example", "www.quick-cash-now.example"),
    ("promotion", "Best heat pump prices at cheap-pumps.example — call 0800 123 456 today!", "cheap-pumps.example"),
    ("promotion", "Crypto signals group, 10x guaranteed, message @moonsignals", "@moonsignals"),
    ("offtopic", "Anyone watching the match tonight? What a season.", "watching the match tonight"),
    ("offtopic", "My cat knocked over my coffee this morning, worst day ever.", "My cat knocked over my coffee"),
]
RULES = ("abuse", "attack", "promotion", "offtopic", "language")


def _scores(rnd: random.Random, bad_rule: str | None, high: bool) -> dict[str, float]:
    out = {r: round(rnd.uniform(0.01, 0.25), 3) for r in RULES}
    if bad_rule:
        out[bad_rule] = round(rnd.uniform(0.96, 0.995) if high else rnd.uniform(0.55, 0.9), 3)
    return out


def _record_checks(session: Session, c: Comment, scores: dict[str, float], phrase: str | None, rule: str | None,
                   when: datetime) -> None:
    for r, score in scores.items():
        spans = []
        if r == rule and phrase and phrase in c.text:
            start = c.text.index(phrase)
            spans = [{"start": start, "end": start + len(phrase), "label": r, "weight": 1.0}]
        session.add(CheckRecord(comment_id=c.id, rule=r, score=score, evidence={"spans": spans, "labels": {},
                                "details": {}}, model_version="demo-history", created_at=when))


def _audit(session: Session, name: Event, when: datetime, actor: User | None, comment: Comment, **data) -> None:
    session.add(AuditEvent(name=name.value, actor_id=actor.id if actor else None, subject_type="comment",
                           subject_id=comment.id, data=data, created_at=when))


def seed_history(session: Session, users: dict[str, User], articles: dict, now: datetime | None = None,
                 *, seed: int = 13, comments: int = 320) -> dict[str, int]:
    """Add ``comments`` comments spread over the last fourteen days, with their decisions; returns counts."""
    rnd = random.Random(seed)
    now = now or utcnow()
    mods = [users["moderator"], users["editor"]]
    readers = [User(username=f"reader{i + 1:02d}", display_name=name, password_hash="!demo-no-login",
                    role="commenter", created_at=now - timedelta(days=60 + i)) for i, name in enumerate(READERS)]
    session.add_all(readers)
    session.flush()
    readers += [users["reader"], users["harbourwatcher"]]
    slugs = list(ON_TOPIC)
    for i, slug in enumerate(slugs):  # the stories ran through the fortnight
        articles[slug].published_at = now - timedelta(days=13 - 3 * i, hours=2)
    counts = {"comments": 0, "held_waiting": 0, "removed": 0, "human_decisions": 0}
    made: list[Comment] = []
    removed: list[tuple[Comment, Decision]] = []
    for n in range(comments):
        slug = slugs[n % len(slugs)]
        art = articles[slug]
        age = (now - art.published_at).total_seconds()
        created = art.published_at + timedelta(seconds=age * rnd.random() ** 1.6)
        author = rnd.choice(readers)
        siblings = [m for m in made if m.article_id == art.id and m.state == "published" and m.created_at < created]
        parent = rnd.choice(siblings) if siblings and rnd.random() < 0.35 else None
        rule = phrase = None
        if rnd.random() < 0.22:
            rule, text, phrase = rnd.choice(BAD)
            text = text.format(name=(parent.author.display_name.split()[0] if parent else "mate"))
        else:
            opening, point, question = ON_TOPIC[slug]
            text = " ".join(p for p in (rnd.choice(opening), rnd.choice(point), rnd.choice(question)) if p)
        high = rule is not None and rnd.random() < 0.3
        scores = _scores(rnd, rule, high)
        nudged = rule is not None and rnd.random() < 0.3
        c = Comment(article_id=art.id, author_id=author.id, parent_id=parent.id if parent else None, text=text,
                    state="published", created_at=created, risk=max(scores.values()), nudged=nudged,
                    edited_after_nudge=False)
        session.add(c)
        session.flush()
        c.author = author
        _record_checks(session, c, scores, phrase, rule, created)
        if rule is None:
            if rnd.random() < 0.04:  # a nudged comment that was edited into a civil one
                c.nudged, c.edited_after_nudge = True, True
            session.add(Decision(comment_id=c.id, automatic=True, action="publish", reason="no rule broken",
                                 created_at=created))
            _audit(session, Event.COMMENT_PUBLISHED, created, None, c, automatic=True)
        elif high:
            c.state = "removed"
            d = Decision(comment_id=c.id, automatic=True, action="remove", rule=rule, created_at=created,
                         reason=f"{rule} score {scores[rule]:.2f} is above the removal threshold")
            session.add(d)
            _audit(session, Event.COMMENT_REMOVED, created, None, c, automatic=True, rule=rule)
            removed.append((c, d))
            counts["removed"] += 1
        else:
            c.state = "held"
            session.add(Decision(comment_id=c.id, automatic=True, action="hold", rule=rule, created_at=created,
                                 reason=f"{rule} score {scores[rule]:.2f} is above the hold threshold"))
            _audit(session, Event.COMMENT_HELD, created, None, c, automatic=True, rule=rule)
            decided = created + timedelta(hours=rnd.uniform(0.3, 14))
            if decided < now - timedelta(hours=30):  # the recent ones still wait in the queue
                mod = rnd.choice(mods)
                action = "remove" if rnd.random() < 0.75 else "approve"
                c.state = "removed" if action == "remove" else "published"
                d = Decision(comment_id=c.id, moderator_id=mod.id, automatic=False, action=action, rule=rule,
                             reason="breaks the rule" if action == "remove" else "fair comment in context",
                             created_at=decided)
                session.add(d)
                _audit(session, Event.COMMENT_REMOVED if action == "remove" else Event.COMMENT_APPROVED, decided,
                       mod, c, automatic=False, rule=rule)
                counts["human_decisions"] += 1
                if action == "remove":
                    removed.append((c, d))
                    counts["removed"] += 1
            else:
                counts["held_waiting"] += 1
        made.append(c)
        counts["comments"] += 1
    session.flush()
    # Statements of reasons for the removals; one of them appealed (open), one appeal decided.
    stmts = []
    for c, d in removed:
        st = statements.for_removal(session, c, d, base_url="")
        st.created_at = d.created_at
        stmts.append(st)
    published = [m for m in made if m.state == "published"]
    # Reports waiting: readers flagged a few published comments.
    for c in rnd.sample(published, min(6, len(published))):
        reporter = rnd.choice([r for r in readers if r.id != c.author_id])
        session.add(Report(comment_id=c.id, reporter_id=reporter.id, reason=rnd.choice(["offtopic", "attack", "abuse"]),
                           weight=1.0, created_at=now - timedelta(hours=rnd.uniform(1, 30))))
    # Sanctions: a warning, a suspension and a ban for repeat offenders.
    offenders = [c.author for c, _ in removed if c.author.username.startswith("reader") and c.author.username != "reader"]
    kinds = [("warning", None), ("suspension", 3.0), ("ban", None)]
    sanctioned = []
    for (kind, days), user in zip(kinds, list(dict.fromkeys(offenders)), strict=False):
        s = sanctions.sanction(session, mods[0], user_id=user.id, kind=kind, rule="attack" if kind != "warning" else "abuse",
                               reason="repeated removals", days=days)
        s.created_at = now - timedelta(days=rnd.uniform(1, 5))
        if s.ends_at and days:
            s.ends_at = s.created_at + timedelta(days=days)
        sanctioned.append(s)
    if len(stmts) >= 2:
        decided_appeal = appeals.file(session, stmts[0].user, statement_id=stmts[0].id,
                                      text="I was quoting the article, not insulting anyone.")
        decided_appeal.created_at = now - timedelta(days=3)
        other = mods[1] if stmts[0].moderator_id == mods[0].id else mods[0]
        appeals.decide(session, other, appeal_id=decided_appeal.id, outcome="upheld",
                       answer="The removal stands: the remark is aimed at another reader.", base_url="")
        open_appeal = appeals.file(session, stmts[1].user, statement_id=stmts[1].id,
                                   text="This was a joke between regulars; please look at it again.")
        open_appeal.created_at = now - timedelta(hours=20)
    counts["sanctions"] = len(sanctioned)
    return counts
