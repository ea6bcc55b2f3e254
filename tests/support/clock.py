"""The suite's one clock: every run starts at a known instant, and `--clock` moves it.

By default the wall clock is moved (ticking) to 12:00 UTC today, so no test depends on the time of
day it happens to run. `--clock year` starts a year ahead and `--clock dst` on the eve of the first
Europe/London clock change at least a year ahead, so a test that only passes on today's date fails
the day it is written. Tests take their dates from `now()` or from dates relative to it.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

OPTION = "--clock"
ENVIRONMENT = "AFTERCARE_TEST_CLOCK"
NOON = time(12, 0, tzinfo=UTC)
DST_ZONE = ZoneInfo("Europe/London")

_start: datetime | None = None
_traveller: time_machine.travel | None = None


def next_offset_change(after: date, zone: ZoneInfo = DST_ZONE) -> date:
    """The first day on or after `after` whose UTC offset at its end differs from its start."""
    day = after
    for _ in range(400):
        start = datetime.combine(day, time(0), tzinfo=zone).utcoffset()
        end = datetime.combine(day, time(23, 59), tzinfo=zone).utcoffset()
        if start != end:
            return day
        day += timedelta(days=1)
    raise ValueError(f"{zone} has no clock change within 400 days of {after}")


def start_for(spec: str, today: date) -> datetime:
    """The instant a run starts at: `today`, `year`, `dst`, or an ISO 8601 time."""
    if spec == "today":
        return datetime.combine(today, NOON)
    if spec == "year":
        return datetime.combine(today + timedelta(days=365), NOON)
    if spec == "dst":
        eve = next_offset_change(today + timedelta(days=365)) - timedelta(days=1)
        return datetime.combine(eve, NOON)
    moment = datetime.fromisoformat(spec)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def now() -> datetime:
    """The instant this run started at: the base for every date a test makes."""
    return _begin(_spec_from_argv())


def _spec_from_argv() -> str:
    # A conftest named on the command line is imported before pytest_configure runs.
    args = sys.argv[1:]
    for index, arg in enumerate(args):
        if arg == OPTION and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(OPTION + "="):
            return arg.split("=", 1)[1]
    return os.environ.get(ENVIRONMENT, "today")


def _begin(spec: str) -> datetime:
    """Move the clock once per run; later calls get the same start."""
    global _start, _traveller
    if _start is None:
        _start = start_for(spec, datetime.now(UTC).date())
        _traveller = time_machine.travel(_start, tick=True)
        _traveller.start()
    return _start


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        OPTION,
        default=os.environ.get(ENVIRONMENT, "today"),
        help="where the suite's clock starts: today (default, at 12:00 UTC), year (a year "
        "ahead), dst (the eve of a clock change a year ahead) or an ISO time; env "
        f"{ENVIRONMENT}",
    )


def pytest_configure(config: pytest.Config) -> None:
    _begin(str(config.getoption(OPTION)))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _traveller is not None:
        _traveller.stop()


def pytest_report_header(config: pytest.Config) -> str:
    return f"clock: the run starts at {now().isoformat()}"
