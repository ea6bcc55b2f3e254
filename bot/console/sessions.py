"""Console sessions: an opaque 256-bit token in the cookie, its SHA-256 in the database.

A session ends when it is signed out, after `idle` without activity, after `absolute` in any
case, or when its staff member is deactivated. Signing in always makes a new token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console.models import ConsoleSession, SessionStage
from bot.staff.models import Staff

TOKEN_BYTES = 32
# A half-finished sign-in (TOTP code or set-up still to come) lasts this long at most.
PENDING_LIMIT = timedelta(minutes=10)


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    absolute: timedelta


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(
    db: AsyncSession,
    *,
    staff: Staff,
    stage: SessionStage,
    now: datetime,
    limits: Limits,
    address: str | None,
) -> tuple[str, ConsoleSession]:
    """A new session and the token for its cookie (the token is not stored anywhere)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    lifetime = limits.absolute if stage is SessionStage.active else PENDING_LIMIT
    row = ConsoleSession(
        token_hash=token_hash(token),
        staff_id=staff.id,
        stage=stage.value,
        csrf_token=secrets.token_urlsafe(TOKEN_BYTES),
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        address=(address or "")[:64] or None,
    )
    row.staff = staff
    db.add(row)
    return token, row


async def find(
    db: AsyncSession, *, token: str | None, now: datetime, limits: Limits
) -> ConsoleSession | None:
    """The live session for this cookie token, or None (unknown, ended, idle, expired)."""
    if not token or len(token) > 100:
        return None
    row = await db.scalar(
        select(ConsoleSession).where(
            ConsoleSession.token_hash == token_hash(token), ConsoleSession.ended_at.is_(None)
        )
    )
    if row is None or row.expires_at <= now or now - row.last_seen_at >= limits.idle:
        return None
    staff: Staff = row.staff
    if staff.deactivated_at is not None:
        return None
    return row


def touch(row: ConsoleSession, now: datetime) -> None:
    """Count this request as activity: the idle limit runs from the person's latest request."""
    row.last_seen_at = now


async def find_lapsed(db: AsyncSession, *, token: str | None) -> ConsoleSession | None:
    """The session this cookie token once named, live or not (to keep what a form carried)."""
    if not token or len(token) > 100:
        return None
    row: ConsoleSession | None = await db.scalar(
        select(ConsoleSession).where(ConsoleSession.token_hash == token_hash(token))
    )
    return row


def end(row: ConsoleSession, now: datetime) -> None:
    if row.ended_at is None:
        row.ended_at = now
    row.enrolment_secret = None


async def end_all(db: AsyncSession, *, staff_id: int, now: datetime) -> int:
    """End every live session of this staff member (sign out everywhere); returns how many."""
    result = await db.execute(
        update(ConsoleSession)
        .where(ConsoleSession.staff_id == staff_id, ConsoleSession.ended_at.is_(None))
        .values(ended_at=now, enrolment_secret=None)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)
