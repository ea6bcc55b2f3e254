"""The adaptive taper: when an answer is worrying, the next check-in comes sooner.

The state is only what the client already has: their offsets, the step they just answered,
and when their next check-in is due. A worrying answer never lengthens a gap and never adds a
second check-in on a day that already has one; it only ever brings the next one forward.

Typical use, after a worrying answer to step `k`:

    days = step_back(offsets, k)
    earlier = pull_in(now, next_due, tz, window, spread_key, days=days)
    if earlier is not None:
        ...  # move the next check-in to `earlier`
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.taper import messages
from bot.taper.errors import TaperError
from bot.taper.local_time import as_utc, resolve_zone
from bot.taper.schedule import next_slot_after, window_day
from bot.taper.templates import check_rising
from bot.taper.window import CheckinWindow

__all__ = ["pull_in", "step_back"]


def step_back(offsets: Sequence[int], current_step: int) -> int:
    """Days to wait for the next check-in after a worrying answer at `current_step` (>= 1).

    One level back down the taper: instead of the gap that comes next, the client gets the
    gap that led to this step (for step 0, the gap from the ending date), whichever is shorter.
    At the last step there is no next gap, so the gap that led to it is used.
    Example, standard taper: a worrying answer at week 4 (next in 2 weeks) gives 7; at
    week 26 (next in 13 weeks) gives 42; at day 1 (next in 6 days) gives 1.
    """
    rising = check_rising(offsets)
    if not 0 <= current_step < len(rising):
        raise TaperError(messages.STEP_OUT_OF_RANGE.format(step=current_step, last=len(rising) - 1))
    previous_gap = rising[current_step] - (rising[current_step - 1] if current_step else 0)
    gaps = [previous_gap]
    if current_step + 1 < len(rising):
        gaps.append(rising[current_step + 1] - rising[current_step])
    return max(1, min(gaps))


def pull_in(
    now: datetime,
    next_due: datetime | None,
    tz: ZoneInfo | str,
    window: CheckinWindow,
    spread_key: str,
    days: int = 3,
) -> datetime | None:
    """An earlier UTC due time for the next check-in, about `days` local days from now.

    It is the key's instant in the window `days` window days after today's
    (next_slot_after(now, min_days=days)). Returned only when it falls on an earlier window day
    than `next_due` (a same-day move gains nothing); None means keep `next_due`. With no next
    check-in planned (`next_due` None) the new time is always returned.
    """
    if days < 0:
        raise TaperError(messages.NEGATIVE_DAYS.format(days=days))
    zone = resolve_zone(tz)
    candidate = next_slot_after(as_utc(now, "now"), zone, window, spread_key, min_days=days)
    if next_due is None:
        return candidate
    due = as_utc(next_due, "the next due time")
    if candidate < due and window_day(candidate, zone, window) < window_day(due, zone, window):
        return candidate
    return None
