"""Dispatch through the outbox: claims are atomic, every outcome is recorded, nothing is lost."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from bot.alert.models import Alert, AlertType
from bot.checkin import schedule
from bot.checkin import service as checkins
from bot.checkin.dispatch import queue_due
from bot.checkin.models import Checkin, CheckinStatus
from bot.client.models import Client, ClientStatus
from bot.database.core import SessionMaker
from bot.outbox import drain, recovery
from bot.outbox import service as outbox
from bot.outbox.models import Delivery, Lane, OutboxMessage, OutboxStatus, Outcome, Purpose
from tests.factories import make_client, make_clinic, make_therapist
from tests.support import clock
from tests.support.claims import claimed_ago

NOW = clock.now()


class Telegram:
    """Stands in for Telegram at the outbox's port; answers with scripted outcomes per chat."""

    def __init__(self, outcomes: dict[int, list[Delivery]] | None = None, delay: float = 0) -> None:
        self.sent: list[OutboxMessage] = []
        self.outcomes = outcomes or {}
        self.delay = delay

    async def deliver(self, row: OutboxMessage) -> Delivery:
        if self.delay:
            await asyncio.sleep(self.delay)
        scripted = self.outcomes.get(row.chat_id)
        if scripted:
            return scripted.pop(0)
        self.sent.append(row)
        return Delivery(Outcome.sent, message_id=1000 + row.id)


async def active_clients(sessionmaker: SessionMaker, count: int, *, due_now: int = 1) -> list[int]:
    """`count` active clients, each with `due_now` manual check-ins due at NOW."""
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session)
        therapist = await make_therapist(session, clinic)
        ids = []
        for n in range(count):
            client = await make_client(session, therapist=therapist, now=NOW, name=f"Client {n}")
            client.status = ClientStatus.active
            client.chat_id = 10_000 + n
            for _ in range(due_now):
                await schedule.add_manual(session, client=client, now=NOW)
            ids.append(client.id)
    return ids


async def statuses(sessionmaker: SessionMaker) -> Counter[str]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Checkin.status, func.count())
            .where(Checkin.kind == "manual")
            .group_by(Checkin.status)
        )
        return Counter({str(status): n for status, n in rows.tuples()})


async def queue(sessionmaker: SessionMaker) -> int:
    async with sessionmaker.begin() as session:
        return await queue_due(session, now=NOW, limit=1000)


async def drain_all(
    sessionmaker: SessionMaker, telegram: Telegram, *, worker: str = "w1", at: object = None
) -> int:
    moment = at or NOW
    total = 0
    while claimed := await drain.drain_once(
        sessionmaker, telegram.deliver, worker=worker, now=lambda: moment, limit=25
    ):
        total += claimed
    return total


async def test_due_checkins_are_queued_once_sent_once_and_recorded(
    sessionmaker: SessionMaker,
) -> None:
    await active_clients(sessionmaker, 3)
    assert await queue(sessionmaker) == 3
    assert await queue(sessionmaker) == 0  # claimed: never queued twice
    telegram = Telegram()
    assert await drain_all(sessionmaker, telegram) == 3
    assert await drain_all(sessionmaker, telegram) == 0
    assert len(telegram.sent) == 3 and all(r.purpose is Purpose.checkin for r in telegram.sent)
    assert await statuses(sessionmaker) == Counter({"sent": 3})
    async with sessionmaker() as session:
        stored = list(await session.scalars(select(Checkin).where(Checkin.kind == "manual")))
    assert all(c.telegram_message_id and c.sent_at == NOW for c in stored)


async def test_future_and_inactive_clients_are_not_queued(sessionmaker: SessionMaker) -> None:
    ids = await active_clients(sessionmaker, 2)
    async with sessionmaker.begin() as session:
        paused = await session.get(Client, ids[0])
        assert paused is not None
        paused.status = ClientStatus.paused
        await schedule.add_manual(
            session, client=await session.get(Client, ids[1]), now=NOW + timedelta(hours=1)
        )
    assert await queue(sessionmaker) == 1


