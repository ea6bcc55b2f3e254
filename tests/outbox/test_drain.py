"""The outbox in motion: a slow send holds only its chat, a chat's rows follow one another at
once, one alert's retries never hold another's, and rows a dead worker left are taken back."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.alert.models import AlertType, Severity
from bot.database.core import SessionMaker
from bot.outbox import drain, outcomes, recovery
from bot.outbox import service as outbox
from bot.outbox.models import Delivery, Lane, OutboxMessage, OutboxStatus, Outcome, Purpose
from tests.alert.conftest import build_world, raise_crisis
from tests.support import clock
from tests.support.claims import claimed_ago

NOW = clock.now()
SLOW, OTHER, GROUP = 1001, 1002, -100_300


async def queue(
    sessionmaker: SessionMaker,
    chat_id: int,
    *texts: str,
    lane: Lane = Lane.reply,
    purpose: Purpose = Purpose.reply,
    alert_id: int | None = None,
) -> list[int]:
    async with sessionmaker.begin() as session:
        rows = [
            outbox.enqueue(
                session,
                lane=lane,
                purpose=purpose,
                chat_id=chat_id,
                text=text,
                now=NOW,
                alert_id=alert_id,
            )
            for text in texts
        ]
        await session.flush()
        return [row.id for row in rows]


async def staff_rows(
    sessionmaker: SessionMaker, purpose: Purpose | None, *, alert_id: int
) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.alert_id == alert_id)
    if purpose is not None:
        query = query.where(OutboxMessage.purpose == purpose)
    async with sessionmaker() as session:
        return list(await session.scalars(query.order_by(OutboxMessage.id)))


async def rows_by_id(sessionmaker: SessionMaker) -> dict[int, OutboxMessage]:
    async with sessionmaker() as session:
        return {row.id: row for row in await session.scalars(select(OutboxMessage))}


class Telegram:
    """Answers at once, except for chats told to hang until released."""

    def __init__(self, hang: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.hang = set(hang)
        self.release = asyncio.Event()
        self.sent: list[tuple[int, str]] = []
        self.fail_once: set[int] = set()

    async def deliver(self, row: OutboxMessage) -> Delivery:
        if row.chat_id in self.hang:
            await self.release.wait()
        if row.id in self.fail_once:
            self.fail_once.discard(row.id)
            return Delivery(Outcome.retry, error="502 Bad Gateway")
        self.sent.append((row.chat_id, row.text))
        return Delivery(Outcome.sent, message_id=row.id)


def running(sessionmaker: SessionMaker, telegram: Telegram, *, capacity: int = 4) -> drain.Drain:
    return drain.Drain(
        sessionmaker, telegram.deliver, worker="here:1:aa", now=lambda: NOW, capacity=capacity
    )


async def until(check: object, what: str) -> None:
    for _ in range(200):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


async def test_a_slow_send_holds_only_its_own_chat(sessionmaker: SessionMaker) -> None:
    await queue(sessionmaker, SLOW, "slow one")
    await queue(sessionmaker, OTHER, "first")
    telegram = Telegram(hang={SLOW})
    pipe = running(sessionmaker, telegram)
    assert await pipe.fill() == 2
    await until(lambda: (OTHER, "first") in telegram.sent, "the other chat's first row")
    # Written while the slow send still hangs: claimed into a free place, sent at once.
    await queue(sessionmaker, OTHER, "second")
    assert await pipe.fill() == 1
    await until(lambda: (OTHER, "second") in telegram.sent, "the other chat's second row")
    await until(lambda: pipe.in_flight == 1, "the other chat's outcome to be recorded")
    assert (SLOW, "slow one") not in telegram.sent
    telegram.release.set()
    await pipe.settle()
    assert (SLOW, "slow one") in telegram.sent
    assert {r.status for r in (await rows_by_id(sessionmaker)).values()} == {OutboxStatus.sent}


async def test_a_reply_in_parts_goes_out_in_order_from_one_claim(
    sessionmaker: SessionMaker,
) -> None:
    await queue(sessionmaker, OTHER, "one", "two", "three", "four", "five", "six", "seven")
    telegram = Telegram()
    pipe = running(sessionmaker, telegram)
    assert await pipe.fill() == 1  # the later parts wait behind the first...
    await pipe.settle()  # ...and follow it without another round
    assert [t for _, t in telegram.sent] == ["one", "two", "three", "four", "five", "six", "seven"]


async def test_rows_behind_a_failed_one_wait_without_being_charged_an_attempt(
    sessionmaker: SessionMaker,
) -> None:
    [checkin] = await queue(sessionmaker, OTHER, "check-in", lane=Lane.checkin)
    [crisis] = await queue(sessionmaker, OTHER, "crisis", lane=Lane.crisis)
    telegram = Telegram()
    telegram.fail_once = {crisis}
    pipe = running(sessionmaker, telegram)
    assert await pipe.fill() == 2  # the crisis row overtakes the check-in: one claim, both
    await pipe.settle()
    rows = await rows_by_id(sessionmaker)
    assert rows[crisis].status is OutboxStatus.pending and rows[crisis].attempts == 1
    assert rows[checkin].status is OutboxStatus.pending and rows[checkin].attempts == 0
    assert pipe.retry_at == rows[crisis].next_attempt_at
    later = drain.Drain(
        sessionmaker,
        telegram.deliver,
        worker="here:1:aa",
        now=lambda: NOW + timedelta(seconds=2),
        capacity=4,
    )
    await later.fill()
    await later.settle()
    assert [t for _, t in telegram.sent] == ["crisis", "check-in"]


async def test_one_alerts_retries_never_hold_another_alerts_announcement(
    sessionmaker: SessionMaker,
) -> None:
    world = await build_world(sessionmaker, group=GROUP)
    first = await raise_crisis(sessionmaker, world)
    second = await raise_crisis(
        sessionmaker, world, type=AlertType.warning_signs, severity=Severity.elevated
    )
    [announce_first] = await staff_rows(sessionmaker, Purpose.alert_announce, alert_id=first)
    telegram = Telegram()
    telegram.fail_once = {announce_first.id}
    pipe = running(sessionmaker, telegram)
    await pipe.fill()
    await pipe.settle()
    assert [(chat, f"#{second}" in text) for chat, text in telegram.sent] == [(GROUP, True)]


async def test_an_alerts_own_messages_keep_their_order(sessionmaker: SessionMaker) -> None:
    world = await build_world(sessionmaker, group=GROUP)
    alert_id = await raise_crisis(sessionmaker, world)
    await raise_crisis(sessionmaker, world)  # a repeat: queued behind the first announcement
    rows = await staff_rows(sessionmaker, None, alert_id=alert_id)
    assert len(rows) == 2
    telegram = Telegram()
    telegram.fail_once = {rows[0].id}
    pipe = running(sessionmaker, telegram)
    await pipe.fill()
    await pipe.settle()
    assert telegram.sent == []


async def test_an_urgent_staff_row_is_claimed_ahead_of_a_backlog_of_replies(
    sessionmaker: SessionMaker,
) -> None:
    for n in range(30):
        await queue(sessionmaker, 5000 + n, f"reply {n}")
    [urgent] = await queue(
        sessionmaker, GROUP, "URGENT", lane=Lane.crisis, purpose=Purpose.alert_announce
    )
    async with sessionmaker.begin() as session:
        [claimed] = await outbox.claim(session, now=NOW, worker="w", limit=1)
    assert claimed.id == urgent


async def test_a_dead_workers_rows_are_taken_back_while_a_live_ones_are_kept(
    sessionmaker: SessionMaker,
) -> None:
    await queue(sessionmaker, SLOW, "left by the dead")
    await queue(sessionmaker, OTHER, "in flight at the live")
    stale_after = timedelta(seconds=20)
    async with sessionmaker.begin() as session:
        await outbox.claim(session, now=NOW, worker="gone", limit=1)
        held = await outbox.claim(session, now=NOW, worker="there", limit=1)
    await claimed_ago(sessionmaker, worker="gone", seconds=30)
    await claimed_ago(sessionmaker, worker="there", seconds=30)
    async with sessionmaker.begin() as session:
        # The live worker beats its heartbeat for what it still holds.
        await recovery.heartbeat(session, worker="there", row_ids=[row.id for row in held])
    async with sessionmaker.begin() as session:
        taken = await recovery.recover(session, stale_after=stale_after)
    assert taken == 1
    rows = await rows_by_id(sessionmaker)
    by_chat = {row.chat_id: row for row in rows.values()}
    assert by_chat[SLOW].status is OutboxStatus.pending
    assert by_chat[OTHER].status is OutboxStatus.sending and by_chat[OTHER].claimed_by == "there"


async def test_a_process_whose_clock_runs_ahead_never_takes_a_live_workers_rows(
    sessionmaker: SessionMaker,
) -> None:
    """Two senders on one database, the second's clock 60 s ahead: each row is sent once."""
    [row_id] = await queue(sessionmaker, SLOW, "a slow send at the live worker")
    telegram = Telegram(hang={SLOW})
    live = running(sessionmaker, telegram)
    assert await live.fill() == 1
    ahead = drain.Drain(
        sessionmaker,
        Telegram().deliver,
        worker="ahead",
        now=lambda: NOW + timedelta(seconds=60),
        capacity=4,
    )
    for _ in range(3):
        async with sessionmaker.begin() as session:
            await recovery.heartbeat(session, worker=live.worker, row_ids=sorted(live.holding))
            assert await recovery.recover(session, stale_after=timedelta(seconds=20)) == 0
        assert await ahead.fill() == 0
    telegram.release.set()
    await live.settle()
    assert telegram.sent == [(SLOW, "a slow send at the live worker")]
    assert (await rows_by_id(sessionmaker))[row_id].status is OutboxStatus.sent


