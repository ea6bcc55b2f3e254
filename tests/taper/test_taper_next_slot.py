"""The next check-in instant from a given moment: catch-up and "in three days"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.taper.errors import TaperError
from bot.taper.schedule import local_slot, next_slot_after, window_bounds, window_day
from bot.taper.window import parse_window

InWindow = Callable[..., bool]
LONDON = ZoneInfo("Europe/London")
EVENING = parse_window("18:00-20:00")
LATE = parse_window("22:00-01:00")
DAY = date(2025, 6, 15)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_before_the_window_it_is_todays_usual_instant() -> None:
    assert next_slot_after(utc(2025, 6, 15, 8), LONDON, EVENING, "k") == local_slot(
        DAY, EVENING, LONDON, "k"
    )


def test_after_the_window_it_is_tomorrows() -> None:
    assert next_slot_after(utc(2025, 6, 15, 20), LONDON, EVENING, "k") == local_slot(
        DAY + timedelta(days=1), EVENING, LONDON, "k"
    )


def test_exactly_at_the_usual_instant_it_is_that_instant() -> None:
    slot = local_slot(DAY, EVENING, LONDON, "k")
    assert next_slot_after(slot, LONDON, EVENING, "k") == slot


def test_inside_the_window_after_the_usual_instant_uses_what_is_left(
    in_window: InWindow,
) -> None:
    _, last = window_bounds(DAY, EVENING, LONDON)
    for n in range(200):
        key = f"k{n}"
        moment = local_slot(DAY, EVENING, LONDON, key) + timedelta(seconds=1, microseconds=1)
        if moment > last:
            continue
        slot = next_slot_after(moment, LONDON, EVENING, key)
        assert moment <= slot <= last
        assert slot.microsecond == 0
        assert in_window(slot, DAY, EVENING, LONDON)


def test_after_the_last_usable_second_it_is_tomorrow() -> None:
    _, last = window_bounds(DAY, EVENING, LONDON)
    slot = next_slot_after(last + timedelta(seconds=1), LONDON, EVENING, "k")
    assert window_day(slot, LONDON, EVENING) == DAY + timedelta(days=1)


@pytest.mark.parametrize("hour", [8, 18, 21])
def test_in_three_days_is_the_window_three_local_days_on(hour: int) -> None:
    moment = datetime(2025, 6, 15, hour, tzinfo=LONDON)
    slot = next_slot_after(moment, LONDON, EVENING, "k", min_days=3)
    assert slot == local_slot(date(2025, 6, 18), EVENING, LONDON, "k")


def test_after_midnight_belongs_to_the_window_that_started_the_evening_before(
    in_window: InWindow,
) -> None:
    moment = datetime(2025, 6, 16, 0, 30, tzinfo=LONDON)
    assert window_day(moment, LONDON, LATE) == DAY
    for n in range(50):
        slot = next_slot_after(moment, LONDON, LATE, f"k{n}")
        assert slot >= moment
        assert in_window(slot, DAY, LATE, LONDON)


def test_after_a_crossing_window_has_closed_it_is_that_evening() -> None:
    moment = datetime(2025, 6, 16, 2, 0, tzinfo=LONDON)
    assert window_day(moment, LONDON, LATE) == date(2025, 6, 16)
    slot = next_slot_after(moment, LONDON, LATE, "k")
    assert slot == local_slot(date(2025, 6, 16), LATE, LONDON, "k")


def test_next_slot_across_spring_forward_never_lands_in_the_gap() -> None:
    zone = ZoneInfo("America/New_York")
    window = parse_window("00:30-02:30")
    moment = datetime(2025, 3, 9, 1, 0, tzinfo=zone)
    for n in range(100):
        slot = next_slot_after(moment, zone, window, f"k{n}")
        local = slot.astimezone(zone)
        assert slot >= moment
        assert local.hour in (0, 1)
        assert local.date() in (date(2025, 3, 9), date(2025, 3, 10))


def test_naive_moment_is_refused() -> None:
    with pytest.raises(TaperError, match="time zone"):
        next_slot_after(datetime(2025, 6, 15, 8), LONDON, EVENING, "k")
