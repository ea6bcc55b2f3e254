"""Queries and changes for staff."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clinic.models import Clinic
from bot.errors import InvalidInput, NotFound
from bot.staff.models import Staff, StaffRole

logger = logging.getLogger(__name__)


async def create(session: AsyncSession, *, clinic: Clinic, name: str, role: str) -> Staff:
    if not name.strip():
        raise InvalidInput("a staff member needs a name")
    try:
        staff_role = StaffRole(role)
    except ValueError:
        roles = ", ".join(r.value for r in StaffRole)
        raise InvalidInput(f"unknown role {role!r}: use one of {roles}") from None
    staff = Staff(clinic_id=clinic.id, name=name.strip(), role=staff_role)
    session.add(staff)
    await session.flush()
    await session.refresh(staff, ["clinic"])
    return staff


async def get(session: AsyncSession, *, staff_id: int) -> Staff:
    staff = await session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(f"no staff member with id {staff_id}: see `aftercare staff list`")
    return staff


async def get_all(session: AsyncSession, *, clinic_id: int | None = None) -> list[Staff]:
    query = select(Staff).order_by(Staff.id)
    if clinic_id is not None:
        query = query.where(Staff.clinic_id == clinic_id)
    return list(await session.scalars(query))


async def get_active(session: AsyncSession, *, staff_id: int) -> Staff:
    """The staff member, refusing one who has been deactivated."""
    staff = await get(session, staff_id=staff_id)
    if staff.deactivated_at is not None:
        raise InvalidInput(
            f"staff member {staff.id} ({staff.name}) is deactivated: choose an active one "
            "from `aftercare staff list`"
        )
    return staff


def refuse_if_deactivated(staff: Staff) -> None:
    """One clear line for a second deactivation."""
    if staff.deactivated_at is not None:
        since = staff.deactivated_at.strftime("%Y-%m-%d %H:%M UTC")
        raise InvalidInput(
            f"staff member {staff.id} ({staff.name}) is already deactivated, since {since}"
        )


async def deactivate(session: AsyncSession, *, staff_id: int, now: datetime) -> Staff:
    """Deactivate, never delete: alerts and audit trails keep naming them.

    Only `deactivated_at` changes: their Telegram link and clients stay as they are, but their
    alert buttons and `/staff` codes stop working. The caller writes the audit line (it knows
    who acted); this logs at INFO.
    """
    staff = await get(session, staff_id=staff_id)
    refuse_if_deactivated(staff)
    staff.deactivated_at = now
    await session.flush()
    logger.info(
        "staff %s (%s, %s, %s) deactivated",
        staff.id,
        staff.name,
        staff.role.value,
        staff.clinic.name,
    )
    return staff
