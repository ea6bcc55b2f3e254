"""Caring check-ins two days before a plan's dated days: when, how often, and never twice."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.taper.caring import CaringCheckin, DatedDay, caring_checkins, occurrences
from bot.taper.schedule import plan_checkins
from bot.taper.window import CheckinWindow
from tests.support.clock import now as clock_now
from tests.taper.conftest import InWindow

WINDOW = CheckinWindow(time(18), time(20))
ZONE = ZoneInfo("Europe/London")
TAPER = (1, 7, 14, 28, 56, 84, 182, 364)


def _caring(days: list[DatedDay], now: datetime, ending: date, **kw: object) -> list[CaringCheckin]:
    planned = plan_checkins(ending, TAPER, ZONE, WINDOW, now=now, spread_key="C-TEST22")
    return caring_checkins(
        days,
        planned,
        ZONE,
        WINDOW,
        now=now,
        spread_key="C-TEST22",
        until=ending + timedelta(days=TAPER[-1]),
        **kw,  # type: ignore[arg-type]
    )


def test_a_date_once_gets_one_check_in_two_days_before_inside_the_window(
    in_window: InWindow,
) -> None:
    now = clock_now()
    ending = now.date()
    day = ending + timedelta(days=40)
    [caring] = _caring([DatedDay(day, every_year=False)], now, ending)
    assert caring.occasion == day and caring.window_day == day - timedelta(days=2)
    assert caring.step is None and in_window(caring.due_at, caring.window_day, WINDOW, ZONE)


def test_every_year_repeats_within_the_taper_and_never_before_the_first_date() -> None:
    now = clock_now()
    ending = now.date()
    first = ending - timedelta(days=400)  # an anniversary from before the ending
    found = _caring([DatedDay(first, every_year=True)], now, ending)
    assert [c.occasion.month for c in found] == [first.month] * len(found)
    assert all(ending <= c.window_day <= ending + timedelta(days=TAPER[-1]) for c in found)
    assert len(found) in (1, 2)  # a year of taper holds the anniversary once (twice at the edges)
    assert occurrences(DatedDay(date(2030, 5, 1), True), date(2028, 1, 1), date(2031, 12, 31)) == [
        date(2030, 5, 1),
        date(2031, 5, 1),
    ]


def test_29_february_falls_on_28_february_in_other_years() -> None:
    assert occurrences(DatedDay(date(2024, 2, 29), True), date(2025, 1, 1), date(2028, 12, 31)) == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_past_days_after_the_taper_and_days_already_sent_get_none() -> None:
    now = clock_now()
    ending = now.date()
    past = DatedDay(ending - timedelta(days=3), every_year=False)
    too_late = DatedDay(ending + timedelta(days=TAPER[-1] + 10), every_year=False)
    sent = DatedDay(ending + timedelta(days=40), every_year=False)
    assert _caring([past, too_late], now, ending) == []
    assert _caring([sent], now, ending, done={sent.on}) == []


def test_a_caring_day_that_already_has_a_taper_check_in_joins_it() -> None:
    now = clock_now()
    ending = now.date()
    planned = plan_checkins(ending, TAPER, ZONE, WINDOW, now=now, spread_key="C-TEST22")
    week_two = next(p for p in planned if p.offset_days == 14)
    [caring] = _caring([DatedDay(week_two.window_day + timedelta(days=2), False)], now, ending)
    assert caring.step == week_two.step and caring.due_at == week_two.due_at


def test_two_days_on_the_same_caring_day_make_one_check_in() -> None:
    now = clock_now()
    ending = now.date()
    day = ending + timedelta(days=50)
    found = _caring([DatedDay(day, False, ref=0), DatedDay(day, False, ref=1)], now, ending)
    assert [c.day.ref for c in found] == [0]
