"""Where in a local window a check-in falls: spread, determinism and DST."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.taper.errors import TaperError
from bot.taper.local_time import exists, to_utc
from bot.taper.schedule import local_slot, window_bounds
from bot.taper.window import parse_window

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
InWindow = Callable[..., bool]
KEYS = [f"client-{n}" for n in range(300)]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _wall_exists(moment: datetime, zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone)
    return exists(local.date(), local.time().replace(tzinfo=None), zone)


def test_slot_is_whole_second_utc_inside_the_window(in_window: InWindow) -> None:
    window = parse_window("18:00-20:00")
    day = date(2025, 6, 15)
    for key in KEYS:
        slot = local_slot(day, window, LONDON, key)
        assert slot.tzinfo is UTC and slot.microsecond == 0
        assert in_window(slot, day, window, LONDON)


def test_slot_keeps_a_margin_before_the_window_end() -> None:
    window = parse_window("18:00-20:00")
    first, last = window_bounds(date(2025, 6, 15), window, "Europe/London")
    assert (first, last) == (utc(2025, 6, 15, 17), utc(2025, 6, 15, 18, 59))
    # A one-minute window still keeps a tenth of itself back.
    first, last = window_bounds(date(2025, 6, 15), parse_window("09:00-09:01"), LONDON)
    assert last - first == timedelta(seconds=54)


def test_a_thousand_clients_spread_over_the_window(in_window: InWindow) -> None:
    window = parse_window("18:00-20:00")
    day = date(2025, 6, 15)
    slots = [local_slot(day, window, LONDON, f"pseudonym-{n:04d}") for n in range(1000)]
    assert all(in_window(slot, day, window, LONDON) for slot in slots)
    assert len(set(slots)) >= 900
    # Spread covers the window, not just one corner of it.
    assert min(slots) - utc(2025, 6, 15, 17) < timedelta(minutes=5)
    assert utc(2025, 6, 15, 19) - max(slots) < timedelta(minutes=5)


def test_same_key_same_instant_different_days_vary() -> None:
    window = parse_window("18:00-20:00")
    day = date(2025, 6, 15)
    assert local_slot(day, window, LONDON, "abc") == local_slot(day, window, "Europe/London", "abc")
    times = {local_slot(day + timedelta(days=n), window, LONDON, "abc").time() for n in range(30)}
    assert len(times) > 1


def test_same_instant_in_another_process_with_another_hash_seed() -> None:
    window = parse_window("18:00-20:00")
    day = date(2025, 6, 15)
    expected = [local_slot(day, window, LONDON, key).isoformat() for key in KEYS[:5]]
    code = (
        "from datetime import date\n"
        "from bot.taper.schedule import local_slot\n"
        "from bot.taper.window import parse_window\n"
        f"for key in {KEYS[:5]!r}:\n"
        "    print(local_slot(date(2025, 6, 15), parse_window('18:00-20:00'),"
        " 'Europe/London', key).isoformat())\n"
    )
    root = Path(__file__).resolve().parents[2]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == expected


def test_unknown_zone_is_named() -> None:
    with pytest.raises(TaperError, match="unknown time zone 'Mars/Olympus'"):
        local_slot(date(2025, 6, 15), parse_window("18-20"), "Mars/Olympus", "k")


def test_new_york_spring_forward_window_over_the_gap(in_window: InWindow) -> None:
    # 2025-03-09: 02:00 EST jumps to 03:00 EDT, so 02:00-02:59 never happens.
    day, window = date(2025, 3, 9), parse_window("00:30-02:30")
    first, last = window_bounds(day, window, NEW_YORK)
    assert first == utc(2025, 3, 9, 5, 30)  # 00:30 EST
    assert last == utc(2025, 3, 9, 6, 59)  # a minute before 03:00 EDT, the end of the gap
    for key in KEYS:
        slot = local_slot(day, window, NEW_YORK, key)
        assert in_window(slot, day, window, NEW_YORK)
        assert _wall_exists(slot, NEW_YORK)
        assert slot.astimezone(NEW_YORK).hour < 2


def test_new_york_window_starting_inside_the_gap_starts_after_it() -> None:
    day, window = date(2025, 3, 9), parse_window("02:15-04:00")
    first, _ = window_bounds(day, window, NEW_YORK)
    assert first == utc(2025, 3, 9, 7)
    assert first.astimezone(NEW_YORK).time() == time(3, 0)
    for key in KEYS:
        local = local_slot(day, window, NEW_YORK, key).astimezone(NEW_YORK)
        assert time(3, 0) <= local.time() < time(4, 0)


def test_london_window_wholly_inside_the_gap_comes_at_its_end() -> None:
    # 2025-03-30: 01:00 GMT jumps to 02:00 BST; a 01:00-01:59 window does not exist that night.
    day, window = date(2025, 3, 30), parse_window("01:00-01:59")
    assert window_bounds(day, window, LONDON) == (utc(2025, 3, 30, 1), utc(2025, 3, 30, 1))
    for key in KEYS[:20]:
        slot = local_slot(day, window, LONDON, key)
        assert slot == utc(2025, 3, 30, 1)
        assert slot.astimezone(LONDON).time() == time(2, 0)


def test_london_fall_back_window_uses_the_first_of_the_repeated_hour(
    in_window: InWindow,
) -> None:
    # 2025-10-26: 02:00 BST falls back to 01:00 GMT, so 01:00-01:59 happens twice.
    day, window = date(2025, 10, 26), parse_window("01:00-01:59")
    assert window_bounds(day, window, LONDON) == (utc(2025, 10, 26, 0), utc(2025, 10, 26, 0, 58))
    for key in KEYS:
        slot = local_slot(day, window, LONDON, key)
        assert in_window(slot, day, window, LONDON)
        assert slot.astimezone(LONDON).fold == 0
        assert slot.astimezone(LONDON).utcoffset() == timedelta(hours=1)


def test_new_york_fall_back_window_spans_the_real_three_hours(in_window: InWindow) -> None:
    # 2025-11-02: 00:30 EDT to 02:30 EST is three real hours; the repeated 01:xx is inside.
    day, window = date(2025, 11, 2), parse_window("00:30-02:30")
    first, last = window_bounds(day, window, NEW_YORK)
    assert (first, last) == (utc(2025, 11, 2, 4, 30), utc(2025, 11, 2, 7, 29))
    slots = [local_slot(day, window, NEW_YORK, key) for key in KEYS]
    assert all(in_window(slot, day, window, NEW_YORK) for slot in slots)
    assert any(slot.astimezone(NEW_YORK).fold == 1 for slot in slots)


def test_lord_howe_half_hour_spring_forward(in_window: InWindow) -> None:
    # 2025-10-05: 02:00 +10:30 jumps to 02:30 +11, a half-hour gap.
    day, window = date(2025, 10, 5), parse_window("01:45-02:15")
    first, last = window_bounds(day, window, LORD_HOWE)
    assert first == utc(2025, 10, 4, 15, 15)
    assert first.astimezone(LORD_HOWE).time() == time(1, 45)
    assert last == utc(2025, 10, 4, 15, 29)
    for key in KEYS:
        slot = local_slot(day, window, LORD_HOWE, key)
        assert in_window(slot, day, window, LORD_HOWE)
        assert _wall_exists(slot, LORD_HOWE)


def test_lord_howe_half_hour_fall_back_window_includes_the_repeat() -> None:
    # 2025-04-06: 02:00 +11 falls back to 01:30 +10:30; 01:30-02:00 is half an hour on the
    # clock but a real hour.
    day, window = date(2025, 4, 6), parse_window("01:30-02:00")
    first, last = window_bounds(day, window, LORD_HOWE)
    assert last - first == timedelta(hours=1) - timedelta(seconds=60)
    assert to_utc(day, time(2, 0), LORD_HOWE) - first == timedelta(hours=1)


def test_auckland_spring_forward(in_window: InWindow) -> None:
    # 2025-09-28: 02:00 NZST jumps to 03:00 NZDT.
    day, window = date(2025, 9, 28), parse_window("01:30-03:30")
    first, last = window_bounds(day, window, AUCKLAND)
    assert last - first == timedelta(hours=1) - timedelta(seconds=60)
    for key in KEYS:
        slot = local_slot(day, window, AUCKLAND, key)
        assert in_window(slot, day, window, AUCKLAND)
        assert not time(2) <= slot.astimezone(AUCKLAND).time() < time(3)


ZONES = ["Europe/London", "America/New_York", "Pacific/Auckland", "Australia/Lord_Howe", "UTC"]
WINDOWS = ["18:00-20:00", "00:30-02:30", "01:00-01:59", "02:00-03:00", "22:00-01:00",
           "23:30-00:30", "01:45-02:15", "00:00-23:59"]  # fmt: skip
# Each zone's DST changes in 2025 plus an ordinary day.
DAYS = [date(2025, 3, 9), date(2025, 3, 30), date(2025, 4, 6), date(2025, 9, 28),
        date(2025, 10, 5), date(2025, 10, 26), date(2025, 11, 2), date(2025, 7, 1)]  # fmt: skip


@pytest.mark.parametrize("zone_name", ZONES)
def test_every_slot_is_real_and_in_its_window(zone_name: str, in_window: InWindow) -> None:
    zone = ZoneInfo(zone_name)
    for window_text in WINDOWS:
        window = parse_window(window_text)
        for start_day in DAYS:
            for day in (start_day - timedelta(days=1), start_day, start_day + timedelta(days=1)):
                first, last = window_bounds(day, window, zone)
                assert first <= last
                for key in KEYS[:15]:
                    slot = local_slot(day, window, zone, key)
                    assert slot.tzinfo is UTC
                    assert first <= slot <= last
                    assert _wall_exists(slot, zone)
                    # Only a window that lies wholly in a gap may come outside it.
                    assert in_window(slot, day, window, zone) or first == last


@pytest.mark.parametrize(
    ("zone", "day", "start", "cut"),
    [
        # London 2025-10-26: 02:00 BST becomes 01:00 GMT.
        (LONDON, date(2025, 10, 26), utc(2025, 10, 26, 0, 45), utc(2025, 10, 26, 1)),
        # Lord Howe 2025-04-06: 02:00 +11 becomes 01:30 +10:30.
        (LORD_HOWE, date(2025, 4, 6), utc(2025, 4, 5, 14, 45), utc(2025, 4, 5, 15)),
    ],
)
def test_window_ends_when_the_clocks_go_back_before_its_start(
    zone: ZoneInfo, day: date, start: datetime, cut: datetime, in_window: InWindow
) -> None:
    window = parse_window("01:45-02:15")
    first, last = window_bounds(day, window, zone)
    assert first == start
    assert last == cut - timedelta(seconds=60)
    for key in KEYS:
        assert in_window(local_slot(day, window, zone, key), day, window, zone)


def test_spread_reaches_both_ends_and_never_passes_the_last_second() -> None:
    from bot.taper.schedule import _spread

    first, last = utc(2025, 6, 15, 17), utc(2025, 6, 15, 18, 59)
    assert _spread(first, last, 0) == first
    assert _spread(first, last, 2**64 - 1) == last
    assert _spread(first, first, 2**64 - 1) == first
