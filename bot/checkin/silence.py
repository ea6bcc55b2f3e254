"""Silence after check-ins: a gentle ladder that asks for nothing (the alert is the policy's)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.models import Checkin, CheckinStatus
from bot.client.models import Client, ClientStatus
from bot.outbox import service as outbox
from bot.outbox.models import Lane, Purpose
from bot.texts.silence import NUDGES
from bot.texts.translation import translator, translator_for

# How far back a streak is counted; the clinic's alert threshold is its own column.
STREAK_LOOKBACK = 12
MAX_NUDGE = 3


@dataclass(frozen=True)
class Nudge:
    checkin_id: int
    client_id: int
    chat_id: int
    display_name: str
    clinic_name: str
    level: int
    missed_in_a_row: int
    # The language they read.
    language: str | None = None


async def missed_in_a_row(session: AsyncSession, *, client_id: int) -> int:
    """How many of the client's latest delivered check-ins went unanswered, newest first."""
    statuses = await session.scalars(
        select(Checkin.status)
        .where(
            Checkin.client_id == client_id,
            Checkin.status.in_([CheckinStatus.answered, CheckinStatus.missed]),
        )
        .order_by(Checkin.due_at.desc())
        .limit(STREAK_LOOKBACK)
    )
    streak = 0
    for status in statuses:
        if status != CheckinStatus.missed:
            break
        streak += 1
    return streak


async def nudges_for(session: AsyncSession, *, missed: Sequence[tuple[int, int]]) -> list[Nudge]:
    """One gentle message per newly missed check-in of an active client, stepping up the ladder."""
    result = []
    for checkin_id, client_id in missed:
        client = await session.get(Client, client_id)
        if client is None or client.status != ClientStatus.active or client.chat_id is None:
            continue
        streak = await missed_in_a_row(session, client_id=client_id)
        level = min(max(streak, 1), MAX_NUDGE)
        await session.execute(
            update(Checkin).where(Checkin.id == checkin_id).values(missed_nudge=level)
        )
        result.append(
            Nudge(
                checkin_id=checkin_id,
                client_id=client_id,
                chat_id=client.chat_id,
                display_name=client.display_name,
                clinic_name=client.clinic.name,
                level=level,
                missed_in_a_row=streak,
                language=translator_for(client).language,
            )
        )
    return result


def queue_nudge(session: AsyncSession, nudge: Nudge, *, now: datetime) -> None:
    """The gentle word after a missed check-in, in the nudge lane (behind everything else)."""
    outbox.enqueue(
        session,
        lane=Lane.nudge,
        purpose=Purpose.nudge,
        chat_id=nudge.chat_id,
        text=translator(nudge.language)(NUDGES[nudge.level]).format(
            name=nudge.display_name, clinic=nudge.clinic_name
        ),
        client_id=nudge.client_id,
        now=now,
    )
