"""The adaptive taper: a risk signal brings the next check-in closer and steps the taper back;
two calm check-ins in a row resume the original taper."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import schedule
from bot.checkin.adaptive_models import TaperChange
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client, ClientStatus
from bot.policy.deadlines import is_calm as policy_is_calm
from bot.taper.adaptive import pull_in, step_back

PULL_IN_DAYS = 3
CALM_TO_RESUME = 2


def is_calm(checkin: Checkin) -> bool:
    """The policy's calm check-in (docs/escalation-policy.md)."""
    return policy_is_calm(mood=checkin.mood, signs=len(checkin.warning_signs or []))


async def _pending_pulled_in(session: AsyncSession, client_id: int) -> Checkin | None:
    return await session.scalar(
        select(Checkin).where(
            Checkin.client_id == client_id,
            Checkin.kind == CheckinKind.pulled_in,
            Checkin.status == CheckinStatus.scheduled,
        )
    )


async def _current_step(session: AsyncSession, client_id: int) -> int:
    step = await session.scalar(
        select(func.max(Checkin.step)).where(
            Checkin.client_id == client_id,
            Checkin.kind == CheckinKind.taper,
            Checkin.status.not_in([CheckinStatus.scheduled, CheckinStatus.cancelled]),
        )
    )
    return step or 0


async def _bring_closer(session: AsyncSession, client: Client, now: datetime, days: int) -> None:
    if await _pending_pulled_in(session, client.id) is not None:
        return
    next_due = await schedule.next_due(session, client_id=client.id)
    due = pull_in(
        now, next_due, client.timezone, schedule.window_of(client), client.pseudonym, days=days
    )
    if due is None:
        return
    session.add(Checkin(client_id=client.id, due_at=due, kind=CheckinKind.pulled_in))
    session.add(
        TaperChange(
            client_id=client.id,
            at=now,
            change="pulled_in",
            reason=f"next check-in {due:%Y-%m-%d %H:%M} UTC",
        )
    )


async def risk_signal(session: AsyncSession, *, client: Client, reason: str, now: datetime) -> None:
    """Warning signs, low mood or a lapse: check in sooner and step the taper back."""
    if not client.adaptive_taper or client.status != ClientStatus.active:
        return
    if not client.stepped_back:
        session.add(TaperChange(client_id=client.id, at=now, change="stepped_back", reason=reason))
    client.stepped_back = True
    client.calm_streak = 0
    await _bring_closer(session, client, now, PULL_IN_DAYS)
    await session.flush()


async def answered(
    session: AsyncSession, *, client: Client, checkin: Checkin, now: datetime
) -> None:
    """After a check-in is answered: count calm ones while stepped back, resume after two."""
    if not client.adaptive_taper or not client.stepped_back:
        return
    if not is_calm(checkin):
        await risk_signal(session, client=client, reason="check-in showed risk", now=now)
        return
    client.calm_streak += 1
    if client.calm_streak >= CALM_TO_RESUME:
        client.stepped_back = False
        client.calm_streak = 0
        session.add(
            TaperChange(
                client_id=client.id, at=now, change="resumed", reason="two calm check-ins in a row"
            )
        )
        await schedule.replan(session, client=client, now=now)
    else:
        # Keep the shorter, stepped-back gap until the second calm check-in.
        gap = step_back(client.taper_offsets, await _current_step(session, client.id))
        await _bring_closer(session, client, now, max(gap, 1))
    await session.flush()


async def changes(session: AsyncSession, *, client_id: int) -> list[TaperChange]:
    return list(
        await session.scalars(
            select(TaperChange).where(TaperChange.client_id == client_id).order_by(TaperChange.at)
        )
    )
