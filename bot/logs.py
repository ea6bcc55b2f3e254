"""Keeping the bot token out of every log line, at every level.

At DEBUG, httpx, httpcore and python-telegram-bot log each request's URL, and a Bot API URL holds
the token (`https://api.telegram.org/bot<TOKEN>/getUpdates`); an exception's traceback can hold
it too. `TokenRedactor` is a handler filter: it rewrites each record before any formatter sees
it, so whatever the handler writes has `bot[REDACTED]` where the token was.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[REDACTED]"
# A Bot API token is "<bot id>:<secret>"; in URLs it follows "bot" directly.
BOT_URL_TOKEN = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
# The same shape on its own, long enough (Telegram's secrets are 35 characters) not to hit
# ordinary text like "12:30".
BARE_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}")

_formatter = logging.Formatter()


class TokenRedactor(logging.Filter):
    """Rewrites a record's message, arguments and traceback text without the bot token."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a token containing another secret is removed whole.
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = BOT_URL_TOKEN.sub("bot" + REDACTED, text)
        return BARE_TOKEN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: the handler reports it as it would anyway
            return True
        cleaned = self.redact(message)
        if cleaned != message:
            # The message is final now: no argument (a URL object, say) is formatted again.
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_redaction(handlers: Iterable[logging.Handler], secrets: Iterable[str] = ()) -> None:
    """Add (or refresh) a `TokenRedactor` on each handler; calling it again adds no duplicate."""
    wanted = list(secrets)
    for handler in handlers:
        for existing in handler.filters:
            if isinstance(existing, TokenRedactor):
                handler.removeFilter(existing)
        handler.addFilter(TokenRedactor(wanted))
