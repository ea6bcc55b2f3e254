"""Administrations and answers: find, lock, record, and the states no message goes with (held,
expired). What the client is sent is in `asking.py`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.policy.deadlines import SCREENER_EXPIRES_AFTER, SCREENER_REMINDER_AFTER
from bot.screener.instrument import instruments
from bot.screener.models import (
    OPEN_STATUSES,
    Administration,
    AdministrationStatus,
    ScreenerAnswer,
)

# What a crisis reading in the middle puts on hold: anything that may still send a question.
HOLDABLE = (
    AdministrationStatus.offered,
    AdministrationStatus.answering,
    AdministrationStatus.asking,
)
REMINDABLE = (AdministrationStatus.offered, AdministrationStatus.answering)


def family_order(family: str) -> int:
    return list(instruments()).index(family)


async def get_for_client(
    session: AsyncSession, *, administration_id: int, client_id: int
) -> Administration | None:
    """The client's own administration, locked for update; None for someone else's id."""
    return await session.scalar(
        select(Administration)
        .where(Administration.id == administration_id, Administration.client_id == client_id)
        .with_for_update()
    )


async def answers_of(session: AsyncSession, *, administration_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(ScreenerAnswer.item, ScreenerAnswer.value).where(
            ScreenerAnswer.administration_id == administration_id
        )
    )
    return {item: value for item, value in rows.tuples()}


async def answer_row(
    session: AsyncSession, *, administration_id: int, item: str
) -> ScreenerAnswer | None:
    return await session.scalar(
        select(ScreenerAnswer).where(
            ScreenerAnswer.administration_id == administration_id, ScreenerAnswer.item == item
        )
    )


async def record(
    session: AsyncSession, administration: Administration, *, item: str, value: int, now: datetime
) -> ScreenerAnswer:
    answer = ScreenerAnswer(
        administration_id=administration.id,
        client_id=administration.client_id,
        item=item,
        value=value,
        answered_at=now,
    )
    session.add(answer)
    administration.asked_item = None
    await session.flush()
    return answer


async def waiting_on(session: AsyncSession, *, checkin_id: int) -> list[Administration]:
    """The administrations that rode on this check-in and have not started, in asking order."""
    rows = await session.scalars(
        select(Administration)
        .where(
            Administration.checkin_id == checkin_id,
            Administration.status == AdministrationStatus.offered,
        )
        .with_for_update()
    )
    return sorted(rows, key=lambda row: (family_order(row.family), row.id))


async def for_question(session: AsyncSession, *, question_id: int) -> Administration | None:
    """The administration whose item 9 asked this direct question, locked."""
    return await session.scalar(
        select(Administration).where(Administration.question_id == question_id).with_for_update()
    )


async def hold_open(session: AsyncSession, *, client_id: int) -> int:
    """A crisis reading came in the middle: every open screener of the client waits."""
    result = await session.execute(
        update(Administration)
        .where(Administration.client_id == client_id, Administration.status.in_(HOLDABLE))
        .values(status=AdministrationStatus.held)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def hold_others(session: AsyncSession, administration: Administration) -> None:
    """After a crisis answer, the screeners still waiting on the same check-in wait too."""
    if administration.checkin_id is None:
        return
    await session.execute(
        update(Administration)
        .where(
            Administration.checkin_id == administration.checkin_id,
            Administration.id != administration.id,
            Administration.status.in_(HOLDABLE),
        )
        .values(status=AdministrationStatus.held)
        .execution_options(synchronize_session=False)
    )


async def due_reminders(
    session: AsyncSession, *, now: datetime, limit: int = 200
) -> Sequence[Administration]:
    """Open, not held, sent long enough ago and never reminded: one gentle reminder each."""
    return list(
        await session.scalars(
            select(Administration)
            .where(
                Administration.status.in_(REMINDABLE),
                Administration.sent_at <= now - SCREENER_REMINDER_AFTER,
                Administration.sent_at > now - SCREENER_EXPIRES_AFTER,
                Administration.reminded_at.is_(None),
            )
            .order_by(Administration.sent_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


async def expire_due(session: AsyncSession, *, now: datetime) -> int:
    """Open administrations sent 4 days ago or more close; their answers so far are kept."""
    result = await session.execute(
        update(Administration)
        .where(
            Administration.status.in_(OPEN_STATUSES),
            Administration.sent_at <= now - SCREENER_EXPIRES_AFTER,
        )
        .values(status=AdministrationStatus.expired, asked_item=None, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
