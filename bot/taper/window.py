"""The client's check-in window: the local wall-clock hours when a check-in may arrive.

A window whose end is earlier than its start crosses midnight ("22:00-01:00"); it belongs to
the day it starts, so Monday's window runs from Monday 22:00 to Tuesday 01:00.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.taper import messages
from bot.taper.errors import TaperError

__all__ = ["CheckinWindow", "parse_window"]

# "18:00", "8:30" or a bare hour "18"; seconds are never needed for a window.
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?")
_DASHES = ("\u2013", "\u2014", "\u2212")


@dataclass(frozen=True)
class CheckinWindow:
    """Local start and end times (no time zone); start == end is refused."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise TaperError(messages.WINDOW_WITH_ZONE)
        if self.start == self.end:
            raise TaperError(messages.WINDOW_EMPTY.format(at=_clock(self.start)))

    @property
    def crosses_midnight(self) -> bool:
        """True when the window ends on the calendar day after the one it starts."""
        return self.end < self.start

    @property
    def length(self) -> timedelta:
        """The window's wall-clock length (a DST change can make the real length differ)."""
        day = date(2000, 1, 1)
        start = datetime.combine(day, self.start)
        end = datetime.combine(day + timedelta(days=self.crosses_midnight), self.end)
        return end - start

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


def parse_window(text: str) -> CheckinWindow:
    """A window from "18:00-20:00" (also "18-20", "8:30 - 9:15", "22:00-01:00", "18:00-24:00").

    "24:00" is accepted as an end and means midnight. TaperError names what is wrong: a missing
    end, an unreadable time, an hour over 23, a minute over 59, or equal start and end.
    """
    cleaned = text.strip()
    for dash in _DASHES:
        cleaned = cleaned.replace(dash, "-")
    parts = [part.strip() for part in cleaned.split("-")]
    if len(parts) == 1 and _TIME.fullmatch(parts[0]):
        raise TaperError(messages.WINDOW_NEEDS_END.format(text=text))
    if len(parts) != 2 or not all(parts):
        raise TaperError(messages.WINDOW_SHAPE.format(text=text))
    start = _parse_time(parts[0], allow_24=False)
    end = _parse_time(parts[1], allow_24=True)
    return CheckinWindow(start, end)


def _parse_time(part: str, *, allow_24: bool) -> time:
    match = _TIME.fullmatch(part)
    if match is None:
        raise TaperError(messages.WINDOW_TIME_UNREADABLE.format(part=part))
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if minute > 59:
        raise TaperError(messages.WINDOW_MINUTE_OUT_OF_RANGE.format(minute=minute, part=part))
    if hour == 24 and minute == 0:
        if not allow_24:
            raise TaperError(messages.WINDOW_START_AT_24)
        return time(0, 0)
    if hour > 23:
        raise TaperError(messages.WINDOW_HOUR_OUT_OF_RANGE.format(hour=hour, part=part))
    return time(hour, minute)


def _clock(moment: time) -> str:
    # Seconds only appear when a window was built in code with them.
    return f"{moment:%H:%M:%S}" if moment.second else f"{moment:%H:%M}"
