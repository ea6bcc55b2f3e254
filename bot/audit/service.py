"""Writing and reading the audit log."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.models import AuditAction, AuditEntry

PAGE_SIZE = 50
CSV_LIMIT = 10_000


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where: a staff member in the console, the CLI, or nobody known."""

    label: str
    address: str | None
    staff_id: int | None = None
    clinic_id: int | None = None


CLI = Actor(label="cli", address="cli")


def record(
    db: AsyncSession,
    *,
    actor: Actor,
    action: AuditAction,
    now: datetime,
    target: str | None = None,
    detail: str | None = None,
    clinic_id: int | None = None,
) -> AuditEntry:
    """Add one line; it is written with the caller's transaction."""
    entry = AuditEntry(
        at=now,
        clinic_id=clinic_id if clinic_id is not None else actor.clinic_id,
        staff_id=actor.staff_id,
        actor=actor.label[:200],
        action=action.value,
        target=target[:100] if target else None,
        detail=detail[:1000] if detail else None,
        address=actor.address[:64] if actor.address else None,
    )
    db.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What the admin page narrows the log to; every field is optional."""

    action: str | None = None
    staff_id: int | None = None
    target: str | None = None
    since: date | None = None
    until: date | None = None


def _query(clinic_id: int, filters: AuditFilter, timezone: str) -> Select[tuple[AuditEntry]]:
    zone = ZoneInfo(timezone)
    query = select(AuditEntry).where(AuditEntry.clinic_id == clinic_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.staff_id is not None:
        query = query.where(AuditEntry.staff_id == filters.staff_id)
    if filters.target:
        query = query.where(AuditEntry.target == filters.target)
    if filters.since:
        query = query.where(AuditEntry.at >= datetime.combine(filters.since, time(0), zone))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(0), zone)
        query = query.where(AuditEntry.at < end)
    return query


async def page(
    db: AsyncSession,
    *,
    clinic_id: int,
    filters: AuditFilter,
    timezone: str,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[AuditEntry]:
    """A clinic's lines, newest first; `before_id` continues from an earlier page."""
    query = _query(clinic_id, filters, timezone)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(await db.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


async def export(
    db: AsyncSession, *, clinic_id: int, filters: AuditFilter, timezone: str
) -> list[AuditEntry]:
    query = _query(clinic_id, filters, timezone).order_by(AuditEntry.id.desc()).limit(CSV_LIMIT)
    return list(await db.scalars(query))


CSV_HEADER = ("id", "at_utc", "actor", "staff_id", "action", "target", "detail", "address")


def as_csv(entries: Iterable[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        writer.writerow(
            (
                entry.id,
                entry.at.isoformat(),
                entry.actor,
                entry.staff_id if entry.staff_id is not None else "",
                entry.action,
                entry.target or "",
                _neutralise(entry.detail or ""),
                entry.address or "",
            )
        )
    return out.getvalue()


def _neutralise(cell: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula.
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
