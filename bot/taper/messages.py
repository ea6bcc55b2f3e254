"""What a therapist reads when a taper, offset list or check-in window cannot be used."""

from __future__ import annotations

UNKNOWN_TEMPLATE = "unknown taper template {name!r}: choose one of {known}"
CUSTOM_NEEDS_OFFSETS = "the custom taper needs its days, like 1,7,14,30"
OFFSETS_WITHOUT_CUSTOM = (
    "days were given for the {name!r} taper; choose the 'custom' taper to set your own days"
)
NO_OFFSETS = "no check-in days given: write them like 1,7,14,30 or 1d,2w,4w"
OFFSET_NOT_WHOLE_DAYS = "{value!r} is not a whole number of days"
OFFSET_OUT_OF_RANGE = "day {value} is out of range: check-in days run from 0 to {maximum}"
OFFSET_REPEATED = "day {value} is listed more than once"
TOO_MANY_OFFSETS = "{count} check-ins is too many: a taper has at most {maximum}"
OFFSET_UNREADABLE = (
    "{token!r} is not a number of days (like 7 or 7d) or weeks (like 2w); "
    "separate the days with commas"
)
OFFSETS_NOT_INCREASING = "check-in days must rise, each after the one before: {offsets}"

WINDOW_SHAPE = "write the check-in window as start-end, like 18:00-20:00 (got {text!r})"
WINDOW_NEEDS_END = "the check-in window {text!r} needs an end time too, like 18:00-20:00"
WINDOW_TIME_UNREADABLE = "{part!r} is not a time like 18:00"
WINDOW_HOUR_OUT_OF_RANGE = "hour {hour} in {part!r} is not a time of day (hours run 00-23)"
WINDOW_MINUTE_OUT_OF_RANGE = "minute {minute} in {part!r} is out of range (minutes run 00-59)"
WINDOW_START_AT_24 = "the check-in window cannot start at 24:00; use 00:00"
WINDOW_EMPTY = "the check-in window starts and ends at the same time ({at}); give it some length"
WINDOW_WITH_ZONE = "the check-in window is local wall-clock time; leave the time zone off"

UNKNOWN_TIMEZONE = "unknown time zone {name!r}: use a name like Europe/London"
NAIVE_MOMENT = "{what} must carry a time zone (an aware datetime)"
STEP_OUT_OF_RANGE = "step {step} is not in this taper (it has steps 0 to {last})"
NEGATIVE_DAYS = "cannot pull a check-in in by {days} days; use 0 or more"
