"""Dispatch: claims are atomic, outcomes are recorded, nothing is lost on failure or crash."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from bot.checkin import schedule
from bot.checkin import service as checkins
from bot.checkin.delivery import CheckinToSend, Delivery, Outcome
from bot.checkin.dispatch import dispatch_due
from bot.checkin.models import Checkin, CheckinStatus
from bot.client.models import Client, ClientStatus
from bot.database.core import SessionMaker
from tests.factories import make_client, make_clinic, make_therapist
from tests.support import clock

NOW = clock.now()


class RecordingSender:
    """Stands in for Telegram at the domain boundary; answers with scripted outcomes."""

    def __init__(self, outcomes: dict[int, Delivery] | None = None, delay: float = 0) -> None:
        self.sent: list[CheckinToSend] = []
        self.outcomes = outcomes or {}
        self.delay = delay

    async def send_checkin(self, checkin: CheckinToSend) -> Delivery:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.sent.append(checkin)
        return self.outcomes.get(
            checkin.client_id, Delivery(Outcome.sent, message_id=1000 + checkin.checkin_id)
        )


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


async def test_due_checkins_are_sent_once_and_recorded(sessionmaker: SessionMaker) -> None:
    await active_clients(sessionmaker, 5)
    sender = RecordingSender()
    report = await dispatch_due(sessionmaker, sender, worker="w1", now=lambda: NOW)
    assert report.counts[Outcome.sent] == 5
    assert await statuses(sessionmaker) == Counter({"sent": 5})
    again = await dispatch_due(sessionmaker, sender, worker="w1", now=lambda: NOW)
    assert again.total == 0 and len(sender.sent) == 5
    async with sessionmaker() as session:
        ids = set(
            await session.scalars(
                select(Checkin.telegram_message_id).where(Checkin.kind == "manual")
            )
        )
    assert ids == {1000 + c.checkin_id for c in sender.sent}


async def test_future_and_inactive_clients_are_not_sent(sessionmaker: SessionMaker) -> None:
    ids = await active_clients(sessionmaker, 3)
    async with sessionmaker.begin() as session:
        (await session.get(Client, ids[0])).status = ClientStatus.paused  # type: ignore[union-attr]
        (await session.get(Client, ids[1])).status = ClientStatus.invited  # type: ignore[union-attr]
    sender = RecordingSender()
    await dispatch_due(sessionmaker, sender, worker="w1", now=lambda: NOW)
    assert [c.client_id for c in sender.sent] == [ids[2]]
    # Taper check-ins lie in the future: nothing else went.
    async with sessionmaker() as session:
        scheduled = await session.scalar(
            select(func.count()).where(
                Checkin.status == CheckinStatus.scheduled, Checkin.kind == "taper"
            )
        )
    assert scheduled and scheduled > 0


async def test_rate_limited_send_is_retried_after_telegrams_wait(
    sessionmaker: SessionMaker,
) -> None:
    ids = await active_clients(sessionmaker, 2)
    sender = RecordingSender({ids[0]: Delivery(Outcome.retry, retry_after=30, error="429")})
    await dispatch_due(sessionmaker, sender, worker="w1", now=lambda: NOW)
    async with sessionmaker() as session:
        retry = await session.scalar(
            select(Checkin).where(Checkin.client_id == ids[0], Checkin.kind == "manual")
        )
    assert retry is not None and retry.status == CheckinStatus.scheduled
    assert retry.due_at == NOW + timedelta(seconds=30) and retry.attempts == 1
    sender.outcomes.clear()
    later = NOW + timedelta(seconds=31)
    report = await dispatch_due(sessionmaker, sender, worker="w1", now=lambda: later)
    assert report.counts[Outcome.sent] == 1
    assert await statuses(sessionmaker) == Counter({"sent": 2})


async def test_backoff_grows_and_is_capped() -> None:
    assert checkins.backoff(1, None) == timedelta(seconds=5)
    assert checkins.backoff(3, None) == timedelta(seconds=20)
    assert checkins.backoff(3, 60) == timedelta(seconds=60)
    assert checkins.backoff(30, None) == checkins.MAX_BACKOFF


async def test_blocked_client_stops_getting_checkins(sessionmaker: SessionMaker) -> None:
    ids = await active_clients(sessionmaker, 2)
    sender = RecordingSender(
        {ids[0]: Delivery(Outcome.blocked, error="Forbidden: bot was blocked")}
    )
    blocked_seen: list[set[int]] = []

    async def on_blocked(client_ids: set[int]) -> None:
        blocked_seen.append(client_ids)

    await dispatch_due(sessionmaker, sender, worker="w1", now=lambda: NOW, on_blocked=on_blocked)
    assert blocked_seen == [{ids[0]}]
    async with sessionmaker() as session:
        client = await session.get(Client, ids[0])
        left = await session.scalar(
            select(func.count()).where(
                Checkin.client_id == ids[0], Checkin.status == CheckinStatus.scheduled
            )
        )
    assert client is not None and client.status == ClientStatus.blocked
    assert left == 0


async def test_crash_between_claim_and_send_is_recovered(sessionmaker: SessionMaker) -> None:
    await active_clients(sessionmaker, 3)
    async with sessionmaker.begin() as session:
        claimed = await checkins.claim_due(session, now=NOW, limit=10, worker="crashed")
    assert len(claimed) == 3  # ...and then the process died without sending.
    sender = RecordingSender()
    await dispatch_due(sessionmaker, sender, worker="w2", now=lambda: NOW)
    assert sender.sent == []  # still claimed by the dead worker
    async with sessionmaker.begin() as session:
        too_soon = await checkins.recover_stale(
            session, now=NOW + timedelta(seconds=10), stale_after=timedelta(minutes=5)
        )
        recovered = await checkins.recover_stale(
            session, now=NOW + timedelta(minutes=6), stale_after=timedelta(minutes=5)
        )
    assert (too_soon, recovered) == (0, 3)
    later = NOW + timedelta(minutes=6)
    await dispatch_due(sessionmaker, sender, worker="w2", now=lambda: later)
    assert sorted(c.checkin_id for c in sender.sent) == sorted(c.checkin_id for c in claimed)
    assert await statuses(sessionmaker) == Counter({"sent": 3})


async def test_sender_exception_loses_nothing(sessionmaker: SessionMaker) -> None:
    await active_clients(sessionmaker, 2)

    class Exploding:
        async def send_checkin(self, checkin: CheckinToSend) -> Delivery:
            raise RuntimeError("connection reset mid-send")

    report = await dispatch_due(sessionmaker, Exploding(), worker="w1", now=lambda: NOW)
    assert report.counts[Outcome.retry] == 2
    assert await statuses(sessionmaker) == Counter({"scheduled": 2})


async def test_unanswered_checkins_become_missed(sessionmaker: SessionMaker) -> None:
    await active_clients(sessionmaker, 2)
    await dispatch_due(sessionmaker, RecordingSender(), worker="w1", now=lambda: NOW)
    async with sessionmaker.begin() as session:
        early = await checkins.mark_missed(
            session, now=NOW + timedelta(hours=71), after=timedelta(hours=72)
        )
        late = await checkins.mark_missed(
            session, now=NOW + timedelta(hours=73), after=timedelta(hours=72)
        )
    assert (len(early), len(late)) == (0, 2)
    assert await statuses(sessionmaker) == Counter({"missed": 2})


async def test_concurrent_dispatchers_never_send_twice(engine, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Two dispatchers with their own connection pools, as two processes would have."""
    from bot.database.core import make_engine, make_sessionmaker

    first = make_sessionmaker(engine)
    other_engine = make_engine(database_url)
    second = make_sessionmaker(other_engine)
    try:
        await active_clients(first, 100, due_now=5)
        a, b = RecordingSender(delay=0.001), RecordingSender(delay=0.001)
        await asyncio.gather(
            dispatch_due(first, a, worker="a", batch_size=25, now=lambda: NOW),
            dispatch_due(second, b, worker="b", batch_size=25, now=lambda: NOW),
        )
    finally:
        await other_engine.dispose()
    sent = [c.checkin_id for c in a.sent + b.sent]
    assert len(sent) == 500 and len(set(sent)) == 500
    assert await statuses(first) == Counter({"sent": 500})


async def test_answer_during_the_batch_is_not_overwritten(sessionmaker: SessionMaker) -> None:
    from bot.checkin import answers

    ids = await active_clients(sessionmaker, 1)
    async with sessionmaker.begin() as session:
        [item] = await checkins.claim_due(session, now=NOW, limit=10, worker="w1")
    # The message reached the client, who tapped before the dispatcher wrote "sent".
    async with sessionmaker.begin() as session:
        checkin = await answers.get_for_client(
            session, checkin_id=item.checkin_id, client_id=ids[0]
        )
        assert checkin is not None and answers.is_open(checkin)
        answers.record_mood(checkin, mood=3, now=NOW)
    async with sessionmaker.begin() as session:
        await checkins.record_deliveries(
            session, results=[(item, Delivery(Outcome.sent, message_id=77))], worker="w1", now=NOW
        )
    async with sessionmaker() as session:
        stored = await session.get(Checkin, item.checkin_id)
    assert stored is not None
    assert (stored.status, stored.mood, stored.telegram_message_id) == (
        CheckinStatus.answered,
        3,
        77,
    )
