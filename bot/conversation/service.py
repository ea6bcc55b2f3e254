"""Keeping what clients write, and purging free text after the retention period."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.models import ClientMessage
from bot.nlu.understanding import Understanding
from bot.outbox.models import OutboxMessage, OutboxStatus


async def record(
    session: AsyncSession,
    *,
    client_id: int,
    text: str,
    understanding: Understanding,
    now: datetime,
    telegram_message_id: int | None = None,
    checkin_id: int | None = None,
) -> ClientMessage:
    message = ClientMessage(
        client_id=client_id,
        received_at=now,
        telegram_message_id=telegram_message_id,
        text=text,
        checkin_id=checkin_id,
        intent=understanding.intent,
        confidence=understanding.confidence,
        risk=str(understanding.risk),
        source=understanding.source,
        net_matches=",".join(understanding.net_matches)[:300] or None,
    )
    session.add(message)
    await session.flush()
    return message


async def purge_free_text(session: AsyncSession, *, now: datetime, keep_days: int) -> int:
    """Blank message texts and check-in notes older than `keep_days`; returns messages purged."""
    from bot.checkin.models import Checkin

    cutoff = now - timedelta(days=keep_days)
    purged = await session.execute(
        update(ClientMessage)
        .where(ClientMessage.received_at < cutoff, ClientMessage.text.is_not(None))
        .values(text=None, text_purged_at=now)
    )
    await session.execute(
        update(Checkin)
        .where(Checkin.answered_at < cutoff, Checkin.note.is_not(None))
        .values(note=None)
    )
    # Sent messages can quote the plan (and, where the clinic allows, the client's words).
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_([OutboxStatus.sent, OutboxStatus.failed]),
            OutboxMessage.created_at < cutoff,
        )
    )
    return int(purged.rowcount)  # type: ignore[attr-defined]
