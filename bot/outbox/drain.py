"""One round of the outbox: claim a batch, deliver each chat's rows in order, record each outcome.

`deliver` is the port to the messaging platform (the Telegram adapter in production, a script in
tests); it must never raise.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.alert.models import Alert
from bot.checkin.delivery import Delivery, Outcome
from bot.database.core import SessionMaker
from bot.outbox import outcomes
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage, Purpose

Deliver = Callable[[OutboxMessage], Awaitable[Delivery]]
WAITS = Delivery(Outcome.retry, error="waits for an earlier message of this chat")


async def drain_once(
    sessionmaker: SessionMaker,
    deliver: Deliver,
    *,
    worker: str,
    now: Callable[[], datetime],
    limit: int,
) -> int:
    """Claim up to `limit` rows and deliver them; returns how many were claimed."""
    async with sessionmaker.begin() as session:
        rows = await outbox.claim(session, now=now(), worker=worker, limit=limit)
    by_chat: dict[int, list[OutboxMessage]] = defaultdict(list)
    for row in rows:
        by_chat[row.chat_id].append(row)
    await asyncio.gather(
        *(_deliver_chat(sessionmaker, deliver, chat_rows, now) for chat_rows in by_chat.values())
    )
    return len(rows)


async def _deliver_chat(
    sessionmaker: SessionMaker,
    deliver: Deliver,
    rows: list[OutboxMessage],
    now: Callable[[], datetime],
) -> None:
    for index, row in enumerate(rows):  # already in lane, then id order
        if row.purpose is Purpose.alert_update and row.edit_message_id is None:
            row.edit_message_id = await _announced_as(sessionmaker, row)
        delivery = await deliver(row)
        async with sessionmaker.begin() as session:
            await outcomes.record(session, row_id=row.id, delivery=delivery, now=now())
        if delivery.outcome is not Outcome.sent:
            # The rest of this chat waits behind the row that did not go out.
            async with sessionmaker.begin() as session:
                for later in rows[index + 1 :]:
                    await outcomes.record(session, row_id=later.id, delivery=WAITS, now=now())
            return


async def _announced_as(sessionmaker: SessionMaker, row: OutboxMessage) -> int | None:
    """The group message an alert's update edits (kept on the row); None: post it instead."""
    if row.alert_id is None:
        return None
    async with sessionmaker.begin() as session:
        alert = await session.get(Alert, row.alert_id)
        if alert is None or alert.staff_message_id is None:
            return None
        stored = await session.get(OutboxMessage, row.id)
        if stored is not None:
            stored.edit_message_id = alert.staff_message_id
        return alert.staff_message_id
