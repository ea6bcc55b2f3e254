"""Resolved alerts, newest first: filtered by why they closed, who closed them and when.

Filters come from the URL and are parsed within bounds: an unknown reason, a staff id that is
not a plain small number or a date at the calendar's edge is ignored, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import ScalarSelect, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.handling_models import AlertHandling, HandlingStep, ResolutionReason
from bot.alert.models import Alert, AlertStatus, AlertType, Severity
from bot.client.models import Client

LIMIT = 100
ID_DIGITS = 9
# No reason was given (resolved from the staff group or the command line).
NO_REASON = "none"
# A day this close to the calendar's ends can't be turned into an instant in every timezone.
EDGE = timedelta(days=2)


def _day(value: str | None) -> date | None:
    if not value or len(value) != 10 or not value.isascii():
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if date.min + EDGE <= day <= date.max - EDGE else None


def _id(value: str | None) -> int | None:
    ok = value and value.isascii() and value.isdigit() and len(value) <= ID_DIGITS
    return int(value) if ok and value else None


def _reason(value: str | None) -> str | None:
    return value if value == NO_REASON or value in ResolutionReason.__members__ else None


@dataclass(frozen=True)
class ResolvedFilters:
    reason: str | None = None
    who: int | None = None
    since: date | None = None
    until: date | None = None
    # Older than this alert (the last row of the page before): the next page.
    before: int | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ResolvedFilters:
        return cls(
            reason=_reason(params.get("reason")),
            who=_id(params.get("who")),
            since=_day(params.get("since")),
            until=_day(params.get("until")),
            before=_id(params.get("before")),
        )

    def query_string(self, *, before: int | None = None) -> str:
        """The filters as a URL query; with `before`, the page after the one shown."""
        pairs = {f.name: getattr(self, f.name) for f in fields(self)}
        pairs["before"] = before
        return urlencode({k: str(v) for k, v in pairs.items() if v is not None})


@dataclass(frozen=True)
class ResolvedRow:
    alert_id: int
    severity: Severity
    type: AlertType
    pseudonym: str
    first_seen_at: datetime
    resolved_at: datetime
    resolved_by: str | None
    resolved_by_id: int | None
    note: str | None
    reason: str | None


def _latest_reason() -> ScalarSelect[str | None]:
    """The reason of the alert's latest resolution. Read through the table, not the mapped
    class: the alert it correlates with is already scoped to the clinic, and the tenancy's
    own filter on handling rows (an IN over every alert of the clinic) would run per row."""
    handling = AlertHandling.__table__.c
    return (
        select(handling.reason)
        .where(
            handling.alert_id == Alert.id,
            handling.step == HandlingStep.resolved.value,
        )
        .order_by(handling.id.desc())
        .limit(1)
        .scalar_subquery()
    )


async def resolved(
    db: AsyncSession, *, filters: ResolvedFilters, timezone: str, limit: int = LIMIT
) -> list[ResolvedRow]:
    """The newest resolved alerts (at most `limit`) that match the filters."""
    reason = _latest_reason()
    query = (
        select(
            Alert.id,
            Alert.severity,
            Alert.type,
            Client.pseudonym,
            Alert.first_seen_at,
            Alert.resolved_at,
            Alert.resolved_by,
            Alert.resolved_by_id,
            Alert.resolution_note,
            reason,
        )
        .join(Client, Client.id == Alert.client_id)
        .where(Alert.status == AlertStatus.resolved)
        .order_by(Alert.resolved_at.desc(), Alert.id.desc())
        .limit(limit)
    )
    if filters.reason == NO_REASON:
        query = query.where(reason.is_(None))
    elif filters.reason:
        query = query.where(reason == filters.reason)
    if filters.before is not None:
        cursor = select(Alert.resolved_at).where(Alert.id == filters.before).scalar_subquery()
        query = query.where(
            or_(
                Alert.resolved_at < cursor,
                and_(Alert.resolved_at == cursor, Alert.id < filters.before),
            )
        )
    if filters.who is not None:
        query = query.where(Alert.resolved_by_id == filters.who)
    zone = ZoneInfo(timezone)
    if filters.since:
        query = query.where(Alert.resolved_at >= datetime.combine(filters.since, time(0), zone))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(0), zone)
        query = query.where(Alert.resolved_at < end)
    return [ResolvedRow(*row) for row in (await db.execute(query)).all()]
