"""The policy applied to what happens without a message: silence, a block, a refused send."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.raising import Raised, raise_alert
from bot.client.models import Client
from bot.escalation.policy import (
    Decision,
    decide_blocked,
    decide_silence,
    decide_stopped,
    decide_undeliverable,
)


async def _apply(
    session: AsyncSession,
    client: Client,
    decision: Decision,
    evidence: str,
    now: datetime,
    checkin_id: int | None = None,
) -> Raised | None:
    if decision.alert is None or decision.severity is None:
        return None
    return await raise_alert(
        session,
        client=client,
        type=decision.alert,
        severity=decision.severity,
        evidence=evidence,
        now=now,
        checkin_id=checkin_id,
    )


async def client_blocked(session: AsyncSession, *, client: Client, now: datetime) -> Raised | None:
    """Blocking the bot is told apart from silence: its own routine alert."""
    return await _apply(session, client, decide_blocked(), "the client blocked the bot", now)


async def client_stopped(session: AsyncSession, *, client: Client, now: datetime) -> Raised | None:
    """The client stopped all messages: the clinic is told, as the confirmation said."""
    return await _apply(session, client, decide_stopped(), "the client chose /stop", now)


async def undeliverable(
    session: AsyncSession, *, client: Client, reason: str, now: datetime
) -> Raised | None:
    evidence = f"Telegram keeps refusing a message to the client: {reason}"[:300]
    return await _apply(session, client, decide_undeliverable(), evidence, now)


async def silence(
    session: AsyncSession, *, client: Client, missed_in_a_row: int, checkin_id: int, now: datetime
) -> Raised | None:
    """Missed check-ins: at the clinic's threshold (or past it, so a crash never skips it)."""
    decision = decide_silence(
        missed_in_a_row=missed_in_a_row, threshold=client.clinic.missed_in_a_row_for_alert
    )
    evidence = f"{missed_in_a_row} check-ins missed in a row"
    return await _apply(session, client, decision, evidence, now, checkin_id=checkin_id)
