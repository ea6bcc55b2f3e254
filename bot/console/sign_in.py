"""Signing in: password first, then a TOTP code (or setting one up) when needed.

A wrong password, an unknown email, a deactivated account and one without a password all get
the same answer and take the same time; a lockout answers the same for known and unknown emails.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import service as audit
from bot.audit.models import AuditAction
from bot.console import accounts, passwords, throttle, totp
from bot.staff.models import Staff


class Outcome(enum.StrEnum):
    signed_in = "signed_in"
    code_needed = "code_needed"
    set_up_code = "set_up_code"
    refused = "refused"
    locked = "locked"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    staff: Staff | None = None


def _label(staff: Staff) -> str:
    return f"{staff.name} (console)"


def actor_for(staff: Staff, address: str | None) -> audit.Actor:
    return audit.Actor(
        label=_label(staff), address=address, staff_id=staff.id, clinic_id=staff.clinic_id
    )


def _typed_email(email: str) -> str:
    try:
        return accounts.normalize_email(email)
    except ValueError:
        return email.strip().lower()


async def check_password(
    db: AsyncSession, *, email: str, password: str, address: str, now: datetime
) -> Result:
    """The first step; the caller commits (attempts and audit lines are part of the answer)."""
    typed = _typed_email(email)
    key = throttle.account_key(typed)
    if await throttle.is_locked(db, key=key, address=address, now=now):
        unknown = audit.Actor(label="unknown", address=address)
        audit.record(
            db, actor=unknown, action=AuditAction.sign_in_locked, now=now, detail=typed[:254]
        )
        return Result(Outcome.locked)
    staff = await db.scalar(select(Staff).where(Staff.email == typed)) if typed else None
    usable = staff is not None and staff.deactivated_at is None
    checked = passwords.check_password(
        staff.password_hash if staff is not None and usable else None, password
    )
    throttle.record(db, key=key, address=address, succeeded=checked.ok, now=now)
    if not checked.ok or staff is None:
        actor = (
            actor_for(staff, address)
            if staff is not None
            else audit.Actor(label="unknown", address=address)
        )
        audit.record(
            db, actor=actor, action=AuditAction.sign_in_failed, now=now, detail=typed[:254]
        )
        return Result(Outcome.refused)
    if checked.new_hash is not None:
        staff.password_hash = checked.new_hash
    if staff.totp_secret:
        return Result(Outcome.code_needed, staff)
    if staff.clinic.require_totp:
        return Result(Outcome.set_up_code, staff)
    audit.record(db, actor=actor_for(staff, address), action=AuditAction.sign_in, now=now)
    return Result(Outcome.signed_in, staff)


async def check_code(
    db: AsyncSession, *, staff: Staff, code: str, address: str, now: datetime
) -> Result:
    """The second step: a code from their authenticator app. Wrong codes count as failures."""
    assert staff.email is not None and staff.totp_secret is not None
    key = throttle.account_key(staff.email)
    actor = actor_for(staff, address)
    if await throttle.is_locked(db, key=key, address=address, now=now):
        audit.record(db, actor=actor, action=AuditAction.sign_in_locked, now=now, detail="code")
        return Result(Outcome.locked)
    step = totp.matching_step(staff.totp_secret, code, now=now, last_step=staff.totp_last_step)
    throttle.record(db, key=key, address=address, succeeded=step is not None, now=now)
    if step is None:
        audit.record(db, actor=actor, action=AuditAction.sign_in_failed, now=now, detail="code")
        return Result(Outcome.refused, staff)
    staff.totp_last_step = step
    audit.record(db, actor=actor, action=AuditAction.sign_in, now=now, detail="with code")
    return Result(Outcome.signed_in, staff)


def confirm_new_code(
    db: AsyncSession, *, staff: Staff, secret: str, code: str, address: str, now: datetime
) -> Result:
    """Setting up TOTP at sign-in: the code proves the app holds `secret`."""
    step = totp.matching_step(secret, code, now=now, last_step=None)
    actor = actor_for(staff, address)
    if step is None:
        return Result(Outcome.refused, staff)
    accounts.enrol_code(staff, secret=secret, step=step, now=now)
    audit.record(db, actor=actor, action=AuditAction.code_enrolled, now=now)
    audit.record(db, actor=actor, action=AuditAction.sign_in, now=now, detail="code set up")
    return Result(Outcome.signed_in, staff)
