"""The reader's side: earlier texts of edited comments, reactions, mutes and in-product alerts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remarks.models.base import Base, UTCDateTime, utcnow
from remarks.models.content import Comment
from remarks.models.people import User


class CommentRevision(Base):
    """A comment's text before an edit: moderators see every earlier version."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # the comment's state before the edit
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # when it was replaced


class Reaction(Base):
    """One "Respect" from one reader for one comment."""

    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Mute(Base):
    """A reader who does not want to see another's comments (they collapse for them only)."""

    __tablename__ = "mutes"
    __table_args__ = (UniqueConstraint("user_id", "muted_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    muted_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    muted: Mapped[User] = relationship(foreign_keys=[muted_id])


class Alert(Base):
    """An in-product notification (the bell): a reply, a mention, a comment featured."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # a key of alerts.KINDS
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), default=None)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Put in an e-mail (its own, or the reader's daily digest); None while waiting for the digest.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    comment: Mapped[Comment | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
