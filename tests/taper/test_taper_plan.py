"""Planning a client's whole taper: days, catch-up after a past ending, collisions, leap years."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.taper.errors import TaperError
from bot.taper.schedule import (
    PlannedCheckin,
    local_slot,
    next_slot_after,
    plan_checkins,
    window_bounds,
)
from bot.taper.templates import TEMPLATES
from bot.taper.window import CheckinWindow, parse_window

InWindow = Callable[..., bool]
LONDON = ZoneInfo("Europe/London")
EVENING = parse_window("18:00-20:00")
STANDARD = TEMPLATES["standard"]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def assert_well_formed(
    planned: list[PlannedCheckin],
    now: datetime,
    zone: ZoneInfo,
    window: CheckinWindow,
    in_window: InWindow,
) -> None:
    """The promises every plan keeps, whatever the input."""
    for checkin in planned:
        assert checkin.due_at.tzinfo is UTC
        assert checkin.due_at >= now
        assert in_window(checkin.due_at, checkin.window_day, window, zone) or (
            window_bounds(checkin.window_day, window, zone)[0] == checkin.due_at
        )
    for before, after in itertools.pairwise(planned):
        assert before.due_at < after.due_at
        assert before.window_day < after.window_day
        assert before.step < after.step


def test_future_ending_plans_every_offset_on_its_day(in_window: InWindow) -> None:
    ending = date(2025, 6, 1)
    now = utc(2025, 5, 20, 9)
    planned = plan_checkins(ending, STANDARD, "Europe/London", EVENING, now=now, spread_key="k1")
    assert [p.step for p in planned] == list(range(len(STANDARD)))
    assert [p.offset_days for p in planned] == list(STANDARD)
    assert [p.window_day for p in planned] == [ending + timedelta(days=d) for d in STANDARD]
    for checkin in planned:
        assert checkin.due_at == local_slot(checkin.window_day, EVENING, LONDON, "k1")
    assert_well_formed(planned, now, LONDON, EVENING, in_window)


def test_plan_is_deterministic() -> None:
    args = (date(2025, 6, 1), STANDARD, "Europe/London", EVENING)
    now = utc(2025, 5, 20, 9)
    assert plan_checkins(*args, now=now, spread_key="k") == plan_checkins(
        *args, now=now, spread_key="k"
    )


def test_past_ending_collapses_missed_offsets_into_one_catch_up_today(
    in_window: InWindow,
) -> None:
    # Ending 2025-01-01; by 10 February days 1, 7, 14, 21 and 28 have gone by.
    ending, now = date(2025, 1, 1), utc(2025, 2, 10, 12)
    planned = plan_checkins(ending, STANDARD, LONDON, EVENING, now=now, spread_key="late")
    catch_up, *rest = planned
    assert (catch_up.step, catch_up.offset_days) == (4, 28)
    assert catch_up.window_day == date(2025, 2, 10)
    assert catch_up.due_at == local_slot(date(2025, 2, 10), EVENING, LONDON, "late")
    assert [p.step for p in rest] == list(range(5, len(STANDARD)))
    assert [p.window_day for p in rest] == [ending + timedelta(days=d) for d in STANDARD[5:]]
    assert_well_formed(planned, now, LONDON, EVENING, in_window)


def test_catch_up_after_todays_window_is_tomorrow() -> None:
    ending, now = date(2025, 1, 1), utc(2025, 2, 10, 21)
    catch_up = plan_checkins(ending, STANDARD, LONDON, EVENING, now=now, spread_key="late")[0]
    assert catch_up.window_day == date(2025, 2, 11)
    assert catch_up.due_at == local_slot(date(2025, 2, 11), EVENING, LONDON, "late")


def test_catch_up_inside_the_window_after_the_usual_time_is_still_today() -> None:
    day = date(2025, 2, 10)
    key = next(
        k
        for k in (f"k{n}" for n in range(100))
        if local_slot(day, EVENING, LONDON, k) < utc(2025, 2, 10, 18, 30)
    )
    now = local_slot(day, EVENING, LONDON, key) + timedelta(minutes=1, microseconds=5)
    catch_up = plan_checkins(date(2025, 1, 1), STANDARD, LONDON, EVENING, now=now, spread_key=key)[
        0
    ]
    assert catch_up.window_day == day
    assert now <= catch_up.due_at <= window_bounds(day, EVENING, LONDON)[1]
    assert catch_up.due_at.microsecond == 0


def test_every_offset_passed_leaves_one_check_in_with_the_last_step() -> None:
    now = utc(2027, 6, 1, 9)
    planned = plan_checkins(date(2025, 1, 1), STANDARD, LONDON, EVENING, now=now, spread_key="k")
    assert len(planned) == 1
    assert (planned[0].step, planned[0].offset_days) == (len(STANDARD) - 1, 364)
    assert planned[0].window_day == date(2027, 6, 1)


def test_a_slot_exactly_now_is_kept_not_caught_up() -> None:
    ending = date(2025, 6, 1)
    slot = local_slot(date(2025, 6, 2), EVENING, LONDON, "k")
    planned = plan_checkins(ending, (1, 7), LONDON, EVENING, now=slot, spread_key="k")
    assert planned[0] == PlannedCheckin(0, 1, slot, date(2025, 6, 2))


def test_catch_up_pushes_colliding_offsets_to_following_days(in_window: InWindow) -> None:
    # Yesterday (day 0) and today (day 1) have passed; days 2 and 3 would meet the catch-up.
    today = date(2025, 6, 10)
    now = utc(2025, 6, 10, 20)  # 21:00 in London, after today's window
    ending = today - timedelta(days=1)
    planned = plan_checkins(ending, (0, 1, 2, 3, 9), LONDON, EVENING, now=now, spread_key="k")
    assert [p.step for p in planned] == [1, 2, 3, 4]
    days = [p.window_day for p in planned]
    assert days == [date(2025, 6, 11), date(2025, 6, 12), date(2025, 6, 13), date(2025, 6, 18)]
    assert_well_formed(planned, now, LONDON, EVENING, in_window)


def test_steps_already_sent_are_neither_planned_nor_caught_up() -> None:
    ending, now = date(2025, 1, 1), utc(2025, 1, 20, 12)
    planned = plan_checkins(
        ending, STANDARD, LONDON, EVENING, now=now, spread_key="k", sent_through=2
    )
    assert planned[0].step == 3
    assert planned[0].window_day == ending + timedelta(days=21)
    # Everything up to step 3 sent: step 2's passing day needs no catch-up.
    planned = plan_checkins(
        ending, STANDARD, LONDON, EVENING, now=now, spread_key="k", sent_through=3
    )
    assert planned[0].step == 4


def test_leap_day_is_a_real_day() -> None:
    now = utc(2028, 1, 1)
    planned = plan_checkins(date(2028, 2, 28), (1, 2), LONDON, EVENING, now=now, spread_key="k")
    assert [p.window_day for p in planned] == [date(2028, 2, 29), date(2028, 3, 1)]


@pytest.mark.parametrize(
    ("ending", "expected"),
    [
        (date(2027, 3, 1), date(2028, 2, 28)),  # 2028-02-29 lies between
        (date(2028, 1, 1), date(2028, 12, 30)),
        (date(2028, 3, 1), date(2029, 2, 28)),  # no 29 February in 2029
        (date(2028, 2, 29), date(2029, 2, 27)),
    ],
)
def test_offset_364_counts_days_across_leap_years(ending: date, expected: date) -> None:
    planned = plan_checkins(ending, (364,), LONDON, EVENING, now=utc(2027, 1, 1), spread_key="k")
    assert planned[0].window_day == expected


def test_window_crossing_midnight_may_land_on_the_next_calendar_day(
    in_window: InWindow,
) -> None:
    late = parse_window("22:00-01:00")
    zone = ZoneInfo("America/New_York")
    now = utc(2025, 1, 1)
    after_midnight = 0
    for n in range(60):
        planned = plan_checkins(
            date(2025, 3, 1), STANDARD, zone, late, now=now, spread_key=f"night-{n}"
        )
        assert_well_formed(planned, now, zone, late, in_window)
        for checkin in planned:
            local = checkin.due_at.astimezone(zone)
            assert local.time() >= time(22) or local.time() < time(1)
            after_midnight += local.date() > checkin.window_day
    assert after_midnight > 0


def test_catch_up_in_the_after_midnight_part_of_a_window() -> None:
    late = parse_window("22:00-01:00")
    # 00:10 on 11 June in London: still inside 10 June's window.
    now = utc(2025, 6, 10, 23, 10)
    catch_up = plan_checkins(date(2025, 6, 1), (1, 30), LONDON, late, now=now, spread_key="k")[0]
    assert catch_up.window_day == date(2025, 6, 10)
    assert catch_up.due_at == next_slot_after(now, LONDON, late, "k")
    assert now <= catch_up.due_at < utc(2025, 6, 11)


@pytest.mark.parametrize("zone_name", ["Europe/London", "America/New_York", "Australia/Lord_Howe"])
@pytest.mark.parametrize(
    "window_text", ["18:00-20:00", "00:30-02:30", "22:00-01:00", "01:45-02:15"]
)
def test_plan_promises_hold_at_any_moment(
    zone_name: str, window_text: str, in_window: InWindow
) -> None:
    zone, window = ZoneInfo(zone_name), parse_window(window_text)
    ending = date(2025, 3, 1)
    offsets = (0, 1, 2, 7, 14, 28, 42, 56)
    # Every 7h13m from before the ending to past the end of the taper, across DST changes.
    moment = utc(2025, 2, 25, 0, 7)
    while moment < utc(2025, 5, 1):
        planned = plan_checkins(ending, offsets, zone, window, now=moment, spread_key="p")
        assert planned, moment
        assert planned[-1].step == len(offsets) - 1
        assert_well_formed(planned, moment, zone, window, in_window)
        moment += timedelta(hours=7, minutes=13)


def test_plan_refuses_what_it_cannot_use() -> None:
    with pytest.raises(TaperError, match="must carry a time zone"):
        plan_checkins(date(2025, 1, 1), STANDARD, LONDON, EVENING, now=datetime(2025, 1, 1),
                      spread_key="k")  # fmt: skip
    with pytest.raises(TaperError, match="must rise"):
        plan_checkins(date(2025, 1, 1), (7, 1), LONDON, EVENING, now=utc(2025, 1, 1),
                      spread_key="k")  # fmt: skip
    with pytest.raises(TaperError, match="unknown time zone"):
        plan_checkins(date(2025, 1, 1), STANDARD, "Nowhere", EVENING, now=utc(2025, 1, 1),
                      spread_key="k")  # fmt: skip


def test_now_in_another_zone_is_the_same_instant() -> None:
    now = utc(2025, 2, 10, 12)
    tokyo = now.astimezone(ZoneInfo("Asia/Tokyo"))
    a = plan_checkins(date(2025, 1, 1), STANDARD, LONDON, EVENING, now=now, spread_key="k")
    b = plan_checkins(date(2025, 1, 1), STANDARD, LONDON, EVENING, now=tokyo, spread_key="k")
    assert a == b
