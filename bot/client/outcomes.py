"""What Telegram's answer about a message to a client changes for the client: a block stops the
taper and tells the clinic; a message that never gets through reaches a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.client import actions
from bot.client.models import Client
from bot.escalation import apply
from bot.outbox import outcomes
from bot.outbox.models import Delivery, OutboxMessage, Purpose

# Buttons left under an old message are not a message the client misses.
NOT_MISSED = (Purpose.buttons,)


async def _client_of(session: AsyncSession, row: OutboxMessage) -> Client | None:
    if row.client_id is None or row.purpose in NOT_MISSED:
        return None
    return await session.get(Client, row.client_id)


@outcomes.on_blocked
async def client_blocked_us(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
    client = await _client_of(session, row)
    if client is not None:
        await actions.mark_blocked(session, client=client, now=now)


@outcomes.on_given_up
async def client_message_refused(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
    client = await _client_of(session, row)
    if client is not None:
        reason = (delivery.error or delivery.outcome.value)[:200]
        await apply.undeliverable(session, client=client, reason=reason, now=now)


@outcomes.on_still_retrying
async def client_message_stuck(
    session: AsyncSession, row: OutboxMessage, delivery: Delivery, now: datetime
) -> None:
    client = await _client_of(session, row)
    if client is not None:
        reason = f"still not sent after {row.attempts} tries: {delivery.error or 'no answer'}"
        await apply.undeliverable(session, client=client, reason=reason[:200], now=now)
