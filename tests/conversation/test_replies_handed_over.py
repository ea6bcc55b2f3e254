"""The inbound flow claims its own replies for this process's sender in the transaction that
writes them: they leave as it commits, with no claim round, and per-chat order still holds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.conversation.flow import Inbound, receive
from bot.outbox import doorbell, drain
from bot.outbox import service as outbox
from bot.outbox.models import Delivery, Lane, OutboxMessage, OutboxStatus, Outcome, Purpose
from bot.services import Services
from tests.factories import make_linked_client

CHAT = 15_401
STAFF_GROUP = -100_401
WORKER = "here:1:handed"


class Telegram:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def deliver(self, row: OutboxMessage) -> Delivery:
        self.sent.append((row.chat_id, row.text))
        return Delivery(Outcome.sent, message_id=len(self.sent))


@dataclass
class Sender:
    pipe: drain.Drain
    telegram: Telegram


@pytest.fixture
async def sending(services: Services) -> AsyncIterator[Sender]:
    """An active client in CHAT (clinic with a staff group) and a sender serving this process."""
    now = services.now()
    async with services.sessionmaker.begin() as session:
        await make_linked_client(session, chat_id=CHAT, now=now, staff_chat_id=STAFF_GROUP)
    telegram = Telegram()
    pipe = drain.Drain(
        services.sessionmaker,
        telegram.deliver,
        worker=WORKER,
        now=lambda: services.now(),
        capacity=4,
    )
    services.outbox_drain = pipe
    doorbell.listen(pipe.kick)
    yield Sender(pipe, telegram)
    doorbell.forget(pipe.kick)
    services.outbox_drain = None


async def rows(services: Services) -> list[OutboxMessage]:
    async with services.sessionmaker() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_a_reply_is_claimed_as_it_is_written_and_needs_no_round(
    services: Services, sending: Sender
) -> None:
    sender, telegram = sending.pipe, sending.telegram
    await receive(services, Inbound(chat_id=CHAT, text="hello"))
    [row] = await rows(services)
    # Committed already claimed for this process's sender, and on its way: no round woken.
    assert (row.status, row.claimed_by, row.attempts) == (OutboxStatus.sending, WORKER, 1)
    assert sender.in_flight == 1 and not sender.kick.is_set()
    await sender.settle()
    assert [chat for chat, _ in telegram.sent] == [CHAT]
    [row] = await rows(services)
    assert row.status is OutboxStatus.sent
    async with services.sessionmaker.begin() as session:
        assert await outbox.claim(session, now=services.now(), worker="w", limit=10) == []


async def test_a_crisis_goes_out_whole_and_in_order_from_the_rows_handed_over(
    services: Services, sending: Sender
) -> None:
    sender, telegram = sending.pipe, sending.telegram
    await receive(services, Inbound(chat_id=CHAT, text="i want to end it all tonight"))
    assert not sender.kick.is_set()  # every part follows one handed over: no round needed
    await sender.settle()
    client_texts = [text for chat, text in telegram.sent if chat == CHAT]
    assert client_texts and "emergency" in client_texts[0].lower()
    assert any(chat == STAFF_GROUP for chat, _ in telegram.sent)
    assert {row.status for row in await rows(services)} == {OutboxStatus.sent}


async def test_a_reply_behind_an_unsent_one_waits_its_turn(
    services: Services, sending: Sender
) -> None:
    sender, telegram = sending.pipe, sending.telegram
    now = services.now()
    async with services.sessionmaker.begin() as session:
        earlier = outbox.enqueue(
            session, lane=Lane.reply, purpose=Purpose.reply, chat_id=CHAT, text="earlier", now=now
        )
        await session.flush()
        # A retry not yet due: the new reply must not overtake it.
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == earlier.id)
            .values(next_attempt_at=now + timedelta(seconds=30), attempts=1)
        )
    sender.kick.clear()
    await receive(services, Inbound(chat_id=CHAT, text="hello"))
    waiting, reply = await rows(services)
    assert waiting.status is OutboxStatus.pending
    assert reply.status is OutboxStatus.pending and reply.claimed_by is None
    assert sender.in_flight == 0 and sender.kick.is_set()  # a round will look again
    assert await sender.fill() == 0  # still behind the retry
    services.now = lambda: now + timedelta(seconds=31)
    assert await sender.fill() == 1
    await sender.settle()
    assert [chat for chat, _ in telegram.sent] == [CHAT, CHAT]
    assert telegram.sent[0][1] == "earlier"


async def test_without_a_sender_in_this_process_the_replies_wait_for_a_round(
    services: Services,
) -> None:
    now = services.now()
    async with services.sessionmaker.begin() as session:
        await make_linked_client(session, chat_id=CHAT, now=now)
    bell = asyncio.Event()
    doorbell.listen(bell)
    try:
        await receive(services, Inbound(chat_id=CHAT, text="hello"))
    finally:
        doorbell.forget(bell)
    [row] = await rows(services)
    assert row.status is OutboxStatus.pending and bell.is_set()
