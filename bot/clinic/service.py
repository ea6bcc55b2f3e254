"""Queries and changes for clinics."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clinic.models import Clinic
from bot.clinic.office_hours import parse_office_hours
from bot.errors import InvalidInput, NotFound
from bot.outbox import service as outbox

logger = logging.getLogger(__name__)


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown timezone {name!r}: use an IANA name such as Europe/London"
        ) from None
    return name


async def create(
    session: AsyncSession,
    *,
    name: str,
    timezone: str,
    crisis_resources: str,
    emergency_number: str,
    office_hours: str,
) -> Clinic:
    name = name.strip()
    if not name:
        raise InvalidInput("a clinic needs a name")
    if not crisis_resources.strip():
        raise InvalidInput("a clinic needs crisis resources (e.g. a local crisis line)")
    parse_office_hours(office_hours)
    if await session.scalar(select(Clinic.id).where(Clinic.name == name)):
        raise InvalidInput(f"a clinic called {name!r} already exists")
    clinic = Clinic(
        name=name,
        timezone=check_timezone(timezone),
        crisis_resources=crisis_resources.strip(),
        emergency_number=emergency_number.strip(),
        office_hours=office_hours,
    )
    session.add(clinic)
    await session.flush()
    return clinic


async def get_by_ref(session: AsyncSession, *, ref: str) -> Clinic:
    """A clinic by id or exact name."""
    query = select(Clinic).where(Clinic.id == int(ref)) if ref.isdigit() else None
    clinic = await session.scalar(query) if query is not None else None
    clinic = clinic or await session.scalar(select(Clinic).where(Clinic.name == ref))
    if clinic is None:
        raise NotFound(f"no clinic {ref!r}: see `aftercare clinic list`")
    return clinic


async def get_all(session: AsyncSession) -> list[Clinic]:
    return list(await session.scalars(select(Clinic).order_by(Clinic.id)))


async def move_staff_group(session: AsyncSession, *, old_chat_id: int, new_chat_id: int) -> bool:
    """The staff group has a new id (Telegram made it a supergroup): it stays linked, and what
    waits to be sent there goes to the new id. False when no clinic had the old one."""
    moved = await session.execute(
        update(Clinic)
        .where(Clinic.staff_chat_id == old_chat_id)
        .values(staff_chat_id=new_chat_id)
        .execution_options(synchronize_session=False)
    )
    await outbox.repoint(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)
    if int(moved.rowcount):  # type: ignore[attr-defined]
        logger.warning("staff group %s is now %s", old_chat_id, new_chat_id)
        return True
    return False
