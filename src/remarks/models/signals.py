"""What the checks keep between comments: MinHash signatures for near-duplicate copy, and values
under a namespace per check (article embeddings, computed once per article version)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from remarks.models.base import Base, UTCDateTime, utcnow


class CommentSignature(Base):
    __tablename__ = "comment_signatures"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignatureBand(Base):
    """One row per LSH band of a comment's signature: equal keys find candidate copies by index."""

    __tablename__ = "signature_bands"
    # A comment's candidates, newest first, read from the index alone (services/memory.py); also the
    # band key's own look-ups.
    __table_args__ = (Index("ix_signature_bands_band_key_comment_id", "band_key", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    band_key: Mapped[str] = mapped_column(String(40))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)


class CheckMemory(Base):
    """What a check keeps between comments under a namespace of its own (``Memory.cached``):
    article vectors for the relevance check, a plug-in's own state."""

    __tablename__ = "check_memory"

    namespace: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
