"""Check-in delivery state: claim what is due, record what happened, recover and expire."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.delivery import CheckinToSend, Delivery, Outcome
from bot.checkin.models import Checkin, CheckinStatus
from bot.client.models import Client, ClientStatus

MAX_BACKOFF = timedelta(hours=1)
# Core table, for the executemany UPDATE that records a whole batch in one round trip.
_table = cast(Table, Checkin.__table__)
_DUE_TYPE = _table.c.due_at.type


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """How long to wait before trying a failed send again: Telegram's word first, then 2^n."""
    exponential = timedelta(seconds=min(5 * 2 ** max(attempts - 1, 0), MAX_BACKOFF.seconds))
    return max(timedelta(seconds=retry_after or 0), exponential)


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, worker: str
) -> list[CheckinToSend]:
    """Atomically mark up to `limit` due check-ins of active clients as `sending` for `worker`.

    On PostgreSQL, SKIP LOCKED lets concurrent dispatchers take disjoint rows; on SQLite one
    UPDATE ... WHERE id IN (SELECT ...) is atomic because SQLite serialises writers.
    """
    due = (
        select(Checkin.id)
        .join(Client, Client.id == Checkin.client_id)
        .where(
            Checkin.status == CheckinStatus.scheduled,
            Checkin.due_at <= now,
            Client.status == ClientStatus.active,
            Client.chat_id.is_not(None),
        )
        .order_by(Checkin.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Checkin)
    )
    if session.bind.dialect.name == "postgresql":
        # Lock first, then update by id: a locking subquery inside UPDATE may be re-run per row.
        candidates = list(await session.scalars(due))
        if not candidates:
            return []
        target = Checkin.id.in_(candidates)
    else:
        target = Checkin.id.in_(due.scalar_subquery())
    claimed = await session.execute(
        update(Checkin)
        .where(target, Checkin.status == CheckinStatus.scheduled)
        .values(
            status=CheckinStatus.sending,
            claimed_by=worker,
            claimed_at=now,
            attempts=Checkin.attempts + 1,
        )
        .returning(Checkin.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(claimed.scalars())
    if not ids:
        return []
    rows = await session.execute(
        select(Checkin, Client)
        .join(Client, Client.id == Checkin.client_id)
        .where(Checkin.id.in_(ids))
        .order_by(Checkin.due_at)
        .execution_options(populate_existing=True)
    )
    return [
        CheckinToSend(
            checkin_id=checkin.id,
            client_id=client.id,
            chat_id=client.chat_id or 0,
            display_name=client.display_name,
            ending_type=client.ending_type,
            kind=checkin.kind,
            step=checkin.step,
            total_steps=len(client.taper_offsets),
            attempts=checkin.attempts,
        )
        for checkin, client in rows.tuples()
    ]


async def record_deliveries(
    session: AsyncSession,
    *,
    results: Sequence[tuple[CheckinToSend, Delivery]],
    worker: str,
    now: datetime,
) -> set[int]:
    """Write each send's outcome; returns the ids of clients who turned out to have blocked us."""
    values = []
    blocked: set[int] = set()
    for item, delivery in results:
        row = {
            "b_id": item.checkin_id,
            "b_worker": worker,
            "status": CheckinStatus.sent,
            "due_at": None,
            "sent_at": None,
            "message_id": None,
            "error": delivery.error,
        }
        if delivery.outcome is Outcome.sent:
            row.update(sent_at=now, message_id=delivery.message_id)
        elif delivery.outcome is Outcome.retry:
            wait = backoff(item.attempts, delivery.retry_after)
            row.update(status=CheckinStatus.scheduled, due_at=now + wait)
        else:
            row.update(status=CheckinStatus.cancelled)
            if delivery.outcome is Outcome.blocked:
                blocked.add(item.client_id)
        values.append(row)
    if values:
        await session.execute(
            update(_table)
            .where(_table.c.id == bindparam("b_id"), _table.c.claimed_by == bindparam("b_worker"))
            .values(
                # An answer that arrived while the batch was in flight is kept.
                status=case(
                    (_table.c.status == CheckinStatus.sending.value, bindparam("status")),
                    else_=_table.c.status,
                ),
                due_at=func.coalesce(bindparam("due_at", type_=_DUE_TYPE), _table.c.due_at),
                sent_at=bindparam("sent_at"),
                telegram_message_id=bindparam("message_id"),
                last_error=bindparam("error"),
                claimed_by=None,
            ),
            values,
        )
    if blocked:
        await mark_blocked(session, client_ids=blocked)
    return blocked


async def mark_blocked(session: AsyncSession, *, client_ids: set[int]) -> None:
    """The client blocked the bot: no more check-ins until they come back."""
    await session.execute(
        update(Client)
        .where(Client.id.in_(client_ids), Client.status != ClientStatus.stopped)
        .values(status=ClientStatus.blocked)
    )
    await session.execute(
        update(Checkin)
        .where(Checkin.client_id.in_(client_ids), Checkin.status == CheckinStatus.scheduled)
        .values(status=CheckinStatus.cancelled, last_error="blocked by the user")
    )


async def recover_stale(session: AsyncSession, *, now: datetime, stale_after: timedelta) -> int:
    """Check-ins left in `sending` by a crashed process go back to the queue."""
    result = await session.execute(
        update(Checkin)
        .where(Checkin.status == CheckinStatus.sending, Checkin.claimed_at < now - stale_after)
        .values(status=CheckinStatus.scheduled, claimed_by=None, last_error="recovered after crash")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def mark_missed(
    session: AsyncSession, *, now: datetime, after: timedelta
) -> list[tuple[int, int]]:
    """Sent check-ins without an answer for `after` become missed; returns (checkin, client)."""
    result = await session.execute(
        update(Checkin)
        .where(Checkin.status == CheckinStatus.sent, Checkin.sent_at < now - after)
        .values(status=CheckinStatus.missed)
        .returning(Checkin.id, Checkin.client_id)
    )
    return [(row[0], row[1]) for row in result]
