"""The product with its production rate limiting on (the outbox pacer, PTB's AIORateLimiter).

Check-ins and conversation replies still arrive exactly once, and nothing is lost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from telegram.ext import AIORateLimiter

from bot.checkin.models import CheckinKind, CheckinStatus
from bot.config import Settings
from bot.conversation.models import ClientMessage
from bot.runtime import Runtime
from bot.services import Services
from bot.texts.checkin import MANUAL_NOTE
from bot.texts.errors import SORRY
from tests.support.fake_bot_api import FakeBotApi
from tests.telegram.harness import Harness

CHAT = 13001
PLAN_REQUEST = "can you show me my plan"
PLAN_REPLY = "Your plan, Sam"


@pytest.fixture
async def limited(
    settings: Settings, services: Services, fake_bot_api: FakeBotApi
) -> AsyncIterator[Harness]:
    """Like conftest's `harness`, but with the rate limiter production runs with."""
    live = settings.model_copy(
        update={"rate_limit": True, "telegram_api_url": fake_bot_api.base_url}
    )
    services.settings = live
    runtime = Runtime(live, services)
    assert isinstance(runtime.application.bot.rate_limiter, AIORateLimiter)
    assert runtime.outbox.pacer.interval > 0
    await runtime.start(poll_timeout=1)
    try:
        yield Harness(fake_bot_api, services, runtime)
    finally:
        await runtime.stop()


def delivered(h: Harness, chat_id: int, fragment: str) -> int:
    """How many accepted messages to `chat_id` contain `fragment`."""
    return sum(fragment in text for text in h.texts(chat_id))


async def dispatch_survives(h: Harness, chats: list[int], within: float, **fault: int) -> None:
    """With `fault` on the next sends, a check-in to each chat is sent and arrives exactly once."""
    clients = [await h.join(chat, name=f"Client {chat}") for chat in chats]
    h.fake.fail_next("sendMessage", **fault)
    for client in clients:
        await h.send_now(client.id)
    for client in clients:

        async def recorded(client_id: int = client.id) -> bool:
            manual = [c for c in await h.checkins(client_id) if c.kind == CheckinKind.manual]
            return [c.status for c in manual] == [CheckinStatus.sent]

        await h.eventually(recorded, f"client {client.id}'s check-in sent", within=within)
    assert {chat: delivered(h, chat, MANUAL_NOTE) for chat in chats} == dict.fromkeys(chats, 1)


async def conversation_survives(h: Harness, **fault: int) -> None:
    """With `fault` on the next sends, the client asks for their plan: one reply, message kept."""
    await h.join(CHAT)
    h.fake.fail_next("sendMessage", chat_id=CHAT, **fault)
    h.fake.push_text(CHAT, PLAN_REQUEST)
    await h.fake.wait_for_call("sendMessage", CHAT, text_contains=PLAN_REPLY, timeout=20)

    async def stored() -> bool:
        async with h.services.sessionmaker() as session:
            texts = await session.scalars(select(ClientMessage.text))
            return list(texts) == [PLAN_REQUEST]

    await h.eventually(stored, "the client's message to be stored")
    assert delivered(h, CHAT, PLAN_REPLY) == 1
    assert delivered(h, CHAT, SORRY) == 0


async def test_429_storm_during_dispatch_every_checkin_arrives_once(limited: Harness) -> None:
    """Telegram throttles a round of check-ins; each client still gets theirs, once."""
    await dispatch_survives(limited, [CHAT + n for n in range(5)], 20, status=429, count=8)
    assert limited.fake.stats["too_many_requests"] == 8


async def test_5xx_burst_during_dispatch_every_checkin_arrives_once(limited: Harness) -> None:
    """Telegram answers 502 for a moment; the check-ins go out on retry, once each."""
    await dispatch_survives(limited, [CHAT + n for n in range(3)], 15, status=502, count=3)
    assert limited.fake.stats["by_status"][502] == 3


async def test_429_storm_during_conversation_reply_arrives_once(limited: Harness) -> None:
    """Telegram throttles the bot's reply; the client still gets it, once."""
    await conversation_survives(limited, status=429, count=3)
    assert limited.fake.stats["too_many_requests"] == 3


async def test_5xx_burst_during_conversation_reply_arrives_once(limited: Harness) -> None:
    """Telegram answers 502 to the bot's reply; the client still gets it, once."""
    await conversation_survives(limited, status=502, count=2)
    assert limited.fake.stats["by_status"][502] == 2
