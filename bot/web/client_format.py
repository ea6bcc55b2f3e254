"""How the therapist's pages read times: "3 days ago", "in 13 days 4 h", "Week 2", local times."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.web import client_texts as text

LOCAL = "%a %d %b %Y %H:%M"


def span(delta: timedelta) -> str:
    """A rough length of time: "5 min", "3 h", "4 days", "6 weeks", "13 days 4 h"."""
    seconds = max(int(delta.total_seconds()), 0)
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 60:
        return f"{minutes} min"
    if hours < 24:
        return f"{hours} h"
    if days < 14:
        rest = hours - days * 24
        return f"{days} day{'s' if days != 1 else ''}" + (f" {rest} h" if rest and days < 3 else "")
    return f"{days // 7} weeks"


def ago(moment: datetime | None, now: datetime) -> str:
    return text.NEVER if moment is None else f"{span(now - moment)} ago"


def within(moment: datetime, now: datetime) -> str:
    return f"in {span(moment - now)}" if moment > now else f"{span(now - moment)} ago"


def offset_label(days: int | None) -> str:
    """A taper step by its day after the ending: "Day 1", "Week 2", "Day 45"."""
    if days is None:
        return ""
    if days and days % 7 == 0:
        return text.WEEK.format(n=days // 7)
    return text.DAY.format(n=days)


def client_local(moment: datetime | None, timezone: str) -> str:
    """In the client's own timezone, with the year: "Tue 01 Dec 2026 18:40"."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(timezone)).strftime(LOCAL)
