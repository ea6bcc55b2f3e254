"""The one parser for each kind of value a URL or form carries: whole numbers and days.

A value that is not what it claims is None (ignored) or a 404/422 from the caller, never a
500: ids are ASCII digits within the database's 64-bit integers, and days stay where the
clinic's timezone can still turn them into instants (a day either side of the calendar's ends).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

MAX_ID = 2**63 - 1
FIRST_DAY = date.min + timedelta(days=1)
LAST_DAY = date.max - timedelta(days=1)


def whole(value: str | None, *, high: int = MAX_ID) -> int | None:
    """A whole number written in ASCII digits, 0..high; anything else is None."""
    if not value or len(value) > 19 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= high else None


def day(value: str | None) -> date | None:
    """An ISO day, kept inside the calendar's ends so a timezone cannot push it past them."""
    if not value or len(value) > 10:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return min(max(parsed, FIRST_DAY), LAST_DAY)


def moment(value: str | None) -> datetime | None:
    """An ISO instant with its offset (a row's version sent back by a form), in UTC."""
    if not value or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo is not None else None
