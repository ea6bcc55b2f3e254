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
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.models import Alert, Severity
from bot.console.handling_models import AlertHandling, HandlingStep

DEFAULT_WEEKS = 12
MAX_WEEKS = 52
SEVERITIES = (Severity.urgent, Severity.elevated, Severity.routine)


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
    tallies = [_Tally(Week(start + timedelta(days=7 * i))) for i in range(weeks)]
    whole = _Tally(Week(start))
    raised = select(
        Alert.id,
        Alert.severity,
        Alert.first_seen_at,
        Alert.deadline_at,
        Alert.acknowledged_at,
        Alert.resolved_at,
    ).where(Alert.clinic_id == clinic_id, Alert.first_seen_at >= since)
    week_of: dict[int, int] = {}
    for ident, severity, first_seen, deadline, taken, resolved in await db.execute(raised):
        index = min((first_seen.astimezone(zone).date() - start).days // 7, weeks - 1)
        week_of[ident] = index
        taken = taken or resolved
        for tally in (tallies[index], whole):
            tally.week.raised += 1
            tally.week.past_deadline += (taken or now) > deadline
            if taken is not None:
                tally.take.setdefault(severity, []).append(taken - first_seen)
            if resolved is not None:
                tally.resolve.setdefault(severity, []).append(resolved - first_seen)
    reasons = (
        select(AlertHandling.alert_id, AlertHandling.reason)
        .join(Alert, Alert.id == AlertHandling.alert_id)
        .where(
            AlertHandling.step == HandlingStep.resolved.value,
            Alert.clinic_id == clinic_id,
            Alert.first_seen_at >= since,
            AlertHandling.reason.is_not(None),
        )
    )
    for ident, reason in await db.execute(reasons):
        if ident in week_of:
            tallies[week_of[ident]].week.reasons[reason] += 1
            whole.week.reasons[reason] += 1
    return Figures([tally.close() for tally in tallies], whole.close())
