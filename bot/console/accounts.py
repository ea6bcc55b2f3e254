"""Staff accounts for the console: email, password, TOTP, role, deactivation.

The staff record itself is made by `bot.staff.service`; this adds what signing in needs.
Every change that could let someone in ends the person's sessions.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import actions
from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.clinic.models import Clinic
from bot.console import passwords, sessions, throttle
from bot.console.keys import Keys
from bot.console.tenancy import ACROSS_CLINICS
from bot.errors import InvalidInput, NotFound
from bot.staff import service as staff_service
from bot.staff.models import Staff, StaffRole

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(email: str) -> str:
    """The email as stored: trimmed and lower-cased; InvalidInput if it is not one."""
    email = email.strip().lower()
    if len(email) > 254 or not EMAIL_SHAPE.match(email):
        raise InvalidInput(f"{email!r} is not an email address")
    return email


def parse_role(role: str) -> StaffRole:
    try:
        return StaffRole(role)
    except ValueError:
        roles = ", ".join(r.value for r in StaffRole)
        raise InvalidInput(f"unknown role {role!r}: use one of {roles}") from None


async def _check_email_free(db: AsyncSession, email: str, *, staff_id: int | None = None) -> None:
    # Emails are unique across clinics: this must see them all (and returns no row of theirs).
    query = select(Staff.id).where(Staff.email == email).execution_options(**ACROSS_CLINICS)
    if staff_id is not None:
        query = query.where(Staff.id != staff_id)
    if await db.scalar(query) is not None:
        raise InvalidInput(f"{email} already belongs to a staff member")


async def add(
    db: AsyncSession, *, clinic: Clinic, name: str, email: str | None, role: str
) -> Staff:
    """A new staff member; with an email they can be invited to the console."""
    normalized = normalize_email(email) if email else None
    if normalized:
        await _check_email_free(db, normalized)
    staff = await staff_service.create(db, clinic=clinic, name=name, role=parse_role(role).value)
    staff.email = normalized
    await db.flush()
    return staff


async def find(db: AsyncSession, *, ref: str) -> Staff:
    """A staff member by id or email."""
    ref = ref.strip()
    if ref.isdigit():
        return await staff_service.get(db, staff_id=int(ref))
    staff = await db.scalar(select(Staff).where(Staff.email == ref.lower()))
    if staff is None:
        raise NotFound(f"no staff member {ref!r}: see `aftercare staff list`")
    return staff


async def set_password(db: AsyncSession, *, staff: Staff, password: str, now: datetime) -> None:
    """Set a new password; every session of theirs ends."""
    if staff.deactivated_at is not None:
        raise InvalidInput(f"staff member {staff.id} ({staff.name}) is deactivated")
    if not staff.email:
        raise InvalidInput(
            f"staff member {staff.id} ({staff.name}) has no email to sign in with: "
            "add one with `aftercare staff add` or in the console"
        )
    passwords.check_new_password(password, email=staff.email)
    staff.password_hash = await passwords.new_hash(password)
    staff.password_changed_at = now
    await sessions.end_all(db, staff_id=staff.id, now=now)


async def set_email(db: AsyncSession, *, staff: Staff, email: str) -> None:
    normalized = normalize_email(email)
    await _check_email_free(db, normalized, staff_id=staff.id)
    staff.email = normalized


async def _active_admins(db: AsyncSession, clinic_id: int) -> int:
    count = await db.scalar(
        select(func.count()).where(
            Staff.clinic_id == clinic_id,
            Staff.role == StaffRole.clinic_admin,
            Staff.deactivated_at.is_(None),
        )
    )
    return int(count or 0)


async def _keep_an_admin(db: AsyncSession, staff: Staff) -> None:
    if staff.role is StaffRole.clinic_admin and await _active_admins(db, staff.clinic_id) <= 1:
        raise InvalidInput(
            f"{staff.name} is the clinic's only active clinic admin: make someone else an "
            "admin first"
        )


async def change_role(db: AsyncSession, *, staff: Staff, role: str, now: datetime) -> StaffRole:
    """The new role; the clinic always keeps one active admin. Their sessions end."""
    new_role = parse_role(role)
    if new_role is staff.role:
        return new_role
    await _keep_an_admin(db, staff)
    staff.role = new_role
    await sessions.end_all(db, staff_id=staff.id, now=now)
    return new_role


async def deactivate(
    db: AsyncSession, *, staff: Staff, now: datetime, by: audit.Actor, acting: actions.Actor
) -> list[int]:
    """Deactivate (never delete); the clinic always keeps one active admin. The alerts they
    held go back to the queue, each with an audit line; returns those alerts' ids."""
    await _keep_an_admin(db, staff)
    await staff_service.deactivate(db, staff_id=staff.id, now=now)
    await sessions.end_all(db, staff_id=staff.id, now=now)
    returned = await actions.return_taken(db, staff=staff, actor=acting, now=now)
    for alert_id in returned:
        audit.record(
            db,
            actor=by,
            action=AuditAction.alert_returned,
            now=now,
            target=f"alert {alert_id}",
            detail=f"{staff.name} was deactivated",
            clinic_id=staff.clinic_id,
        )
    return returned


async def reset_code(db: AsyncSession, *, staff: Staff, now: datetime) -> None:
    """Forget their TOTP (a lost phone): they set it up again at their next sign-in."""
    staff.totp_secret = None
    staff.totp_enrolled_at = None
    staff.totp_last_step = None
    await sessions.end_all(db, staff_id=staff.id, now=now)


def enrol_code(staff: Staff, *, secret: str, now: datetime, keys: Keys) -> None:
    """Keep (sealed) a TOTP secret the person has just proved with a code from their app.

    The proving code is not spent: the first sign-in after set-up may type it once more, as it
    may still be on the screen.
    """
    staff.totp_secret = keys.totp.seal(secret, staff_id=staff.id)
    staff.totp_enrolled_at = now
    staff.totp_last_step = None


def unlock(db: AsyncSession, *, staff: Staff, now: datetime, keys: Keys) -> None:
    """Earlier failed sign-ins stop slowing anyone down for this account, from any address."""
    if not staff.email:
        raise InvalidInput(f"staff member {staff.id} ({staff.name}) has no email to sign in with")
    throttle.unlock(db, key=keys.email_hash(staff.email), now=now)


async def held_back(
    db: AsyncSession, *, members: list[Staff], now: datetime, keys: Keys
) -> set[int]:
    """Which of these staff members some address must wait to try signing in as, now."""
    by_key = {keys.email_hash(m.email): m.id for m in members if m.email}
    held = await throttle.held_accounts(db, keys=list(by_key), now=now)
    return {by_key[key] for key in held}
