"""Sign-in throttling: per account and per address, both counted from the attempts table.

An account (keyed by the typed email, known or not) locks after ACCOUNT_FAILURES failures within
WINDOW, counted since its last success; an address locks after ADDRESS_FAILURES failures within
WINDOW whatever emails it tried. A lock lifts by itself as the failures age out of the window.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console.models import SignInAttempt

WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20


def account_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


async def is_locked(db: AsyncSession, *, key: str, address: str, now: datetime) -> bool:
    since = now - WINDOW
    last_success = await db.scalar(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.account_key == key, SignInAttempt.succeeded.is_(True)
        )
    )
    account_since = max(since, last_success) if last_success is not None else since
    account_failures = await db.scalar(
        select(func.count()).where(
            SignInAttempt.account_key == key,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.at > account_since,
        )
    )
    if (account_failures or 0) >= ACCOUNT_FAILURES:
        return True
    address_failures = await db.scalar(
        select(func.count()).where(
            SignInAttempt.address == address,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.at > since,
        )
    )
    return (address_failures or 0) >= ADDRESS_FAILURES


def record(db: AsyncSession, *, key: str, address: str, succeeded: bool, now: datetime) -> None:
    db.add(SignInAttempt(at=now, account_key=key, address=address[:64], succeeded=succeeded))
