"""The scoring engine: pure functions of (comment, context) -> CheckResult. No database, no web."""

from remarks.checks.base import Check, CheckResult, CommentContext, Span

__all__ = ["Check", "CheckResult", "CommentContext", "Span"]
