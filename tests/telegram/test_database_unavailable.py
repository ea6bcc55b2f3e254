"""A crisis arrives while the database refuses writes for longer than its lock wait: the client gets
the crisis resources at once and once; the update is not confirmed to Telegram, and once the
database answers the message is stored, read and alerted exactly once. Through the real
application against the fake Bot API, on SQLite (another connection holds the write lock) and on
PostgreSQL (another connection holds a lock on the messages table)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.alert.models import Alert, AlertType
from bot.config import Settings
from bot.conversation.models import ClientMessage
from bot.database.core import make_engine, make_sessionmaker
from bot.database.migrate import upgrade
from bot.nlu.service import Understander
from bot.runtime import Runtime
from bot.services import Services
from tests.support.fake_bot_api import FakeBotApi
from tests.telegram.harness import Harness

CHAT = 37001
GROUP = -100_3701
CRISIS = "i took all my pills an hour ago"
RESOURCES = "Your safety comes first"
LOCK_WAIT = 0.5


@pytest.fixture
async def quick_harness(
    settings: Settings, database_url: str, understander: Understander, fake_bot_api: FakeBotApi
) -> AsyncIterator[Harness]:
    """The product with a short lock wait, so a held lock fails a statement within a second."""
    engine = make_engine(database_url, lock_wait_seconds=LOCK_WAIT)
    await upgrade(engine)
    live = settings.model_copy(update={"telegram_api_url": fake_bot_api.base_url})
    services = Services(
        settings=live,
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        understander=understander,
    )
    runtime = Runtime(live, services)
    await runtime.start(poll_timeout=1)
    try:
        yield Harness(fake_bot_api, services, runtime)
    finally:
        await runtime.stop()
        await engine.dispose()


@contextlib.asynccontextmanager
async def sqlite_write_lock(database_url: str) -> AsyncIterator[None]:
    """Another connection takes the write lock (in a thread: waiting for it must not stop the
    product's own event loop, which may be finishing a write of its own)."""
    path = Path(make_url(database_url).database or "")

    def take() -> sqlite3.Connection:
        holder = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        return holder

    holder = await asyncio.to_thread(take)
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextlib.asynccontextmanager
async def postgres_table_lock(database_url: str) -> AsyncIterator[None]:
    parsed = make_url(database_url)
    holder = await asyncpg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, database=parsed.database
    )
    transaction = holder.transaction()
    await transaction.start()
    await holder.execute("LOCK TABLE client_messages IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        await transaction.rollback()
        await holder.close()


@contextlib.asynccontextmanager
async def writes_refused(database_url: str) -> AsyncIterator[None]:
    if database_url.startswith("sqlite"):
        async with sqlite_write_lock(database_url):
            yield
    else:
        async with postgres_table_lock(database_url):
            yield


def resources_sent(harness: Harness) -> int:
    return sum(RESOURCES in text for text in harness.texts(CHAT))


async def test_resources_once_then_stored_and_alerted_once_when_the_database_answers(
    quick_harness: Harness, database_url: str
) -> None:
    harness = quick_harness
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    joined = len(harness.texts(CHAT))
    harness.fake.push_text(CHAT, "hello")  # the process now keeps a copy of the clinic's resources
    await harness.fake.wait_for(lambda: len(harness.texts(CHAT)) > joined, what="a reply")
    async with writes_refused(database_url):
        harness.fake.push_text(CHAT, CRISIS)
        [call] = await harness.fake.wait_for_call(
            "sendMessage", CHAT, text_contains=RESOURCES, timeout=10
        )
        assert "999" in call.params["text"]  # the clinic's own number, from the copy
        # Several handling attempts while the lock is held: the resources are not sent again,
        # and the update is not confirmed to Telegram.
        await asyncio.sleep(4)
        assert resources_sent(harness) == 1
        assert any(u["message"]["text"] == CRISIS for u in harness.fake.pending_updates)
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT", timeout=40)
    # Told the clinic knows, in its open-hours or closed wording (the test clock picks the day).
    told = ("I've asked the team", "I've alerted the team")
    await harness.fake.wait_for(
        lambda: any(t.startswith(told) for t in harness.texts(CHAT)), what="told", timeout=10
    )
    await harness.fake.wait_for(
        lambda: not harness.fake.pending_updates, what="every update confirmed", timeout=10
    )
    assert resources_sent(harness) == 1
    async with harness.services.sessionmaker() as session:
        stored = list(
            await session.scalars(select(ClientMessage).where(ClientMessage.text == CRISIS))
        )
        alerts = list(await session.scalars(select(Alert).where(Alert.type == AlertType.crisis)))
    assert len(stored) == 1
    assert len(alerts) == 1 and alerts[0].count == 1
