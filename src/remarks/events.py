"""Every audit event and webhook event, declared once.

An audit event is written in the same transaction as the change it records
(``services.audit.record``); its name reads ``subject:action``. Some of them are also
delivered to the publishers' webhooks under a public name (``subject.action``, part of the
publisher API, so it never changes when an audit name does).

To add an event: add a row here (name, what it means, the webhook name if publishers get it),
then pass ``Event.X`` to ``audit.record`` where the change happens. ``tests/test_events.py``
fails for an event name written anywhere else as a bare string.
"""

from __future__ import annotations

from enum import StrEnum


class Event(StrEnum):
    meaning: str
    webhook: str | None

    def __new__(cls, name: str, meaning: str, webhook: str | None = None) -> Event:
        member = str.__new__(cls, name)
        member._value_ = name
        member.meaning = meaning
        member.webhook = webhook
        return member

    # name                      = audit name,              what it means,                                  webhook
    COMMENT_CREATED = "comment:created", "A reader posted a comment (before the policy's verdict).", "comment.created"
    COMMENT_PUBLISHED = "comment:published", "The policy published a new comment."
    COMMENT_HELD = "comment:held", "A comment was held for a moderator (by the policy or reader reports).", \
        "comment.held"
    COMMENT_REMOVED = "comment:removed", "A comment was removed, by the policy or by a moderator.", "comment.removed"
    COMMENT_APPROVED = "comment:approved", "A moderator approved (published) a comment."
    COMMENT_RESTORED = "comment:restored", "An upheld appeal put a removed comment back.", "comment.restored"
    COMMENT_REPORTED = "comment:reported", "A reader reported a comment (a notice)."
    COMMENT_DELETED = "comment:deleted", "A reader deleted their own comment."
    COMMENT_EDITED = "comment:edited", "A reader edited their own comment (checked again; the old text kept)."
    COMMENT_FEATURED = "comment:featured", "A moderator featured a comment (an editor's pick)."
    COMMENT_UNFEATURED = "comment:unfeatured", "A moderator took a comment out of the featured ones."
    USER_CREATED = "user:created", "An account was made (sign-up, the CLI, the demo)."
    USER_LOGGED_IN = "user:logged_in", "A user logged in (a new session)."
    USER_LOGIN_FAILED = "user:login_failed", "A log-in failed (counted by the log-in rate limit)."
    USER_WARNED = "user:warned", "A moderator warned a user.", "user.sanctioned"
    USER_SUSPENDED = "user:suspended", "A moderator suspended a user until a date.", "user.sanctioned"
    USER_BANNED = "user:banned", "A moderator banned a user permanently.", "user.sanctioned"
    USER_SANCTION_LIFTED = "user:sanction_lifted", "A sanction was lifted, with a reason (a reversed appeal, a " \
        "moderator).", "user.sanction_lifted"
    USER_NOTE_ADDED = "user:note_added", "A moderator wrote a note on a user (moderators only read it)."
    USER_TRUSTED_FLAGGER = "user:trusted_flagger", "An admin marked or unmarked a trusted flagger (DSA Art. 22)."
    USER_PASSWORD_CHANGED = "user:password_changed", "A user changed their password (every session ended)."
    USER_PASSWORD_RESET_REQUESTED = "user:password_reset_requested", "Someone asked for a password reset link " \
        "(counted by its rate limit; says nothing of whether the address has an account)."
    USER_PASSWORD_RESET = "user:password_reset", "A password was reset with an e-mailed link (every session ended)."
    USER_EMAIL_VERIFIED = "user:email_verified", "A user confirmed their e-mail address."
    REPORT_DECIDED = "report:decided", "A report got its decision (upheld or no action); the reader is told."
    USER_EMAIL_PREFERENCE = "user:email_preference", "A user changed which e-mails they get."
    USER_PROFILE_VISIBILITY = "user:profile_visibility", "A user showed or hid their public profile."
    USER_DELETED = "user:deleted", "A user deleted their account (GDPR Art. 17)."
    APPEAL_FILED = "appeal:filed", "A user appealed a statement of reasons."
    APPEAL_DECIDED = "appeal:decided", "A moderator decided an appeal.", "appeal.decided"
    ARTICLE_CREATED = "article:created", "An article was added (the publisher API, the embed, the demo)."
    ARTICLE_UPDATED = "article:updated", "The publisher API changed an article."
    ARTICLE_CLOSED = "article:closed", "A moderator closed an article's comments, with a reason readers see."
    ARTICLE_REOPENED = "article:reopened", "A moderator reopened an article's comments."
    PUBLISHER_CREATED = "publisher:created", "An admin registered a publisher (API key)."
    PUBLISHER_SSO_SECRET_SET = "publisher:sso_secret_set", "An admin made a new single sign-on secret for a publisher."
    SITE_GRANTED = "site:granted", "An admin made someone a moderator or admin of a site (or of every site)."
    SITE_REVOKED = "site:revoked", "An admin took a site from a moderator or admin."
    SITE_KEY_SET = "site:key_set", "An admin made a new publisher API key for a site (the old one stops working)."
    IMPORT_FINISHED = "import:finished", "An export from another comment system was imported (counts in the data)."
    PUBLISHER_CLOSING_SET = "publisher:closing_set", "An admin set after how many days a publisher's comments close."
    WEBHOOK_CREATED = "webhook:created", "A publisher subscribed a webhook URL."
    STATEMENT_ISSUED = "statement:issued", "A statement of reasons was sent to a user (DSA Art. 17)."
    POLICY_CHANGED = "policy:changed", "An admin changed the moderation policy."


# The public webhook names, in the order the publisher API lists them.
WEBHOOK_EVENTS: tuple[str, ...] = tuple(dict.fromkeys(e.webhook for e in Event if e.webhook))


def comment_state_event(state: str) -> Event:
    """The event of the policy's verdict on a new comment: published, held or removed."""
    return {"published": Event.COMMENT_PUBLISHED, "held": Event.COMMENT_HELD, "removed": Event.COMMENT_REMOVED}[state]
