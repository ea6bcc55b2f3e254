"""The outbox's life: written with the decision, claimed per lane, each outcome recorded at once.

A row is claimable when it is due and no earlier row of the same chat in the same or a more
urgent lane is still unsent: per-chat order holds, and a crisis row overtakes a check-in.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.database import claims
from bot.outbox import doorbell
from bot.outbox.models import Buttons, Lane, OutboxMessage, OutboxStatus, Purpose, buttons_column

MAX_BACKOFF = timedelta(minutes=10)
# A row Telegram refuses (400) this many times is given up and recorded as failed.
MAX_REFUSALS = 3
UNSENT = (OutboxStatus.pending, OutboxStatus.sending)


def enqueue(
    session: AsyncSession,
    *,
    lane: Lane,
    purpose: Purpose,
    chat_id: int,
    text: str,
    now: datetime,
    buttons: Buttons | None = None,
    client_id: int | None = None,
    alert_id: int | None = None,
    checkin_id: int | None = None,
    edit_message_id: int | None = None,
) -> OutboxMessage:
    """Add one message to send once the caller's transaction commits (which rings the bell)."""
    row = OutboxMessage(
        lane=int(lane),
        purpose=purpose,
        chat_id=chat_id,
        text=text,
        buttons=buttons_column(buttons),
        client_id=client_id,
        alert_id=alert_id,
        checkin_id=checkin_id,
        edit_message_id=edit_message_id,
        status=OutboxStatus.pending,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    doorbell.mark(session)
    return row


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """Telegram's own wait first; otherwise 1 s doubling per attempt, capped."""
    exponential = timedelta(seconds=min(2 ** max(attempts - 1, 0), MAX_BACKOFF.total_seconds()))
    return max(timedelta(seconds=retry_after or 0), exponential)


async def claim(
    session: AsyncSession, *, now: datetime, worker: str, limit: int
) -> list[OutboxMessage]:
    """Mark up to `limit` sendable rows as `sending` for `worker`, most urgent lane first."""
    earlier = aliased(OutboxMessage)
    blocked_by_earlier = exists().where(
        earlier.chat_id == OutboxMessage.chat_id,
        earlier.id < OutboxMessage.id,
        earlier.lane <= OutboxMessage.lane,
        earlier.status.in_(UNSENT),
    )
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.pending,
            OutboxMessage.next_attempt_at <= now,
            ~blocked_by_earlier,
        )
        .order_by(OutboxMessage.lane, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    ids = await claims.claim(
        session,
        OutboxMessage,
        due,
        still=OutboxMessage.status == OutboxStatus.pending,
        values={
            "status": OutboxStatus.sending,
            "claimed_by": worker,
            "claimed_at": now,
            "attempts": OutboxMessage.attempts + 1,
        },
    )
    if not ids:
        return []
    rows = await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .order_by(OutboxMessage.lane, OutboxMessage.id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the earliest pending row becomes due (so the sender can sleep until then)."""
    return await session.scalar(
        select(OutboxMessage.next_attempt_at)
        .where(OutboxMessage.status == OutboxStatus.pending)
        .order_by(OutboxMessage.next_attempt_at)
        .limit(1)
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def dead_on_this_host(claimers: Sequence[str], *, host: str, own_pid: int) -> list[str]:
    """Claims by a process of this host that is gone (or is this pid's previous life)."""
    dead = []
    for claimer in claimers:
        claim_host, _, rest = claimer.partition(":")
        pid_text = rest.split(":", 1)[0]
        if claim_host != host or not pid_text.isdigit():
            continue
        pid = int(pid_text)
        if pid == own_pid or not _alive(pid):
            dead.append(claimer)
    return dead


async def recover(
    session: AsyncSession, *, now: datetime, worker: str, host: str, stale_after: timedelta
) -> int:
    """Rows left in `sending` by a dead process go back to pending.

    At start-up a process knows its own host's dead claimers at once; another host's claims are
    taken back only after `stale_after`. Telegram has no idempotency key, so a row that was in
    flight at a crash may be sent twice: at most the rows one process had in flight.
    """
    claimers = list(
        await session.scalars(
            select(OutboxMessage.claimed_by)
            .where(OutboxMessage.status == OutboxStatus.sending)
            .distinct()
        )
    )
    dead = dead_on_this_host(
        [c for c in claimers if c and c != worker], host=host, own_pid=os.getpid()
    )
    stale = and_(OutboxMessage.claimed_at < now - stale_after, OutboxMessage.claimed_by != worker)
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


async def unsent_for_chat(session: AsyncSession, *, chat_id: int) -> int:
    """How many rows of this chat still wait (tests and the console)."""
    rows = await session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.chat_id == chat_id, OutboxMessage.status.in_(UNSENT)
        )
    )
    return len(list(rows))
