"""Parsing and describing the client's check-in window."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.taper.errors import TaperError
from bot.taper.window import CheckinWindow, parse_window


def test_parse_and_print_round_trip() -> None:
    window = parse_window("18:00-20:00")
    assert window == CheckinWindow(time(18), time(20))
    assert str(window) == "18:00-20:00"
    assert parse_window(str(window)) == window


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("18-20", time(18), time(20)),
        (" 8:30 - 9:15 ", time(8, 30), time(9, 15)),
        ("18:00\u201320:00", time(18), time(20)),
        ("07:05-07:06", time(7, 5), time(7, 6)),
        ("18:00-24:00", time(18), time(0)),
        ("00:00-23:59", time(0), time(23, 59)),
    ],
)
def test_accepted_spellings(text: str, start: time, end: time) -> None:
    assert parse_window(text) == CheckinWindow(start, end)


def test_window_crossing_midnight() -> None:
    window = parse_window("22:00-01:00")
    assert window.crosses_midnight
    assert window.length == timedelta(hours=3)
    assert str(window) == "22:00-01:00"


def test_ordinary_window_length() -> None:
    window = parse_window("18:00-20:30")
    assert not window.crosses_midnight
    assert window.length == timedelta(hours=2, minutes=30)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("25:00-26:00", "hour 25 in '25:00' is not a time of day"),
        ("18:00-24:30", "hour 24 in '24:30' is not a time of day"),
        ("18:60-20:00", "minute 60 in '18:60' is out of range"),
        ("18:00", "needs an end time"),
        ("18", "needs an end time"),
        ("18:00-", "write the check-in window as start-end"),
        ("18:00-19:00-20:00", "write the check-in window as start-end"),
        ("", "write the check-in window as start-end"),
        ("evening", "write the check-in window as start-end"),
        ("6pm-8pm", "'6pm' is not a time like 18:00"),
        ("18.00-20.00", "'18.00' is not a time like 18:00"),
        ("18:00-20:00:00", "'20:00:00' is not a time like 18:00"),
        ("24:00-02:00", "cannot start at 24:00"),
        ("18:00-18:00", "starts and ends at the same time (18:00)"),
        ("00:00-24:00", "starts and ends at the same time (00:00)"),
    ],
)
def test_parse_errors_name_the_problem(text: str, problem: str) -> None:
    with pytest.raises(TaperError) as caught:
        parse_window(text)
    assert problem in str(caught.value)


def test_window_built_in_code_is_checked_too() -> None:
    with pytest.raises(TaperError, match="same time"):
        CheckinWindow(time(9), time(9))
    with pytest.raises(TaperError, match="leave the time zone off"):
        CheckinWindow(time(9, tzinfo=ZoneInfo("Europe/London")), time(10))


def test_window_is_frozen_and_hashable() -> None:
    window = parse_window("09:00-10:00")
    with pytest.raises(AttributeError):
        window.start = time(8)  # type: ignore[misc]
    assert {window, parse_window("9-10")} == {window}


def test_seconds_show_only_when_present() -> None:
    assert str(CheckinWindow(time(9, 0, 30), time(10))) == "09:00:30-10:00"
