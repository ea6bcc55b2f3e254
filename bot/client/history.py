"""Recording what happened to a client's aftercare, staff notes, and who follows the client.

Writes happen in the caller's transaction; the client actions call these, so every door
(console, command line, Telegram) leaves the same trace.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.record_models import ClientEvent, ClientFollower, StaffNote
from bot.errors import InvalidInput

NOTE_MAX = 2000
# The client's own doing, as their events name it.
CLIENT = "client"


class Event(enum.StrEnum):
    enrolled = "enrolled"
    invited = "invited"
    paused = "paused"
    resumed = "resumed"
    stopped = "stopped"
    window_changed = "window_changed"
    timezone_changed = "timezone_changed"
    language_changed = "language_changed"
    checkin_sent_now = "checkin_sent_now"
    plan_changed = "plan_changed"
    follower_added = "follower_added"
    follower_removed = "follower_removed"
    contacts_changed = "contacts_changed"


def record(
    session: AsyncSession,
    *,
    client_id: int,
    event: Event,
    by: str,
    now: datetime,
    detail: str | None = None,
) -> ClientEvent:
    row = ClientEvent(
        client_id=client_id,
        at=now,
        event=event.value,
        by=by[:200],
        detail=detail[:300] if detail else None,
    )
    session.add(row)
    return row


async def events(session: AsyncSession, *, client_id: int) -> list[ClientEvent]:
    return list(
        await session.scalars(
            select(ClientEvent).where(ClientEvent.client_id == client_id).order_by(ClientEvent.at)
        )
    )


def check_note(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("write the note first")
    if len(cleaned) > NOTE_MAX:
        raise InvalidInput(f"a note is at most {NOTE_MAX} characters")
    return cleaned


async def notes(session: AsyncSession, *, client_id: int) -> list[StaffNote]:
    return list(
        await session.scalars(
            select(StaffNote).where(StaffNote.client_id == client_id).order_by(StaffNote.at)
        )
    )


async def followers(session: AsyncSession, *, client_id: int) -> list[int]:
    """The staff ids that follow the client."""
    return list(
        await session.scalars(
            select(ClientFollower.staff_id).where(ClientFollower.client_id == client_id)
        )
    )


async def add_follower(
    session: AsyncSession, *, client_id: int, staff_id: int, now: datetime
) -> bool:
    """False when they already follow the client."""
    if await session.get(ClientFollower, (client_id, staff_id)) is not None:
        return False
    session.add(ClientFollower(client_id=client_id, staff_id=staff_id, since=now))
    await session.flush()
    return True


async def remove_follower(session: AsyncSession, *, client_id: int, staff_id: int) -> bool:
    removed = await session.execute(
        delete(ClientFollower).where(
            ClientFollower.client_id == client_id, ClientFollower.staff_id == staff_id
        )
    )
    return bool(removed.rowcount)  # type: ignore[attr-defined]
