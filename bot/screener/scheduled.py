"""The screeners' clock work: what is due is a query, run by the scheduler's job."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client, ClientStatus
from bot.screener import asking, service


async def remind_and_close(session: AsyncSession, *, now: datetime) -> tuple[int, int]:
    """Screeners sent 4 days ago close; those sent 2 days ago and not finished get their one
    gentle reminder (an active client only; a held one waits in silence). Returns (reminded,
    closed)."""
    closed = await service.expire_due(session, now=now)
    reminded = 0
    for administration in await service.due_reminders(session, now=now):
        client = await session.get(Client, administration.client_id)
        administration.reminded_at = now
        if client is None or client.status is not ClientStatus.active or client.chat_id is None:
            continue
        await asking.remind(session, client, administration, now)
        reminded += 1
    return reminded, closed
