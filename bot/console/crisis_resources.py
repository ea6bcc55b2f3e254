"""Crisis resources as entries (name, number, hours, languages, when last verified).

Every change rebuilds the clinic's `crisis_resources` text from the entries, in the same
transaction: the bot's next crisis reply carries the change. An entry not verified for
REVIEW_AFTER is flagged for review; a clinic always keeps at least one entry once it has any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clinic import resources
from bot.clinic.models import Clinic
from bot.console.clinic_models import CrisisResource
from bot.errors import InvalidInput

REVIEW_AFTER = timedelta(days=183)  # six months


@dataclass(frozen=True)
class Entry:
    name: str
    number: str
    hours: str
    verified_on: date
    # Comma-separated language codes; empty: the entry serves every language.
    languages: str = ""


def check(
    name: str, number: str, hours: str, verified_on: str, *, today: date, languages: str = ""
) -> Entry:
    name, number, hours = " ".join(name.split()), number.strip(), " ".join(hours.split())
    if not 1 <= len(name) <= 200:
        raise InvalidInput("Name: 1 to 200 characters, e.g. Samaritans")
    if not 1 <= len(number) <= 64:
        raise InvalidInput("Number: 1 to 64 characters, e.g. 116 123 or text SHOUT to 85258")
    if not 1 <= len(hours) <= 100:
        raise InvalidInput("Hours: 1 to 100 characters, e.g. 24/7 or Mon-Fri 9am-5pm")
    try:
        verified = date.fromisoformat(verified_on.strip())
    except ValueError:
        raise InvalidInput("Verified on: the date someone last checked this entry") from None
    if verified > today:
        raise InvalidInput("Verified on: a date in the future can't be right")
    try:
        codes = resources.parse_languages(languages)
    except ValueError as wrong:
        raise InvalidInput(
            f"Languages: {str(wrong)[:20]!r} is not a language code; use codes such as es, en, pl "
            "(empty: every language)"
        ) from None
    return Entry(name, number, hours, verified, ",".join(codes))


def line(entry: CrisisResource) -> str:
    return f"{entry.name}: {entry.number} ({entry.hours})"


def review_due(entry: CrisisResource, today: date) -> bool:
    return today - entry.verified_on > REVIEW_AFTER


async def entries(db: AsyncSession, *, clinic_id: int) -> list[CrisisResource]:
    return list(
        await db.scalars(
            select(CrisisResource)
            .where(CrisisResource.clinic_id == clinic_id)
            .order_by(CrisisResource.position, CrisisResource.id)
        )
    )


async def _rebuild_text(db: AsyncSession, clinic: Clinic) -> str:
    await db.flush()
    current = await entries(db, clinic_id=clinic.id)
    if current:
        clinic.crisis_resources = "\n".join(line(e) for e in current)
        clinic.crisis_resource_languages = "\n".join(e.languages for e in current)
    return clinic.crisis_resources


async def add(db: AsyncSession, *, clinic: Clinic, entry: Entry, now: datetime) -> str:
    """Add an entry at the end; returns the text clients will now be given."""
    position = len(await entries(db, clinic_id=clinic.id))
    db.add(CrisisResource(clinic_id=clinic.id, position=position, updated_at=now, **vars(entry)))
    return await _rebuild_text(db, clinic)


async def change(
    db: AsyncSession, *, clinic: Clinic, resource: CrisisResource, entry: Entry, now: datetime
) -> str:
    for key, value in vars(entry).items():
        setattr(resource, key, value)
    resource.updated_at = now
    return await _rebuild_text(db, clinic)


async def remove(db: AsyncSession, *, clinic: Clinic, resource: CrisisResource) -> str:
    if len(await entries(db, clinic_id=clinic.id)) <= 1:
        raise InvalidInput(
            "A clinic needs at least one crisis resource: add the new one before removing this"
        )
    await db.delete(resource)
    return await _rebuild_text(db, clinic)
