"""Pytest fixtures and builders for running the real PTB Application against FakeBotApi."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram.ext import Application, ApplicationBuilder

from .fake_bot_api import FakeBotApi

TEST_TOKEN = "123:ABC"


def application_builder(fake: FakeBotApi, token: str = TEST_TOKEN) -> ApplicationBuilder:
    """An ApplicationBuilder whose bot talks to `fake`; add handlers and `.build()` it."""
    return (
        Application.builder().token(token).base_url(fake.base_url).base_file_url(fake.base_file_url)
    )


@pytest.fixture
async def fake_bot_api() -> AsyncIterator[FakeBotApi]:
    """A started FakeBotApi, stopped after the test."""
    async with FakeBotApi() as fake:
        yield fake
