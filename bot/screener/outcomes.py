"""What Telegram's answer about a check-in's message changes for the screeners riding on it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import outcomes
from bot.outbox.models import Delivery, OutboxMessage, Purpose
from bot.screener.models import Administration, AdministrationStatus


@outcomes.on_given_up
@outcomes.on_blocked
async def checkin_not_sent(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
    """A check-in Telegram will not take carried no screener: they never reached the client, so
    they neither count towards the 14 days nor wait to be answered."""
    if row.purpose is not Purpose.checkin or row.checkin_id is None:
        return
    await session.execute(
        delete(Administration)
        .where(
            Administration.checkin_id == row.checkin_id,
            Administration.status == AdministrationStatus.offered,
        )
        .execution_options(synchronize_session=False)
    )
