"""The taper as a therapist checks it: every check-in in the client's local time, with its
weekday, where the clocks change, the offsets already past collapsed into the catch-up, and a
month view. Built from planned check-ins (before enrolment) or the client's own rows."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.checkin.models import CheckinKind


class PlannedLike(Protocol):
    @property
    def due_at(self) -> datetime: ...
    @property
    def step(self) -> int | None: ...
    @property
    def kind(self) -> CheckinKind: ...
    @property
    def occasion(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class PreviewRow:
    due_at: datetime
    local: datetime
    # The taper step's offset in days (None for a check-in outside the taper's steps).
    offset_days: int | None
    kind: str
    # For a catch-up: the offsets (days) that had passed and are covered by it.
    covers: list[int]
    # The clocks changed since the check-in before (or since today): "GMT → BST".
    clock_change: str | None
    occasion: str | None


@dataclass(frozen=True)
class MonthDay:
    day: date
    checkins: int


@dataclass(frozen=True)
class Month:
    title: str
    weeks: list[list[MonthDay | None]]


@dataclass(frozen=True)
class TaperPreview:
    rows: list[PreviewRow]
    months: list[Month]
    timezone: str


def _offset(item: PlannedLike, offsets: Sequence[int]) -> int | None:
    if item.kind is not CheckinKind.taper or item.step is None or item.step >= len(offsets):
        return None
    return offsets[item.step]


def build(
    items: Sequence[PlannedLike],
    *,
    offsets: Sequence[int],
    timezone: str,
    ending_date: date,
    now: datetime,
    done_through: int | None = None,
) -> TaperPreview:
    """`items` in time order; `done_through`: the last step already sent (None: none)."""
    zone = ZoneInfo(timezone)
    rows = []
    previous = now.astimezone(zone)
    first_taper = True
    for item in items:
        local = item.due_at.astimezone(zone)
        covers: list[int] = []
        if item.kind is CheckinKind.taper and item.step is not None and first_taper:
            first_taper = False
            start = -1 if done_through is None else done_through
            covers = [
                offsets[s]
                for s in range(start + 1, item.step)
                if ending_date + timedelta(days=offsets[s]) <= local.date()
            ]
        change = None
        if local.utcoffset() != previous.utcoffset():
            change = f"{previous.tzname()} → {local.tzname()}"
        occasion = item.occasion or {}
        rows.append(
            PreviewRow(
                due_at=item.due_at,
                local=local,
                offset_days=_offset(item, offsets),
                kind=item.kind.value,
                covers=covers,
                clock_change=change,
                occasion=occasion.get("situation"),
            )
        )
        previous = local
    return TaperPreview(rows, months(rows), timezone)


def months(rows: Sequence[PreviewRow]) -> list[Month]:
    """A calendar month (weeks from Monday) for every month from the first check-in to the last."""
    if not rows:
        return []
    counts: dict[date, int] = {}
    for row in rows:
        counts[row.local.date()] = counts.get(row.local.date(), 0) + 1
    first, last = rows[0].local.date(), rows[-1].local.date()
    found = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        weeks = [
            [MonthDay(day, counts.get(day, 0)) if day.month == month else None for day in week]
            for week in calendar.Calendar().monthdatescalendar(year, month)
        ]
        found.append(Month(f"{calendar.month_name[month]} {year}", weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
