"""Builders for clinics, staff and enrolled clients, through the same domain code the CLI uses."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.enrollment import Enrollment, enroll
from bot.client.models import Client, ClientStatus
from bot.clinic import service as clinics
from bot.clinic.models import Clinic
from bot.plan.schema import PlanDocument, load_plan_file
from bot.staff import service as staff_service
from bot.staff.models import Staff

EXAMPLE_PLAN = Path(__file__).parents[1] / "examples" / "plan.yml"
CRISIS = "Samaritans: 116 123 (free, 24/7)\nShout: text SHOUT to 85258"


def example_plan() -> PlanDocument:
    return load_plan_file(EXAMPLE_PLAN)


async def make_clinic(session: AsyncSession, name: str = "Riverside Clinic") -> Clinic:
    return await clinics.create(
        session,
        name=name,
        timezone="Europe/London",
        crisis_resources=CRISIS,
        emergency_number="999",
        office_hours="mon-fri 09:00-17:00",
    )


async def make_therapist(
    session: AsyncSession, clinic: Clinic, name: str = "Dr Ana Rivera"
) -> Staff:
    return await staff_service.create(session, clinic=clinic, name=name, role="therapist")


async def make_client(
    session: AsyncSession,
    *,
    therapist: Staff,
    now: datetime,
    name: str = "Sam",
    ending_date: date | None = None,
    ending_type: str = "planned",
    template: str = "standard",
    timezone: str = "Europe/London",
    window: str = "18:00-20:00",
) -> Client:
    return await enroll(
        session,
        therapist=therapist,
        enrollment=Enrollment(
            display_name=name,
            ending_date=ending_date or now.date(),
            ending_type=ending_type,
            timezone=timezone,
            window=window,
            template=template,
            custom_offsets=None,
            plan=example_plan(),
        ),
        now=now,
    )


async def make_linked_client(
    session: AsyncSession, *, chat_id: int, now: datetime, staff_chat_id: int | None = None
) -> Client:
    """An active, consented client in `chat_id` with the example plan; with `staff_chat_id`,
    their clinic's staff group is linked."""
    clinic = await make_clinic(session)
    clinic.staff_chat_id = staff_chat_id
    client = await make_client(session, therapist=await make_therapist(session, clinic), now=now)
    client.chat_id, client.status, client.consented_at = chat_id, ClientStatus.active, now
    return client


async def make_crisis_message(
    session: AsyncSession, *, client_id: int, text: str, now: datetime, confidence: float = 0.9
) -> int:
    """A stored client message read as a crisis; returns its id."""
    from bot.conversation import service as messages
    from bot.nlu.understanding import Risk, Understanding

    understanding = Understanding("crisis", confidence, Risk.crisis, "embedded")
    stored = await messages.record(
        session, client_id=client_id, text=text, understanding=understanding, now=now
    )
    return stored.id
