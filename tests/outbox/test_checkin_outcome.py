"""A check-in's "sent" outcome never overwrites an answer that arrived first, even one committed
while the outcome was being written (the client taps the moment the message shows)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select, update

from bot.checkin.models import Checkin, CheckinStatus
from bot.database.core import SessionMaker
from bot.outbox import outcomes
from bot.outbox import service as outbox
from bot.outbox.models import Delivery, Lane, OutboxMessage, Outcome, Purpose
from tests.factories import make_client, make_clinic, make_therapist
from tests.support import clock

NOW = clock.now()
CHAT = 16_001


async def claimed_checkin(sessionmaker: SessionMaker) -> tuple[int, OutboxMessage]:
    """A check-in being sent, and its outbox row claimed by worker "w"."""
    async with sessionmaker.begin() as session:
        therapist = await make_therapist(session, await make_clinic(session))
        client = await make_client(session, therapist=therapist, now=NOW)
        client.chat_id = CHAT
        checkin = Checkin(client_id=client.id, due_at=NOW, status=CheckinStatus.sending)
        session.add(checkin)
        await session.flush()
        outbox.enqueue(
            session, lane=Lane.checkin, purpose=Purpose.checkin, chat_id=CHAT, text="How are you?",
            now=NOW, client_id=client.id, checkin_id=checkin.id,
        )  # fmt: skip
        checkin_id = checkin.id
    async with sessionmaker.begin() as session:
        [row] = await outbox.claim(session, now=NOW, worker="w", limit=1)
    return checkin_id, row


async def stored(sessionmaker: SessionMaker, checkin_id: int) -> Checkin:
    async with sessionmaker() as session:
        found = await session.scalar(select(Checkin).where(Checkin.id == checkin_id))
        assert found is not None
        return found


async def record_sent(sessionmaker: SessionMaker, row: OutboxMessage) -> None:
    async with sessionmaker.begin() as session:
        delivered = Delivery(Outcome.sent, message_id=555)
        assert await outcomes.record(session, row=row, delivery=delivered, now=NOW, worker="w")


async def test_sent_moves_a_checkin_still_sending(sessionmaker: SessionMaker) -> None:
    checkin_id, row = await claimed_checkin(sessionmaker)
    await record_sent(sessionmaker, row)
    checkin = await stored(sessionmaker, checkin_id)
    assert (checkin.status, checkin.telegram_message_id) == (CheckinStatus.sent, 555)
    assert checkin.sent_at == NOW


async def test_an_answer_committed_while_the_outcome_waits_is_kept(
    sessionmaker: SessionMaker,
) -> None:
    checkin_id, row = await claimed_checkin(sessionmaker)
    async with sessionmaker.begin() as answering:
        # The tap's transaction holds the row; the outcome is written meanwhile and must wait.
        await answering.execute(
            update(Checkin).where(Checkin.id == checkin_id).values(status=CheckinStatus.answered)
        )
        recording = asyncio.create_task(record_sent(sessionmaker, row))
        await asyncio.sleep(0.3)
        assert not recording.done()
    await recording
    checkin = await stored(sessionmaker, checkin_id)
    assert checkin.status is CheckinStatus.answered
    assert (checkin.telegram_message_id, checkin.sent_at) == (555, NOW)