async def test_a_429_waits_telegrams_time_then_goes_out(sessionmaker: SessionMaker) -> None:
    [client_id] = await active_clients(sessionmaker, 1)
    await queue(sessionmaker)
    wait = Delivery(Outcome.retry, retry_after=30, error="429")
    telegram = Telegram({10_000: [wait]})
    await drain_all(sessionmaker, telegram)
    assert telegram.sent == [] and await statuses(sessionmaker) == Counter({"sending": 1})
    await drain_all(sessionmaker, telegram, at=NOW + timedelta(seconds=10))
    assert telegram.sent == []  # Telegram said 30 s
    await drain_all(sessionmaker, telegram, at=NOW + timedelta(seconds=31))
    assert [r.client_id for r in telegram.sent] == [client_id]
    assert await statuses(sessionmaker) == Counter({"sent": 1})


def test_backoff_grows_and_is_capped() -> None:
    waits = [outbox.backoff(n, None).total_seconds() for n in (1, 2, 3, 4, 20)]
    assert waits == [1, 2, 4, 8, outbox.MAX_BACKOFF.total_seconds()]
    assert outbox.backoff(1, 42).total_seconds() == 42


async def test_a_block_stops_checkins_and_tells_the_clinic(sessionmaker: SessionMaker) -> None:
    ids = await active_clients(sessionmaker, 2)
    async with sessionmaker.begin() as session:
        await schedule.add_manual(
            session, client=await session.get(Client, ids[0]), now=NOW + timedelta(days=3)
        )
    await queue(sessionmaker)
    telegram = Telegram({10_000: [Delivery(Outcome.blocked, error="403")]})
    await drain_all(sessionmaker, telegram)
    async with sessionmaker() as session:
        client = await session.get(Client, ids[0])
        left = await session.scalar(
            select(func.count()).where(
                Checkin.client_id == ids[0], Checkin.status == CheckinStatus.scheduled
            )
        )
        [alert] = list(await session.scalars(select(Alert)))
    assert client is not None and client.status == ClientStatus.blocked and left == 0
    assert alert.type is AlertType.blocked and alert.client_id == ids[0]
    assert [r.client_id for r in telegram.sent] == [ids[1]]


async def test_rows_of_a_dead_process_are_taken_back_once_stale(
    sessionmaker: SessionMaker,
) -> None:
    await active_clients(sessionmaker, 3)
    await queue(sessionmaker)
    async with sessionmaker.begin() as session:
        claimed = await outbox.claim(session, now=NOW, worker="dead", limit=2)
        await outbox.claim(session, now=NOW, worker="alive", limit=1)
    assert len(claimed) == 2
    # The dead worker's last heartbeat was six minutes ago by the database's clock.
    await claimed_ago(sessionmaker, worker="dead", seconds=360)
    async with sessionmaker.begin() as session:
        taken = await recovery.recover(session, stale_after=timedelta(minutes=5))
    assert taken == 2  # the live worker's fresh claim stays with it
    await claimed_ago(sessionmaker, worker="alive", seconds=360)
    async with sessionmaker.begin() as session:
        assert await recovery.recover(session, stale_after=timedelta(minutes=5)) == 1
    telegram = Telegram()
    await drain_all(sessionmaker, telegram, at=NOW + timedelta(minutes=6))
    assert len(telegram.sent) == 3 and await statuses(sessionmaker) == Counter({"sent": 3})


async def test_a_deliver_that_fails_loses_nothing(sessionmaker: SessionMaker) -> None:
    await active_clients(sessionmaker, 2)
    await queue(sessionmaker)
    reset = Delivery(Outcome.retry, error="connection reset mid-send")
    telegram = Telegram({10_000: [reset], 10_001: [reset]})
    await drain_all(sessionmaker, telegram)
    assert await statuses(sessionmaker) == Counter({"sending": 2})
    await drain_all(sessionmaker, telegram, at=NOW + timedelta(seconds=5))
    assert await statuses(sessionmaker) == Counter({"sent": 2})


