"""Two `aftercare run` processes on one PostgreSQL: exactly one polls, the other takes over."""

from __future__ import annotations

import asyncio

import pytest

from bot.config import Settings
from bot.database.core import make_engine, make_sessionmaker
from bot.runtime import Runtime
from bot.services import Services
from tests.support.fake_bot_api import FakeBotApi
from tests.telegram.harness import Harness

CHAT = 16001


def polling(runtime: Runtime) -> bool:
    return runtime.poller.running


async def until(check: object, what: str, within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not check():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def test_one_poller_and_a_takeover_when_it_stops(
    settings: Settings, services: Services, fake_bot_api: FakeBotApi, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes need PostgreSQL")
    live = settings.model_copy(
        update={"telegram_api_url": fake_bot_api.base_url, "leader_retry_seconds": 0.2}
    )
    services.settings = live
    first = Runtime(live, services)
    other_engine = make_engine(database_url)
    second_services = Services(
        settings=live,
        engine=other_engine,
        sessionmaker=make_sessionmaker(other_engine),
        understander=services.understander,
    )
    second = Runtime(live, second_services)
    await first.start()
    await second.start()
    running = [first, second]
    try:
        # Which process wins the first election is the database's choice, not ours.
        await until(lambda: polling(first) or polling(second), "one process to poll")
        await asyncio.sleep(0.6)  # several election ticks: the loser keeps out
        assert sorted([polling(first), polling(second)]) == [False, True]
        leader, standby = (first, second) if polling(first) else (second, first)
        harness = Harness(fake_bot_api, leader.services, leader)
        await harness.join(CHAT)
        running.remove(leader)
        await leader.stop()
        await until(lambda: polling(standby), "the other process to take over polling")
        fake_bot_api.push_text(CHAT, "/help")
        await fake_bot_api.wait_for_call("sendMessage", CHAT, text_contains="automated")
    finally:
        for runtime in running:
            await runtime.stop()
        await other_engine.dispose()
