"""The adaptive taper: a worrying answer brings the next check-in sooner, never later."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.taper.adaptive import pull_in, step_back
from bot.taper.errors import TaperError
from bot.taper.schedule import local_slot, next_slot_after
from bot.taper.templates import TEMPLATES
from bot.taper.window import parse_window

LONDON = ZoneInfo("Europe/London")
EVENING = parse_window("18:00-20:00")
STANDARD = TEMPLATES["standard"]


@pytest.mark.parametrize(
    ("offset", "days"),
    [
        (1, 1),  # day 1: the day-1 gap, not the six days to week 1
        (7, 6),  # week 1: six days since day 1 beats seven to week 2
        (28, 7),  # week 4: back to weekly instead of fortnightly
        (84, 28),  # week 12: previous and next gaps are both four weeks
        (182, 42),  # week 26: six weeks instead of thirteen
        (273, 91),
        (364, 91),  # last step: the gap that led to it
    ],
)
def test_step_back_gives_the_previous_shorter_gap(offset: int, days: int) -> None:
    assert step_back(STANDARD, STANDARD.index(offset)) == days


def test_step_back_never_lengthens_the_next_gap() -> None:
    offsets = (1, 30, 31, 90)
    for step in range(len(offsets) - 1):
        assert step_back(offsets, step) <= offsets[step + 1] - offsets[step]
    assert step_back(offsets, 1) == 1  # previous gap 29, next gap 1


def test_step_back_is_at_least_one_day() -> None:
    assert step_back((0, 30), 0) == 1


@pytest.mark.parametrize("step", [-1, len(STANDARD)])
def test_step_back_refuses_a_step_outside_the_taper(step: int) -> None:
    with pytest.raises(TaperError, match=f"step {step} is not in this taper"):
        step_back(STANDARD, step)


def test_pull_in_moves_a_far_check_in_to_three_days_from_now() -> None:
    now = datetime(2025, 6, 15, 12, tzinfo=UTC)
    far = local_slot(date(2025, 7, 13), EVENING, LONDON, "k")
    earlier = pull_in(now, far, LONDON, EVENING, "k")
    assert earlier == local_slot(date(2025, 6, 18), EVENING, LONDON, "k")
    assert earlier is not None and earlier.tzinfo is UTC


def test_pull_in_keeps_a_check_in_that_is_already_sooner() -> None:
    now = datetime(2025, 6, 15, 12, tzinfo=UTC)
    soon = local_slot(date(2025, 6, 16), EVENING, LONDON, "k")
    assert pull_in(now, soon, LONDON, EVENING, "k") is None


def test_pull_in_does_not_shuffle_within_the_same_day() -> None:
    now = datetime(2025, 6, 15, 12, tzinfo=UTC)
    candidate = next_slot_after(now, LONDON, EVENING, "k", min_days=3)
    same_day_later = candidate + timedelta(seconds=30)
    assert pull_in(now, same_day_later, LONDON, EVENING, "k") is None


def test_pull_in_with_nothing_planned_gives_a_time() -> None:
    now = datetime(2025, 6, 15, 12, tzinfo=UTC)
    assert pull_in(now, None, LONDON, EVENING, "k", days=1) == local_slot(
        date(2025, 6, 16), EVENING, LONDON, "k"
    )


def test_pull_in_with_step_back_days() -> None:
    now = datetime(2025, 6, 15, 12, tzinfo=UTC)
    far = local_slot(date(2025, 9, 1), EVENING, LONDON, "k")
    days = step_back(STANDARD, STANDARD.index(182))
    earlier = pull_in(now, far, "Europe/London", EVENING, "k", days=days)
    assert earlier == local_slot(date(2025, 6, 15) + timedelta(days=42), EVENING, LONDON, "k")


def test_pull_in_refuses_bad_input() -> None:
    now = datetime(2025, 6, 15, 12, tzinfo=UTC)
    with pytest.raises(TaperError, match="-1 days"):
        pull_in(now, None, LONDON, EVENING, "k", days=-1)
    with pytest.raises(TaperError, match="time zone"):
        pull_in(datetime(2025, 6, 15, 12), None, LONDON, EVENING, "k")
    with pytest.raises(TaperError, match="time zone"):
        pull_in(now, datetime(2025, 7, 1), LONDON, EVENING, "k")
