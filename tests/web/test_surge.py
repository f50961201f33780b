"""Surge mode (services/surge.py): past the first bound a comment is accepted as pending (202), only
its author sees it, and the scoring pass publishes or holds it as usual; past the second, 503 with
Retry-After and nothing stored."""

import time

from fastapi.testclient import TestClient

from remarks.models import Comment, Decision
from remarks.web import create_app
from support import bearer


def _surge_app(settings, **bounds):
    return create_app(settings.model_copy(update=bounds))


def test_a_surge_accepts_as_pending_then_the_queue_publishes_or_holds(settings, app, make_user, article_id):
    make_user("ann")
    surging = _surge_app(settings, surge_pending_at=1)  # every post counts as a surge
    try:
        with TestClient(surging) as c:
            h = bearer(c, "ann")
            calm = c.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Who ignored the warning?",
                                                                          "idempotency_key": "k1"}, headers=h)
            rude = c.post(f"/api/v1/articles/{article_id}/comments", json={"text": "You are an idiot and a moron."},
                          headers=h)
            assert calm.status_code == 202 and calm.json()["state"] == "pending", calm.text
            assert "awaiting moderation" in calm.json()["reason"].lower()
            assert rude.status_code == 202
            shown = c.get(f"/api/v1/articles/{article_id}").json()["comments"]
            with surging.state.sessions() as s:  # nothing unchecked shown (the pass may have checked one by now)
                assert all(s.query(Decision).filter_by(comment_id=x["id"]).count() for x in shown), shown
            mine = {x["id"] for x in c.get(f"/api/v1/articles/{article_id}", headers=h).json()["comments"]}
            with surging.state.sessions() as s:  # read after the page: still pending now means pending then
                pending = {cid for cid in (calm.json()["id"], rude.json()["id"]) if s.get(Comment, cid).state == "pending"}
            assert pending <= mine  # the author sees their own comments that wait to be checked
            again = c.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Who ignored the warning?",
                                                                           "idempotency_key": "k1"}, headers=h)
            assert again.json()["id"] == calm.json()["id"]  # a retry is not a second comment
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with surging.state.sessions() as s:
                    states = {cid: s.get(Comment, cid).state for cid in (calm.json()["id"], rude.json()["id"])}
                    decided = s.query(Decision).count()
                if "pending" not in states.values():
                    break
                time.sleep(0.5)
            assert states[calm.json()["id"]] == "published" and states[rude.json()["id"]] in ("held", "removed")
            assert decided == 2
            texts = [x["text"] for x in c.get(f"/api/v1/articles/{article_id}").json()["comments"]]
            assert texts == ["Who ignored the warning?"]
    finally:
        surging.state.engine.dispose()


def test_a_pending_comment_is_written_by_the_group_writer(settings, app, make_user, article_id):
    """In a surge the pending write joins the other posts' transaction (db/group.py), not one of its own."""
    make_user("ann")
    surging = _surge_app(settings, surge_pending_at=1)
    groups = []
    try:
        with TestClient(surging) as c:
            h = bearer(c, "ann")
            observe, surging.state.group_commit.observe = surging.state.group_commit.observe, groups.append
            r = c.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Who ignored the warning?"}, headers=h)
            surging.state.group_commit.observe = observe
            assert r.status_code == 202 and r.json()["state"] == "pending", r.text
            assert groups == [1]
            with surging.state.sessions() as s:
                assert s.get(Comment, r.json()["id"]).state in ("pending", "published")
    finally:
        surging.state.engine.dispose()


def test_past_the_second_bound_503_with_retry_after_and_nothing_stored(settings, app, make_user, article_id):
    make_user("ann")
    full = _surge_app(settings, surge_pending_at=1, surge_refuse_at=1)
    try:
        with TestClient(full) as c:
            r = c.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Who ignored the warning?"},
                       headers=bearer(c, "ann"))
            assert r.status_code == 503 and int(r.headers["retry-after"]) > 0, r.text
            with full.state.sessions() as s:
                assert s.query(Comment).count() == 0
    finally:
        full.state.engine.dispose()


def test_comments_waiting_for_the_scoring_pass_count_toward_refusal(settings, app, make_user, article_id):
    make_user("ann")
    full = _surge_app(settings, surge_pending_at=1, surge_backlog_max=1)
    try:
        c = TestClient(full)  # no lifespan: no scoring pass runs, so the first comment stays in the queue
        h = bearer(c, "ann")
        first = c.post(f"/api/v1/articles/{article_id}/comments", json={"text": "Who ignored the warning?"}, headers=h)
        assert first.status_code == 202, first.text
        # One comment waiting to be scored: the bound of 1 is reached.
        second = c.post(f"/api/v1/articles/{article_id}/comments", json={"text": "And who paid?"}, headers=h)
        assert second.status_code == 503 and int(second.headers["retry-after"]) > 0, second.text
        with full.state.sessions() as s:
            assert [x.text for x in s.query(Comment)] == ["Who ignored the warning?"]
    finally:
        full.state.engine.dispose()



def test_the_page_form_in_a_surge_shows_the_comment_awaiting_moderation(settings, app, make_user, article_id):
    """The HTML form, as the API: past the first bound the comment is stored pending and its author is
    sent back to the page, where it shows as awaiting moderation (not an error); past the second, 503
    with the reason, nothing stored."""
    from support import csrf_of, login

    make_user("ann")
    surging = _surge_app(settings, surge_pending_at=1, surge_backlog_max=2)
    try:
        c = TestClient(surging)  # no lifespan: no scoring pass runs, so the comment stays pending
        login(c, "ann")
        page = c.get("/articles/story")
        r = c.post("/articles/story/comments", data={"text": "Who ignored the warning?", "csrf": csrf_of(page.text)},
                   follow_redirects=False)
        assert r.status_code == 303, r.text
        with surging.state.sessions() as s:
            stored = s.query(Comment).one()
            assert stored.state == "pending" and s.query(Decision).count() == 0
        assert r.headers["location"].endswith(f"/articles/story#c{stored.id}")
        shown = c.get("/articles/story").text
        assert "Who ignored the warning?" in shown and "Awaiting moderation" in shown
        c.post("/articles/story/comments", data={"text": "And who paid?", "csrf": csrf_of(page.text)})
        refused = c.post("/articles/story/comments", data={"text": "Third time lucky?", "csrf": csrf_of(page.text)})
        assert refused.status_code == 503 and "too many comments are waiting" in refused.text
        with surging.state.sessions() as s:
            assert s.query(Comment).count() == 2
    finally:
        surging.state.engine.dispose()
