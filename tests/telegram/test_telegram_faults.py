"""Telegram faults: a blocked client, a 429 storm, server errors. Nothing is lost."""

from __future__ import annotations

from sqlalchemy import select

from bot.checkin.models import CheckinStatus
from bot.client.models import ClientStatus
from bot.outbox.models import OutboxMessage
from tests.telegram.harness import Harness

CHAT = 9001


async def test_blocked_client_is_marked_and_checkins_stop(harness: Harness) -> None:
    client = await harness.join(CHAT)
    harness.fake.block_chat(CHAT)
    await harness.send_now(client.id)
    await harness.status_is(client.id, ClientStatus.blocked)
    assert all(c.status != CheckinStatus.scheduled for c in await harness.checkins(client.id))


async def test_my_chat_member_kicked_blocks_and_member_unblocks(harness: Harness) -> None:
    client = await harness.join(CHAT)
    harness.fake.push_my_chat_member(CHAT, "kicked")
    await harness.status_is(client.id, ClientStatus.blocked)
    harness.fake.push_my_chat_member(CHAT, "member")
    await harness.status_is(client.id, ClientStatus.active)
    found = await harness.client(client.id)
    assert found.status == ClientStatus.active
    assert any(c.status == CheckinStatus.scheduled for c in await harness.checkins(client.id))


async def test_429_storm_is_waited_out_and_every_checkin_arrives(harness: Harness) -> None:
    clients = [await harness.join(CHAT + n, name=f"Client {n}") for n in range(5)]
    harness.fake.fail_next("sendMessage", status=429, count=8, retry_after=1)
    for client in clients:
        await harness.send_now(client.id)
    for n in range(5):
        await harness.fake.wait_for_call(
            "sendMessage", CHAT + n, text_contains="extra check-in", timeout=20
        )
    assert harness.fake.stats["too_many_requests"] == 8
    for client in clients:

        async def recorded(client_id: int = client.id) -> bool:
            manual = [c for c in await harness.checkins(client_id) if c.kind == "manual"]
            return [c.status for c in manual] == [CheckinStatus.sent]

        await harness.eventually(recorded, f"client {client.id}'s check-in recorded as sent")


async def test_server_errors_are_retried_with_backoff(harness: Harness) -> None:
    client = await harness.join(CHAT)
    harness.fake.fail_next("sendMessage", status=502, count=1, chat_id=CHAT)
    await harness.send_now(client.id)
    # The first attempt gets a 502; the outbox tries again a second later.
    await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="extra check-in", timeout=15
    )
    assert harness.fake.stats["by_status"][502] == 1

    async def sent_on_second_attempt() -> bool:
        [manual] = [c for c in await harness.checkins(client.id) if c.kind == "manual"]
        async with harness.services.sessionmaker() as session:
            row = await session.scalar(
                select(OutboxMessage).where(OutboxMessage.checkin_id == manual.id)
            )
        return manual.status == CheckinStatus.sent and row is not None and row.attempts == 2

    await harness.eventually(sent_on_second_attempt, "the retried check-in to be recorded")
