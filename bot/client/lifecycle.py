"""A linked client's own choices: pause, resume, stop; and being blocked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import schedule
from bot.client.models import Client, ClientStatus

# Statuses in which the client has ended the relationship; only a new invite reopens it.
ENDED = (ClientStatus.stopped, ClientStatus.completed)


async def pause(session: AsyncSession, *, client: Client) -> bool:
    """Pause check-ins; False if they were not running."""
    if client.status != ClientStatus.active:
        return False
    client.status = ClientStatus.paused
    await session.flush()
    return True


async def resume(session: AsyncSession, *, client: Client, now: datetime) -> bool:
    """Resume check-ins; anything missed while paused collapses into one catch-up."""
    if client.status not in (ClientStatus.paused, ClientStatus.blocked):
        return False
    client.status = ClientStatus.active
    await schedule.replan(session, client=client, now=now)
    return True


async def stop(session: AsyncSession, *, client: Client) -> None:
    client.status = ClientStatus.stopped
    await schedule.cancel_upcoming(session, client_id=client.id)
    await session.flush()
