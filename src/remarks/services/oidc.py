"""OpenID Connect log-in (authorization code flow with PKCE), with Authlib's OAuth 2 client for the
protocol and PyJWT for the ID token. The state, nonce and code verifier travel in a cookie signed
with the site's secret key, so any server process can finish a log-in another one started."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache

import httpx
import jwt
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2 import OAuth2Error
from sqlalchemy.orm import Session

from remarks.config import Settings
from remarks.errors import BadInput, NotAuthenticated
from remarks.models import User
from remarks.services.sso import link_identity

SCOPE = "openid profile email"
FLOW_SECONDS = 600


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


@lru_cache(maxsize=8)
def _discover(issuer: str) -> Provider:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        meta = httpx.get(url, timeout=10).raise_for_status().json()
        return Provider(issuer=meta["issuer"], authorization_endpoint=meta["authorization_endpoint"],
                        token_endpoint=meta["token_endpoint"], jwks_uri=meta["jwks_uri"])
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise BadInput(f"the OpenID Connect provider's configuration could not be read ({exc})", status=502,
                       code="provider_unavailable") from None


@lru_cache(maxsize=8)
def _jwks(uri: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(uri, cache_keys=True)


def _signing_key(jwks_uri: str, id_token: str):
    """The provider's key for this token: by its kid, or the only signing key when it names none."""
    keys = _jwks(jwks_uri)
    kid = jwt.get_unverified_header(id_token).get("kid")
    if kid:
        return keys.get_signing_key(kid).key
    signing = keys.get_signing_keys()
    if len(signing) != 1:
        raise jwt.InvalidTokenError("the ID token names no key (kid) and the provider has several")
    return signing[0].key


def _client(settings: Settings, redirect_uri: str) -> OAuth2Client:
    return OAuth2Client(client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
                        scope=SCOPE, redirect_uri=redirect_uri, code_challenge_method="S256",
                        token_endpoint_auth_method="client_secret_basic" if settings.oidc_client_secret else "none",
                        timeout=10)


def _sign(settings: Settings, data: dict) -> str:
    raw = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()
    mac = hmac.new(settings.secret_key.encode(), b"oidc." + raw.encode(), hashlib.sha256).hexdigest()
    return f"{raw}.{mac}"


def _unsign(settings: Settings, value: str | None) -> dict:
    raw, _, mac = (value or "").rpartition(".")
    good = hmac.new(settings.secret_key.encode(), b"oidc." + raw.encode(), hashlib.sha256).hexdigest()
    if not raw or not hmac.compare_digest(mac, good):
        raise NotAuthenticated("the log-in was not started here, or its cookie was lost; start again")
    data = json.loads(base64.urlsafe_b64decode(raw))
    if data.get("t", 0) + FLOW_SECONDS < time.time():
        raise NotAuthenticated("the log-in took too long; start again")
    return data


def start(settings: Settings, redirect_uri: str, next_url: str) -> tuple[str, str]:
    """The provider's authorization URL and the signed cookie value that remembers this attempt."""
    provider = _discover(settings.oidc_issuer)
    verifier, state, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    url, _ = _client(settings, redirect_uri).create_authorization_url(
        provider.authorization_endpoint, state=state, code_verifier=verifier, nonce=nonce)
    return url, _sign(settings, {"s": state, "v": verifier, "n": nonce, "next": next_url, "t": int(time.time())})


def finish(settings: Settings, *, cookie: str | None, redirect_uri: str, code: str | None, state: str | None,
           error: str | None = None) -> dict:
    """Exchange the code (with the PKCE verifier) and check the ID token; returns its claims, with the
    issuer and the page to go back to (``next``)."""
    flow = _unsign(settings, cookie)
    if error:
        raise NotAuthenticated(f"the provider refused the log-in ({error[:100]})")
    if not code or not state or not hmac.compare_digest(state, flow["s"]):
        raise NotAuthenticated("the log-in answer does not match the log-in that was started; start again")
    provider = _discover(settings.oidc_issuer)
    try:
        with _client(settings, redirect_uri) as client:
            token = client.fetch_token(provider.token_endpoint, code=code, code_verifier=flow["v"],
                                       grant_type="authorization_code")
    except (OAuth2Error, httpx.HTTPError) as exc:
        raise NotAuthenticated(f"the provider did not accept the log-in code ({exc})") from None
    id_token = token.get("id_token")
    if not id_token:
        raise NotAuthenticated("the provider sent no ID token")
    try:
        claims = jwt.decode(id_token, _signing_key(provider.jwks_uri, id_token), algorithms=["RS256", "ES256", "PS256", "EdDSA"],
                            audience=settings.oidc_client_id, issuer=provider.issuer, leeway=30,
                            options={"require": ["sub", "iss", "aud", "exp", "iat"]})
    except jwt.PyJWTError as exc:
        raise NotAuthenticated(f"the provider's ID token is not valid: {exc}") from None
    if claims.get("nonce") != flow["n"]:
        raise NotAuthenticated("the ID token's nonce does not match this log-in")
    return {**claims, "next": flow["next"]}


def link(session: Session, settings: Settings, claims: dict) -> User:
    """The account of the person the ID token names, by (issuer, sub)."""
    return link_identity(session, f"oidc:{claims['iss']}", str(claims["sub"]),
                         name=claims.get("name") or claims.get("preferred_username"), email=claims.get("email"),
                         hint=claims.get("preferred_username"))
