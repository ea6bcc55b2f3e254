"""A screener not finished: one gentle reminder 2 days after it was sent, closed after 4, its
answers kept; a screener on hold after a crisis is never reminded."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.client.models import Client
from bot.conversation import screener_taps, screener_walk
from bot.conversation.screener_walk import remind_and_close
from bot.database.core import SessionMaker
from bot.outbox.models import Lane, OutboxMessage
from bot.screener.models import Administration, AdministrationStatus, ScreenerAnswer
from bot.screener.plans import PlanChange
from tests.screener.conftest import dispatch_at, linked_client


async def run_clock(sessionmaker: SessionMaker, at: datetime) -> tuple[int, int]:
    async with sessionmaker.begin() as session:
        return await remind_and_close(session, now=at)


async def messages_since(sessionmaker: SessionMaker, at: datetime) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.created_at >= at, OutboxMessage.edit_message_id.is_(None))
                .order_by(OutboxMessage.id)
            )
        )


async def status(sessionmaker: SessionMaker) -> AdministrationStatus:
    async with sessionmaker() as session:
        return (await session.scalars(select(Administration.status))).one()


async def test_one_gentle_reminder_then_closed_after_4_days(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await linked_client(sessionmaker, PlanChange(families=["phq"]))
    await dispatch_at(sessionmaker, client_id, start)
    assert await run_clock(sessionmaker, start + timedelta(days=1, hours=23)) == (0, 0)
    two_days = start + timedelta(days=2)
    assert await run_clock(sessionmaker, two_days) == (1, 0)
    [reminder] = await messages_since(sessionmaker, two_days)
    assert reminder.text.startswith("Hi Sam. The few short questions from your last check-in")
    assert "1 of 2: Little interest or pleasure in doing things" in reminder.text
    assert reminder.lane == Lane.nudge and reminder.buttons is not None
    assert await status(sessionmaker) is AdministrationStatus.answering
    # Only one: a later round sends nothing more.
    assert await run_clock(sessionmaker, start + timedelta(days=3)) == (0, 0)
    four_days = start + timedelta(days=4)
    assert await run_clock(sessionmaker, four_days) == (0, 1)
    assert await messages_since(sessionmaker, four_days) == []  # closing asks for nothing
    assert await status(sessionmaker) is AdministrationStatus.expired


async def test_one_half_answered_is_reminded_where_it_left_off_and_keeps_its_answers(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await linked_client(sessionmaker, PlanChange(families=["phq"]))
    [administration] = await dispatch_at(sessionmaker, client_id, start)
    async with sessionmaker.begin() as session:
        client = await session.get(Client, client_id)
        assert client is not None and administration.checkin_id is not None
        assert await screener_walk.begin_after_checkin(
            session, client, administration.checkin_id, start
        )
        tapped = await screener_taps.tap(
            session, client, administration_id=administration.id, item=1, value=2, now=start
        )
        assert tapped.toast == "Saved."
    two_days = start + timedelta(days=2)
    assert await run_clock(sessionmaker, two_days) == (1, 0)
    [reminder] = await messages_since(sessionmaker, two_days)
    assert reminder.text.startswith("Hi Sam. Whenever it suits you, here is where you left off")
    assert "2 of 2: Feeling down, depressed, or hopeless" in reminder.text
    assert await run_clock(sessionmaker, start + timedelta(days=4)) == (0, 1)
    async with sessionmaker() as session:
        kept = list(await session.execute(select(ScreenerAnswer.item, ScreenerAnswer.value)))
    assert [tuple(row) for row in kept] == [("phq1", 2)]


async def test_a_screener_on_hold_is_never_reminded(
    sessionmaker: SessionMaker, start: datetime
) -> None:
    client_id = await linked_client(sessionmaker, PlanChange(families=["phq", "gad"]))
    assert len(await dispatch_at(sessionmaker, client_id, start)) == 2
    async with sessionmaker.begin() as session:
        await screener_taps.hold(session, client_id=client_id)
    assert await run_clock(sessionmaker, start + timedelta(days=2)) == (0, 0)
    assert await messages_since(sessionmaker, start + timedelta(days=2)) == []
    assert await run_clock(sessionmaker, start + timedelta(days=4)) == (0, 2)
