"""When warning signs add up to an alert (per clinic; defaults: two reports within 7 days)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.models import Checkin
from bot.conversation.models import ClientMessage
from bot.policy.deadlines import WARNING_REPORT_INTENTS as SIGN_INTENTS

WARNING_REPORTS = 2
WARNING_WINDOW = timedelta(days=7)


async def warning_reports(
    session: AsyncSession, *, client_id: int, now: datetime, window: timedelta = WARNING_WINDOW
) -> int:
    """Messages about signs, triggers or low mood, plus check-ins with signs, within `window`."""
    since = now - window
    messages = await session.scalar(
        select(func.count()).where(
            ClientMessage.client_id == client_id,
            ClientMessage.received_at >= since,
            ClientMessage.intent.in_(SIGN_INTENTS),
        )
    )
    checkins = await session.scalars(
        select(Checkin.warning_signs).where(
            Checkin.client_id == client_id, Checkin.answered_at >= since
        )
    )
    return (messages or 0) + sum(1 for signs in checkins if signs)


async def warning_threshold_met(
    session: AsyncSession,
    *,
    client_id: int,
    now: datetime,
    reports: int = WARNING_REPORTS,
    window: timedelta = WARNING_WINDOW,
) -> bool:
    """At least `reports` reports within `window` (the clinic's own threshold)."""
    found = await warning_reports(session, client_id=client_id, now=now, window=window)
    return found >= reports
