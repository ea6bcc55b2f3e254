"""Taper templates: on which days after therapy ends the client hears from the bot.

An offset is a number of days after the ending date (0 = the ending day itself, 1 = the day
after). Every taper is returned as a tuple of offsets that strictly rises; a check-in's step is
its position in that tuple (0 = first).

Custom tapers: the days may be written in any order and are sorted; a day listed twice is
refused (it is usually a typo for another day); each day is 0..3660 (about ten years); a taper
has 1..60 check-ins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from bot.taper import messages
from bot.taper.errors import TaperError

__all__ = [
    "CUSTOM",
    "MAX_CHECKINS",
    "MAX_OFFSET_DAYS",
    "TEMPLATES",
    "TaperError",
    "check_rising",
    "offsets_for",
    "parse_offsets",
    "validate_offsets",
]

CUSTOM = "custom"
MAX_OFFSET_DAYS = 3660
# More than weekly for a year is no longer a taper, and risks nagging.
MAX_CHECKINS = 60

# Dense early, sparse later: relapse is front-loaded (docs/clinical-rationale.md).
TEMPLATES: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {
        # Day 1, then weeks 1, 2, 3, 4, 6, 8, 12, 16, 20, 26, 39 and 52.
        "standard": (1, 7, 14, 21, 28, 42, 56, 84, 112, 140, 182, 273, 364),
        # Day 1, then weeks 1, 2, 4, 8, 12 and 26.
        "brief": (1, 7, 14, 28, 56, 84, 182),
        # Day 1, then weeks 2, 6, 12, 26 and 52: fewer contacts, still a full year.
        "unplanned": (1, 14, 42, 84, 182, 364),
    }
)

_DAYS_PER_UNIT = {"": 1, "d": 1, "day": 1, "days": 1, "w": 7, "week": 7, "weeks": 7}
_OFFSET_TOKEN = re.compile(r"(\d+)\s*([a-z]*)")


def offsets_for(template: str, custom: Sequence[int] | None = None) -> tuple[int, ...]:
    """The template's offsets in days, or the validated `custom` days for the "custom" template.

    Template names ignore case and surrounding spaces. Raises TaperError for an unknown name
    (the message lists the known ones), for "custom" without days, and for days given with a
    named template.
    """
    name = template.strip().lower()
    if name == CUSTOM:
        if not custom:
            raise TaperError(messages.CUSTOM_NEEDS_OFFSETS)
        return validate_offsets(custom)
    if name not in TEMPLATES:
        known = ", ".join([*TEMPLATES, CUSTOM])
        raise TaperError(messages.UNKNOWN_TEMPLATE.format(name=template, known=known))
    if custom:
        raise TaperError(messages.OFFSETS_WITHOUT_CUSTOM.format(name=name))
    return TEMPLATES[name]


def validate_offsets(offsets: Sequence[int]) -> tuple[int, ...]:
    """The days sorted into a strictly rising tuple; TaperError names the first bad day."""
    if not offsets:
        raise TaperError(messages.NO_OFFSETS)
    seen: set[int] = set()
    for value in offsets:
        # bool is an int subclass; True as "day 1" is always a mistake.
        if isinstance(value, bool) or not isinstance(value, int):
            raise TaperError(messages.OFFSET_NOT_WHOLE_DAYS.format(value=value))
        if not 0 <= value <= MAX_OFFSET_DAYS:
            raise TaperError(
                messages.OFFSET_OUT_OF_RANGE.format(value=value, maximum=MAX_OFFSET_DAYS)
            )
        if value in seen:
            raise TaperError(messages.OFFSET_REPEATED.format(value=value))
        seen.add(value)
    if len(seen) > MAX_CHECKINS:
        raise TaperError(messages.TOO_MANY_OFFSETS.format(count=len(seen), maximum=MAX_CHECKINS))
    return tuple(sorted(seen))


def parse_offsets(text: str) -> tuple[int, ...]:
    """Days from text such as "1,7,14,30" or "1d, 1w, 2w, 3 weeks", validated like custom days.

    Items are separated by commas (or semicolons); a bare number or "d"/"day(s)" means days,
    "w"/"week(s)" means weeks of seven days.
    """
    tokens = [token.strip() for token in re.split(r"[,;]", text)]
    tokens = [token for token in tokens if token]
    if not tokens:
        raise TaperError(messages.NO_OFFSETS)
    days: list[int] = []
    for token in tokens:
        match = _OFFSET_TOKEN.fullmatch(token.lower())
        if match is None or match.group(2) not in _DAYS_PER_UNIT:
            raise TaperError(messages.OFFSET_UNREADABLE.format(token=token))
        days.append(int(match.group(1)) * _DAYS_PER_UNIT[match.group(2)])
    return validate_offsets(days)


def check_rising(offsets: Sequence[int]) -> tuple[int, ...]:
    """The offsets as given, if they are whole days that strictly rise; else TaperError."""
    result = tuple(offsets)
    validate_offsets(result)
    if list(result) != sorted(result):
        raise TaperError(messages.OFFSETS_NOT_INCREASING.format(offsets=list(result)))
    return result
