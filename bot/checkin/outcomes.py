"""What Telegram's answer about a check-in's message changes for the check-in itself."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import Update, bindparam, case, literal, null, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.models import Checkin, CheckinStatus
from bot.database.base import table_of
from bot.outbox import outcomes
from bot.outbox.models import Delivery, OutboxMessage, Purpose


@functools.cache
def _checkin_sent() -> Update:
    """The check-in went out. A tap can arrive before this is recorded, so the status moves to
    sent only if it is still sending, decided by the database on the row as it is now: read here
    and written later, an answer committed in between would be overwritten."""
    table = table_of(Checkin)
    still_sending = table.c.status == CheckinStatus.sending
    sent = literal(CheckinStatus.sent, type_=table.c.status.type)
    return (
        update(table)
        .where(table.c.id == bindparam("checkin"))
        .values(
            sent_at=bindparam("at", type_=table.c.sent_at.type),
            telegram_message_id=bindparam("message", type_=table.c.telegram_message_id.type),
            status=case((still_sending, sent), else_=table.c.status),
            last_error=case((still_sending, null()), else_=table.c.last_error),
        )
    )


@outcomes.on_sent(Purpose.checkin)
async def checkin_sent(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
    if row.checkin_id is not None:
        params = {"checkin": row.checkin_id, "at": now, "message": row.telegram_message_id}
        await session.execute(_checkin_sent(), params)


@outcomes.on_given_up
@outcomes.on_blocked
async def checkin_not_sent(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
    """A check-in Telegram will not take is cancelled, so it is not counted as missed."""
    if row.purpose is not Purpose.checkin or row.checkin_id is None:
        return
    checkin = await session.get(Checkin, row.checkin_id)
    if checkin is not None and checkin.status is CheckinStatus.sending:
        checkin.status = CheckinStatus.cancelled
        checkin.last_error = (delivery.error or delivery.outcome.value)[:200]
