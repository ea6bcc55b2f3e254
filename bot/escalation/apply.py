"""The policy applied: the one place that raises or merges a decision's alert and gives the adaptive
taper its signal, for every situation (a message, a check-in, silence, a block, a stop, a request
to come back, a message Telegram will not take, the direct question). What the client is told is
queued by `replies` and `crisis_replies`, from the same decision.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.raising import Raised, raise_alert
from bot.checkin import adaptive
from bot.checkin.models import Checkin
from bot.client.models import Client
from bot.escalation import replies
from bot.policy.decide import (
    decide_blocked,
    decide_return_request,
    decide_silence,
    decide_stopped,
    decide_undeliverable,
)
from bot.policy.rules import Decision
from bot.return_request import service as returns


async def raise_for(
    session: AsyncSession,
    client: Client,
    decision: Decision,
    *,
    evidence: str,
    now: datetime,
    message_id: int | None = None,
    checkin_id: int | None = None,
    signal: str | None = None,
) -> Raised | None:
    """The decision's alert (raised, or merged into the open one) and its taper signal."""
    raised = None
    if decision.alert is not None and decision.severity is not None:
        raised = await raise_alert(
            session,
            client=client,
            type=decision.alert,
            severity=decision.severity,
            evidence=evidence,
            now=now,
            message_id=message_id,
            checkin_id=checkin_id,
        )
    if decision.taper_signal:
        await adaptive.risk_signal(session, client=client, reason=signal or evidence, now=now)
    return raised


async def checkin_answered(
    session: AsyncSession, client: Client, checkin: Checkin, decision: Decision, now: datetime
) -> Raised | None:
    """A finished check-in: a risk signal, or one more calm answer towards the original taper."""
    if not decision.taper_signal:
        await adaptive.answered(session, client=client, checkin=checkin, now=now)
    evidence = (
        f"check-in {checkin.id}: mood {checkin.mood}/5, "
        f"{len(checkin.warning_signs or [])} warning sign(s)"
    )
    return await raise_for(
        session,
        client,
        decision,
        evidence=evidence,
        now=now,
        checkin_id=checkin.id,
        signal="check-in showed risk",
    )


async def client_blocked(session: AsyncSession, *, client: Client, now: datetime) -> Raised | None:
    """Blocking the bot is told apart from silence: its own routine alert."""
    return await raise_for(
        session, client, decide_blocked(), evidence="the client blocked the bot", now=now
    )


async def client_stopped(session: AsyncSession, *, client: Client, now: datetime) -> Raised | None:
    """The client stopped all messages: the clinic is told, as the confirmation said."""
    return await raise_for(
        session, client, decide_stopped(), evidence="the client chose /stop", now=now
    )


async def undeliverable(
    session: AsyncSession, *, client: Client, reason: str, now: datetime
) -> Raised | None:
    evidence = f"Telegram keeps refusing a message to the client: {reason}"[:300]
    return await raise_for(session, client, decide_undeliverable(), evidence=evidence, now=now)


async def silence(
    session: AsyncSession, *, client: Client, missed_in_a_row: int, checkin_id: int, now: datetime
) -> Raised | None:
    """Missed check-ins: at the clinic's threshold (or past it, so a crash never skips it)."""
    decision = decide_silence(
        missed_in_a_row=missed_in_a_row, threshold=client.clinic.missed_in_a_row_for_alert
    )
    evidence = f"{missed_in_a_row} check-ins missed in a row"
    return await raise_for(
        session, client, decision, evidence=evidence, now=now, checkin_id=checkin_id
    )


async def return_request(session: AsyncSession, client: Client, via: str, now: datetime) -> None:
    """A tracked request to come back; a new one is a routine alert for the clinic."""
    request, created = await returns.request(session, client=client, via=via, now=now)
    decision = decide_return_request(created=created)
    evidence = f"return request {request.id} ({via})"
    await raise_for(session, client, decision, evidence=evidence, now=now)
    replies.return_requested(session, client, request, created=created, now=now)
