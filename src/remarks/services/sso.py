"""Single sign-on: a publisher's CMS signs a short-lived token for its logged-in reader (HS256 with
the publisher's secret), and remarks exchanges it for a session; or an OpenID Connect provider
vouches for the reader (services/oidc.py). Either way the account is found by (provider, subject),
never by e-mail: an e-mail address a provider asserts is not proof of owning an account here."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from remarks.errors import BadInput, NotAuthenticated
from remarks.models import ExternalIdentity, Publisher, UsedTokenId, User
from remarks.models.base import utcnow
from remarks.events import Event
from remarks.services import audit

NO_PASSWORD = "!sso"  # not an argon2 hash: a password log-in with it always fails
LEEWAY = 30  # seconds of clock difference between the CMS and us
REQUIRED = ["sub", "exp", "iat", "jti", "iss"]


def set_sso_secret(session: Session, actor: User | None, publisher: Publisher) -> str:
    """A new signing secret for the publisher's tokens (the old one stops working); shown once."""
    secret = secrets.token_urlsafe(32)
    publisher.sso_secret = secret
    audit.record(session, Event.PUBLISHER_SSO_SECRET_SET, actor=actor, subject_type="publisher", subject_id=publisher.id)
    return secret


def exchange_publisher_token(session: Session, token: str, *, max_seconds: int = 3600) -> User:
    """Check a publisher-signed token and return the reader's account (made on first use)."""
    if not token or len(token) > 8000:
        raise NotAuthenticated("a sign-on token is required")
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise NotAuthenticated("the sign-on token is not a JWT") from None
    if header.get("alg") != "HS256":
        raise NotAuthenticated("the sign-on token must be signed with HS256")
    issuer = unverified.get("iss")
    pub = session.scalar(select(Publisher).where(Publisher.name == issuer)) if isinstance(issuer, str) else None
    if pub is None or pub.revoked_at is not None or not pub.sso_secret:
        raise NotAuthenticated("the sign-on token's issuer (iss) is not a publisher with single sign-on here")
    try:
        claims = jwt.decode(token, pub.sso_secret, algorithms=["HS256"], issuer=pub.name, leeway=LEEWAY,
                            options={"require": REQUIRED, "verify_aud": False})
    except jwt.ExpiredSignatureError:
        raise NotAuthenticated("the sign-on token has expired; the page must sign a fresh one") from None
    except jwt.InvalidSignatureError:
        raise NotAuthenticated("the sign-on token's signature does not match the publisher's secret") from None
    except jwt.MissingRequiredClaimError as exc:
        raise NotAuthenticated(f"the sign-on token lacks the {exc.claim!r} claim") from None
    except jwt.InvalidTokenError as exc:
        raise NotAuthenticated(f"the sign-on token is not valid: {exc}") from None
    if claims["exp"] - claims["iat"] > max_seconds:
        raise NotAuthenticated(f"the sign-on token lives longer than {max_seconds} s; sign short-lived tokens")
    sub, jti = str(claims["sub"]), str(claims["jti"])
    if not sub or len(sub) > 255 or not jti or len(jti) > 200:
        raise NotAuthenticated("the sign-on token's sub and jti are 1 to 255 (jti 200) characters")
    now = utcnow()
    session.execute(delete(UsedTokenId).where(UsedTokenId.expires_at < now - timedelta(seconds=LEEWAY)))
    if session.scalar(select(UsedTokenId.id).where(UsedTokenId.publisher_id == pub.id, UsedTokenId.jti == jti)):
        raise NotAuthenticated("this sign-on token was used already (its jti is spent); sign a new one")
    session.add(UsedTokenId(publisher_id=pub.id, jti=jti,
                            expires_at=datetime.fromtimestamp(claims["exp"], UTC) + timedelta(seconds=LEEWAY)))
    return link_identity(session, publisher_provider(pub), sub, name=claims.get("name"), email=claims.get("email"),
                         hint=claims.get("preferred_username"))


def publisher_provider(pub: Publisher) -> str:
    """The identity provider name of a publisher's tokens (not an event name)."""
    return "publisher" + f"/{pub.id}"


_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def _username(session: Session, *hints: object) -> str:
    base = next((_NOT_NAME.sub("-", str(h)).strip("-._")[:32] for h in hints
                 if isinstance(h, str) and len(_NOT_NAME.sub("-", h).strip("-._")) >= 3), "reader")
    name, n = base, 1
    while session.scalar(select(User.id).where(User.username == name)):
        n += 1
        name = f"{base}-{n}"
    return name


def _clean(text: object, limit: int) -> str | None:
    if not isinstance(text, str):
        return None
    text = "".join(ch for ch in text if ord(ch) >= 32).strip()[:limit]
    return text or None


def link_identity(session: Session, provider: str, subject: str, *, name: object = None, email: object = None,
                  hint: object = None) -> User:
    """The account linked to (provider, subject), made on first sight with an unusable password."""
    ident = session.scalar(select(ExternalIdentity).where(ExternalIdentity.provider == provider,
                                                          ExternalIdentity.subject == subject))
    display, mail = _clean(name, 80), _clean(email, 254)
    if ident is not None:
        ident.last_seen_at = utcnow()
        if display and ident.user.display_name != display:
            ident.user.display_name = display  # the newsroom's account is the source of the name
        ident.email = mail or ident.email
        return ident.user
    email_local = mail.split("@")[0] if mail and "@" in mail else None
    user = User(username=_username(session, hint, display, email_local), display_name=display or "Reader",
                email=mail, password_hash=NO_PASSWORD, role="commenter")
    session.add(user)
    session.flush()
    session.add(ExternalIdentity(user_id=user.id, provider=provider, subject=subject, email=mail))
    session.flush()
    audit.record(session, Event.USER_CREATED, actor=None, subject_type="user", subject_id=user.id, role="commenter",
                 origin=provider)
    return user


def require_local_passwords(enabled: bool) -> None:
    if not enabled:
        raise BadInput("log-in with a password is switched off on this site; use your newsroom account",
                       status=403, code="passwords_off")
