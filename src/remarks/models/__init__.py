"""Tables only. Import from here: ``from remarks.models import Comment``."""

from remarks.models.base import Base
from remarks.models.content import Article, Comment
from remarks.models.due_process import Appeal, Notification, PolicyVersion, Report, Statement
from remarks.models.moderation import AuditEvent, CheckRecord, Decision, Sanction
from remarks.models.people import LoginSession, User

__all__ = [
    "Appeal",
    "Article",
    "AuditEvent",
    "Base",
    "CheckRecord",
    "Comment",
    "Decision",
    "LoginSession",
    "Notification",
    "PolicyVersion",
    "Report",
    "Sanction",
    "Statement",
    "User",
]
