"""Webhook URLs that point inside (loopback, private, link-local, metadata) are refused unless an admin
allows them; the check runs again at connection time, and redirects are never followed."""

from __future__ import annotations

import http.server
import ipaddress
import threading

import pytest
from sqlalchemy import select

from remarks import db as dbmod
from remarks.errors import BadInput
from remarks.models import Webhook, WebhookDelivery
from remarks.services import comments, netguard, policy, publishing, webhooks

INSIDE = [
    # url, the family named in the refusal
    ("http://127.0.0.1/hook", "loopback"),                      # IPv4 loopback
    ("http://127.8.9.10:8080/hook", "loopback"),                # anywhere in 127/8
    ("http://2130706433/hook", "loopback"),                     # 127.0.0.1 written as one decimal number
    ("http://0x7f.1/hook", "loopback"),                         # ... and in hex shorthand
    ("http://localhost:9000/hook", "loopback"),                 # a name that resolves to loopback
    ("http://[::1]/hook", "loopback"),                          # IPv6 loopback
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),             # IPv4-mapped IPv6
    ("http://10.1.2.3/hook", "private"),                        # RFC 1918
    ("http://172.16.0.9/hook", "private"),
    ("http://192.168.1.20/hook", "private"),
    ("http://[fd12:3456::1]/hook", "private"),                  # IPv6 unique local
    ("http://[::ffff:10.0.0.1]/hook", "private"),
    ("http://100.64.1.1/hook", "carrier-grade NAT"),
    ("http://169.254.10.10/hook", "link-local"),                # IPv4 link-local
    ("http://[fe80::1]/hook", "link-local"),                    # IPv6 link-local
    ("http://169.254.169.254/latest/meta-data/", "metadata"),   # AWS, GCP, Azure metadata
    ("http://[fd00:ec2::254]/latest/meta-data/", "metadata"),   # AWS metadata over IPv6
    ("http://100.100.100.200/latest/meta-data/", "metadata"),   # Alibaba Cloud metadata
    ("http://0.0.0.0/hook", "unspecified"),
    ("http://[::]/hook", "unspecified"),
    ("http://[64:ff9b::a9fe:a9fe]/hook", "metadata"),           # NAT64 form of 169.254.169.254
]


@pytest.fixture
def pub(app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        p, _ = publishing.create_publisher(s, None, "Harbour Gazette CMS")
        return p.id


def _add(app, pub_id, url, **kw):
    with dbmod.unit_of_work(app.state.sessions) as s:
        from remarks.models import Publisher

        return publishing.add_webhook(s, s.get(Publisher, pub_id), url=url, **kw)[0].id


@pytest.mark.parametrize("url, family", INSIDE)
def test_inside_addresses_are_refused_unless_an_admin_allows_them(app, pub, url, family):
    with pytest.raises(BadInput, match=family) as exc:
        _add(app, pub, url)
    assert "--allow-private" in exc.value.message
    assert _add(app, pub, url, allow_private=True)  # the admin's explicit permission


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8",
                                     "2001:4860:4860::8888"])
def test_public_addresses_pass(address):
    assert netguard.blocked_reason(ipaddress.ip_address(address)) is None


def test_the_publisher_api_cannot_allow_inside_addresses(client, app):
    with dbmod.unit_of_work(app.state.sessions) as s:
        _, key = publishing.create_publisher(s, None, "CMS")
    r = client.post("/api/v1/publisher/webhooks", headers={"X-API-Key": key},
                    json={"url": "http://169.254.169.254/latest/meta-data/", "allow_private": True})
    assert r.status_code == 400 and "metadata" in r.json()["error"]["message"]


class Server:
    """A real HTTP server on loopback recording what reaches it; ``redirect`` sends a 302 there."""

    def __init__(self, redirect: str | None = None):
        self.hits = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                outer.hits.append(self.path)
                self.send_response(302 if redirect else 200)
                if redirect:
                    self.send_header("Location", redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self):
        self.server.shutdown()


def _comment(app, make_user):
    from remarks.models import Article

    make_user("ann")
    with dbmod.unit_of_work(app.state.sessions) as s:
        from remarks.models import User

        art = Article(slug="story", title="A story", body="The body.")
        s.add(art)
        s.flush()
        ann = s.scalar(select(User).where(User.username == "ann"))
        comments.submit_comment(s, ann, article_id=art.id, text="A civil remark.", pipeline=app.state.pipeline,
                                policy=policy.current(s, app.state.settings), max_chars=5000, per_minute=100)


def test_the_check_runs_again_at_connection_time(app, pub, make_user):
    inside = Server()
    try:
        hook_id = _add(app, pub, inside.url, events=["comment.created"], allow_private=True)
        with dbmod.unit_of_work(app.state.sessions) as s:
            s.get(Webhook, hook_id).allow_private = False  # the admin takes the permission back
        _comment(app, make_user)
        counts = webhooks.deliver_due(app.state.sessions)
        assert counts["delivered"] == 0 and inside.hits == []
        with app.state.sessions() as s:
            d = s.scalars(select(WebhookDelivery)).one()
            assert "127.0.0.1 (loopback)" in d.last_error and d.status == "pending"
    finally:
        inside.close()


def test_redirects_are_not_followed(app, pub, make_user):
    inside = Server()
    outside = Server(redirect=inside.url)  # the receiver answers with a redirect into the network
    try:
        _add(app, pub, outside.url, events=["comment.created"], allow_private=True)
        _comment(app, make_user)
        counts = webhooks.deliver_due(app.state.sessions)
        assert counts == {"delivered": 0, "retry": 1, "failed": 0}
        assert outside.hits == ["/hook"] and inside.hits == []
        with app.state.sessions() as s:
            d = s.scalars(select(WebhookDelivery)).one()
            assert "redirects are not followed" in d.last_error and inside.url in d.last_error
    finally:
        inside.close()
        outside.close()


def test_an_allowed_hook_is_delivered_through_the_guard(app, pub, make_user):
    inside = Server()
    try:
        _add(app, pub, inside.url, events=["comment.created"], allow_private=True)
        _comment(app, make_user)
        assert webhooks.deliver_due(app.state.sessions)["delivered"] == 1 and inside.hits == ["/hook"]
    finally:
        inside.close()
