"""Settings: one object, read from the environment and `.env`, built once and passed in."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

OFFICIAL_BOT_API = "https://api.telegram.org/bot"


class MissingTokenError(RuntimeError):
    """Raised when something needs Telegram and no bot token is configured."""

    def __init__(self) -> None:
        super().__init__(
            "TELEGRAM_BOT_TOKEN is not set. Create a bot by talking to @BotFather on Telegram "
            "(/newbot), then put the token it gives you in .env as TELEGRAM_BOT_TOKEN=..."
        )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    # Any Bot API server works: the official one, a self-hosted one, or the tests' loopback fake.
    telegram_api_url: str = OFFICIAL_BOT_API
    telegram_bot_username: str | None = None
    telegram_mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    rate_limit: bool = True
    # Connections per Bot (the outbox's aiohttp one, PTB's httpx one for direct answers); httpx
    # re-scans every pooled connection per request, so a small pool costs less CPU per send.
    telegram_connection_pool: int = 8
    # Past this a send counts as failed and is tried again (it may have arrived: Telegram has no
    # idempotency key, so a slow network can mean a message twice rather than never). Telegram
    # answers a send in well under a second; a slow one holds only its own chat's queue.
    telegram_timeout_seconds: float = 5.0

    data_dir: Path = Path("data")
    database_url: str | None = None
    # PostgreSQL only: each message takes a few connections while many chats run at once.
    database_pool_size: int = 20
    database_max_overflow: int = 20

    rasa_url: str | None = None
    # The Spanish model's own Rasa server; unset: Spanish is read by the embedded classifier.
    rasa_url_es: str | None = None
    rasa_timeout_seconds: float = 0.5
    rasa_retry_after_seconds: float = 30.0

    log_level: str = "INFO"
    default_timezone: str = "Europe/London"

    dispatch_interval_seconds: float = 5.0
    dispatch_batch_size: int = 200
    # A sender that has not beaten its heartbeat for this long is gone: its rows in flight are
    # taken back by whichever process runs (it beats every quarter of this).
    sending_timeout_seconds: int = 20
    missed_after_hours: int = 72
    invite_valid_days: int = 14
    free_text_retention_days: int = 90
    # For a chat no clinic has linked whose message trips the crisis safety net.
    default_crisis_resources: str = (
        "If you are in the UK: Samaritans, 116 123 (free, 24/7). Elsewhere: your local crisis line."
    )
    default_emergency_number: str = "112"
    # Outbox sender: chats in flight at once, and how often other processes' rows are looked for.
    outbox_batch_size: int = 20
    outbox_poll_seconds: float = 1.0
    # Polling: how often a process that is not the poller tries to become it.
    leader_retry_seconds: float = 5.0

    # The clinic console (bot/web): `aftercare run` serves it too unless RUN_CONSOLE is false.
    run_console: bool = True
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=0, le=65535)
    web_session_idle_minutes: int = Field(default=30, ge=1)
    web_session_max_hours: int = Field(default=10, ge=1)
    # How often the alert and return-request queues refresh themselves in the browser.
    web_refresh_seconds: int = Field(default=10, ge=1)
    # Where staff reach the console (invite links; https also turns on Secure cookies).
    web_public_url: str | None = None
    # Reverse proxies (IPs or networks, comma-separated) whose X-Forwarded-For names the client;
    # from any other peer the header is ignored, so nobody can pick the address they are limited as.
    web_trusted_proxies: str = ""
    # Sign-in keys (bot/web/settings.py checks them; a console served over https must set both):
    # TOTP secrets are sealed with the first of these comma-separated keys and opened with any.
    totp_encryption_key: SecretStr | None = Field(default=None, validate_default=True)
    # Hashes an email typed at sign-in that names no account (the audit log keeps only the hash).
    sign_in_hash_key: SecretStr | None = Field(default=None, validate_default=True)

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("web_public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("WEB_PUBLIC_URL must start with http:// or https://")
        return value

    @property
    def public_url(self) -> str:
        """Where staff reach the console."""
        return self.web_public_url or f"http://{self.web_host}:{self.web_port}"

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        # PTB appends the token directly, so the URL must end where the token begins.
        return value if value.endswith("/bot") or value.endswith("/") else value + "/bot"

    @model_validator(mode="after")
    def _webhook_complete(self) -> Settings:
        if self.telegram_mode == "webhook" and not (self.webhook_url and self.webhook_secret):
            raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        return self

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return normalize_database_url(self.database_url)
        return f"sqlite+aiosqlite:///{(self.data_dir / 'aftercare.db').resolve()}"

    @property
    def telegram_file_url(self) -> str:
        api = self.telegram_api_url
        return api[: -len("/bot")] + "/file/bot" if api.endswith("/bot") else api

    def require_token(self) -> str:
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise MissingTokenError()
        return self.telegram_bot_token.get_secret_value()


def normalize_database_url(url: str) -> str:
    """Accept the usual `postgresql://` and `sqlite:///` spellings and pick the async drivers."""
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def get_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]


__all__ = ["Field", "MissingTokenError", "Settings", "get_settings", "normalize_database_url"]
