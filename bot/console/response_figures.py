"""Response figures for the clinic admin: how fast alerts were taken and resolved, week by week.

Read-only. Weeks run Monday to Sunday in the clinic's timezone and an alert counts in the week it
was raised. Per severity: the median and 90th percentile (nearest rank) of the time to take
(raised to taken; an alert resolved without being taken counts as taken then) and of the time to
resolve; how many went past their deadline before anyone took them (or still wait, past it);
and the reasons given when they were resolved.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from bot.alert.handling_models import AlertHandling, HandlingStep
from bot.alert.models import Alert, Severity
from bot.database.base import UTCDateTime

DEFAULT_WEEKS = 12
MAX_WEEKS = 52
SEVERITIES = (Severity.urgent, Severity.elevated, Severity.routine)
SHARES = postgresql.array([0.5, 0.9])  # the median and the 90th percentile, from one sort
WORK_MEM = "32MB"


@dataclass(frozen=True)
class Spread:
    """The middle and the slow end of a set of durations (None when there are none)."""

    count: int = 0
    median: timedelta | None = None
    p90: timedelta | None = None


@dataclass
class Week:
    starts: date
    raised: int = 0
    past_deadline: int = 0
    take: dict[Severity, Spread] = field(default_factory=dict)
    resolve: dict[Severity, Spread] = field(default_factory=dict)
    reasons: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Figures:
    weeks: list[Week]
    whole: Week  # the whole period as one row


def nearest_rank(ordered: Sequence[timedelta], share: float) -> timedelta:
    """The value below which `share` of the sorted durations fall (nearest-rank method)."""
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def spread(durations: list[timedelta]) -> Spread:
    if not durations:
        return Spread()
    ordered = sorted(durations)
    return Spread(len(ordered), nearest_rank(ordered, 0.5), nearest_rank(ordered, 0.9))


def first_monday(now: datetime, zone: ZoneInfo, weeks: int) -> date:
    today = now.astimezone(zone).date()
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1))


@dataclass
class _Tally:
    week: Week
    take: dict[Severity, list[timedelta]] = field(default_factory=dict)
    resolve: dict[Severity, list[timedelta]] = field(default_factory=dict)

    def close(self) -> Week:
        self.week.take = {s: spread(self.take.get(s, [])) for s in SEVERITIES}
        self.week.resolve = {s: spread(self.resolve.get(s, [])) for s in SEVERITIES}
        return self.week


async def weekly(
    db: AsyncSession, *, clinic_id: int, now: datetime, timezone: str, weeks: int = DEFAULT_WEEKS
) -> Figures:
    """The last `weeks` weeks (this one included, so far), oldest first."""
    zone = ZoneInfo(timezone)
    start = first_monday(now, zone, weeks)
    since = datetime.combine(start, time(0), zone)
    period = _Period(clinic_id, now, zone, start, since, weeks)
    if db.get_bind().dialect.name == "postgresql":
        return await in_database(db, period)
    return await in_python(db, period)


@dataclass(frozen=True)
class _Period:
    clinic_id: int
    now: datetime
    zone: ZoneInfo
    start: date
    since: datetime
    weeks: int

    def index(self, day: date) -> int:
        return min(max((day - self.start).days // 7, 0), self.weeks - 1)

    def empty(self) -> list[Week]:
        return [Week(self.start + timedelta(days=7 * i)) for i in range(self.weeks)]


def _resolved_with_reason(period: _Period) -> list[ColumnElement[bool]]:
    return [
        AlertHandling.step == HandlingStep.resolved.value,
        Alert.clinic_id == period.clinic_id,
        Alert.first_seen_at >= period.since,
        AlertHandling.reason.is_not(None),
    ]


def _seconds_after_raised(
    later: ColumnElement[Any] | QueryableAttribute[Any],
) -> ColumnElement[float]:
    # SQLite keeps instants as UTC text: julianday() reads them without a datetime per row.
    return (func.julianday(later) - func.julianday(Alert.first_seen_at)) * 86400.0


def _week_index(period: _Period) -> ColumnElement[int]:
    # The weeks' starts as instants, compared in the database: no datetime is read per alert.
    starts = [
        datetime.combine(period.start + timedelta(days=7 * i), time(0), period.zone)
        for i in range(1, period.weeks)
    ]
    if not starts:
        return literal(0)
    return case(
        *((Alert.first_seen_at < literal(at, UTCDateTime()), i) for i, at in enumerate(starts)),
        else_=period.weeks - 1,
    )


async def in_python(db: AsyncSession, period: _Period) -> Figures:
    """SQLite has no percentile aggregate: durations come back as seconds, counted here."""
    tallies = [_Tally(week) for week in period.empty()]
    whole = _Tally(Week(period.start))
    week = _week_index(period)
    taken = func.coalesce(Alert.acknowledged_at, Alert.resolved_at)
    now = literal(period.now, UTCDateTime())
    raised = select(
        week,
        Alert.severity,
        func.coalesce(taken, now) > Alert.deadline_at,
        _seconds_after_raised(taken),
        _seconds_after_raised(Alert.resolved_at),
    ).where(Alert.clinic_id == period.clinic_id, Alert.first_seen_at >= period.since)
    for index, severity, late, took, resolved in await db.execute(raised):
        for tally in (tallies[index], whole):
            tally.week.raised += 1
            tally.week.past_deadline += bool(late)
            if took is not None:
                tally.take.setdefault(severity, []).append(timedelta(seconds=round(took)))
            if resolved is not None:
                tally.resolve.setdefault(severity, []).append(timedelta(seconds=round(resolved)))
    reasons = (
        select(week, AlertHandling.reason, func.count())
        .join(Alert, Alert.id == AlertHandling.alert_id)
        .where(*_resolved_with_reason(period))
        .group_by(text("1"), text("2"))
    )
    for index, reason, count in await db.execute(reasons):
        tallies[index].week.reasons[reason] += count
        whole.week.reasons[reason] += count
    return Figures([tally.close() for tally in tallies], whole.close())


async def in_database(db: AsyncSession, period: _Period) -> Figures:
    """PostgreSQL counts and takes the percentiles itself: a few rows come back, not thousands."""
    # Inline, not bound: GROUP BY must repeat the selected expression exactly (zone names are
    # checked against the timezone database, so they hold no quote).
    zone: ColumnElement[str] = literal_column("'" + period.zone.key.replace("'", "") + "'")
    week = cast(
        func.date_trunc(literal_column("'week'"), func.timezone(zone, Alert.first_seen_at)), Date
    )
    taken = func.coalesce(Alert.acknowledged_at, Alert.resolved_at)
    now = literal(period.now, UTCDateTime())
    took, resolved = taken - Alert.first_seen_at, Alert.resolved_at - Alert.first_seen_at
    query = (
        select(
            week,
            Alert.severity,
            func.count(),
            func.count().filter(func.coalesce(taken, now) > Alert.deadline_at),
            func.count(taken),
            func.percentile_disc(SHARES).within_group(took),
            func.count(Alert.resolved_at),
            func.percentile_disc(SHARES).within_group(resolved),
        )
        .where(Alert.clinic_id == period.clinic_id, Alert.first_seen_at >= period.since)
        .group_by(func.grouping_sets(tuple_(week, Alert.severity), tuple_(Alert.severity)))
    )
    weeks = period.empty()
    whole = Week(period.start)
    # A report's sorts fit in memory here rather than spilling to disk (for this transaction only).
    await db.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
    for day, severity, count, late, taken_n, took_at, resolved_n, resolved_at in await db.execute(
        query
    ):
        row = whole if day is None else weeks[period.index(day)]
        row.take[severity] = Spread(taken_n, *took_at) if taken_n else Spread()
        row.resolve[severity] = Spread(resolved_n, *resolved_at) if resolved_n else Spread()
        row.raised += count
        row.past_deadline += late
    reasons = (
        select(week, AlertHandling.reason, func.count())
        .join(Alert, Alert.id == AlertHandling.alert_id)
        .where(*_resolved_with_reason(period))
        .group_by(week, AlertHandling.reason)
    )
    for day, reason, count in await db.execute(reasons):
        weeks[period.index(day)].reasons[reason] += count
        whole.reasons[reason] += count
    for row in [*weeks, whole]:
        for severity in SEVERITIES:
            row.take.setdefault(severity, Spread())
            row.resolve.setdefault(severity, Spread())
    return Figures(weeks, whole)
