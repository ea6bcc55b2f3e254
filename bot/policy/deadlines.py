"""When the clinic must act, how staff are reminded, and what counts towards a threshold.

Every number here is on the signed page (docs/escalation-policy.md, "Definitions and timings").
The clinic's own settings (deadlines per severity, thresholds, the ask deadline) come first;
these are the rules that apply them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.alert.models import Severity
from bot.clinic.models import Clinic
from bot.outbox.models import Lane

# Overdue alerts are reminded in the staff group this often until someone acts.
REMIND_EVERY = timedelta(minutes=15)
# What a warning report is: a message read as one of these, or a check-in with any sign ticked.
WARNING_REPORT_INTENTS = ("report_warning_sign", "report_trigger", "mood_low")
# A check-in is calm (counts towards resuming the original taper) with this mood or better
# and no warning sign ticked; anything else is a risk signal.
CALM_MOOD = 3
LOWEST_MOOD = 1
# A screener not finished gets one gentle reminder, then closes (its answers so far are kept).
SCREENER_REMINDER_AFTER = timedelta(days=2)
SCREENER_EXPIRES_AFTER = timedelta(days=4)


@dataclass(frozen=True)
class Timing:
    """One line of the signed page's timings."""

    what: str
    rule: str


TIMINGS: tuple[Timing, ...] = (
    Timing(
        "deadline to act on an alert",
        "from when it is raised, by severity: the clinic's urgent (default 15 min), elevated "
        "(24 h) and routine (72 h) settings; a repeat never moves the deadline later",
    ),
    Timing(
        "the direct question",
        "unanswered after the clinic's ask deadline (default 15 min): an urgent crisis alert",
    ),
    Timing(
        "reminders",
        f"an overdue alert is reminded in the staff group every "
        f"{int(REMIND_EVERY.total_seconds() // 60)} min until it is resolved",
    ),
    Timing(
        "escalation",
        "the first reminder of an overdue alert also goes to every clinic admin linked on "
        "Telegram, privately",
    ),
    Timing(
        "lanes",
        "crisis replies, the direct question and an urgent alert's staff messages go first; then "
        "replies, then staff messages, then check-ins, then nudges",
    ),
    Timing(
        "warning report",
        "a message read as a warning sign, a trigger or low mood, or a check-in with a warning "
        "sign ticked; counted within the clinic's window (default 2 reports within 7 days)",
    ),
    Timing(
        "calm check-in",
        f"mood {CALM_MOOD} or better and no warning sign ticked; two in a row resume the "
        f"original taper",
    ),
    Timing(
        "validated screeners",
        "PHQ-2 and GAD-2 ride on taper check-ins at most every 14 days (they ask about the last "
        "2 weeks), AUDIT-C at the first check-in and 3, 6 and 12 months after the ending; one "
        f"not finished gets one gentle reminder after {SCREENER_REMINDER_AFTER.days} days and "
        f"closes {SCREENER_EXPIRES_AFTER.days} days after it was sent; skipping or closing "
        "alerts nobody",
    ),
    Timing(
        "a message Telegram will not take",
        "429 waits as Telegram asks; 5xx and timeouts are retried with backoff (1 s doubling, "
        "capped at 10 min); a client's message still not sent after 9 tries is a needs-review "
        "alert, a staff-group message makes the clinic's admins hear it privately",
    ),
)


def alert_deadline(clinic: Clinic, severity: Severity, now: datetime) -> datetime:
    """When staff must have responded, by the clinic's own per-severity setting."""
    if severity is Severity.urgent:
        return now + timedelta(minutes=clinic.urgent_deadline_minutes)
    if severity is Severity.elevated:
        return now + timedelta(hours=clinic.elevated_deadline_hours)
    return now + timedelta(hours=clinic.routine_deadline_hours)


def ask_deadline(clinic: Clinic, now: datetime) -> datetime:
    """When an unanswered direct question pages the clinic."""
    return now + timedelta(minutes=clinic.ask_deadline_minutes)


def staff_lane(severity: Severity) -> Lane:
    """An urgent alert's staff messages go with the crisis replies, ahead of ordinary ones."""
    return Lane.crisis if severity is Severity.urgent else Lane.staff


def warning_window(clinic: Clinic) -> timedelta:
    return timedelta(days=clinic.warning_window_days)


def is_calm(*, mood: int | None, signs: int) -> bool:
    return mood is not None and mood >= CALM_MOOD and not signs
