from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remarks.models.base import Base, UTCDateTime, utcnow

ROLES = ("commenter", "moderator", "admin")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="commenter")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A trusted flagger (DSA Art. 22), marked by an admin: their notices go first.
    trusted_flagger: Mapped[bool] = mapped_column(default=False)
    # The reader's choices: a public profile page (on unless they opt out), the interface language
    # (empty: the browser's Accept-Language), one e-mail a day instead of one per notification.
    profile_public: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(10), default="")
    daily_digest: Mapped[bool] = mapped_column(default=False)
    # Moderators and admins work on every site of the installation, or (False) only on the sites
    # granted to them (models.publishing.SiteGrant). Readers' accounts are shared by all sites.
    all_sites: Mapped[bool] = mapped_column(default=True, server_default=true())

    sanctions: Mapped[list["Sanction"]] = relationship(  # noqa: F821 - SQLAlchemy resolves the name from its registry
        back_populates="user", foreign_keys="Sanction.user_id", order_by="Sanction.created_at"
    )

    @property
    def is_moderator(self) -> bool:
        return self.role in ("moderator", "admin")


class LoginSession(Base):
    """A log-in. The cookie (or bearer token) holds a random token; only its hash is stored,
    so logging out or deleting the row ends the session everywhere."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AccountToken(Base):
    """A single-use, expiring link sent by e-mail (password reset, address verification).
    Only the token's hash is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(12))  # reset | verify
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    user: Mapped[User] = relationship()
