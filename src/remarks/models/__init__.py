"""Tables only. Import from here: ``from remarks.models import Comment``."""

from remarks.models.base import Base
from remarks.models.content import Article, Comment
from remarks.models.moderation import AuditEvent, CheckRecord, Decision, Sanction
from remarks.models.people import LoginSession, User

__all__ = [
    "Article",
    "AuditEvent",
    "Base",
    "CheckRecord",
    "Comment",
    "Decision",
    "LoginSession",
    "Sanction",
    "User",
]
