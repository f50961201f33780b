"""The publisher side seen from outside: a receiver that fails once then recovers, and the admins' delivery log."""

import http.server
import threading

import pytest
from sqlalchemy import select

from remarks import db as dbmod
from remarks.models import User, WebhookDelivery
from remarks.models.base import utcnow
from remarks.services import comments, policy, publishing, webhooks
from support import login


@pytest.fixture
def flaky():
    """127.0.0.1 receiver answering 500 once, then 200."""
    codes, seen = [500], []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(codes.pop(0) if codes else 200)
            self.end_headers()

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", seen
    server.shutdown()


def test_a_failed_delivery_is_retried_then_delivered_and_logged(app, client, make_user, flaky):
    url, seen = flaky
    make_user("ann")
    make_user("boss", role="admin")
    with dbmod.unit_of_work(app.state.sessions) as s:
        pub, _ = publishing.create_publisher(s, None, "Harbour Gazette CMS")
        publishing.add_webhook(s, pub, url=url, events=["comment.created"], allow_private=True)
        art, _ = publishing.upsert_article(s, pub, slug="story-1", title="A story", body="The body.")
        ann = s.scalars(select(User).where(User.username == "ann")).one()
        comments.submit_comment(s, ann, article_id=art.id, text="A civil remark.", pipeline=app.state.pipeline,
                                policy=policy.current(s, app.state.settings), max_chars=5000, per_minute=100)
    now = utcnow()
    webhooks.deliver_due(app.state.sessions, now=now)
    with app.state.sessions() as s:
        d = s.scalars(select(WebhookDelivery)).one()
        assert (d.status, d.attempts, d.last_status_code) == ("pending", 1, 500)
        due = d.next_attempt_at
    webhooks.deliver_due(app.state.sessions, now=due)
    with app.state.sessions() as s:
        d = s.scalars(select(WebhookDelivery)).one()
        assert (d.status, d.attempts) == ("delivered", 2)
    assert len(seen) == 2 and seen[0] == seen[1]  # the same body, so the same delivery id, is sent again

    assert client.get("/desk/webhooks", follow_redirects=False).status_code == 303  # anonymous: to log-in
    login(client, "boss")
    html = client.get("/desk/webhooks").text
    assert "Harbour Gazette CMS" in html and url in html and "delivery-delivered" in html
    assert "Content-Security-Policy" in client.get("/desk/webhooks").headers


def test_the_delivery_log_is_for_admins_only(client, make_user):
    make_user("mod", role="moderator")
    login(client, "mod")
    assert client.get("/desk/webhooks").status_code == 403
