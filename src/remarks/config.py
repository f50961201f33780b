"""Settings, declared once with defaults and help text. Read from ``REMARKS_*`` environment
variables; reach the app through ``create_app(settings)`` so tests pass their own."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from remarks.moderation import rules
from remarks.moderation.policy import Thresholds

DEV_SECRET = "development-only-secret-key-change-me"

# The built-in rules' defaults, from the rules table (a plug-in rule brings its own).
DEFAULT_THRESHOLDS: dict[str, tuple[float, float]] = {r.name: (r.hold, r.remove) for r in rules.BUILT_IN if r.scored}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REMARKS_", extra="ignore")

    mode: Literal["development", "production"] = Field(
        "development", description="'production' requires a real secret key and secure cookies."
    )
    database_url: str = Field("sqlite:///remarks.db", description="SQLAlchemy URL: sqlite:///FILE or postgresql+psycopg://...")
    secret_key: str = Field(DEV_SECRET, description="Signs sessions and CSRF tokens. Required outside development.")
    site_name: str = Field("The Daily Remark", description="The newspaper's name, shown in the masthead.")
    max_comment_chars: int = Field(5000, description="Longest comment accepted, in characters.")
    comments_per_minute: int = Field(5, description="Per-user comment rate limit; more gets 429.")
    edit_minutes: int = Field(10, ge=0, description="How long after posting a reader may edit their comment (0: never).")
    hold_everything: bool = Field(False, description="Pre-moderation: hold every comment the checks would publish.")
    checks: list[str] | None = Field(None, description="Names of the checks to run (JSON list); all installed when unset.")
    thresholds: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: dict(DEFAULT_THRESHOLDS),
        description='Per rule (hold, remove) score thresholds, JSON: {"abuse": [0.5, 0.95], ...}.',
    )
    session_days: int = Field(30, description="How long a log-in lasts.")
    policy_file: str | None = Field(None, description="A TOML file with the initial moderation policy (see docs/policy.example.toml).")
    smtp_host: str | None = Field(None, description="SMTP server for notifications; unset keeps them in the outbox page.")
    smtp_port: int = Field(587, description="SMTP port.")
    smtp_tls: Literal["starttls", "ssl", "none"] = Field("starttls", description="How to secure the SMTP connection: STARTTLS (port 587), implicit TLS (465) or none (a local relay).")
    smtp_user: str | None = Field(None, description="SMTP user name.")
    smtp_password: str | None = Field(None, description="SMTP password.")
    mail_from: str = Field("comments@localhost", description="Sender address of notifications.")
    mail_enabled: bool = Field(True, description="Run the e-mail delivery worker in each server process (when SMTP is set).")
    mail_interval: float = Field(2.0, description="Seconds between passes of the e-mail delivery worker.")
    require_verified_email: bool = Field(False, description="A new account's comments wait until its e-mail address is confirmed (the link is e-mailed at sign-up).")
    embed_origins: str = Field("*", description="Who may frame the embed (CSP frame-ancestors), e.g. 'https://www.example-news.com'.")
    embed_autocreate: bool = Field(False, description="Let the embed create an unknown article from its data-title (else use the publisher API).")
    cookie_samesite: Literal["lax", "strict", "none"] = Field("lax", description="'none' (with HTTPS) lets the embed keep log-ins when framed by another site.")
    surge_pending_at: int = Field(64, ge=0, description="Posts in flight in one process from which new comments are "
                                  "accepted as pending (202, 'awaiting moderation') and scored by the queue.")
    surge_refuse_at: int = Field(128, ge=1, description="Posts in flight in one process from which new comments are "
                                 "refused with 503 and Retry-After (bounds how long an accepted post waits for its answer).")
    surge_backlog_max: int = Field(400, ge=1, description="Comments stored pending and not yet scored from which new "
                                   "comments are refused with 503 and Retry-After (bounds how long the queue takes to "
                                   "check them: about what one process checks in 40 s with all checks on 2 busy cores).")
    score_batch: int = Field(16, ge=1, le=256, description="Most comments scored together by the scoring thread "
                             "(micro-batching across concurrent posts); 1 scores each in its own request.")
    score_wait_ms: float = Field(100, ge=0, le=1000, description="Longest the scoring thread waits for comments "
                                 "on their way (their posts reading what the checks need) before scoring a batch "
                                 "that is not full: larger batches cost the models less a comment under load; a "
                                 "lone comment is never kept waiting. 0 scores whatever waits at once.")
    threads: int = Field(8, ge=1, le=200, description="Worker threads per server process for request handlers. "
                         "Few: Python runs one thread at a time, so more threads only queue on the interpreter "
                         "lock; scale with processes instead (remarks serve --workers, one per core).")
    shutdown_seconds: int = Field(5, ge=0, le=600, description="On SIGTERM, how long the requests still running "
                                  "(open live-update streams among them) may take before they are cut. A stream "
                                  "would otherwise hold the process up to its five-minute lifetime; the browser "
                                  "reconnects a cut stream on its own.")
    webhooks_enabled: bool = Field(True, description="Deliver webhooks from each server process (a background thread).")
    metrics_token: str | None = Field(None, description="If set, /metrics needs 'Authorization: Bearer TOKEN'.")
    log_format: Literal["text", "json"] = Field("text", description="'json' writes one JSON object a log line.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="The least severe log lines written (the server's and uvicorn's); INFO writes a line "
        "for every request, WARNING only what went wrong.")
    local_passwords: bool = Field(True, description="Readers may sign up and log in with a password here; false leaves only single sign-on (publisher tokens, OpenID Connect).")
    sso_token_max_seconds: int = Field(3600, description="Longest lifetime (exp - iat) of a publisher's sign-on token that is accepted.")
    oidc_issuer: str | None = Field(None, description="OpenID Connect provider (its issuer URL); set it with the client id to offer 'Log in with ...'.")
    oidc_client_id: str | None = Field(None, description="This site's client id at the OpenID Connect provider.")
    oidc_client_secret: str | None = Field(None, description="The client secret (unset for a public client: PKCE alone).")
    oidc_label: str = Field("your newsroom account", description="Shown on the button: 'Log in with ...'.")
    webhook_allow_private: bool = Field(False, description="Let every webhook post to loopback/private/link-local addresses (tests, intranets). Per webhook: remarks webhook add --allow-private.")
    base_url: str = Field("http://127.0.0.1:8000", description="The public address of the site, for links in notifications.")

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_upper(cls, v: object) -> object:
        return v.upper() if isinstance(v, str) else v

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        if self.mode == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("REMARKS_SECRET_KEY must be set in production mode")
        for hold, remove in self.thresholds.values():
            Thresholds(hold, remove)  # raises on bad values
        return self

    def policy_thresholds(self) -> dict[str, Thresholds]:
        return {rule: Thresholds(h, r) for rule, (h, r) in self.thresholds.items()}

    @property
    def secure_cookies(self) -> bool:
        return self.mode == "production"


def get_settings() -> Settings:
    return Settings()
