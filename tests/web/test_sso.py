"""Single sign-on with publisher-signed tokens: the exchange, linking by (publisher, sub), and every
way a token is refused (replayed jti, expired, wrong signature, unknown issuer, missing claims)."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from remarks import db as dbmod
from remarks.config import Settings
from remarks.models import ExternalIdentity, User
from remarks.services import publishing, sso
from remarks.web import create_app
from tests.support import csrf_of


@pytest.fixture
def secret(app) -> str:
    with dbmod.unit_of_work(app.state.sessions) as s:
        pub, _ = publishing.create_publisher(s, None, "Harbour Gazette")
        return sso.set_sso_secret(s, None, pub)


def sign(secret: str, **over) -> str:
    now = int(time.time())
    claims = {"iss": "Harbour Gazette", "sub": "cms-user-17", "email": "ann@example.org", "name": "Ann Lee",
              "iat": now, "exp": now + 300, "jti": str(uuid.uuid4())}
    claims.update(over)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret, algorithm="HS256")


def test_a_signed_token_becomes_a_session_and_the_reader_can_comment(client, secret):
    r = client.post("/api/v1/session/sso", json={"token": sign(secret)})
    assert r.status_code == 201, r.text
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["display_name"] == "Ann Lee" and me["role"] == "commenter"
    assert client.get("/api/v1/me").status_code == 200  # the cookie was set too (the embed uses it)


def test_the_same_subject_is_the_same_account_and_the_name_follows_the_cms(client, app, secret):
    first = client.post("/api/v1/session/sso", json={"token": sign(secret)}).json()["token"]
    client.cookies.clear()  # another device: the first session stays
    second = client.post("/api/v1/session/sso", json={"token": sign(secret, name="Ann Lee-Smith")}).json()["token"]
    a = client.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"}).json()
    b = client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).json()
    assert a["id"] == b["id"] and b["display_name"] == "Ann Lee-Smith"


def test_accounts_are_never_linked_by_email_alone(client, app, make_user, secret):
    existing = make_user("ann")
    with dbmod.unit_of_work(app.state.sessions) as s:
        s.get(User, existing.id).email = "ann@example.org"
    tok = client.post("/api/v1/session/sso", json={"token": sign(secret, sub="someone-else")}).json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {tok}"}).json()
    assert me["id"] != existing.id  # same e-mail, different (publisher, sub): a different account
    with app.state.sessions() as s:
        ident = s.query(ExternalIdentity).one()
        assert (ident.subject, ident.user_id) == ("someone-else", me["id"])


@pytest.mark.parametrize("token_of, message", [
    # a token used twice: the second exchange is a replay
    (lambda secret: "REPLAY", "used already"),
    # expired a minute ago (beyond the 30 s leeway)
    (lambda secret: sign(secret, iat=int(time.time()) - 400, exp=int(time.time()) - 60), "expired"),
    # signed with another secret
    (lambda secret: sign("not-the-publisher-secret-at-all-000000"), "signature does not match"),
    # an issuer that is not a publisher here
    (lambda secret: sign(secret, iss="Someone Else"), "issuer"),
    # no jti: cannot be protected against replay
    (lambda secret: sign(secret, jti=None), "'jti'"),
    # no sub
    (lambda secret: sign(secret, sub=None), "'sub'"),
    # a long-lived token (a day)
    (lambda secret: sign(secret, exp=int(time.time()) + 86400), "longer than"),
    # alg none / garbage
    (lambda secret: jwt.encode({"iss": "Harbour Gazette", "sub": "x"}, None, algorithm="none"), "HS256"),
    (lambda secret: "not.a.jwt", "not a JWT"),
])
def test_bad_tokens_are_refused_with_a_clear_401(client, secret, token_of, message):
    token = token_of(secret)
    if token == "REPLAY":
        token = sign(secret)
        assert client.post("/api/v1/session/sso", json={"token": token}).status_code == 201
    r = client.post("/api/v1/session/sso", json={"token": token})
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "not_authenticated"
    assert message in r.json()["error"]["message"]


def test_a_new_secret_retires_the_old_one(client, app, secret):
    with dbmod.unit_of_work(app.state.sessions) as s:
        from remarks.models import Publisher

        sso.set_sso_secret(s, None, s.query(Publisher).filter(Publisher.name != "default").one())
    assert client.post("/api/v1/session/sso", json={"token": sign(secret)}).status_code == 401


def test_sso_accounts_have_no_usable_password(client, secret):
    client.post("/api/v1/session/sso", json={"token": sign(secret, preferred_username="annlee")})
    r = client.post("/api/v1/session", json={"username": "annlee", "password": sso.NO_PASSWORD})
    assert r.status_code == 401


def test_local_passwords_can_be_switched_off(db_url, make_user):
    app = create_app(Settings(database_url=db_url, checks=["wordlist"], webhooks_enabled=False,
                              local_passwords=False))
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        with dbmod.unit_of_work(app.state.sessions) as s:
            from remarks.services import accounts

            accounts.create_user(s, None, username="ann", password="correct-horse-battery")
        r = c.post("/api/v1/session", json={"username": "ann", "password": "correct-horse-battery"})
        assert r.status_code == 403 and "switched off" in r.json()["error"]["message"]
        page = c.get("/login")
        assert 'action="/login"' not in page.text and "/signup" not in page.text
        r = c.post("/login", data={"username": "ann", "password": "correct-horse-battery",
                                   "csrf": csrf_of(c.get("/signup").text)})
        assert r.status_code == 403
        r = c.post("/signup", data={"username": "bob", "password": "correct-horse-battery",
                                    "csrf": csrf_of(c.get("/signup").text)})
        assert r.status_code == 403 and "switched off" in r.text
    app.state.engine.dispose()