async def test_unanswered_checkins_become_missed(sessionmaker: SessionMaker) -> None:
    await active_clients(sessionmaker, 2)
    await queue(sessionmaker)
    await drain_all(sessionmaker, Telegram())
    async with sessionmaker.begin() as session:
        early = await checkins.mark_missed(
            session, now=NOW + timedelta(hours=71), after=timedelta(hours=72)
        )
        late = await checkins.mark_missed(
            session, now=NOW + timedelta(hours=73), after=timedelta(hours=72)
        )
    assert (len(early), len(late)) == (0, 2)
    assert await statuses(sessionmaker) == Counter({"missed": 2})


async def test_concurrent_senders_never_send_twice(engine, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Two queuers and two senders with their own connection pools, as two processes would have."""
    from bot.database.core import make_engine, make_sessionmaker

    first = make_sessionmaker(engine)
    other_engine = make_engine(database_url)
    second = make_sessionmaker(other_engine)
    try:
        await active_clients(first, 100, due_now=5)
        await asyncio.gather(queue(first), queue(second))
        a, b = Telegram(delay=0.001), Telegram(delay=0.001)
        await asyncio.gather(drain_all(first, a, worker="a"), drain_all(second, b, worker="b"))
    finally:
        await other_engine.dispose()
    sent = [r.checkin_id for r in a.sent + b.sent]
    assert len(sent) == 500 and len(set(sent)) == 500
    assert await statuses(first) == Counter({"sent": 500})


async def test_answer_before_the_outcome_is_recorded_is_kept(sessionmaker: SessionMaker) -> None:
    from bot.checkin import answers

    ids = await active_clients(sessionmaker, 1)
    await queue(sessionmaker)

    async def tapped_while_in_flight(row: OutboxMessage) -> Delivery:
        # The message reached the client, who tapped before the outcome was written.
        async with sessionmaker.begin() as session:
            checkin = await answers.get_for_client(
                session, checkin_id=row.checkin_id or 0, client_id=ids[0]
            )
            assert checkin is not None and answers.is_open(checkin)
            answers.record_mood(checkin, mood=3, now=NOW)
        return Delivery(Outcome.sent, message_id=77)

    await drain.drain_once(
        sessionmaker, tapped_while_in_flight, worker="w1", now=lambda: NOW, limit=10
    )
    async with sessionmaker() as session:
        [stored] = list(await session.scalars(select(Checkin).where(Checkin.kind == "manual")))
    assert (stored.status, stored.mood, stored.telegram_message_id) == (
        CheckinStatus.answered,
        3,
        77,
    )


async def test_crisis_lane_goes_first_and_each_chat_keeps_its_order(
    sessionmaker: SessionMaker,
) -> None:
    await active_clients(sessionmaker, 30)
    await queue(sessionmaker)
    async with sessionmaker.begin() as session:
        for body in ("resources", "told", "plan step"):
            outbox.enqueue(
                session,
                lane=Lane.crisis,
                purpose=Purpose.reply,
                chat_id=10_029,
                text=body,
                now=NOW,
            )
    async with sessionmaker() as session:
        first = [
            (r.text, r.lane, r.chat_id)
            for r in await outbox.claim(session, now=NOW, worker="w", limit=5)
        ]
        await session.rollback()  # only looking
    # Written after 30 check-ins, the crisis row is claimed first; its followers wait their turn.
    assert first[0] == ("resources", Lane.crisis, 10_029)
    crisis_claimed = [text for text, lane, chat in first if chat == 10_029 and lane == Lane.crisis]
    assert crisis_claimed == ["resources"]
    telegram = Telegram({10_029: [Delivery(Outcome.retry, error="502")]})
    await drain.drain_once(sessionmaker, telegram.deliver, worker="w", now=lambda: NOW, limit=100)
    async with sessionmaker() as session:
        crisis_rows = list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.lane == Lane.crisis)
                .order_by(OutboxMessage.id)
            )
        )
    assert all(r.status is OutboxStatus.pending for r in crisis_rows)
    await drain_all(sessionmaker, telegram, at=NOW + timedelta(minutes=1))
    crisis_sent = [r.text for r in telegram.sent if r.chat_id == 10_029 and r.lane == Lane.crisis]
    assert crisis_sent == ["resources", "told", "plan step"]
