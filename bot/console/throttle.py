"""Sign-in throttling: failures slow down one address for one account, never the account for all.

Per (address, account, factor): the first FREE_FAILURES failures cost nothing; each one after
that makes that address wait before its next try for that account, from FIRST_WAIT doubling up
to LONGEST_WAIT. Password and code failures count apart: a right password does not wipe out
wrong codes. They count since the pair's last success at that factor (a signed-in code counts
for both), the account's last unlock (a clinic admin, or a new password from an invite), and at
most WINDOW back. So a duty member at their own address always gets in with the right password
and code, whatever anyone tries elsewhere.

Per address, whatever accounts it tries: ADDRESS_FAILURES failures within ADDRESS_WINDOW make it
wait until the oldest of them ages out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.console.models import SignInAttempt, SignInFactor, SignInUnlock

WINDOW = timedelta(hours=24)
FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=15)
LONGEST_WAIT = timedelta(minutes=15)
ADDRESS_WINDOW = timedelta(minutes=15)
ADDRESS_FAILURES = 20


class HeldBy(enum.StrEnum):
    # This address has failed too often for this account.
    account = "account"
    # This address has failed too often, across accounts.
    address = "address"


@dataclass(frozen=True)
class Hold:
    """Tries from here are refused, unchecked, until `until`."""

    held_by: HeldBy
    until: datetime

    def left(self, now: datetime) -> timedelta:
        return self.until - now


def wait_after(failures: int) -> timedelta:
    """How long an address waits after its `failures`-th failure in a row for one account."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES, 16)
    return min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)


def _counted() -> ColumnElement[bool]:
    """A failure that still counts: no later success of its pair and factor, no later unlock."""
    success = aliased(SignInAttempt)
    later_success = (
        select(success.id)
        .where(
            success.account_key == SignInAttempt.account_key,
            success.address == SignInAttempt.address,
            success.succeeded.is_(True),
            success.id > SignInAttempt.id,
            # A signed-in code ends a sign-in: it clears the pair's password failures too.
            or_(success.factor == SignInAttempt.factor, success.factor == SignInFactor.code.value),
        )
        .exists()
    )
    later_unlock = (
        select(SignInUnlock.id)
        .where(
            SignInUnlock.account_key == SignInAttempt.account_key,
            SignInUnlock.at >= SignInAttempt.at,
        )
        .exists()
    )
    return and_(SignInAttempt.succeeded.is_(False), ~later_success, ~later_unlock)


def _hold_after(failures: int, last: datetime | None, now: datetime) -> Hold | None:
    if last is None or not failures:
        return None
    until = last + wait_after(failures)
    return Hold(HeldBy.account, until) if until > now else None


async def _pair_hold(
    db: AsyncSession, *, key: str, address: str, factor: SignInFactor, now: datetime
) -> Hold | None:
    failures, last = (
        await db.execute(
            select(func.count(), func.max(SignInAttempt.at)).where(
                SignInAttempt.account_key == key,
                SignInAttempt.address == address[:64],
                SignInAttempt.factor == factor.value,
                SignInAttempt.at > now - WINDOW,
                _counted(),
            )
        )
    ).one()
    return _hold_after(int(failures), last, now)


async def _address_hold(db: AsyncSession, *, address: str, now: datetime) -> Hold | None:
    oldest_counted = await db.scalar(
        select(SignInAttempt.at)
        .where(
            SignInAttempt.address == address[:64],
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.at > now - ADDRESS_WINDOW,
        )
        .order_by(SignInAttempt.at.desc())
        .offset(ADDRESS_FAILURES - 1)
        .limit(1)
    )
    if oldest_counted is None:
        return None
    return Hold(HeldBy.address, oldest_counted + ADDRESS_WINDOW)


async def hold(
    db: AsyncSession, *, key: str, address: str, factor: SignInFactor, now: datetime
) -> Hold | None:
    """Whether a try from `address` for the account `key` must wait, and until when."""
    found = await _address_hold(db, address=address, now=now)
    if found is not None:
        return found
    return await _pair_hold(db, key=key, address=address, factor=factor, now=now)


def record(
    db: AsyncSession,
    *,
    key: str,
    address: str,
    factor: SignInFactor,
    succeeded: bool,
    now: datetime,
) -> None:
    db.add(
        SignInAttempt(
            at=now,
            account_key=key,
            address=address[:64],
            factor=factor.value,
            succeeded=succeeded,
        )
    )


def unlock(db: AsyncSession, *, key: str, now: datetime) -> None:
    """Failures for this account before now stop counting, from every address."""
    db.add(SignInUnlock(at=now, account_key=key))


async def held_accounts(db: AsyncSession, *, keys: list[str], now: datetime) -> set[str]:
    """Which of these accounts some address is waiting on now (for the staff page)."""
    if not keys:
        return set()
    rows = await db.execute(
        select(SignInAttempt.account_key, func.count(), func.max(SignInAttempt.at))
        .where(SignInAttempt.account_key.in_(keys), SignInAttempt.at > now - WINDOW, _counted())
        .group_by(SignInAttempt.account_key, SignInAttempt.address, SignInAttempt.factor)
        .having(func.count() >= FREE_FAILURES)
    )
    return {key for key, failures, last in rows.all() if _hold_after(failures, last, now)}
