"""A client's answers to a check-in: mood, their own warning signs, and a note."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ScalarSelect, SQLColumnExpression, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.models import Checkin, CheckinStage, CheckinStatus
from bot.errors import InvalidInput

# `sending` too: a client can tap before the dispatcher has recorded its whole batch.
ANSWERABLE = (
    CheckinStatus.sending,
    CheckinStatus.sent,
    CheckinStatus.missed,
    CheckinStatus.answered,
)
MOOD_SCALE = range(1, 6)
# A note is only expected shortly after the buttons; later text is ordinary conversation.
NOTE_WINDOW = timedelta(hours=6)


async def get_for_client(
    session: AsyncSession, *, checkin_id: int, client_id: int
) -> Checkin | None:
    """The client's own check-in, locked for update; None for someone else's id."""
    return await session.scalar(
        select(Checkin)
        .where(Checkin.id == checkin_id, Checkin.client_id == client_id)
        .with_for_update()
    )


def is_open(checkin: Checkin) -> bool:
    return checkin.status in ANSWERABLE and checkin.stage != CheckinStage.done


def record_mood(checkin: Checkin, *, mood: int, now: datetime) -> None:
    if mood not in MOOD_SCALE:
        raise InvalidInput(f"mood {mood} is not on the 1-5 scale")
    checkin.mood = mood
    checkin.status = CheckinStatus.answered
    checkin.answered_at = checkin.answered_at or now
    if checkin.stage == CheckinStage.mood:
        checkin.stage = CheckinStage.signs


def toggle_sign(checkin: Checkin, *, index: int, sign_count: int) -> None:
    if not 0 <= index < sign_count:
        raise InvalidInput(f"warning sign {index} is not in the plan")
    chosen = set(checkin.warning_signs or [])
    chosen ^= {index}
    # A new list, so SQLAlchemy sees the JSON column change.
    checkin.warning_signs = sorted(chosen)


def finish_signs(checkin: Checkin, *, none_present: bool) -> None:
    if none_present:
        checkin.warning_signs = []
    checkin.stage = CheckinStage.note


def finish_note(checkin: Checkin, *, note: str | None) -> None:
    checkin.note = note
    checkin.stage = CheckinStage.done


def awaiting_note_id(
    client_id: SQLColumnExpression[int], since: SQLColumnExpression[datetime]
) -> ScalarSelect[int]:
    """The id of the check-in whose note the client's next message is, if any: answered at or
    after `since` (now less `NOTE_WINDOW`).

    A correlated subquery: the inbound flow reads it with the client in one query.
    """
    return (
        select(Checkin.id)
        .where(
            Checkin.client_id == client_id,
            Checkin.stage == CheckinStage.note,
            Checkin.answered_at >= since,
        )
        .order_by(Checkin.answered_at.desc())
        .limit(1)
        .scalar_subquery()
    )
