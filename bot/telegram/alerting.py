"""Raising an alert from a conversation: saved first, then announced to the staff group."""

from __future__ import annotations

from datetime import datetime

from bot.alert import flows
from bot.alert.models import AlertType, Severity
from bot.client.local_time import describe
from bot.client.models import Client
from bot.clinic.office_hours import staff_next_see
from bot.nlu.understanding import Understanding
from bot.telegram.context import AppContext

NOTIFIER_KEY = "alert_notifier"


async def raise_alert(
    context: AppContext,
    client: Client,
    *,
    type: AlertType,
    severity: Severity,
    evidence: str,
    message_id: int | None = None,
    checkin_id: int | None = None,
) -> int:
    services = context.services
    return await flows.raise_and_notify(
        services.sessionmaker,
        context.bot_data[NOTIFIER_KEY],
        client_id=client.id,
        type=type,
        severity=severity,
        evidence=evidence,
        now=services.now(),
        message_id=message_id,
        checkin_id=checkin_id,
    )


def message_evidence(message_id: int | None, understanding: Understanding) -> str:
    """What staff see about a message: never the words themselves."""
    parts = [f"message {message_id}" if message_id else "message", f"intent {understanding.intent}"]
    parts.append(f"confidence {understanding.confidence:.2f}")
    if understanding.net_matches:
        parts.append("safety net: " + ", ".join(understanding.net_matches))
    return "; ".join(parts)


def when_clinic_sees(client: Client, now: datetime) -> str | None:
    """Plain words for when staff will read this, or None while the clinic is open."""
    clinic = client.clinic
    opening = staff_next_see(clinic.office_hours, clinic.timezone, now)
    return None if opening is None else describe(opening, client.timezone, now)
