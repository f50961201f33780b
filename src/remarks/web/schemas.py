"""JSON shapes of the API (pydantic)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from remarks.moderation import rules

from remarks.sanction_kinds import KINDS


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorDetail


# The error answers every API router documents (one shape, see web/errors.py).
ERRORS = {code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 422, 429, 503)}


class ArticleSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    slug: str
    title: str
    standfirst: str
    byline: str
    section: str
    published_at: datetime
    site: str | None = Field(None, description="The site (publisher) the article belongs to.")


class CommentOut(BaseModel):
    id: int
    article_id: int
    parent_id: int | None
    author: str
    text: str
    html: str = Field(description="The text formatted: paragraphs, quotes and links (sanitised, safe to insert).")
    author_id: int | None = None
    state: str = Field(description="published; held or pending (only its author sees it); deleted (by its "
                                   "author, shown only where it has replies, without text)")
    created_at: datetime
    edited_at: datetime | None = None
    featured: bool = False
    reactions: int = Field(0, description="How many readers gave it Respect.")
    reacted: bool = Field(False, description="You did.")
    muted: bool = Field(False, description="You muted its author: show it collapsed.")
    editable: bool = Field(False, description="You wrote it and may still edit it.")
    replies: list["CommentOut"] = []


Sort = Literal["oldest", "newest", "reactions", "replies"]


class FeaturedOut(BaseModel):
    id: int
    author: str
    text: str
    html: str
    created_at: datetime


class ArticleOut(ArticleSummary):
    body: str
    comments_closed: str | None = Field(None, description="Why comments are closed (by a moderator, or N days "
                                        "after publication); null while they are open.")
    comments: list[CommentOut]
    featured: list[FeaturedOut] = []


class RespectIn(BaseModel):
    on: bool = Field(True, description="false takes your Respect back.")


class RespectOut(BaseModel):
    comment_id: int
    reactions: int
    reacted: bool


class FeatureIn(BaseModel):
    on: bool = True


class MuteIn(BaseModel):
    on: bool = True


class AlertOut(BaseModel):
    id: int
    kind: str
    comment_id: int | None
    article_slug: str | None
    actor: str | None
    created_at: datetime
    read: bool


class CommentIn(BaseModel):
    text: str = Field(description="The comment as typed (at most the site's limit, 5,000 characters by default).",
                      max_length=100_000)
    parent_id: int | None = Field(None, ge=1, le=2**62, description="The published comment this replies to.")
    idempotency_key: str | None = Field(None, max_length=100,
                                        description="Retrying with the same key never posts twice.")


class CheckOut(BaseModel):
    rule: str
    score: float
    model_version: str
    evidence: dict[str, Any]


class PostedComment(BaseModel):
    id: int
    state: str
    reason: str
    checks: list[CheckOut]


class LoginIn(BaseModel):
    username: str = Field(max_length=100)
    password: str = Field(max_length=1024)


class TokenOut(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    csrf_token: str


class MeOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    sanction: str | None


class QueueItem(BaseModel):
    id: int
    article_id: int
    article_title: str
    parent_text: str | None
    author_id: int
    author: str
    text: str
    created_at: datetime
    risk: float
    checks: list[CheckOut]


class SanctionOut(BaseModel):
    id: int
    user_id: int
    kind: str
    rule: str | None
    reason: str
    created_at: datetime
    ends_at: datetime | None
    message: str
def _citable(rule: str | None) -> str | None:
    if rule is not None and rule not in {r.name for r in rules.citable()}:
        raise ValueError(f"cite one of the rules: {', '.join(r.name for r in rules.citable())}")
    return rule


def _reportable(reason: str) -> str:
    if (r := rules.get(reason)) is None or not r.reportable:
        raise ValueError(f"report one of: {', '.join(r.name for r in rules.reportable())}")
    return reason


CitedRule = Annotated[str | None, AfterValidator(_citable),
                      Field(description="A rule moderators can cite (GET /api/v1/rules).")]


class RuleOut(BaseModel):
    name: str
    label: str
    clause: str
    dsa_category: str
    hold: float | None
    remove: float | None
    citable: bool
    reportable: bool


class DecisionIn(BaseModel):
    action: Literal["approve", "remove"]
    rule: CitedRule = None
    reason: str = Field("", max_length=2000)
    sanction: Literal[(*KINDS, "next")] | None = Field(
        None, description="Also sanction the comment's author, citing it; \"next\" takes the next step of the "
                          "policy's escalation ladder.")
    days: float | None = Field(None, gt=0, le=3650, description="Length of a suspension, in days.")
    remove_all: bool = Field(False, description="With a sanction and a rule: also remove every other visible "
                                                "comment of the author (one statement of reasons each).")
    legal_ground: str | None = Field(None, max_length=40, description="For rule 'illegal': one of GET "
                                     "/api/v1/moderation/legal-grounds.")
    legal_ground_text: str = Field("", max_length=2000, description="The law, article or ruling, in words.")
    territorial_scope: str = Field("", max_length=200, description="For rule 'illegal': where the law applies, "
                                   "country codes ('DE AT') or 'EU' / 'EEA'.")


class DecisionOut(BaseModel):
    id: int
    comment_id: int
    action: str
    rule: str | None
    reason: str
    moderator: str | None
    created_at: datetime
    sanction: SanctionOut | None = None
    removed: int = Field(0, description="How many more of the author's comments were removed (remove_all).")


class SanctionIn(BaseModel):
    kind: Literal[tuple(KINDS)]
    rule: CitedRule = None
    reason: str = Field("", max_length=2000)
    days: float | None = Field(None, gt=0, le=3650, description="Length of a suspension, in days.")


class PreviewOut(BaseModel):
    action: str
    rule: str | None
    reason: str
    checks: list[CheckOut]


class ReportIn(BaseModel):
    reason: Annotated[str, AfterValidator(_reportable)] = Field(description="A rule readers can report (GET /api/v1/rules).")
    explanation: str = Field("", max_length=2000, description="Required for 'illegal' (DSA Art. 16).")


class ReportOut(BaseModel):
    id: int
    comment_id: int
    reason: str
    message: str


class StatementOut(BaseModel):
    id: int
    measure: str
    ends_at: datetime | None
    ground: str | None
    facts: str
    explanation: str
    automated: str
    created_at: datetime
    comment_id: int | None
    appeal_state: str | None
    appeal_answer: str | None
    may_appeal: bool


class AppealIn(BaseModel):
    text: str = Field(max_length=5000)


class AppealOut(BaseModel):
    id: int
    statement_id: int
    state: str
    answer: str
    text: str | None = None


class AppealDecisionIn(BaseModel):
    outcome: Literal["upheld", "reversed"]
    answer: str = Field(max_length=5000)


class DeletionIn(BaseModel):
    password: str = Field(max_length=1024, description="Your password, to confirm.")
    comments: Literal["anonymise", "remove"] = Field(
        description="anonymise: your comments stay, signed 'Former reader'; remove: they leave the pages.")


class UserSuggestion(BaseModel):
    username: str
    display_name: str


class EditIn(BaseModel):
    text: str = Field(description="The new text (checked again like a new comment).", max_length=100_000)


class ReportItem(BaseModel):
    """A reader's report as the reports queue shows it."""

    id: int
    comment_id: int
    comment_text: str
    comment_state: str
    article_title: str
    reason: str
    explanation: str
    trusted: bool
    created_at: datetime
    outcome: str | None
    answer: str
    decided_at: datetime | None
    earlier_decision: str | None = Field(None, description="A moderator's decision on the comment, if any.")


