"""Staff invites: a single-use link, valid 72 hours, to set a password (and TOTP).

Only the code's SHA-256 is stored; a newer invite withdraws an older unused one. Using it
clears earlier failed sign-ins for the account and ends signed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.console import accounts, throttle, totp
from bot.console.keys import Keys
from bot.console.models import StaffInvite
from bot.console.sign_in import Outcome, Result, actor_for
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
        .values(withdrawn_at=now, totp_secret=None)
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


def offered_secret(invite: StaffInvite, keys: Keys) -> str:
    """The TOTP secret the invite page shows; the same one until the invite is used."""
    if invite.totp_secret is None:
        invite.totp_secret = keys.totp.seal(totp.new_secret(), staff_id=invite.staff_id)
    return keys.totp.open(invite.totp_secret, staff_id=invite.staff_id)


async def accept(
    db: AsyncSession,
    *,
    invite: StaffInvite,
    password: str,
    repeated: str,
    code: str | None,
    address: str,
    now: datetime,
    keys: Keys,
) -> Result:
    """Set the password (and TOTP, if a code was given or the clinic requires it); used up.

    The person is then signed in (the caller starts the session): they proved the invite, the
    new password and, with TOTP, their app. Someone who already had TOTP and set up no new code
    still types a code from it: an invite link alone must not get past their authenticator.
    Failed sign-ins before this stop counting.
    """
    staff: Staff = invite.staff
    if password != repeated:
        raise InvalidInput("the two passwords are not the same")
    wants_code = bool(code and code.strip()) or staff.clinic.require_totp
    secret = offered_secret(invite, keys) if wants_code else None
    if secret is not None and totp.matching_step(secret, code or "", now=now) is None:
        raise InvalidInput(
            "that code is not right: type the 6 digits your app shows now"
            if code and code.strip()
            else "this clinic requires a code from an authenticator app: scan the QR code"
        )
    await accounts.set_password(db, staff=staff, password=password, now=now)
    assert staff.email is not None
    throttle.unlock(db, key=keys.email_hash(staff.email), now=now)
    actor = actor_for(staff, address)
    audit.record(db, actor=actor, action=AuditAction.password_set, now=now, detail="invite")
    if secret is not None:
        accounts.enrol_code(staff, secret=secret, now=now, keys=keys)
        audit.record(db, actor=actor, action=AuditAction.code_enrolled, now=now)
    invite.used_at = now
    invite.totp_secret = None  # kept with the staff member now, if it was set up
    if secret is None and staff.totp_secret:
        return Result(Outcome.code_needed, staff)
    audit.record(db, actor=actor, action=AuditAction.sign_in, now=now, detail="invite")
    return Result(Outcome.signed_in, staff)
