"""Alerts past their deadline: claimed under a lock, so each reminder and escalation is counted
once even when several processes run the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.models import Alert, AlertStatus


def _overdue_condition(now: datetime, remind_every: timedelta) -> ColumnElement[bool]:
    return (
        (Alert.status != AlertStatus.resolved)
        & (Alert.deadline_at <= now)
        & or_(Alert.last_notified_at.is_(None), Alert.last_notified_at <= now - remind_every)
    )


async def overdue(session: AsyncSession, *, now: datetime, remind_every: timedelta) -> list[Alert]:
    """Unresolved alerts past their deadline, not reminded of within `remind_every`, locked.

    The rows stay claimed by this transaction until it ends, so a concurrent caller (another
    process) never gets the same alert: on PostgreSQL they are locked FOR UPDATE and a
    concurrent caller skips them (SKIP LOCKED) or, once this transaction has committed, no
    longer matches them; on SQLite one UPDATE over the overdue rows takes the database's
    write lock first, so a concurrent caller waits and then reads what this one wrote.
    Whoever changes `last_notified_at` must do it in the same transaction (`claim_overdue`).
    """
    condition = _overdue_condition(now, remind_every)
    query: Select[tuple[Alert]] = select(Alert).order_by(Alert.deadline_at, Alert.id)
    if session.bind.dialect.name == "postgresql":
        query = query.where(condition).with_for_update(skip_locked=True, of=Alert)
    else:
        # A write that changes nothing, only to hold the lock for the rest of the transaction.
        locked = await session.execute(
            update(Alert)
            .where(condition)
            .values(reminders_sent=Alert.reminders_sent)
            .returning(Alert.id)
            .execution_options(synchronize_session=False)
        )
        ids = list(locked.scalars())
        if not ids:
            return []
        query = query.where(Alert.id.in_(ids))
    return list(await session.scalars(query.execution_options(populate_existing=True)))


@dataclass(frozen=True)
class OverdueClaim:
    """An overdue alert claimed for one reminder; `escalate`: this claim also escalated it."""

    alert: Alert
    escalate: bool


async def claim_overdue(
    session: AsyncSession, *, now: datetime, remind_every: timedelta
) -> list[OverdueClaim]:
    """Claim every overdue alert for a reminder now, oldest deadline first.

    Each is marked in this transaction: `last_notified_at = now`, `reminders_sent + 1`, and
    the first time `escalated_at = now` (then `escalate` is True: page the clinic admins).
    A concurrent claim in another transaction or process never gets the same alerts.
    """
    claims = []
    for alert in await overdue(session, now=now, remind_every=remind_every):
        escalate = alert.escalated_at is None
        alert.last_notified_at = now
        alert.reminders_sent += 1
        if escalate:
            alert.escalated_at = now
        claims.append(OverdueClaim(alert=alert, escalate=escalate))
    await session.flush()
    return claims
