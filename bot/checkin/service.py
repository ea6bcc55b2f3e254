"""Check-in delivery state: claim what is due, recover and expire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client, ClientStatus, EndingType
from bot.database import claims
from bot.texts.translation import translator_for


@dataclass(frozen=True)
class CheckinToSend:
    checkin_id: int
    client_id: int
    chat_id: int
    display_name: str
    ending_type: EndingType
    kind: CheckinKind
    step: int | None
    total_steps: int
    attempts: int = 1
    # A caring check-in's day from the plan (see bot.checkin.schedule).
    occasion: dict[str, Any] | None = None
    # The language the client reads.
    language: str | None = None


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, worker: str
) -> list[CheckinToSend]:
    """Atomically mark up to `limit` due check-ins of active clients as `sending` for `worker`."""
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
    ids = await claims.claim(
        session,
        Checkin,
        due,
        still=Checkin.status == CheckinStatus.scheduled,
        values={
            "status": CheckinStatus.sending,
            "claimed_by": worker,
            "claimed_at": now,
            "attempts": Checkin.attempts + 1,
        },
    )
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
            occasion=checkin.occasion,
            language=translator_for(client).language,
        )
        for checkin, client in rows.tuples()
    ]


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


async def recover_orphans(session: AsyncSession) -> int:
    """Check-ins in `sending` with no message in the outbox (left by an older version) go back."""
    from bot.outbox.models import OutboxMessage

    queued = exists().where(OutboxMessage.checkin_id == Checkin.id)
    result = await session.execute(
        update(Checkin)
        .where(Checkin.status == CheckinStatus.sending, ~queued)
        .values(status=CheckinStatus.scheduled, claimed_by=None, last_error="recovered")
        .execution_options(synchronize_session=False)
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
