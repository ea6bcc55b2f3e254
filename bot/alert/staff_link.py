"""Single-use codes that link a clinic's staff group and each staff member's Telegram account.

A code has 128 bits of randomness, is valid for 24 hours, and only its SHA-256 is stored.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clinic.models import Clinic
from bot.secret_codes import hash_code, new_code
from bot.staff.models import Staff

CODE_VALID = timedelta(hours=24)


class LinkProblem(enum.StrEnum):
    unknown = "unknown"  # wrong, already used, or replaced by a newer code
    expired = "expired"
    group_taken = "group_taken"  # this group already receives another clinic's alerts
    not_clinic_group = "not_clinic_group"  # staff code used outside their clinic's group
    account_taken = "account_taken"  # this Telegram account is linked to another staff record


@dataclass(frozen=True)
class Linked:
    """What a code linked (clinic and, for staff codes, the person), or why it did not."""

    clinic_name: str | None = None
    staff_name: str | None = None
    problem: LinkProblem | None = None


def _expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is None or expires_at <= now


async def issue_clinic_code(session: AsyncSession, *, clinic: Clinic, now: datetime) -> str:
    """A new code for `/link` in the staff group; an earlier unused code stops working."""
    code, digest = new_code()
    clinic.link_code_hash = digest
    clinic.link_code_expires_at = now + CODE_VALID
    return code


async def issue_staff_code(session: AsyncSession, *, staff: Staff, now: datetime) -> str:
    """A new code for `/staff` in the clinic's group; an earlier unused code stops working."""
    code, digest = new_code()
    staff.link_code_hash = digest
    staff.link_code_expires_at = now + CODE_VALID
    return code


async def link_group(session: AsyncSession, *, code: str, chat_id: int, now: datetime) -> Linked:
    """Make `chat_id` the staff group of the clinic whose code this is; the code is used up."""
    clinic = await session.scalar(select(Clinic).where(Clinic.link_code_hash == hash_code(code)))
    if clinic is None:
        return Linked(problem=LinkProblem.unknown)
    if _expired(clinic.link_code_expires_at, now):
        return Linked(problem=LinkProblem.expired)
    other = await session.scalar(
        select(Clinic).where(Clinic.staff_chat_id == chat_id, Clinic.id != clinic.id)
    )
    if other is not None:
        return Linked(problem=LinkProblem.group_taken)
    clinic.staff_chat_id = chat_id
    clinic.link_code_hash = None
    clinic.link_code_expires_at = None
    return Linked(clinic_name=clinic.name)


async def link_staff(
    session: AsyncSession, *, code: str, chat_id: int, telegram_user_id: int, now: datetime
) -> Linked:
    """Record who this Telegram account is, when the code is used in their clinic's group."""
    staff = await session.scalar(select(Staff).where(Staff.link_code_hash == hash_code(code)))
    if staff is None:
        return Linked(problem=LinkProblem.unknown)
    if _expired(staff.link_code_expires_at, now):
        return Linked(problem=LinkProblem.expired)
    if staff.clinic.staff_chat_id != chat_id:
        return Linked(problem=LinkProblem.not_clinic_group)
    other = await session.scalar(
        select(Staff).where(Staff.telegram_user_id == telegram_user_id, Staff.id != staff.id)
    )
    if other is not None:
        return Linked(problem=LinkProblem.account_taken)
    staff.telegram_user_id = telegram_user_id
    staff.link_code_hash = None
    staff.link_code_expires_at = None
    return Linked(clinic_name=staff.clinic.name, staff_name=staff.name)
