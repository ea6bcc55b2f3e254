"""Shared checks for the taper tests: is an instant inside a given day's local window?"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.taper.window import CheckinWindow

InWindow = Callable[[datetime, date, CheckinWindow, ZoneInfo], bool]


def _in_window(moment: datetime, day: date, window: CheckinWindow, zone: ZoneInfo) -> bool:
    assert moment.tzinfo is UTC, f"{moment!r} is not UTC"
    local = moment.astimezone(zone)
    wall = local.time().replace(tzinfo=None, fold=0)
    if not window.crosses_midnight:
        return local.date() == day and window.start <= wall < window.end
    return (local.date() == day and wall >= window.start) or (
        local.date() == day + timedelta(days=1) and wall < window.end
    )


@pytest.fixture
def in_window() -> InWindow:
    """True when the UTC instant falls inside `day`'s window, read in local wall-clock time."""
    return _in_window
