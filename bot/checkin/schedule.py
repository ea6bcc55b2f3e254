"""Turning a client's taper into check-in rows, and changing them (replan, send now, cancel)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client
from bot.plan import service as plans
from bot.plan.schema import PlanDocument
from bot.taper.caring import CaringCheckin, DatedDay, caring_checkins
from bot.taper.schedule import plan_checkins
from bot.taper.window import CheckinWindow

UNSENT_KINDS = (CheckinKind.taper, CheckinKind.pulled_in, CheckinKind.caring)


def window_of(client: Client) -> CheckinWindow:
    return CheckinWindow(client.window_start, client.window_end)


@dataclass(frozen=True)
class Planned:
    """A check-in a taper plans: due time, step (None for a caring one of its own), kind, and
    the occasion a caring check-in is for."""

    due_at: datetime
    step: int | None
    kind: CheckinKind
    occasion: dict[str, Any] | None


def plan_for(
    *,
    ending_date: date,
    offsets: list[int],
    timezone: str,
    window: CheckinWindow,
    spread_key: str,
    plan: PlanDocument | None,
    now: datetime,
    sent_through: int | None = None,
    occasions_done: Collection[date] = (),
) -> list[Planned]:
    """The check-ins a taper plans from `now` (taper steps, and caring check-ins before the
    plan's dated triggers), without touching the database: replan stores these, and the
    console previews them before a client is enrolled."""
    planned = plan_checkins(
        ending_date,
        offsets,
        timezone,
        window,
        now=now,
        spread_key=spread_key,
        sent_through=sent_through,
    )
    caring: list[CaringCheckin] = []
    if plan is not None and plan.dated_triggers and offsets:
        caring = caring_checkins(
            dated_days(plan),
            planned,
            timezone,
            window,
            now=now,
            spread_key=spread_key,
            until=ending_date + timedelta(days=max(offsets)),
            done=occasions_done,
        )
    joined = {c.step: c for c in caring if c.step is not None}
    rows = [
        Planned(
            p.due_at,
            p.step,
            CheckinKind.taper,
            _occasion(joined[p.step], plan) if p.step in joined else None,
        )
        for p in planned
    ]
    rows += [
        Planned(c.due_at, None, CheckinKind.caring, _occasion(c, plan))
        for c in caring
        if c.step is None
    ]
    return sorted(rows, key=lambda r: r.due_at)


async def replan(session: AsyncSession, *, client: Client, now: datetime) -> list[Checkin]:
    """Rebuild the client's unsent taper check-ins from `now`; steps already sent stay done,
    and so do the caring check-ins already sent."""
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
    plan = await plans.get_document(session, client_id=client.id)
    planned = plan_for(
        ending_date=client.ending_date,
        offsets=client.taper_offsets,
        timezone=client.timezone,
        window=window_of(client),
        spread_key=client.pseudonym,
        plan=plan,
        now=now,
        sent_through=last_done,
        occasions_done=await _occasions_sent(session, client.id) if plan else (),
    )
    rows = [
        Checkin(client_id=client.id, due_at=p.due_at, step=p.step, kind=p.kind, occasion=p.occasion)
        for p in planned
    ]
    session.add_all(rows)
    await session.flush()
    return rows


async def _occasions_sent(session: AsyncSession, client_id: int) -> set[date]:
    sent = await session.scalars(
        select(Checkin.occasion).where(
            Checkin.client_id == client_id,
            Checkin.occasion.is_not(None),
            Checkin.status.not_in([CheckinStatus.scheduled, CheckinStatus.cancelled]),
        )
    )
    return {date.fromisoformat(o["on"]) for o in sent if o and "on" in o}


def dated_days(plan: PlanDocument) -> list[DatedDay]:
    """The plan's dated triggers as days; `ref` is the trigger's position in the plan."""
    return [
        DatedDay(on=t.date, every_year=t.every_year, ref=index)
        for index, t in enumerate(plan.triggers)
        if t.date is not None
    ]


def _occasion(caring: CaringCheckin, plan: PlanDocument | None) -> dict[str, Any]:
    """What the caring opener says, in the plan's own words (a plan edit replans it)."""
    assert plan is not None
    trigger = plan.triggers[caring.day.ref]
    return {
        "situation": trigger.situation,
        "what_to_do": trigger.what_to_do,
        "on": caring.occasion.isoformat(),
    }


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
