"""Enrolling a client at the last session: who they are, their plan and their taper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import schedule as checkin_schedule
from bot.client.models import Client, ClientStatus, EndingType
from bot.client.service import new_pseudonym
from bot.clinic.service import check_timezone
from bot.errors import InvalidInput
from bot.plan.models import Plan
from bot.plan.schema import PlanDocument
from bot.screener import plans as screener_plans
from bot.screener.plans import PlanChange
from bot.staff.models import Staff
from bot.taper.templates import TaperError, offsets_for
from bot.taper.window import parse_window


@dataclass(frozen=True)
class Enrollment:
    display_name: str
    ending_date: date
    ending_type: str
    timezone: str
    window: str
    template: str
    custom_offsets: tuple[int, ...] | None
    plan: PlanDocument
    adaptive_taper: bool = True
    # The screener plan; None: the clinic's default for new clients.
    screeners: PlanChange | None = None


async def enroll(
    session: AsyncSession, *, therapist: Staff, enrollment: Enrollment, now: datetime
) -> Client:
    """A new client (status invited) with their plan and planned check-ins."""
    name = enrollment.display_name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("a client's name must be 1-100 characters")
    try:
        ending_type = EndingType(enrollment.ending_type)
    except ValueError:
        raise InvalidInput(
            f"unknown ending type {enrollment.ending_type!r}: use planned or unplanned"
        ) from None
    try:
        window = parse_window(enrollment.window)
        offsets = offsets_for(enrollment.template, enrollment.custom_offsets)
    except (TaperError, ValueError) as exc:
        raise InvalidInput(str(exc)) from None
    client = Client(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        display_name=name,
        pseudonym=new_pseudonym(),
        ending_date=enrollment.ending_date,
        ending_type=ending_type,
        timezone=check_timezone(enrollment.timezone),
        window_start=window.start,
        window_end=window.end,
        taper_template=enrollment.template,
        taper_offsets=list(offsets),
        adaptive_taper=enrollment.adaptive_taper,
        status=ClientStatus.invited,
    )
    session.add(client)
    await session.flush()
    session.add(Plan(client_id=client.id, content=enrollment.plan.model_dump(mode="json")))
    await screener_plans.start(session, client=client, change=enrollment.screeners, now=now)
    await checkin_schedule.replan(session, client=client, now=now)
    await session.refresh(client, ["clinic", "therapist"])
    return client
