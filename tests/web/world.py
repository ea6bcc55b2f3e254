"""Two clinics with staff of every role, a client and alerts each: the console's test world."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import service as alerts
from bot.alert.models import AlertType, Severity
from bot.console import accounts, passwords
from bot.database.core import SessionMaker
from bot.return_request import service as returns
from tests.factories import make_client, make_clinic, make_crisis_message

PASSWORD = "correct horse battery staple"
WORDS = "i want to end it all tonight"


@cache
def password_hash() -> str:
    """One argon2id hash for every test account (hashing is slow on purpose)."""
    return passwords.hash_password(PASSWORD)


@dataclass
class ClinicWorld:
    clinic_id: int
    admin_id: int
    duty_id: int
    therapist_id: int
    client_id: int
    urgent_alert_id: int
    routine_alert_id: int
    return_request_id: int
    emails: dict[str, str] = field(default_factory=dict)


async def _staff(session: AsyncSession, clinic, name: str, email: str, role: str) -> int:  # type: ignore[no-untyped-def]
    member = await accounts.add(session, clinic=clinic, name=name, email=email, role=role)
    member.password_hash = password_hash()
    return member.id


async def build_clinic(
    sessionmaker: SessionMaker, *, name: str, domain: str, now: datetime, group: int | None
) -> ClinicWorld:
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session, name=name)
        clinic.staff_chat_id = group
        emails = {
            "clinic_admin": f"admin@{domain}",
            "duty": f"duty@{domain}",
            "therapist": f"therapist@{domain}",
        }
        admin_id = await _staff(session, clinic, "Jo Admin", emails["clinic_admin"], "clinic_admin")
        duty_id = await _staff(session, clinic, "Dee Duty", emails["duty"], "duty")
        therapist_id = await _staff(
            session, clinic, "Dr Ana Rivera", emails["therapist"], "therapist"
        )
        therapist = await accounts.find(session, ref=str(therapist_id))
        client = await make_client(session, therapist=therapist, now=now, name="Sam Jones")
        message_id = await make_crisis_message(session, client_id=client.id, text=WORDS, now=now)
        urgent, _ = await alerts.raise_alert(
            session,
            client=client,
            type=AlertType.crisis,
            severity=Severity.urgent,
            evidence=f"message {message_id}: intent crisis; safety net: end it all",
            now=now,
            message_id=message_id,
        )
        routine, _ = await alerts.raise_alert(
            session,
            client=client,
            type=AlertType.missed_checkins,
            severity=Severity.routine,
            evidence="3 check-ins missed in a row",
            now=now,
        )
        request, _ = await returns.request(session, client=client, via="command", now=now)
        return ClinicWorld(
            clinic_id=clinic.id,
            admin_id=admin_id,
            duty_id=duty_id,
            therapist_id=therapist_id,
            client_id=client.id,
            urgent_alert_id=urgent.id,
            routine_alert_id=routine.id,
            return_request_id=request.id,
            emails=emails,
        )
