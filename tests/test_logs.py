"""The bot token never reaches a log line, at DEBUG too, once the CLI has set up logging."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import httpx
import pytest
from telegram import Bot

from bot.cli.main import configure_logging
from bot.config import Settings
from bot.logs import REDACTED, TokenRedactor
from tests.support.fake_bot_api import FakeBotApi

TOKEN = "7412589630:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
# Another bot's token, never configured here: the pattern alone must catch it.
OTHER = "bot5550001234:AAF-other_token_with_enough_characters"


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """Logging as `aftercare` sets it up at LOG_LEVEL=DEBUG, written to a buffer."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    for handler in saved:
        root.removeHandler(handler)
    out = io.StringIO()
    try:
        settings = Settings(_env_file=None, telegram_bot_token=TOKEN, log_level="DEBUG")
        configure_logging(settings, stream=out)
        yield out
    finally:
        for handler in root.handlers[:]:
            root.removeHandler(handler)
            handler.close()
        for handler in saved:
            root.addHandler(handler)
        root.setLevel(level)


def test_an_httpx_request_line_at_debug_shows_no_token(logged: io.StringIO) -> None:
    url = httpx.URL(f"https://api.telegram.org/bot{TOKEN}/getUpdates")
    # Word for word what httpx logs for every request.
    logging.getLogger("httpx").info(
        'HTTP Request: %s %s "%s %d %s"', "POST", url, "HTTP/1.1", 200, "OK"
    )
    logging.getLogger("telegram.ext.Updater").debug("calling %s", f"/{OTHER}/getMe")
    written = logged.getvalue()
    assert "HTTP Request: POST https://api.telegram.org/bot[REDACTED]/getUpdates" in written
    assert '"HTTP/1.1 200 OK"' in written
    assert "calling /bot[REDACTED]/getMe" in written
    assert TOKEN not in written and TOKEN.split(":")[1] not in written
    assert OTHER.split(":")[1] not in written


def test_a_traceback_holding_the_token_is_redacted(logged: io.StringIO) -> None:
    try:
        raise httpx.ConnectError(f"cannot reach https://api.telegram.org/bot{TOKEN}/sendMessage")
    except httpx.ConnectError:
        logging.getLogger("bot.telegram.errors").exception("update failed")
    written = logged.getvalue()
    assert "update failed" in written and "ConnectError" in written
    assert TOKEN not in written and REDACTED in written


def test_the_webhook_secret_is_redacted_too(logged: io.StringIO) -> None:
    secret = "s3cret-webhook-value-0123456789"
    configure_logging(
        Settings(
            _env_file=None,
            telegram_bot_token=TOKEN,
            log_level="DEBUG",
            telegram_mode="webhook",
            webhook_url="https://bot.example.org",
            webhook_secret=secret,
        )
    )
    logging.getLogger("telegram.ext.Updater").debug("secret_token=%s", secret)
    assert secret not in logged.getvalue() and "secret_token=[REDACTED]" in logged.getvalue()


def test_configuring_twice_adds_one_filter(logged: io.StringIO) -> None:
    configure_logging(Settings(_env_file=None, telegram_bot_token=TOKEN, log_level="DEBUG"))
    # Ours and pytest's own capturing handlers: every one of them redacts, once.
    handlers = logging.getLogger().handlers
    assert handlers
    for handler in handlers:
        assert sum(isinstance(f, TokenRedactor) for f in handler.filters) == 1


async def test_real_requests_through_ptb_log_no_token(logged: io.StringIO) -> None:
    async with FakeBotApi() as fake:
        async with Bot(TOKEN, base_url=fake.base_url) as bot:
            await bot.send_message(5001, "hello")
    written = logged.getvalue()
    assert "HTTP Request: POST" in written and "/bot[REDACTED]/sendMessage" in written
    assert TOKEN not in written


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("check-in at 12:30 tomorrow", True),
        ("alert 42:ack pressed", True),
        (f"token {TOKEN} leaked", False),
        (f"https://x/{OTHER}/getMe", False),
        ("https://api.telegram.org/bot123:abc/getMe", False),
    ],
)
def test_the_filter_leaves_ordinary_text_alone(line: str, kept: bool) -> None:
    redacted = TokenRedactor().redact(line)
    assert (redacted == line) is kept
