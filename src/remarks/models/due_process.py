"""Reader reports, statements of reasons, appeals, notifications and the policy's versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remarks.i18n import N_
from remarks.models.base import Base, UTCDateTime, utcnow
from remarks.models.content import Comment
from remarks.models.people import User



# The legal grounds a moderator cites when removing illegal content (with free text beside them).
LEGAL_GROUNDS: dict[str, str] = {
    "defamation": N_("Defamation or insult (criminal or civil law)"),
    "incitement": N_("Incitement to hatred or violence"),
    "threat": N_("Threats"),
    "terrorism": N_("Terrorist content"),
    "privacy": N_("Unlawful disclosure of personal data"),
    "intellectual_property": N_("Infringement of copyright or other intellectual property"),
    "fraud": N_("Fraud or scams"),
    "child_protection": N_("Content harmful to or sexually exploiting minors"),
    "other": N_("Another law (named in the text)"),
}


class Report(Base):
    """A reader's report of a comment (DSA Art. 16 notice when the reason is 'illegal')."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("comment_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)  # the reporter's track record when filed
    outcome: Mapped[str | None] = mapped_column(String(12), default=None)  # upheld | rejected
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A trusted flagger's notice (DSA Art. 22) goes first in the reports queue.
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Every notice ends with a decision the notifier is told, with the moderator's words.
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    answer: Mapped[str] = mapped_column(Text, default="")

    comment: Mapped[Comment] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])


class Statement(Base):
    """A statement of reasons (DSA Art. 17) for a removal or a sanction."""

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"), default=None)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"), default=None)
    sanction_id: Mapped[int | None] = mapped_column(ForeignKey("sanctions.id", ondelete="SET NULL"), default=None)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    measure: Mapped[str] = mapped_column(String(20))  # removal | warning | suspension | ban
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    ground: Mapped[str | None] = mapped_column(String(20), default=None)  # the rule
    facts: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    automated_detection: Mapped[bool] = mapped_column(Boolean, default=False)
    automated_decision: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(30), default="own_initiative")  # own_initiative | notice
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Illegal content (ground "illegal"): which law, in the moderator's words, and where it applies.
    legal_ground: Mapped[str | None] = mapped_column(String(40), default=None)  # a key of LEGAL_GROUNDS
    legal_ground_text: Mapped[str] = mapped_column(Text, default="")
    territorial_scope: Mapped[str] = mapped_column(String(200), default="")  # country codes, e.g. "DE FR" or "EEA"
    # A measure lifted by a moderator (or a reversed appeal): the user's statement says so.
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    lift_reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    comment: Mapped[Comment | None] = relationship()
    appeal: Mapped["Appeal | None"] = relationship(back_populates="statement", uselist=False)


class Appeal(Base):
    """An appeal against a removal or sanction (DSA Art. 20): one per statement, decided by a person."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="open", index=True)  # open | upheld | reversed
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    answer: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    statement: Mapped[Statement] = relationship(back_populates="appeal")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])


class Notification(Base):
    """A message to a user, shown on their page and e-mailed by the delivery worker (an outbox:
    pending until the SMTP server accepts it, retried with backoff, failed after the last try;
    skipped when the user has no address or turned that kind of e-mail off)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30), default="general")  # a key of notify.KINDS
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)  # pending|sent|failed|skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)

    user: Mapped[User] = relationship()


class NotificationPreference(Base):
    """A reader's choice for one kind of e-mail; no row means the kind's default (on)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    email: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UserNote(Base):
    """A moderator's note on a user: seen by moderators only; adding one is audited."""

    __tablename__ = "user_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class PolicyVersion(Base):
    """Each change of the moderation policy, newest wins."""

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The site whose policy this is; None: the installation's policy, which sites without their own follow.
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("publishers.id", ondelete="CASCADE"), default=None,
                                                     index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
