"""Signing in: password first, then a TOTP code (or setting one up) when needed.

A wrong password, an unknown email, a deactivated account and one without a password all get
the same answer and take the same time; a hold (too many failures from this address) answers the
same for known and unknown emails. The audit log keeps a typed email only when it names an
account; any other is kept as a keyed hash, so repeated probing still shows without keeping
arbitrary typed text.
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
from bot.console.keys import Keys
from bot.console.models import ConsoleSession, SignInFactor
from bot.staff.models import Staff


class Outcome(enum.StrEnum):
    signed_in = "signed_in"
    code_needed = "code_needed"
    set_up_code = "set_up_code"
    refused = "refused"
    # Too many failures from this address: refused unchecked until the hold ends.
    held = "held"
    # A right code that was already used to sign in: not a failure, the next one will do.
    code_reused = "code_reused"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    staff: Staff | None = None
    hold: throttle.Hold | None = None


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


def _as_audited(typed: str, staff: Staff | None, keys: Keys) -> str:
    """The typed email if it names an account; otherwise only its keyed hash."""
    if staff is not None:
        return typed
    return f"no account: #{keys.email_hash(typed)[:16]}"


async def check_password(
    db: AsyncSession, *, email: str, password: str, address: str, now: datetime, keys: Keys
) -> Result:
    """The first step; the caller commits (attempts and audit lines are part of the answer)."""
    typed = _typed_email(email)
    key = keys.email_hash(typed)
    staff = await db.scalar(select(Staff).where(Staff.email == typed)) if typed else None
    actor = (
        actor_for(staff, address)
        if staff is not None
        else audit.Actor(label="unknown", address=address)
    )
    detail = _as_audited(typed, staff, keys)
    hold = await throttle.hold(db, key=key, address=address, factor=SignInFactor.password, now=now)
    if hold is not None:
        audit.record(db, actor=actor, action=AuditAction.sign_in_locked, now=now, detail=detail)
        return Result(Outcome.held, hold=hold)
    usable = staff is not None and staff.deactivated_at is None
    checked = await passwords.check_password(
        staff.password_hash if staff is not None and usable else None, password
    )
    throttle.record(
        db, key=key, address=address, factor=SignInFactor.password, succeeded=checked.ok, now=now
    )
    if not checked.ok or staff is None:
        audit.record(db, actor=actor, action=AuditAction.sign_in_failed, now=now, detail=detail)
        return Result(Outcome.refused)
    if checked.new_hash is not None:
        staff.password_hash = checked.new_hash
    if staff.totp_secret:
        return Result(Outcome.code_needed, staff)
    if staff.clinic.require_totp:
        return Result(Outcome.set_up_code, staff)
    audit.record(db, actor=actor, action=AuditAction.sign_in, now=now)
    return Result(Outcome.signed_in, staff)


async def check_code(
    db: AsyncSession, *, staff: Staff, code: str, address: str, now: datetime, keys: Keys
) -> Result:
    """The second step: a code from their authenticator app. Wrong codes count as failures;
    a code already used says to wait for the next one and counts as nothing."""
    assert staff.email is not None and staff.totp_secret is not None
    key = keys.email_hash(staff.email)
    actor = actor_for(staff, address)
    hold = await throttle.hold(db, key=key, address=address, factor=SignInFactor.code, now=now)
    if hold is not None:
        audit.record(db, actor=actor, action=AuditAction.sign_in_locked, now=now, detail="code")
        return Result(Outcome.held, staff, hold)
    secret = keys.totp.open(staff.totp_secret, staff_id=staff.id)
    step = totp.matching_step(secret, code, now=now)
    if step is not None and staff.totp_last_step is not None and step <= staff.totp_last_step:
        return Result(Outcome.code_reused, staff)
    throttle.record(
        db, key=key, address=address, factor=SignInFactor.code, succeeded=step is not None, now=now
    )
    if step is None:
        audit.record(db, actor=actor, action=AuditAction.sign_in_failed, now=now, detail="code")
        return Result(Outcome.refused, staff)
    staff.totp_last_step = step
    if not keys.totp.is_current(staff.totp_secret):
        # Stored in plain text before sealing existed, or with an older key: sealed anew.
        staff.totp_secret = keys.totp.seal(secret, staff_id=staff.id)
    audit.record(db, actor=actor, action=AuditAction.sign_in, now=now, detail="with code")
    return Result(Outcome.signed_in, staff)


def offer_code_set_up(row: ConsoleSession, keys: Keys) -> None:
    """A new TOTP secret for a half-signed-in session whose clinic requires one (sealed)."""
    row.enrolment_secret = keys.totp.seal(totp.new_secret(), staff_id=row.staff_id)


def offered_secret(row: ConsoleSession, keys: Keys) -> str:
    assert row.enrolment_secret is not None
    return keys.totp.open(row.enrolment_secret, staff_id=row.staff_id)


def confirm_new_code(
    db: AsyncSession,
    *,
    row: ConsoleSession,
    code: str,
    address: str,
    now: datetime,
    keys: Keys,
) -> Result:
    """Setting up TOTP at sign-in: the code proves the app holds the secret offered."""
    staff: Staff = row.staff
    assert staff.email is not None
    secret = offered_secret(row, keys)
    if totp.matching_step(secret, code, now=now) is None:
        return Result(Outcome.refused, staff)
    accounts.enrol_code(staff, secret=secret, now=now, keys=keys)
    throttle.record(
        db,
        key=keys.email_hash(staff.email),
        address=address,
        factor=SignInFactor.code,
        succeeded=True,
        now=now,
    )
    actor = actor_for(staff, address)
    audit.record(db, actor=actor, action=AuditAction.code_enrolled, now=now)
    audit.record(db, actor=actor, action=AuditAction.sign_in, now=now, detail="code set up")
    return Result(Outcome.signed_in, staff)
