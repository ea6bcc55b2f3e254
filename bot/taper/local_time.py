"""Turning a local day and wall-clock time into one real (UTC) instant, across DST changes.

Rules applied everywhere in the taper:
- a wall time that does not exist (the spring-forward gap) moves forward to the first real
  instant after the gap (02:30 on New York's spring-forward night becomes 03:00 EDT);
- a wall time that happens twice (the fall-back hour) means its first occurrence (fold=0);
- a stretch of wall time ends early if the clocks go back to before its start (see
  `clocks_go_back_before`), so every instant in it reads as a wall time inside it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.taper import messages
from bot.taper.errors import TaperError

__all__ = ["as_utc", "clocks_go_back_before", "exists", "resolve_zone", "to_utc"]

ONE_SECOND = timedelta(seconds=1)


def resolve_zone(tz: ZoneInfo | str) -> ZoneInfo:
    """The ZoneInfo for a zone or its IANA name; TaperError for a name that is not a zone."""
    if isinstance(tz, ZoneInfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise TaperError(messages.UNKNOWN_TIMEZONE.format(name=tz)) from None


def as_utc(moment: datetime, what: str = "the moment") -> datetime:
    """The same instant in UTC; TaperError if `moment` has no time zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise TaperError(messages.NAIVE_MOMENT.format(what=what))
    return moment.astimezone(UTC)


def exists(day: date, wall: time, tz: ZoneInfo) -> bool:
    """False when the clocks skip over this wall time on this day (a spring-forward gap)."""
    local = datetime.combine(day, wall, tzinfo=tz)
    round_trip = local.astimezone(UTC).astimezone(tz)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def to_utc(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `wall` on local `day`: gaps move forward, repeats take the first."""
    local = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=tz)
    if exists(day, wall, tz):
        return local.astimezone(UTC)
    return _end_of_gap(local, tz)


def _end_of_gap(local: datetime, tz: ZoneInfo) -> datetime:
    # fold=1 reads the gap time with the later offset (an instant before the jump), fold=0 with
    # the earlier offset (an instant after it); the jump itself lies between the two.
    before = local.replace(fold=1).astimezone(UTC)
    after = local.replace(fold=0).astimezone(UTC)
    if before > after:
        before, after = after, before
    wanted = local.replace(tzinfo=None)
    # Smallest whole second whose local wall time has reached the requested one.
    low, high = 0, int((after - before).total_seconds())
    while low < high:
        middle = (low + high) // 2
        candidate = before + middle * ONE_SECOND
        if candidate.astimezone(tz).replace(tzinfo=None) >= wanted:
            high = middle
        else:
            low = middle + 1
    return before + low * ONE_SECOND


def clocks_go_back_before(first: datetime, end: datetime, tz: ZoneInfo) -> datetime:
    """`end`, or the earlier instant between `first` and `end` when the clocks fall back to a
    wall time before `first`'s (01:45-02:15 on a night when 02:00 becomes 01:00 ends at 02:00).
    """
    offset_at_first = first.astimezone(tz).utcoffset()
    offset_at_end = end.astimezone(tz).utcoffset()
    if offset_at_first is None or offset_at_end is None or offset_at_end >= offset_at_first:
        return end
    # Smallest whole second after `first` that already has the later, smaller offset.
    low, high = 1, int((end - first).total_seconds())
    while low < high:
        middle = (low + high) // 2
        if (first + middle * ONE_SECOND).astimezone(tz).utcoffset() == offset_at_first:
            low = middle + 1
        else:
            high = middle
    change = first + low * ONE_SECOND
    wall_after = change.astimezone(tz).replace(tzinfo=None)
    return min(change, end) if wall_after < first.astimezone(tz).replace(tzinfo=None) else end
