"""Times as a client reads them: in their own timezone, in plain words of their language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.texts import time_words as text
from bot.texts.translation import Translator, translator


def describe(moment: datetime, tz_name: str, now: datetime, t: Translator | None = None) -> str:
    """E.g. "today around 18:40", "tomorrow around 18:40", "on Tue 1 Dec around 18:40" (or the
    same in the translator's language; English without one)."""
    t = t or translator(None)
    tz = ZoneInfo(tz_name)
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    clock = t.clock(local)
    days = (local.date() - today).days
    if days == 0:
        return t(text.TODAY).format(time=clock)
    if days == 1:
        return t(text.TOMORROW).format(time=clock)
    return t(text.ON_DAY).format(day=t.day(local), time=clock)


def local_stamp(moment: datetime, tz_name: str) -> str:
    """E.g. "2026-12-01 18:40 GMT", for staff listings."""
    return moment.astimezone(ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M %Z")
