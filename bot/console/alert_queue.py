"""The alert queue: unresolved alerts, the closest deadline first, then the most severe.

Filters come from the page's URL, so a filtered queue can be bookmarked and shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.handling_models import AlertHandling, HandlingStep
from bot.alert.models import Alert, AlertStatus, AlertType, Severity
from bot.client.models import Client
from bot.console.inputs import day

LIMIT = 200
MOST_SEVERE_FIRST = case(
    {Severity.urgent: 0, Severity.elevated: 1, Severity.routine: 2}, value=Alert.severity
)
WHO = ("mine", "unassigned")


def _choice(value: str | None, allowed: type[Severity] | type[AlertType] | type[AlertStatus]):
    try:
        return allowed(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to; a value that is not allowed is ignored."""

    severity: Severity | None = None
    type: AlertType | None = None
    status: AlertStatus | None = None
    who: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> QueueFilters:
        status = _choice(params.get("status"), AlertStatus)
        who = params.get("who")
        return cls(
            severity=_choice(params.get("severity"), Severity),
            type=_choice(params.get("type"), AlertType),
            status=None if status is AlertStatus.resolved else status,
            who=who if who in WHO else None,
            since=day(params.get("since")),
            until=day(params.get("until")),
        )

    def query_string(self) -> str:
        pairs = {f.name: getattr(self, f.name) for f in fields(self)}
        return urlencode({k: str(v) for k, v in pairs.items() if v is not None})


@dataclass(frozen=True)
class QueueRow:
    alert_id: int
    severity: Severity
    type: AlertType
    status: AlertStatus
    pseudonym: str
    count: int
    first_seen_at: datetime
    deadline_at: datetime
    holder: str | None
    holder_id: int | None
    # Someone handed it to the person looking, and it is still theirs.
    handed_to_you: bool = False


def handed_to(staff_id: int) -> ColumnElement[bool]:
    """Whether the alert was handed to this person since it was last taken, and is theirs.

    Through the table, not the mapped class: the alert it correlates with is already scoped."""
    handling = AlertHandling.__table__.c
    handed = (
        select(handling.id)
        .where(
            handling.alert_id == Alert.id,
            handling.step == HandlingStep.handed_over.value,
            handling.to_staff_id == staff_id,
            handling.at >= Alert.acknowledged_at,
        )
        .exists()
    )
    return and_(Alert.acknowledged_by_id == staff_id, handed)


async def unresolved(
    db: AsyncSession,
    *,
    filters: QueueFilters,
    staff_id: int,
    timezone: str,
    limit: int = LIMIT,
) -> list[QueueRow]:
    """The queue's rows (at most `limit`), closest deadline first, then most severe."""
    query = (
        select(
            Alert.id,
            Alert.severity,
            Alert.type,
            Alert.status,
            Client.pseudonym,
            Alert.count,
            Alert.first_seen_at,
            Alert.deadline_at,
            Alert.acknowledged_by,
            Alert.acknowledged_by_id,
            handed_to(staff_id),
        )
        .join(Client, Client.id == Alert.client_id)
        .where(Alert.status != AlertStatus.resolved)
        .order_by(Alert.deadline_at, MOST_SEVERE_FIRST, Alert.id)
        .limit(limit)
    )
    if filters.severity:
        query = query.where(Alert.severity == filters.severity)
    if filters.type:
        query = query.where(Alert.type == filters.type)
    if filters.status:
        query = query.where(Alert.status == filters.status)
    if filters.who == "mine":
        query = query.where(Alert.acknowledged_by_id == staff_id)
    elif filters.who == "unassigned":
        query = query.where(Alert.status == AlertStatus.open)
    zone = ZoneInfo(timezone)
    if filters.since:
        query = query.where(Alert.first_seen_at >= datetime.combine(filters.since, time(0), zone))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(0), zone)
        query = query.where(Alert.first_seen_at < end)
    return [QueueRow(*row) for row in (await db.execute(query)).all()]


async def open_count(db: AsyncSession) -> int:
    """Alerts nobody has taken yet: the number in the tab title."""
    count = await db.scalar(select(func.count(Alert.id)).where(Alert.status == AlertStatus.open))
    return int(count or 0)


async def overdue_count(db: AsyncSession, *, now: datetime) -> int:
    """Unresolved alerts past their deadline, taken or not: the title's second number."""
    count = await db.scalar(
        select(func.count(Alert.id)).where(
            Alert.status != AlertStatus.resolved, Alert.deadline_at <= now
        )
    )
    return int(count or 0)
