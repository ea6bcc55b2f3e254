"""Turning a client's taper into check-in rows, and changing them (replan, send now, cancel)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client
from bot.taper.schedule import plan_checkins
from bot.taper.window import CheckinWindow

UNSENT_KINDS = (CheckinKind.taper, CheckinKind.pulled_in)


def window_of(client: Client) -> CheckinWindow:
    return CheckinWindow(client.window_start, client.window_end)


async def replan(session: AsyncSession, *, client: Client, now: datetime) -> list[Checkin]:
    """Rebuild the client's unsent taper check-ins from `now`; steps already sent stay done."""
    await session.execute(
        delete(Checkin).where(
            Checkin.client_id == client.id,
            Checkin.status == CheckinStatus.scheduled,
            Checkin.kind.in_(UNSENT_KINDS),
        )
    )
    last_done = await session.scalar(
        select(func.max(Checkin.step)).where(
            Checkin.client_id == client.id,
            Checkin.kind != CheckinKind.manual,
            Checkin.status.not_in([CheckinStatus.scheduled, CheckinStatus.cancelled]),
        )
    )
    planned = plan_checkins(
        client.ending_date,
        client.taper_offsets,
        client.timezone,
        window_of(client),
        now=now,
        spread_key=client.pseudonym,
        sent_through=last_done,
    )
    rows = [
        Checkin(client_id=client.id, due_at=p.due_at, step=p.step, kind=CheckinKind.taper)
        for p in planned
    ]
    session.add_all(rows)
    await session.flush()
    return rows


async def add_manual(session: AsyncSession, *, client: Client, now: datetime) -> Checkin:
    """A check-in outside the taper, due at once."""
    checkin = Checkin(client_id=client.id, due_at=now, kind=CheckinKind.manual, step=None)
    session.add(checkin)
    await session.flush()
    return checkin


async def cancel_upcoming(session: AsyncSession, *, client_id: int) -> int:
    """Cancel every check-in not yet sent; returns how many."""
    result = await session.execute(
        update(Checkin)
        .where(Checkin.client_id == client_id, Checkin.status == CheckinStatus.scheduled)
        .values(status=CheckinStatus.cancelled)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def upcoming(session: AsyncSession, *, client_id: int, limit: int = 50) -> list[Checkin]:
    return list(
        await session.scalars(
            select(Checkin)
            .where(Checkin.client_id == client_id, Checkin.status == CheckinStatus.scheduled)
            .order_by(Checkin.due_at)
            .limit(limit)
        )
    )


async def history(session: AsyncSession, *, client_id: int, limit: int = 50) -> list[Checkin]:
    return list(
        await session.scalars(
            select(Checkin)
            .where(Checkin.client_id == client_id, Checkin.status != CheckinStatus.scheduled)
            .order_by(Checkin.due_at.desc())
            .limit(limit)
        )
    )


async def next_due(session: AsyncSession, *, client_id: int) -> datetime | None:
    return await session.scalar(
        select(Checkin.due_at)
        .where(Checkin.client_id == client_id, Checkin.status == CheckinStatus.scheduled)
        .order_by(Checkin.due_at)
        .limit(1)
    )
