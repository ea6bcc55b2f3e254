"""One door per verb for a client's life: every adapter (Telegram, console, CLI, clock) calls these.

Each action changes the client in the caller's transaction and does everything the change implies
(check-ins replanned or cancelled, the policy's alert raised), so no door can forget a part.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import schedule
from bot.checkin.models import Checkin
from bot.checkin.service import mark_blocked as cancel_for_blocked
from bot.client import erasure
from bot.client.data_export import Export, build_export
from bot.client.lifecycle import ENDED
from bot.client.models import Client, ClientStatus
from bot.clinic.service import check_timezone
from bot.errors import InvalidInput
from bot.escalation import apply
from bot.taper.window import CheckinWindow

logger = logging.getLogger(__name__)


class ClientEnded(InvalidInput):
    """The client stopped or graduated: nothing is planned for them again."""


@dataclass(frozen=True)
class Changed:
    """Whether the action changed anything, and the client's next check-in after it."""

    changed: bool
    next_due: datetime | None = None


async def _next(session: AsyncSession, client: Client) -> datetime | None:
    return await schedule.next_due(session, client_id=client.id)


async def pause(session: AsyncSession, *, client: Client) -> Changed:
    """No check-ins until resumed; unchanged unless they were running."""
    if client.status is not ClientStatus.active:
        return Changed(False)
    client.status = ClientStatus.paused
    await session.flush()
    return Changed(True)


async def resume(session: AsyncSession, *, client: Client, now: datetime) -> Changed:
    """Check-ins start again (from paused or blocked); what was missed becomes one catch-up."""
    if client.status not in (ClientStatus.paused, ClientStatus.blocked):
        return Changed(False, await _next(session, client))
    client.status = ClientStatus.active
    await schedule.replan(session, client=client, now=now)
    return Changed(True, await _next(session, client))


async def unblock(session: AsyncSession, *, client: Client, now: datetime) -> Changed:
    """They unblocked the bot (or wrote to it): the taper is picked up again."""
    if client.status is not ClientStatus.blocked:
        return Changed(False)
    return await resume(session, client=client, now=now)


async def stop(session: AsyncSession, *, client: Client, now: datetime) -> Changed:
    """Every message stops; the clinic hears of it, as the confirmation promises."""
    if client.status is ClientStatus.stopped:
        return Changed(False)
    client.status = ClientStatus.stopped
    await schedule.cancel_upcoming(session, client_id=client.id)
    await session.flush()
    await apply.client_stopped(session, client=client, now=now)
    return Changed(True)


async def mark_blocked(session: AsyncSession, *, client: Client, now: datetime) -> Changed:
    """Telegram says they blocked the bot: check-ins stop and the clinic is told, once."""
    if client.status is not ClientStatus.active:
        return Changed(False)
    logger.info("client %s blocked the bot", client.pseudonym)
    await cancel_for_blocked(session, client_ids={client.id})
    await session.refresh(client, ["status"])
    await apply.client_blocked(session, client=client, now=now)
    return Changed(True)


def _replannable(client: Client) -> None:
    if client.status in ENDED:
        raise ClientEnded(f"client {client.pseudonym} has {client.status.value}")


async def change_window(
    session: AsyncSession, *, client: Client, window: CheckinWindow, now: datetime
) -> Changed:
    """Check-ins move into a new daily window (the client's local time)."""
    _replannable(client)
    client.window_start, client.window_end = window.start, window.end
    await schedule.replan(session, client=client, now=now)
    return Changed(True, await _next(session, client))


async def change_timezone(
    session: AsyncSession, *, client: Client, timezone: str, now: datetime
) -> Changed:
    """Check-ins follow a new timezone; an unknown name is refused with the reason."""
    check_timezone(timezone)
    _replannable(client)
    client.timezone = timezone
    await schedule.replan(session, client=client, now=now)
    return Changed(True, await _next(session, client))


async def send_checkin_now(session: AsyncSession, *, client: Client, now: datetime) -> Checkin:
    """A check-in outside the taper, sent with the next dispatch round."""
    _replannable(client)
    if client.chat_id is None:
        raise InvalidInput(f"client {client.pseudonym} has not joined on Telegram yet")
    return await schedule.add_manual(session, client=client, now=now)


async def erase(session: AsyncSession, *, client_id: int, now: datetime) -> erasure.ErasureReceipt:
    """Everything the client asked to erase is gone; the clinic keeps the minimum (see erasure)."""
    return await erasure.erase_client(session, client_id=client_id, now=now)


async def export(
    session: AsyncSession, *, client_id: int, now: datetime, retention_days: int
) -> Export:
    """Everything kept about the client, as they may take it away."""
    return await build_export(session, client_id=client_id, now=now, retention_days=retention_days)
