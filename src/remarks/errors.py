"""One exception family. Each carries an HTTP status, a short code and a public message;
the web layer turns it into an error page or the one JSON error shape, the CLI into a
clear message and a non-zero exit."""

from __future__ import annotations


class RemarksError(Exception):
    status = 400
    code = "bad_request"
    # True when the work done before the error must still be committed (a failed log-in is
    # counted by the rate limit); the unit of work (remarks.web.uow, the CLI) honours it.
    keep_work = False

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 **params: object) -> None:
        # ``message`` is English, marked with remarks.i18n.N_ where a reader may read it, with %(name)s
        # placeholders for ``params`` (any name but status and code); the web layer shows it translated
        # (remarks.i18n.translate).
        self.template, self.params = message, params
        message = message % params if params else message
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code


class BadInput(RemarksError):
    status = 400
    code = "bad_input"


class TooLarge(RemarksError):
    status = 413
    code = "too_large"


class NotAuthenticated(RemarksError):
    status = 401
    code = "not_authenticated"


class FailedLogin(NotAuthenticated):
    """Wrong username or password. The attempt itself is recorded, for the log-in rate limit."""

    keep_work = True


class Forbidden(RemarksError):
    status = 403
    code = "forbidden"


class NotFound(RemarksError):
    status = 404
    code = "not_found"


class Conflict(RemarksError):
    status = 409
    code = "conflict"


class Sanctioned(RemarksError):
    """The user is banned or suspended; the message says why and until when."""

    status = 403
    code = "sanctioned"


class RateLimited(RemarksError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int = 60, **params: object) -> None:
        super().__init__(message, **params)
        self.retry_after = retry_after


class ConfigError(RemarksError):
    status = 500
    code = "config_error"


class Unavailable(RemarksError):
    status = 503
    code = "unavailable"
