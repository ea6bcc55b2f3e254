"""Times as a client reads them: in their own timezone, in plain words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def describe(moment: datetime, tz_name: str, now: datetime) -> str:
    """E.g. "today around 18:40", "tomorrow around 18:40", "on Tue 1 Dec around 18:40"."""
    tz = ZoneInfo(tz_name)
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    days = (local.date() - today).days
    if days == 0:
        return f"today around {clock}"
    if days == 1:
        return f"tomorrow around {clock}"
    return f"on {local.strftime('%a')} {local.day} {local.strftime('%b')} around {clock}"


def local_stamp(moment: datetime, tz_name: str) -> str:
    """E.g. "2026-12-01 18:40 GMT", for staff listings."""
    return moment.astimezone(ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M %Z")
