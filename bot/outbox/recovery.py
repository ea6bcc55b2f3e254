"""Rows a dead process left mid-send go back to pending once their worker has stopped beating its
heartbeat. Judged by the database's clock, never a process's own: a process whose clock runs ahead
must not take back a live worker's rows (Telegram has no idempotency key: that would send twice).
A worker is a random id per process start: containers may share a host name and a pid."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import Update, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database.base import table_of
from bot.database.clock import DatabaseAgo, DatabaseNow
from bot.outbox import doorbell
from bot.outbox.models import OutboxMessage, OutboxStatus


async def heartbeat(session: AsyncSession, *, worker: str, row_ids: Sequence[int]) -> None:
    """This worker is alive and still sending these rows: they are not stale, however long
    their sends take. A row it claimed and no longer holds (its chat stopped) goes stale."""
    if not row_ids:
        return
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(list(row_ids)),
            OutboxMessage.status == OutboxStatus.sending,
            OutboxMessage.claimed_by == worker,
        )
        .values(claimed_at=DatabaseNow())
        .execution_options(synchronize_session=False)
    )


@functools.cache
def _take_back() -> Update:
    table = table_of(OutboxMessage)
    return (
        update(table)
        .where(
            table.c.status == OutboxStatus.sending,
            table.c.claimed_at < DatabaseAgo("stale_seconds"),
        )
        .values(status=OutboxStatus.pending, claimed_by=None, error="recovered after a crash")
    )


async def recover(session: AsyncSession, *, stale_after: timedelta) -> int:
    """Rows in `sending` whose worker has not beaten its heartbeat for `stale_after` go back to
    pending. Senders call this at start-up and while they run, so a process that died is noticed
    within that time; at most the rows it had in flight may be sent twice."""
    result = await session.execute(_take_back(), {"stale_seconds": stale_after.total_seconds()})
    count = int(result.rowcount)  # type: ignore[attr-defined]
    if count:
        doorbell.mark(session)
    return count