async def test_a_full_pipeline_still_takes_a_crisis_row(sessionmaker: SessionMaker) -> None:
    await queue(sessionmaker, SLOW, "check-in", lane=Lane.checkin)
    await queue(sessionmaker, SLOW + 100, "check-in", lane=Lane.checkin)
    telegram = Telegram(hang={SLOW, SLOW + 100})
    pipe = running(sessionmaker, telegram, capacity=2)
    assert await pipe.fill() == 2
    await queue(sessionmaker, OTHER + 1, "another check-in", lane=Lane.checkin)
    await queue(sessionmaker, OTHER, "crisis", lane=Lane.crisis)
    assert await pipe.fill() == 1  # the crisis row, past the full places; not the check-in
    await until(lambda: (OTHER, "crisis") in telegram.sent, "the crisis row")
    telegram.release.set()
    await pipe.settle()
    assert (OTHER + 1, "another check-in") not in telegram.sent


async def test_a_row_whose_chat_stopped_on_an_error_goes_stale_though_its_worker_lives(
    sessionmaker: SessionMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    [row_id] = await queue(sessionmaker, OTHER, "sent, but its outcome was never written")
    original = outcomes.record

    async def database_gone(*args: object, **kwargs: object) -> bool:
        raise ConnectionError("the database went away mid-outcome")

    monkeypatch.setattr(outcomes, "record", database_gone)
    telegram = Telegram()
    pipe = running(sessionmaker, telegram)
    await pipe.fill()
    await pipe.settle()
    assert pipe.holding == set() and telegram.sent == [
        (OTHER, "sent, but its outcome was never written")
    ]
    monkeypatch.setattr(outcomes, "record", original)
    await claimed_ago(sessionmaker, worker=pipe.worker, seconds=25)
    async with sessionmaker.begin() as session:
        # The worker still beats, for what it holds: nothing.
        await recovery.heartbeat(session, worker=pipe.worker, row_ids=sorted(pipe.holding))
        taken = await recovery.recover(session, stale_after=timedelta(seconds=20))
    assert taken == 1
    assert (await rows_by_id(sessionmaker))[row_id].status is OutboxStatus.pending


async def test_a_cancelled_pipeline_leaves_its_rows_for_a_restart(
    sessionmaker: SessionMaker,
) -> None:
    [row_id] = await queue(sessionmaker, SLOW, "still hanging at shutdown")
    telegram = Telegram(hang={SLOW})
    pipe = running(sessionmaker, telegram)
    await pipe.fill()
    await asyncio.sleep(0.05)
    pipe.cancel()
    await pipe.settle()
    assert pipe.in_flight == 0 and pipe.holding == set() and telegram.sent == []
    assert (await rows_by_id(sessionmaker))[row_id].status is OutboxStatus.sending
