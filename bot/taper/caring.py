"""Caring check-ins: a day that matters to the client (an anniversary, a court date) gets a
check-in two days before it, while their taper runs.

Rules the caller can rely on:
- a dated day is kept once, or every year from its date on (29 February falls on 28 February
  in other years); years before the date never count;
- the caring check-in is due in the window of the day two days before the occasion, at the
  key's usual instant there (bot.taper.schedule.local_slot), and only if that is still ahead of
  `now` and the window day is no later than `until` (the taper's last day): a caring message
  after the day, or after aftercare has ended, would miss its point;
- one check-in a window day at most: when a taper check-in already falls on that window day,
  the caring check-in joins it (same instant, that step) instead of adding a second message,
  and two occasions whose caring days coincide get one, for the day listed first;
- occasions listed in `done` (already sent) are left out; results are in time order.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.taper.local_time import as_utc, resolve_zone
from bot.taper.schedule import PlannedCheckin, local_slot
from bot.taper.window import CheckinWindow

__all__ = ["DAYS_BEFORE", "CaringCheckin", "DatedDay", "caring_checkins", "occurrences"]

DAYS_BEFORE = 2


@dataclass(frozen=True)
class DatedDay:
    """A day from the plan: `on` (the first time it comes) and whether it comes every year.

    `ref` is the caller's own handle (e.g. the trigger's position in the plan)."""

    on: date
    every_year: bool
    ref: int = 0


@dataclass(frozen=True)
class CaringCheckin:
    """A caring check-in for `day` (occurring on `occasion`): its UTC due time and window day;
    `step` is the taper step it joins, or None when it is a check-in of its own."""

    day: DatedDay
    occasion: date
    due_at: datetime
    window_day: date
    step: int | None


def occurrences(day: DatedDay, first: date, last: date) -> list[date]:
    """The dates `day` comes on between `first` and `last` (both included)."""
    if not day.every_year:
        return [day.on] if first <= day.on <= last else []
    found = []
    for year in range(max(first.year, day.on.year), last.year + 1):
        try:
            when = day.on.replace(year=year)
        except ValueError:  # 29 February in a year without one
            when = date(year, 2, 28)
        if first <= when <= last and when >= day.on:
            found.append(when)
    return found


def caring_checkins(
    days: Sequence[DatedDay],
    planned: Sequence[PlannedCheckin],
    tz: ZoneInfo | str,
    window: CheckinWindow,
    *,
    now: datetime,
    spread_key: str,
    until: date,
    done: Collection[date] = (),
) -> list[CaringCheckin]:
    """The caring check-ins still to come for `days` (see the module's rules)."""
    zone = resolve_zone(tz)
    current = as_utc(now, "now")
    taper_days = {p.window_day: p for p in planned}
    before = timedelta(days=DAYS_BEFORE)
    found: dict[date, CaringCheckin] = {}
    for day in days:
        start = current.astimezone(zone).date() - timedelta(days=1)
        for occasion in occurrences(day, start + before, until + before):
            caring_day = occasion - before
            if occasion in done or caring_day > until or caring_day in found:
                continue
            joined = taper_days.get(caring_day)
            if joined is not None:
                due, step = joined.due_at, joined.step
            else:
                due, step = local_slot(caring_day, window, zone, spread_key), None
            if due < current:
                continue
            found[caring_day] = CaringCheckin(day, occasion, due, caring_day, step)
    return sorted(found.values(), key=lambda c: c.due_at)
