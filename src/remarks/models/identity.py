"""Accounts that log in through someone else: a publisher's signed token or an OpenID Connect
provider. An account is linked by (provider, subject) — never by e-mail alone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remarks.models.base import Base, UTCDateTime, utcnow
from remarks.models.people import User


class ExternalIdentity(Base):
    """``provider`` is ``publisher/ID`` (signed tokens), ``oidc:ISSUER`` or ``import/disqus``/``import/wordpress``."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(254), default=None)  # as the provider said; never a link
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class UsedTokenId(Base):
    """The ``jti`` of every publisher token exchanged, kept until it expires, so none is used twice."""

    __tablename__ = "used_token_ids"
    __table_args__ = (UniqueConstraint("publisher_id", "jti"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publisher_id: Mapped[int] = mapped_column(ForeignKey("publishers.id", ondelete="CASCADE"))
    jti: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
