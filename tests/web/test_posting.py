"""The write of a post (issue 15): one short write transaction, few statements, the comment inserted
in its verdict's state with its checks, decision and audit trail; a process's writers take turns
(db.write_turn) and one that waits too long is answered 503 with Retry-After, nothing saved."""

import threading
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from remarks import db as dbmod
from remarks.models import AuditEvent, CheckRecord, Comment, Decision
from support import bearer

# The write transaction of a post: the re-checks (article, ban, the site's closing, the rate), the
# comment, the thread version, its signature and bands, two audit events, the decision, the check
# results, the webhook look-up. More than this means someone added a round trip to every post.
MOST_WRITE_STATEMENTS = 18


def _statements(app):
    """Every statement the app's engine runs, in order (a list that fills as they run)."""
    seen: list[str] = []

    @event.listens_for(app.state.engine, "before_cursor_execute")
    def _keep(conn, cursor, statement, params, context, executemany):
        seen.append(" ".join(statement.split()[:2]).upper())

    return seen


def _write_part(seen: list[str]) -> list[str]:
    starts = [i for i, s in enumerate(seen) if s.startswith("BEGIN IMMEDIATE")]
    assert len(starts) == 1, seen  # one write transaction
    return seen[starts[0]:]


def test_a_post_is_one_short_write_with_the_comment_in_its_final_state(app, make_user, article_id, db_url):
    make_user("ann")
    with TestClient(app) as c:
        h = bearer(c, "ann")
        seen = _statements(app)
        r = c.post(f"/api/v1/articles/{article_id}/comments",
                   json={"text": "Who signed off the inspection of the spillway?", "idempotency_key": "p1"}, headers=h)
        assert r.status_code == 201, r.text
        body = r.json()
    assert body["state"] == "published" and {x["rule"] for x in body["checks"]} == {"abuse", "promotion"}
    if db_url.startswith("sqlite"):
        write = _write_part(seen)
        assert len(write) <= MOST_WRITE_STATEMENTS, write
        assert "UPDATE COMMENTS" not in write, write  # inserted as decided, not moved
    with app.state.sessions() as s:
        comment = s.get(Comment, body["id"])
        assert comment.state == "published"
        assert {r.rule for r in s.scalars(select(CheckRecord).where(CheckRecord.comment_id == comment.id))} == \
            {"abuse", "promotion"}
        assert s.scalar(select(func.count()).select_from(Decision).where(Decision.comment_id == comment.id)) == 1
        names = s.scalars(select(AuditEvent.name).where(AuditEvent.subject_type == "comment",
                                                    AuditEvent.subject_id == comment.id)
                          .order_by(AuditEvent.id)).all()
        assert names == ["comment:created", "comment:published"]


def test_what_the_post_answers_is_what_was_stored(app, make_user, article_id):
    make_user("ann")
    with TestClient(app) as c:
        h = bearer(c, "ann")
        r = c.post(f"/api/v1/articles/{article_id}/comments",
                   json={"text": "You are an idiot and a moron, and your story is crap.", "idempotency_key": "p2"},
                   headers=h)
        assert r.status_code == 201, r.text
        again = c.post(f"/api/v1/articles/{article_id}/comments",  # a retry: read back from the database
                       json={"text": "You are an idiot and a moron, and your story is crap.", "idempotency_key": "p2"},
                       headers=h)
    first, second = r.json(), again.json()
    assert first["state"] in ("held", "removed") and first["id"] == second["id"]
    assert (first["state"], first["reason"]) == (second["state"], second["reason"])
    assert sorted((x["rule"], round(x["score"], 6)) for x in first["checks"]) == \
        sorted((x["rule"], round(x["score"], 6)) for x in second["checks"])


def test_concurrent_posts_take_turns_and_none_is_lost_or_doubled(app, make_user, article_id):
    names = [f"poster{i}" for i in range(8)]
    for n in names:
        make_user(n)
    answers: list[int] = []
    with TestClient(app) as c:
        heads = [bearer(c, n) for n in names]

        def post(i: int) -> None:
            for k in range(5):
                r = c.post(f"/api/v1/articles/{article_id}/comments",
                           json={"text": f"Poster {i} asks question {k} about the inquiry.",
                                 "idempotency_key": f"k{i}-{k}"}, headers=heads[i])
                answers.append(r.status_code)

        threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    assert answers == [201] * 40
    with app.state.sessions() as s:
        keys = s.scalars(select(Comment.idempotency_key).where(Comment.article_id == article_id)).all()
    assert sorted(keys) == sorted(f"k{i}-{k}" for i in range(8) for k in range(5))


def test_a_writer_that_waits_too_long_for_its_turn_gets_503_and_nothing_is_saved(app, make_user, article_id, db_url,
                                                                                  monkeypatch):
    make_user("ann")
    if not db_url.startswith("sqlite"):  # PostgreSQL locks rows: writers take no turn
        with app.state.sessions() as s, dbmod.write_turn(s, wait=0):
            pass
        return
    monkeypatch.setattr(dbmod, "WRITE_WAIT", 0.2)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with app.state.sessions() as s, dbmod.write_turn(s):
            held.set()
            release.wait(30)

    with TestClient(app) as c:
        h = bearer(c, "ann")  # logging in writes too: before the turn is taken
        holder = threading.Thread(target=hold)
        holder.start()
        try:
            held.wait(10)
            r = c.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Who ignored the warning?"}, headers=h)
        finally:
            release.set()
            holder.join(10)
    assert r.status_code == 503 and r.headers.get("retry-after"), r.text
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Comment)) == 0


def test_a_closing_or_a_ban_between_scoring_and_the_write_is_seen(app, make_user, article_id, settings):
    """The write reads the article, its site and the author's sanctions again: what the session loaded
    before scoring may be stale by then."""
    from remarks.errors import Sanctioned
    from remarks.models import Article, Sanction, User
    from remarks.models.base import utcnow
    from remarks.moderation.pipeline import Pipeline
    from remarks.services import comments, policy
    from remarks.services.closing import Closed

    make_user("ann")
    with app.state.sessions() as s, s.begin():  # a story of ten days ago: open while its site has no closing rule
        s.get(Article, article_id).published_at = utcnow() - timedelta(days=10)
    for change, refused in (("close", Closed), ("site rule", Closed), ("ban", Sanctioned)):
        with app.state.sessions() as s:
            ann = s.scalar(select(User).where(User.username == "ann"))
            story = s.get(Article, article_id)  # held, as the route holds it: the session keeps it as loaded
            checked = comments.check(s, ann, article_id=article_id, text="Who signed off the inspection?",
                                     pipeline=Pipeline([]), policy=policy.current(s, settings), max_chars=5000)
            with app.state.sessions() as other, other.begin():  # meanwhile, elsewhere
                if change == "close":
                    other.get(Article, article_id).closed_at = utcnow()
                elif change == "site rule":  # its site now closes comments a day after publication
                    other.get(Article, article_id).publisher.close_after_days = 1
                else:
                    other.add(Sanction(user_id=ann.id, kind="ban", reason="spam"))
            s.commit()  # ends the read transaction and keeps what it loaded, as db.release does
            with dbmod.write_turn(s), s.begin():
                try:
                    comments.store(s, ann, checked, per_minute=100)
                except refused:
                    pass
                else:
                    raise AssertionError(f"stored after the {change}")
            assert story.id == article_id
        with app.state.sessions() as s, s.begin():
            story = s.get(Article, article_id)
            story.closed_at = None
            if story.publisher is not None:
                story.publisher.close_after_days = None
