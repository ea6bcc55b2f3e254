"""Queries and changes for staff."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clinic.models import Clinic
from bot.errors import InvalidInput, NotFound
from bot.staff.models import Staff, StaffRole


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
