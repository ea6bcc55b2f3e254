"""Webhook mode: Telegram's secret token is checked on every request."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.runtime import Runtime
from bot.services import Services
from tests.support.fake_bot_api import FakeBotApi

SECRET = "s3cret-token-for-tests"
CHAT = 41001


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def webhook(
    settings: Settings, services: Services, fake_bot_api: FakeBotApi
) -> AsyncIterator[tuple[str, FakeBotApi]]:
    port = free_port()
    live = settings.model_copy(
        update={
            "telegram_api_url": fake_bot_api.base_url,
            "telegram_mode": "webhook",
            "webhook_url": "https://bot.example.org",
            "webhook_secret": SecretStr(SECRET),
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
        }
    )
    services.settings = live
    runtime = Runtime(live, services)
    await runtime.start()
    try:
        yield f"http://127.0.0.1:{port}/telegram", fake_bot_api
    finally:
        await runtime.stop()


def update(update_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": CHAT, "type": "private", "first_name": "Sam"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Sam"},
            "text": text,
        },
    }


async def test_requests_without_the_secret_are_refused(webhook: tuple[str, FakeBotApi]) -> None:
    url, fake = webhook
    [registered] = fake.calls_to("setWebhook")
    assert registered.params["url"] == "https://bot.example.org/telegram"
    assert registered.params["secret_token"] == SECRET
    async with httpx.AsyncClient() as http:
        body = json.dumps(update(1, "hello"))
        headers = {"content-type": "application/json"}
        missing = await http.post(url, content=body, headers=headers)
        wrong = await http.post(
            url, content=body, headers=headers | {"X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
        assert (missing.status_code, wrong.status_code) == (403, 403)
        assert fake.calls_to("sendMessage", CHAT) == []
        right = await http.post(
            url, content=body, headers=headers | {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert right.status_code == 200
    [reply] = await fake.wait_for_call("sendMessage", CHAT)
    assert "personal link" in reply.params["text"]


def test_webhook_mode_needs_url_and_secret() -> None:
    with pytest.raises(ValueError, match="WEBHOOK_URL and WEBHOOK_SECRET"):
        Settings(_env_file=None, telegram_mode="webhook")  # type: ignore[call-arg]
