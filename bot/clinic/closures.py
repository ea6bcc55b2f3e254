"""Closures: days a clinic is closed although its office hours say open."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console.clinic_models import ClinicClosure
from bot.errors import InvalidInput


async def upcoming(db: AsyncSession, *, clinic_id: int, today: date) -> list[ClinicClosure]:
    """Closures that have not ended yet, soonest first."""
    return list(
        await db.scalars(
            select(ClinicClosure)
            .where(ClinicClosure.clinic_id == clinic_id, ClinicClosure.ends_on >= today)
            .order_by(ClinicClosure.starts_on)
        )
    )


def check(starts_on: str, ends_on: str, note: str, *, today: date) -> tuple[date, date, str]:
    try:
        first, last = date.fromisoformat(starts_on.strip()), date.fromisoformat(ends_on.strip())
    except ValueError:
        raise InvalidInput("Closures: give the first and last closed day as dates") from None
    if last < first:
        raise InvalidInput("Closures: the last day can't be before the first")
    if last < today:
        raise InvalidInput("Closures: this closure is already over")
    note = " ".join(note.split())
    if not 1 <= len(note) <= 200:
        raise InvalidInput("Closures: say why in a few words, e.g. bank holiday")
    return first, last, note


def is_closed(closures: list[ClinicClosure], day: date) -> bool:
    """Whether `day` falls in one of the closures."""
    return any(c.starts_on <= day <= c.ends_on for c in closures)
