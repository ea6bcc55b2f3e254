"""When each check-in of a taper is due: one real instant inside the client's local window.

Rules the caller can rely on:
- every instant is an aware UTC datetime in whole seconds;
- a window belongs to the local day it starts ("window day"); in a window that crosses
  midnight the check-in may land early on the next calendar day;
- within a window the instant is spread by a stable hash of (spread_key, day), so clients with
  the same window do not all fire in the same second, and the same key always gets the same
  instant; a margin keeps it off the window's very end;
- DST follows bot.taper.local_time: gap times move forward past the gap, repeated times mean
  their first occurrence, and a window ends early if the clocks go back to before its start,
  so the check-in's local time always reads as inside the window. If a whole window falls
  inside a gap it shrinks to the gap's end, and the check-in comes at that instant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.taper.local_time import (
    ONE_SECOND,
    as_utc,
    clocks_go_back_before,
    resolve_zone,
    to_utc,
)
from bot.taper.templates import check_rising
from bot.taper.window import CheckinWindow

__all__ = [
    "PlannedCheckin",
    "local_slot",
    "next_slot_after",
    "plan_checkins",
    "window_bounds",
    "window_day",
]

# A check-in sent at the last second of a window arrives after it; keep this much back.
END_MARGIN = timedelta(seconds=60)
ONE_DAY = timedelta(days=1)
_FRACTION_SCALE = 2**64


@dataclass(frozen=True)
class PlannedCheckin:
    """One planned check-in: its step (0 = first), its offset in days and its UTC due time.

    `window_day` is the local day whose window holds `due_at` (for a window that crosses
    midnight, `due_at` may fall on the calendar day after it).
    """

    step: int
    offset_days: int
    due_at: datetime
    window_day: date


def window_bounds(
    day: date, window: CheckinWindow, tz: ZoneInfo | str
) -> tuple[datetime, datetime]:
    """The first and last UTC instants a check-in may use in `day`'s window (first <= last)."""
    zone = resolve_zone(tz)
    first = to_utc(day, window.start, zone)
    end = to_utc(day + ONE_DAY if window.crosses_midnight else day, window.end, zone)
    end = clocks_go_back_before(first, max(end, first), zone)
    length = max(end - first, timedelta(0))
    margin = min(END_MARGIN, length / 10)
    last = first + timedelta(seconds=int((length - margin).total_seconds()))
    return first, last


def local_slot(day: date, window: CheckinWindow, tz: ZoneInfo | str, spread_key: str) -> datetime:
    """The UTC instant inside `day`'s local window where this key's check-in falls."""
    first, last = window_bounds(day, window, tz)
    return _spread(first, last, _fraction(spread_key, day))


def window_day(moment: datetime, tz: ZoneInfo | str, window: CheckinWindow) -> date:
    """The local day whose window `moment` is in or next to: for a window crossing midnight,
    moments before its end time belong to the previous day; otherwise the local date."""
    local = as_utc(moment).astimezone(resolve_zone(tz))
    if window.crosses_midnight and local.time() < window.end:
        return local.date() - ONE_DAY
    return local.date()


def next_slot_after(
    moment: datetime,
    tz: ZoneInfo | str,
    window: CheckinWindow,
    spread_key: str,
    min_days: int = 0,
) -> datetime:
    """The first check-in instant at or after `moment`, at least `min_days` window days later.

    With min_days=0 it is today's window if any of it is still ahead (the key's usual instant,
    or, if that has passed, a spread instant in what is left of the window), else tomorrow's.
    With min_days=3 it is the key's instant in the window three local days on ("in 3 days").
    """
    return _slot_from(
        window_day(moment, tz, window) + min_days * ONE_DAY, moment, tz, window, spread_key
    )[1]


def plan_checkins(
    ending_date: date,
    offsets: Sequence[int],
    tz: ZoneInfo | str,
    window: CheckinWindow,
    *,
    now: datetime,
    spread_key: str,
    sent_through: int | None = None,
) -> list[PlannedCheckin]:
    """The taper's check-ins from `now` on, strictly rising in time, one per window day at most.

    Each offset (strictly rising days after `ending_date`; step = its index) is due in the
    window of ending_date + offset. Offsets whose instant is already before `now` collapse into
    one catch-up check-in at next_slot_after(now), with the latest passed step and its offset;
    later offsets keep their days, except that one landing on the same window day as the
    check-in before it moves to the next day's window (and so on). Steps up to `sent_through`
    are already done: they are left out and never caught up.
    """
    zone = resolve_zone(tz)
    current = as_utc(now, "now")
    rising = check_rising(offsets)
    ahead: list[PlannedCheckin] = []
    passed: tuple[int, int] | None = None
    for step, offset in enumerate(rising):
        if sent_through is not None and step <= sent_through:
            continue
        day = ending_date + timedelta(days=offset)
        due = local_slot(day, window, zone, spread_key)
        if due < current:
            passed = (step, offset)
        else:
            ahead.append(PlannedCheckin(step, offset, due, day))
    planned: list[PlannedCheckin] = []
    if passed is not None:
        day, due = _slot_from(window_day(current, zone, window), current, zone, window, spread_key)
        planned.append(PlannedCheckin(passed[0], passed[1], due, day))
    for checkin in ahead:
        if planned and (
            checkin.window_day <= planned[-1].window_day or checkin.due_at <= planned[-1].due_at
        ):
            previous = planned[-1]
            day, due = _slot_from(
                previous.window_day + ONE_DAY,
                previous.due_at + ONE_SECOND,
                zone,
                window,
                spread_key,
            )
            checkin = replace(checkin, due_at=due, window_day=day)
        planned.append(checkin)
    return planned


def _slot_from(
    first_day: date,
    moment: datetime,
    tz: ZoneInfo | str,
    window: CheckinWindow,
    spread_key: str,
) -> tuple[date, datetime]:
    """The first window from `first_day` on with room at or after `moment`, and the instant."""
    earliest = _ceil_second(as_utc(moment))
    zone = resolve_zone(tz)
    # Windows are shorter than a day, so one of the next few days always has room.
    for ahead in range(4):
        day = first_day + ahead * ONE_DAY
        first, last = window_bounds(day, window, zone)
        if last < earliest:
            continue
        fraction = _fraction(spread_key, day)
        usual = _spread(first, last, fraction)
        if usual >= earliest:
            return day, usual
        return day, _spread(earliest, last, fraction)
    raise AssertionError("no check-in window within four days")  # pragma: no cover


def _fraction(spread_key: str, day: date) -> int:
    # hashlib, not hash(): the same key must give the same instant in every process.
    digest = hashlib.sha256(f"{spread_key}\x1f{day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _spread(first: datetime, last: datetime, fraction: int) -> datetime:
    # Integer arithmetic: a float fraction can round up to 1.0 and step past `last`.
    span = int((last - first).total_seconds())
    return first + timedelta(seconds=fraction * (span + 1) // _FRACTION_SCALE)


def _ceil_second(moment: datetime) -> datetime:
    whole = moment.replace(microsecond=0)
    return whole if whole == moment else whole + ONE_SECOND
