from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remarks.models.base import Base, UTCDateTime, utcnow
from remarks.models.people import User
from remarks.models.publishing import DEFAULT_SITE, Publisher

COMMENT_STATES = ("pending", "published", "held", "removed", "deleted")  # deleted: by its author


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    standfirst: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    byline: Mapped[str] = mapped_column(String(200), default="")
    section: Mapped[str] = mapped_column(String(80), default="News")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The site (publisher) the article belongs to: the default site unless whoever creates it says which.
    publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("publishers.id", ondelete="SET NULL"), index=True,
        default=select(Publisher.id).where(Publisher.name == DEFAULT_SITE).scalar_subquery())
    # Closed by hand (closed_at and the reason a moderator gave); automatic closing is computed, not stored.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    closed_reason: Mapped[str | None] = mapped_column(String(300), default=None)
    # Bumped in the same transaction as any change to what the article's thread shows (models/versions.py):
    # every server process compares it to decide whether its cached thread is still current.
    thread_version: Mapped[int] = mapped_column(default=0, server_default="0")

    comments: Mapped[list["Comment"]] = relationship(back_populates="article")
    publisher: Mapped[Publisher | None] = relationship()

    @property
    def site(self) -> str | None:
        """The name of the site the article belongs to."""
        return self.publisher.name if self.publisher is not None else None


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_article_state", "article_id", "state"),
                      Index("ix_comments_article_id_id", "article_id", "id"))  # the latest under a story

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), default=None)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # A client-chosen key: a retried POST with the same key returns the first comment.
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None, unique=True)
    # Ban-evasion signals: keyed hashes, never the raw address or cookie.
    ip_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    device_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    # The nudge: the commenter was shown which rule and words before posting; did they edit?
    nudged: Mapped[bool] = mapped_column(default=False)
    edited_after_nudge: Mapped[bool] = mapped_column(default=False)
    # A moderator working on a held comment claims it so nobody else gets it at the same time.
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    risk: Mapped[float] = mapped_column(default=0.0, index=True)
    # The reader's side: edited by its author (earlier texts in comment_revisions), deleted by its author
    # (state "deleted": kept for moderators), featured by a moderator (an editor's pick).
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    featured_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None, index=True)
    featured_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    article: Mapped[Article] = relationship(back_populates="comments")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    revisions: Mapped[list["CommentRevision"]] = relationship(order_by="CommentRevision.id", viewonly=True)  # noqa: F821 - SQLAlchemy resolves the name from its registry
    parent: Mapped["Comment | None"] = relationship(remote_side=[id])
    checks: Mapped[list["CheckRecord"]] = relationship(back_populates="comment", order_by="CheckRecord.rule")  # noqa: F821 - SQLAlchemy resolves the name from its registry
    decisions: Mapped[list["Decision"]] = relationship(  # noqa: F821 - SQLAlchemy resolves the name from its registry
        back_populates="comment", order_by="Decision.created_at"
    )
    reports: Mapped[list["Report"]] = relationship(order_by="Report.id", viewonly=True)  # noqa: F821 - SQLAlchemy resolves the name from its registry
