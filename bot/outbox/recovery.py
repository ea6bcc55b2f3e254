"""Rows a dead process left mid-send go back to pending: at start-up for this host's dead pids,
and while running for any claim whose worker stopped beating its heartbeat."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import doorbell
from bot.outbox.models import OutboxMessage, OutboxStatus


async def heartbeat(
    session: AsyncSession, *, worker: str, row_ids: Sequence[int], now: datetime
) -> None:
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
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def dead_on_this_host(
    claimers: Sequence[str], *, host: str, own_pid: int, starting: bool = True
) -> list[str]:
    """Claims by a process of this host that is gone (or, at start-up, this pid's previous life:
    a container restarts with the same pid)."""
    dead = []
    for claimer in claimers:
        claim_host, _, rest = claimer.partition(":")
        pid_text = rest.split(":", 1)[0]
        if claim_host != host or not pid_text.isdigit():
            continue
        pid = int(pid_text)
        if (pid == own_pid and starting) or (pid != own_pid and not _alive(pid)):
            dead.append(claimer)
    return dead


async def recover(
    session: AsyncSession,
    *,
    now: datetime,
    worker: str,
    host: str,
    stale_after: timedelta,
    starting: bool = True,
) -> int:
    """Rows left in `sending` by a dead process go back to pending.

    A process knows its own host's dead claimers at once; any other claim is taken back once its
    worker has not beaten its heartbeat for `stale_after` (senders call this while they run, so
    a process that died on another host is noticed within that time). Telegram has no
    idempotency key, so a row that was in flight at a crash may be sent twice: at most the rows
    one process had in flight.
    """
    claimers = list(
        await session.scalars(
            select(OutboxMessage.claimed_by)
            .where(OutboxMessage.status == OutboxStatus.sending)
            .distinct()
        )
    )
    dead = dead_on_this_host(
        [c for c in claimers if c and c != worker],
        host=host,
        own_pid=os.getpid(),
        starting=starting,
    )
    # Including this worker's own: a row it still holds has just had its heartbeat.
    stale = OutboxMessage.claimed_at < now - stale_after
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.sending,
            OutboxMessage.claimed_by.in_(dead) | stale,
        )
        .values(status=OutboxStatus.pending, claimed_by=None, error="recovered after a crash")
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount)  # type: ignore[attr-defined]
    if count:
        doorbell.mark(session)
    return count
