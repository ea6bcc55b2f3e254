"""Without a pre-ping per checkout, a database restart still costs no message and no plan match."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.conversation.flow import Inbound, receive
from bot.services import Services
from tests.factories import make_linked_client

CHAT = 15_401
SIGN = "Sleeping badly for several nights"  # a warning sign in examples/plan.yml


async def _drop_every_connection(database_url: str) -> None:
    """What a restart does to the pool: each pooled connection is closed from the server side."""
    url = make_url(database_url)
    admin = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, database="postgres"
    )
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            url.database,
        )
    finally:
        await admin.close()


async def test_a_message_after_a_restart_is_handled_and_read_against_the_plan(
    services: Services, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a server restart is a PostgreSQL matter")
    now = services.now()
    async with services.sessionmaker.begin() as session:
        await make_linked_client(session, chat_id=CHAT, now=now)
    await receive(services, Inbound(CHAT, "hello"))  # the pool now holds a connection
    await _drop_every_connection(database_url)
    handled = await receive(services, Inbound(CHAT, SIGN.lower()))
    assert handled.message_id is not None
    assert handled.understanding.matched_sign == SIGN
