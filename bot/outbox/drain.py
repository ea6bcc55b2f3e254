"""The outbox in motion: a bounded number of chats in flight, each chat's rows in order.

A slow send holds only its own chat: the others go on, and a freed place is claimed again at
once. When a chat's row has gone out its next row is claimed in the same transaction, so a
reply in several parts never waits for a fresh round.

`deliver` is the port to the messaging platform (the Telegram adapter in production, a script in
tests); it must never raise.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

from bot.alert.models import Alert
from bot.database.core import SessionMaker
from bot.outbox import outcomes
from bot.outbox import service as outbox
from bot.outbox.models import Delivery, Lane, OutboxMessage, OutboxStatus, Outcome, Purpose

logger = logging.getLogger(__name__)

Deliver = Callable[[OutboxMessage], Awaitable[Delivery]]
# Rows of one chat claimed together are few (a crisis overtaking a check-in); the next come after.
CHAIN = 5


class Drain:
    """Keeps up to `capacity` chats in flight; `kick` is set whenever claiming again may help:
    new rows (the doorbell), a retry falling due, or a full pipeline half drained."""

    def __init__(
        self,
        sessionmaker: SessionMaker,
        deliver: Deliver,
        *,
        worker: str,
        now: Callable[[], datetime],
        capacity: int,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.deliver = deliver
        self.worker = worker
        self.now = now
        self.capacity = max(capacity, 1)
        self.kick = asyncio.Event()
        # The earliest retry this worker scheduled: the sender wakes for it.
        self.retry_at: datetime | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        # Rows claimed and not yet recorded: only these get the heartbeat, so a row whose chat
        # stopped on an error goes stale and is taken back.
        self.holding: set[int] = set()
        self._full = False
        # SQLite has one writer: outcomes written one at a time here beat many waiting on its lock.
        self._write_lock = (
            asyncio.Lock() if sessionmaker.kw["bind"].dialect.name == "sqlite" else None
        )

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    async def fill(self) -> int:
        """Claim rows for the free places and start their chats; returns how many were claimed.

        A full pipeline still takes crisis rows, a few beyond its size: they never wait for a
        place behind a batch of check-ins.
        """
        room = self.capacity - len(self._tasks)
        lanes = None
        if room <= 0:
            room, lanes = max(self.capacity // 4, 1), (Lane.crisis,)
        async with self._writing(), self.sessionmaker.begin() as session:
            rows = await outbox.claim(
                session, now=self.now(), worker=self.worker, limit=room, lanes=lanes
            )
        # A full claim may have left more behind: claim again once half the places are free.
        self._full = lanes is not None or len(rows) >= room
        self.adopt(rows)
        return len(rows)

    def adopt(self, rows: list[OutboxMessage]) -> None:
        """Start sending rows claimed for this worker (by a round, or by the transaction that
        wrote them); a reply taken this way goes even when every place is busy."""
        by_thread: dict[tuple[int, int | None], list[OutboxMessage]] = defaultdict(list)
        for row in rows:
            self.holding.add(row.id)
            by_thread[outbox.thread(row)].append(row)
        for chat_rows in by_thread.values():
            task = asyncio.create_task(self._chat(chat_rows))
            self._tasks.add(task)
            task.add_done_callback(self._finished)

    async def settle(self) -> None:
        """Wait for every chat in flight (and the rows they chain) to finish."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def cancel(self) -> None:
        """Stop every chat in flight (shutdown ran out of time); their rows wait for a restart."""
        for task in list(self._tasks):
            task.cancel()

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("an outbox chat stopped", exc_info=task.exception())
        # Claiming in halves, not per freed place: one claim serves many sends.
        if self._full and len(self._tasks) <= self.capacity // 2:
            self._full = False
            self.kick.set()

    @contextlib.asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        if self._write_lock is None:
            yield
            return
        async with self._write_lock:
            yield

    async def _chat(self, rows: list[OutboxMessage]) -> None:
        mine = {row.id for row in rows}
        try:
            await self._deliver_in_order(rows, mine)
        finally:
            self.holding -= mine

    async def _deliver_in_order(self, rows: list[OutboxMessage], mine: set[int]) -> None:
        queue = list(rows)  # already in lane, then id order
        while queue:
            row = queue.pop(0)
            if row.purpose is Purpose.alert_update and row.edit_message_id is None:
                row.edit_message_id = await self._announced_as(row)
            delivery = await self.deliver(row)
            async with self._writing(), self.sessionmaker.begin() as session:
                recorded = await outcomes.record(
                    session, row=row, delivery=delivery, now=self.now(), worker=self.worker
                )
                if delivery.outcome is not Outcome.sent:
                    # The rest of this chat waits behind the row that did not go out.
                    await outbox.release(session, rows=queue, worker=self.worker)
                    queue = []
                elif not queue and row.lane in outbox.CHAINED_LANES and recorded.chat_waiting:
                    queue = await outbox.claim(
                        session,
                        now=self.now(),
                        worker=self.worker,
                        limit=CHAIN,
                        chat_id=row.chat_id,
                    )
                    chained = {later.id for later in queue}
                    mine |= chained
                    self.holding |= chained
            self.holding.discard(row.id)
            if row.status is OutboxStatus.pending:
                self._retry_due(row.next_attempt_at)

    def _retry_due(self, at: datetime) -> None:
        # No kick: a retry is never due at once (backoff >= 1 s); the sender's next sleep reads it.
        if self.retry_at is None or at < self.retry_at:
            self.retry_at = at

    async def _announced_as(self, row: OutboxMessage) -> int | None:
        """The group message an alert's update edits (kept on the row); None: post it instead."""
        if row.alert_id is None:
            return None
        async with self._writing(), self.sessionmaker.begin() as session:
            alert = await session.get(Alert, row.alert_id)
            if alert is None or alert.staff_message_id is None:
                return None
            stored = await session.get(OutboxMessage, row.id)
            if stored is not None:
                stored.edit_message_id = alert.staff_message_id
            return alert.staff_message_id


async def drain_once(
    sessionmaker: SessionMaker,
    deliver: Deliver,
    *,
    worker: str,
    now: Callable[[], datetime],
    limit: int,
) -> int:
    """Claim up to `limit` chats' rows and deliver them, with what they chain; returns the count
    of the first claim (tests and benches drive the outbox with this)."""
    drain = Drain(sessionmaker, deliver, worker=worker, now=now, capacity=limit)
    claimed = await drain.fill()
    await drain.settle()
    return claimed