class ReportDecisionIn(BaseModel):
    action: Literal["remove", "no_action"]
    rule: str | None = Field(None, max_length=40, description="For 'remove': the rule cited ('illegal' for "
                             "illegal content).")
    reason: str = Field("", max_length=2000, description="For 'remove': what the author reads.")
    answer: str = Field("", max_length=2000, description="For 'no_action': why - the reader is told.")
    legal_ground: str | None = Field(None, max_length=40)
    legal_ground_text: str = Field("", max_length=2000)
    territorial_scope: str = Field("", max_length=200)


class MyReport(BaseModel):
    id: int
    comment_id: int
    article_title: str
    reason: str
    created_at: datetime
    outcome: str | None = Field(None, description="upheld (the comment was removed) | rejected (no action) | "
                                "null (waiting)")
    answer: str
    decided_at: datetime | None


class LiftIn(BaseModel):
    reason: str = Field(max_length=2000, description="Why the measure is lifted; the user reads it.")


class LiftedOut(BaseModel):
    id: int
    user_id: int
    kind: str
    lifted_at: datetime
    lift_reason: str


class NoteIn(BaseModel):
    text: str = Field(max_length=5000)


class NoteOut(BaseModel):
    id: int
    user_id: int
    author: str | None
    text: str
    created_at: datetime


class PasswordChangeIn(BaseModel):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024, description="At least 8 characters. Every session of the account "
                              "ends; the answer carries a new token for this client.")


class PasswordResetIn(BaseModel):
    email: str = Field(max_length=254)


class PasswordResetConfirmIn(BaseModel):
    token: str = Field(max_length=200, description="The token of the e-mailed link (/password/reset/TOKEN).")
    new_password: str = Field(max_length=1024)


class MessageOut(BaseModel):
    message: str


class AuditEventOut(BaseModel):
    id: int
    created_at: datetime
    name: str = Field(description="subject:action, e.g. comment:removed")
    actor_id: int | None
    subject_type: str
    subject_id: int | None
    data: dict[str, Any]


class AuditPage(BaseModel):
    events: list[AuditEventOut]
    next: str | None = Field(None, description="The URL of the next page (events after the last one here), "
                             "or null at the end.")


class StatsTable(BaseModel):
    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    page: int
    pages: int


class StatsOut(BaseModel):
    days: int
    headline: dict[str, Any]
    tables: dict[str, str] = Field(description="name -> title; GET /api/v1/stats/{name} gives the rows")
