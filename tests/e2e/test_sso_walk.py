"""Single sign-on in a real browser: (a) a fake CMS page signs a JWT for its logged-in reader and the
embed logs them in without a password; (b) OpenID Connect log-in against a real provider started
here (oidc-provider-mock, built on Authlib, with Authlib's PKCE extension made mandatory)."""

from __future__ import annotations

import dataclasses
import http.server
import threading
import time
import uuid

import jwt
import pytest

from remarks import db as dbmod
from remarks.services import publishing, sso
from tests.e2e.conftest import LiveServer, free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def oidc_provider():
    import oidc_provider_mock
    from authlib.oauth2.rfc6749 import InvalidRequestError
    from authlib.oauth2.rfc7636 import CodeChallenge
    from oidc_provider_mock import _app, _storage

    @dataclasses.dataclass(kw_only=True, frozen=True)
    class PKCECode(_storage.AuthorizationCode):
        code_challenge: str | None = None
        code_challenge_method: str | None = None

        def get_code_challenge(self):
            return self.code_challenge

        def get_code_challenge_method(self):
            return self.code_challenge_method

    class PKCEGrant(_app.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "none"]  # public clients too: PKCE alone

        def save_authorization_code(self, code, request):
            super().save_authorization_code(code, request)
            plain = _app.storage.get_authorization_code(code)
            _app.storage.store_authorization_code(PKCECode(
                **{f.name: getattr(plain, f.name) for f in dataclasses.fields(plain)},
                code_challenge=request.payload.data.get("code_challenge"),
                code_challenge_method=request.payload.data.get("code_challenge_method")))

    class MandatoryPKCE(CodeChallenge):
        def validate_code_challenge(self, grant, redirect_uri):
            if not grant.request.payload.data.get("code_challenge"):
                raise InvalidRequestError("PKCE (code_challenge) is required by this provider")
            return super().validate_code_challenge(grant, redirect_uri)

    users = [oidc_provider_mock.User(sub="newsroom-42", claims={
        "email": "lena@example-news.com", "name": "Lena Fischer", "preferred_username": "lena"})]
    import flask
    from oidc_provider_mock._server import _threaded_server

    app = oidc_provider_mock.app(user_claims=users)
    with app.test_request_context():
        app.preprocess_request()  # the provider keeps its authorization server on flask.g
        server_of_app = flask.g._authlib_authorization_server
    for registry in (server_of_app._authorization_grants, server_of_app._token_grants):
        for i, (cls, exts) in enumerate(registry):
            if cls is _app.AuthorizationCodeGrant:
                registry[i] = (PKCEGrant, [*exts, MandatoryPKCE(required=True)])
    with _threaded_server(app=app) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso_server(tmp_path, oidc_provider):
    port = free_port()
    server = LiveServer(tmp_path, {"REMARKS_OIDC_ISSUER": oidc_provider, "REMARKS_OIDC_CLIENT_ID": "remarks-walk",
                                   "REMARKS_OIDC_LABEL": "Harbour Gazette", "REMARKS_BASE_URL": f"http://127.0.0.1:{port}",
                                   "REMARKS_WEBHOOKS_ENABLED": "false"}, port=port)
    yield server
    server.stop()


class CMS(http.server.BaseHTTPRequestHandler):
    """A newsroom's article page: the reader is logged in at the CMS, which signs a token for them."""

    remarks_url = secret = ""

    def do_GET(self):
        now = int(time.time())
        token = jwt.encode({"iss": "Harbour Gazette", "sub": "cms-reader-7", "name": "Mira Osei",
                            "email": "mira@example.org", "iat": now, "exp": now + 120, "jti": str(uuid.uuid4())},
                           self.secret, algorithm="HS256")
        html = (f"<!doctype html><title>Harbour Gazette</title><h1>Inquiry opens</h1><div id='remarks-comments'></div>"
                f"<script src='{self.remarks_url}/static/embed.js' data-article='border-attack-inquiry' "
                f"data-sso-token='{token}' async></script>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(html.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def cms(sso_server):
    factory = dbmod.make_sessionmaker(dbmod.make_engine(sso_server.db_url))
    with dbmod.unit_of_work(factory) as s:
        pub, _ = publishing.create_publisher(s, None, "Harbour Gazette")
        secret = sso.set_sso_secret(s, None, pub)
    handler = type("Handler", (CMS,), {"remarks_url": sso_server.url, "secret": secret})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/article"
    server.shutdown()


def test_the_cms_signs_a_token_and_the_embed_logs_the_reader_in_without_a_password(sso_server, cms, browser):
    page = browser.new_context().new_page()
    page.goto(cms)
    frame = page.wait_for_selector("#remarks-comments iframe").content_frame()
    frame.wait_for_selector("#comment-text", timeout=60_000)
    assert "Commenting as Mira Osei" in frame.inner_text(".embed-account")
    frame.fill("#comment-text", "Who at the border police read the warning, and when?")
    frame.click("#new-comment button[type=submit]")
    frame.wait_for_selector("li.comment >> text=Who at the border police read the warning")
    assert "Mira Osei" in frame.inner_text("ol.thread")
    # The page is loaded again (a fresh token): the same account, not a second one.
    page.reload()
    frame = page.wait_for_selector("#remarks-comments iframe").content_frame()
    frame.wait_for_selector("#comment-text", timeout=60_000)
    factory = dbmod.make_sessionmaker(dbmod.make_engine(sso_server.db_url))
    with factory() as s:
        from remarks.models import ExternalIdentity

        assert s.query(ExternalIdentity).count() == 1


def test_a_replayed_token_in_the_embed_shows_why_it_failed(sso_server, cms, browser):
    page = browser.new_context().new_page()
    page.goto(cms)
    frame = page.wait_for_selector("#remarks-comments iframe").content_frame()
    frame.wait_for_selector("#comment-text", timeout=60_000)
    src = page.eval_on_selector("#remarks-comments iframe", "f => f.getAttribute('src')")
    other = browser.new_context().new_page()  # someone who copied the frame's address, token and all
    other.goto(src)
    other.wait_for_selector(".embed-account .notice.error")
    assert "used already" in other.inner_text(".embed-account")


def test_openid_connect_log_in_with_pkce_then_comment(sso_server, browser):
    page = browser.new_context().new_page()
    page.goto(sso_server.url + "/login?next=/articles/typhoon-harbour-rebuild")
    page.click("#oidc-login")
    page.wait_for_selector("text=Authorize Client")
    assert "code_challenge=" in page.url and "code_challenge_method=S256" in page.url
    page.click("button:has-text('newsroom-42')")
    page.wait_for_load_state()
    assert "/articles/typhoon-harbour-rebuild" in page.url, page.inner_text("main")[:500]
    assert "Lena Fischer" in page.inner_text("nav.account")
    page.fill("#comment-text", "Two metres higher will not be enough if the surge comes from the east.")
    page.click("#new-comment button[type=submit]")
    page.wait_for_selector("li.comment >> text=Two metres higher will not be enough")


def test_openid_connect_refuses_a_forged_answer(sso_server, browser):
    page = browser.new_context().new_page()
    page.goto(sso_server.url + "/login/oidc/callback?code=made-up&state=made-up")
    assert "not started here" in page.inner_text("main")
