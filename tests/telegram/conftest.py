"""The product running against the fake Bot API, for end-to-end tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.runtime import Runtime
from bot.services import Services
from tests.support.fake_bot_api import FakeBotApi
from tests.telegram.harness import Harness


@pytest.fixture
async def harness(
    settings: Settings, services: Services, fake_bot_api: FakeBotApi
) -> AsyncIterator[Harness]:
    live = settings.model_copy(update={"telegram_api_url": fake_bot_api.base_url})
    services.settings = live
    runtime = Runtime(live, services)
    await runtime.start(poll_timeout=1)
    try:
        yield Harness(fake_bot_api, services, runtime)
    finally:
        await runtime.stop()
