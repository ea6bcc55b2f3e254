"""Taper templates and custom check-in days."""

from __future__ import annotations

import itertools

import pytest

from bot.errors import InvalidInput
from bot.taper.templates import (
    MAX_CHECKINS,
    MAX_OFFSET_DAYS,
    TEMPLATES,
    TaperError,
    check_rising,
    offsets_for,
    parse_offsets,
    validate_offsets,
)


def test_standard_is_day_one_then_the_weeks_of_a_year() -> None:
    weeks = [1, 2, 3, 4, 6, 8, 12, 16, 20, 26, 39, 52]
    assert TEMPLATES["standard"] == (1, 7, 14, 21, 28, 42, 56, 84, 112, 140, 182, 273, 364)
    assert TEMPLATES["standard"] == (1, *(7 * w for w in weeks))


def test_brief_and_unplanned_offsets() -> None:
    assert TEMPLATES["brief"] == (1, 7, 14, 28, 56, 84, 182)
    assert TEMPLATES["unplanned"] == (1, 14, 42, 84, 182, 364)


@pytest.mark.parametrize("name", ["standard", "brief", "unplanned"])
def test_every_template_rises_and_starts_the_day_after(name: str) -> None:
    offsets = offsets_for(name)
    assert offsets == TEMPLATES[name]
    assert offsets[0] == 1
    assert all(a < b for a, b in itertools.pairwise(offsets))


def test_templates_cannot_be_changed_by_a_caller() -> None:
    with pytest.raises(TypeError):
        TEMPLATES["standard"] = (1,)  # type: ignore[index]


def test_template_names_ignore_case_and_spaces() -> None:
    assert offsets_for("  Standard ") == TEMPLATES["standard"]


def test_unknown_template_lists_the_known_names() -> None:
    with pytest.raises(TaperError) as caught:
        offsets_for("weekly")
    message = str(caught.value)
    assert "'weekly'" in message
    for name in ("standard", "brief", "unplanned", "custom"):
        assert name in message


def test_taper_error_is_a_value_error_the_app_already_handles() -> None:
    assert issubclass(TaperError, ValueError)
    assert issubclass(TaperError, InvalidInput)


def test_custom_days_are_sorted() -> None:
    assert offsets_for("custom", [30, 1, 7]) == (1, 7, 30)


def test_custom_without_days_is_refused() -> None:
    empties: tuple[list[int] | tuple[int, ...] | None, ...] = (None, [], ())
    for empty in empties:
        with pytest.raises(TaperError, match="custom taper needs"):
            offsets_for("custom", empty)


def test_days_with_a_named_template_are_refused() -> None:
    with pytest.raises(TaperError, match="'custom' taper"):
        offsets_for("standard", [1, 2])


@pytest.mark.parametrize(
    ("days", "problem"),
    [
        ([1, 7, 7], "day 7 is listed more than once"),
        ([-1, 7], "day -1 is out of range"),
        ([1, MAX_OFFSET_DAYS + 1], f"day {MAX_OFFSET_DAYS + 1} is out of range"),
        ([1, 2.5], "2.5 is not a whole number of days"),
        ([True, 7], "True is not a whole number of days"),
        (["7"], "'7' is not a whole number of days"),
    ],
)
def test_custom_days_name_the_bad_day(days: list[object], problem: str) -> None:
    with pytest.raises(TaperError) as caught:
        offsets_for("custom", days)  # type: ignore[arg-type]
    assert problem in str(caught.value)


def test_custom_day_limits_are_inclusive() -> None:
    assert offsets_for("custom", [0, MAX_OFFSET_DAYS]) == (0, MAX_OFFSET_DAYS)


def test_too_many_custom_days_are_refused() -> None:
    assert len(validate_offsets(range(MAX_CHECKINS))) == MAX_CHECKINS
    with pytest.raises(TaperError, match=f"{MAX_CHECKINS + 1} check-ins is too many"):
        validate_offsets(list(range(MAX_CHECKINS + 1)))


def test_parse_offsets_reads_plain_days() -> None:
    assert parse_offsets("1,7,14,30") == (1, 7, 14, 30)
    assert parse_offsets(" 30 ; 1, 7 ,") == (1, 7, 30)


def test_parse_offsets_reads_days_and_weeks() -> None:
    assert parse_offsets("1d, 1w, 2w, 3 weeks, 45 days, 8 week") == (1, 7, 14, 21, 45, 56)
    assert parse_offsets("2W") == (14,)


def test_parse_offsets_refuses_two_ways_of_writing_the_same_day() -> None:
    with pytest.raises(TaperError, match="day 7 is listed more than once"):
        parse_offsets("7, 1w")


@pytest.mark.parametrize(
    ("text", "token"),
    [("1,seven", "'seven'"), ("1, 2m", "'2m'"), ("1 7 14", "'1 7 14'"), ("1,-3", "'-3'")],
)
def test_parse_offsets_names_the_unreadable_item(text: str, token: str) -> None:
    with pytest.raises(TaperError) as caught:
        parse_offsets(text)
    assert token in str(caught.value)


@pytest.mark.parametrize("text", ["", "  ", ",,"])
def test_parse_offsets_needs_something(text: str) -> None:
    with pytest.raises(TaperError, match="no check-in days given"):
        parse_offsets(text)


def test_parse_offsets_checks_the_range() -> None:
    with pytest.raises(TaperError, match="out of range"):
        parse_offsets("1, 600w")


def test_check_rising_keeps_order_and_refuses_unsorted() -> None:
    assert check_rising([0, 3, 9]) == (0, 3, 9)
    with pytest.raises(TaperError, match="must rise"):
        check_rising([7, 1])
