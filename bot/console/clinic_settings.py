"""The clinic settings an admin edits in the console, checked before anything is stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from bot.clinic.models import Clinic
from bot.clinic.office_hours import parse_office_hours
from bot.clinic.service import check_timezone
from bot.errors import InvalidInput


@dataclass(frozen=True)
class Bounds:
    label: str
    low: int
    high: int


# Each number the form edits, with the range a clinic may choose.
NUMBERS = {
    "urgent_deadline_minutes": Bounds("Urgent alerts: minutes to respond", 1, 24 * 60),
    "elevated_deadline_hours": Bounds("Elevated alerts: hours to respond", 1, 7 * 24),
    "routine_deadline_hours": Bounds("Routine alerts: hours to respond", 1, 30 * 24),
    "return_response_hours": Bounds("Return requests: hours to respond", 1, 30 * 24),
    "warning_reports_for_alert": Bounds("Warning-sign reports before an alert", 1, 20),
    "warning_window_days": Bounds("…within this many days", 1, 60),
    "missed_in_a_row_for_alert": Bounds("Missed check-ins in a row before an alert", 1, 20),
}
FLAGS = ("share_client_words", "require_totp")


@dataclass(frozen=True)
class ClinicSettings:
    timezone: str
    office_hours: str
    emergency_number: str
    urgent_deadline_minutes: int
    elevated_deadline_hours: int
    routine_deadline_hours: int
    return_response_hours: int
    warning_reports_for_alert: int
    warning_window_days: int
    missed_in_a_row_for_alert: int
    share_client_words: bool
    require_totp: bool

    @classmethod
    def of(cls, clinic: Clinic) -> ClinicSettings:
        return cls(**{f.name: getattr(clinic, f.name) for f in fields(cls)})


def _number(form: Mapping[str, str], name: str) -> int:
    bounds = NUMBERS[name]
    raw = (form.get(name) or "").strip()
    if not raw.isdigit() or not bounds.low <= int(raw) <= bounds.high:
        raise InvalidInput(f"{bounds.label}: a whole number from {bounds.low} to {bounds.high}")
    return int(raw)


def parse(form: Mapping[str, str]) -> ClinicSettings:
    """The settings from the form, or InvalidInput naming the first field to correct."""
    emergency = (form.get("emergency_number") or "").strip()
    if not emergency or len(emergency) > 32:
        raise InvalidInput("Emergency number: 1 to 32 characters, e.g. 999 or 112")
    office_hours = " ".join((form.get("office_hours") or "").split())
    parse_office_hours(office_hours)
    values: dict[str, Any] = {
        "timezone": check_timezone((form.get("timezone") or "").strip()),
        "office_hours": office_hours,
        "emergency_number": emergency,
    }
    values.update({name: _number(form, name) for name in NUMBERS})
    values.update({flag: form.get(flag) == "on" for flag in FLAGS})
    return ClinicSettings(**values)


def apply(clinic: Clinic, new: ClinicSettings) -> list[str]:
    """Store the settings; returns what changed, as 'field: old -> new' for the audit log."""
    changes = []
    for field in fields(new):
        before, after = getattr(clinic, field.name), getattr(new, field.name)
        if before != after:
            changes.append(f"{field.name}: {before} -> {after}")
            setattr(clinic, field.name, after)
    return changes
