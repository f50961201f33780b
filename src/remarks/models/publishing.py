"""Publishers (a CMS with an API key) — each is a *site* of the installation: its articles, its policy,
its moderators (``SiteGrant``) and its statistics — their webhooks and every delivery attempt."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remarks.models.base import Base, UTCDateTime, utcnow


# The site every article belongs to unless it says otherwise (created by the migration that brought sites).
DEFAULT_SITE = "default"


class Publisher(Base):
    """A site (publisher). ``api_key_hash`` lets its CMS use the publisher API; the default site's key
    is a hash nobody holds until ``remarks site key default`` makes one."""

    __tablename__ = "publishers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The shared secret the CMS signs its readers' sign-on tokens with (HS256); None: no single sign-on.
    sso_secret: Mapped[str | None] = mapped_column(String(100), default=None)
    # Comments on this publisher's articles close this many days after publication; None: never.
    close_after_days: Mapped[int | None] = mapped_column(Integer, default=None)

    webhooks: Mapped[list["Webhook"]] = relationship(back_populates="publisher")


class SiteGrant(Base):
    """A moderator or admin who works on this site. Staff with ``users.all_sites`` work on every site;
    the others only on the sites granted here (none: no site at all)."""

    __tablename__ = "site_grants"
    __table_args__ = (UniqueConstraint("user_id", "publisher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    publisher_id: Mapped[int] = mapped_column(ForeignKey("publishers.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    publisher: Mapped[Publisher] = relationship()


class Webhook(Base):
    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    publisher_id: Mapped[int] = mapped_column(ForeignKey("publishers.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    events: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    # An admin's explicit permission to post to loopback/private/link-local addresses (an intranet CMS).
    allow_private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    publisher: Mapped[Publisher] = relationship(back_populates="webhooks")


class WebhookDelivery(Base):
    """One event for one webhook: pending until a 2xx answer, retried with backoff, failed after the last try."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_status_code: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    webhook: Mapped[Webhook] = relationship()
