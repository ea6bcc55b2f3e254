"""How times read in the console: in the clinic's own timezone, deadlines as time left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.texts.alerts import duration
from bot.web import texts

LOCAL_FORMAT = "%a %d %b %H:%M"
DATE_FORMAT = "%d %b %Y"


def local(moment: datetime | None, timezone: str) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(timezone)).strftime(LOCAL_FORMAT)


def iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


@dataclass(frozen=True)
class TimeLeft:
    text: str
    overdue: bool


def time_left(deadline: datetime, now: datetime) -> TimeLeft:
    """'12 min left' or 'Overdue by 1 h 5 min'."""
    if deadline <= now:
        return TimeLeft(texts.OVERDUE.format(late=duration(now - deadline)), True)
    return TimeLeft(texts.TIME_LEFT.format(left=duration(deadline - now)), False)


def queue_title(open_count: int, overdue_count: int) -> str:
    """The tab title's count: "(3)", or "(3 · 1 overdue)" while any alert is past its deadline."""
    if overdue_count:
        return f"({open_count} · {overdue_count} overdue)"
    return f"({open_count})"
