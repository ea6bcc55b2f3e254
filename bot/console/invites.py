"""Staff invites: a single-use link, valid 72 hours, to set a password (and TOTP).

Only the code's SHA-256 is stored; a newer invite withdraws an older unused one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console import accounts, totp
from bot.console.models import StaffInvite
from bot.errors import InvalidInput
from bot.secret_codes import hash_code, new_code
from bot.staff.models import Staff

VALID = timedelta(hours=72)
PATH = "/invite/"


def link(public_url: str, code: str) -> str:
    return public_url.rstrip("/") + PATH + code


async def issue(db: AsyncSession, *, staff: Staff, by: str, now: datetime) -> str:
    """A new invite code for `staff`; any earlier unused invite stops working."""
    if staff.deactivated_at is not None:
        raise InvalidInput(f"staff member {staff.id} ({staff.name}) is deactivated")
    if not staff.email:
        raise InvalidInput(
            f"staff member {staff.id} ({staff.name}) has no email: they sign in with it"
        )
    await db.execute(
        update(StaffInvite)
        .where(
            StaffInvite.staff_id == staff.id,
            StaffInvite.used_at.is_(None),
            StaffInvite.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
        .execution_options(synchronize_session=False)
    )
    code, digest = new_code()
    db.add(
        StaffInvite(
            staff_id=staff.id, code_hash=digest, expires_at=now + VALID, created_by=by[:200]
        )
    )
    await db.flush()
    return code


async def find_usable(db: AsyncSession, *, code: str, now: datetime) -> StaffInvite | None:
    """The invite for this code if it can still be used; None for any other case."""
    if not code or len(code) > 100:
        return None
    invite = await db.scalar(select(StaffInvite).where(StaffInvite.code_hash == hash_code(code)))
    if (
        invite is None
        or invite.used_at is not None
        or invite.withdrawn_at is not None
        or invite.expires_at <= now
        or invite.staff.deactivated_at is not None
    ):
        return None
    return invite


def offered_secret(invite: StaffInvite) -> str:
    """The TOTP secret the invite page shows; the same one until the invite is used."""
    if invite.totp_secret is None:
        invite.totp_secret = totp.new_secret()
    return invite.totp_secret


async def accept(
    db: AsyncSession,
    *,
    invite: StaffInvite,
    password: str,
    repeated: str,
    code: str | None,
    now: datetime,
) -> Staff:
    """Set the password (and TOTP, if a code was given or the clinic requires it); used up."""
    staff: Staff = invite.staff
    if password != repeated:
        raise InvalidInput("the two passwords are not the same")
    wants_code = bool(code and code.strip()) or staff.clinic.require_totp
    step = None
    if wants_code:
        step = totp.matching_step(offered_secret(invite), code or "", now=now, last_step=None)
        if step is None:
            raise InvalidInput(
                "that code is not right: type the 6 digits your app shows now"
                if code and code.strip()
                else "this clinic requires a code from an authenticator app: scan the QR code"
            )
    await accounts.set_password(db, staff=staff, password=password, now=now)
    if step is not None:
        accounts.enrol_code(staff, secret=offered_secret(invite), step=step, now=now)
    invite.used_at = now
    return staff
