"""Tables only. Import from here: ``from remarks.models import Comment``."""

from remarks.models.base import Base
from remarks.models.content import Article, Comment
from remarks.models.due_process import (
    Appeal,
    Notification,
    NotificationPreference,
    PolicyVersion,
    Report,
    Statement,
    UserNote,
)
from remarks.models.identity import ExternalIdentity, UsedTokenId
from remarks.models.moderation import AuditEvent, CheckRecord, Decision, Sanction
from remarks.models.people import AccountToken, LoginSession, User
from remarks.models.readers import Alert, CommentRevision, Mute, Reaction
from remarks.models.publishing import Publisher, SiteGrant, Webhook, WebhookDelivery
from remarks.models.signals import CheckMemory, CommentSignature, SignatureBand
from remarks.models import versions as _versions  # noqa: F401 - registers the thread-version listeners

__all__ = [
    "AccountToken",
    "Alert",
    "CommentRevision",
    "Mute",
    "Reaction",
    "Appeal",
    "Article",
    "CheckMemory",
    "AuditEvent",
    "Base",
    "CheckRecord",
    "Comment",
    "CommentSignature",
    "Decision",
    "ExternalIdentity",
    "LoginSession",
    "Notification",
    "NotificationPreference",
    "PolicyVersion",
    "Publisher",
    "Report",
    "Sanction",
    "SignatureBand",
    "SiteGrant",
    "Statement",
    "UsedTokenId",
    "User",
    "UserNote",
    "Webhook",
    "WebhookDelivery",
]
