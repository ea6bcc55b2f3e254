"""Office hours, e.g. "mon-fri 09:00-17:00; sat 10:00-12:00", and when staff next read messages."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class OfficeHours:
    # weekday (0 = Monday) -> (opens, closes) in the clinic's local time
    days: dict[int, tuple[time, time]]

    # Days the clinic is closed although its hours say open (holidays), in its own calendar.
    closed: frozenset[date] = frozenset()

    def is_open(self, moment: datetime, tz: ZoneInfo) -> bool:
        local = moment.astimezone(tz)
        hours = self.days.get(local.weekday())
        if hours is None or local.date() in self.closed:
            return False
        return hours[0] <= local.time() < hours[1]

    def next_opening(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """The next moment staff are in (the moment itself if open now), in the clinic's zone."""
        local = moment.astimezone(tz)
        if self.is_open(moment, tz):
            return local
        for ahead in range(8 + len(self.closed)):
            day = (local + timedelta(days=ahead)).date()
            hours = self.days.get(day.weekday())
            if hours is None or day in self.closed:
                continue
            opening = datetime.combine(day, hours[0], tzinfo=tz)
            if opening > local:
                return opening
        raise InvalidInput("office hours have no opening time")


def _parse_time(text: str, spec: str) -> time:
    try:
        hour, minute = (int(part) for part in text.split(":"))
        return time(hour, minute)
    except ValueError:
        raise InvalidInput(f"office hours {spec!r}: {text!r} is not a time like 09:00") from None


def parse_office_hours(spec: str) -> OfficeHours:
    days: dict[int, tuple[time, time]] = {}
    for part in filter(None, (p.strip() for p in spec.lower().split(";"))):
        try:
            day_range, hours = part.split()
            opens_text, closes_text = hours.split("-")
        except ValueError:
            raise InvalidInput(
                f"office hours {spec!r}: write them like 'mon-fri 09:00-17:00; sat 10:00-12:00'"
            ) from None
        first, _, last = day_range.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise InvalidInput(f"office hours {spec!r}: days are {', '.join(DAYS)}")
        opens, closes = _parse_time(opens_text, spec), _parse_time(closes_text, spec)
        if closes <= opens:
            raise InvalidInput(f"office hours {spec!r}: closing must be after opening")
        start, end = DAYS.index(first), DAYS.index(last or first)
        for weekday in (
            range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
        ):
            days[weekday] = (opens, closes)
    if not days:
        raise InvalidInput("office hours are empty: write them like 'mon-fri 09:00-17:00'")
    return OfficeHours(days)


def staff_next_see(
    office_hours: str, timezone: str, now: datetime, closed: frozenset[date] = frozenset()
) -> datetime | None:
    """When staff will next read messages: None if the clinic is open now."""
    tz = ZoneInfo(timezone)
    hours = replace(parse_office_hours(office_hours), closed=closed)
    return None if hours.is_open(now, tz) else hours.next_opening(now, tz)
