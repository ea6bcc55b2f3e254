"""Enrolling a client at the last session: who they are, their plan and their taper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import schedule as checkin_schedule
from bot.client import contacts
from bot.client.models import Client, ClientStatus, EndingType
from bot.client.service import PSEUDONYM, new_pseudonym
from bot.clinic.service import check_timezone
from bot.errors import InvalidInput
from bot.plan import service as plans
from bot.plan.schema import PlanDocument
from bot.screener import plans as screener_plans
from bot.screener.plans import PlanChange
from bot.staff.models import Staff
from bot.taper.templates import TaperError, offsets_for
from bot.taper.window import parse_window
from bot.texts.translation import SUPPORTED, supported


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
    # Chosen ahead when a preview of the taper was shown (check-in times are spread by it).
    pseudonym: str | None = None
    # The language the bot writes to them in; None: Telegram's at joining, else the clinic's.
    language: str | None = None
    # How the clinic reaches them in an emergency (optional).
    phone: str | None = None
    emergency_contact: str | None = None


async def enroll(
    session: AsyncSession,
    *,
    therapist: Staff,
    enrollment: Enrollment,
    now: datetime,
    saved_by: str = "enrolment",
) -> Client:
    """A new client (status invited) with their plan (version 1) and planned check-ins.

    Call it through bot.client.actions.enroll, which also records the enrolment."""
    name = enrollment.display_name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("a client's name must be 1-100 characters")
    try:
        ending_type = EndingType(enrollment.ending_type)
    except ValueError:
        raise InvalidInput(
            f"unknown ending type {enrollment.ending_type!r}: use planned or unplanned"
        ) from None
    language = supported(enrollment.language) if enrollment.language else None
    if enrollment.language and language is None:
        raise InvalidInput(f"unknown language {enrollment.language!r}: use {', '.join(SUPPORTED)}")
    try:
        window = parse_window(enrollment.window)
        offsets = offsets_for(enrollment.template, enrollment.custom_offsets)
    except (TaperError, ValueError) as exc:
        raise InvalidInput(str(exc)) from None
    client = Client(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        display_name=name,
        pseudonym=await _pseudonym(session, enrollment.pseudonym),
        ending_date=enrollment.ending_date,
        ending_type=ending_type,
        timezone=check_timezone(enrollment.timezone),
        window_start=window.start,
        window_end=window.end,
        taper_template=enrollment.template,
        taper_offsets=list(offsets),
        adaptive_taper=enrollment.adaptive_taper,
        language=language,
        status=ClientStatus.invited,
        phone=contacts.clean_phone(enrollment.phone),
        emergency_contact=contacts.clean_contact(enrollment.emergency_contact),
    )
    session.add(client)
    await session.flush()
    await plans.save(
        session, client_id=client.id, document=enrollment.plan, saved_by=saved_by, now=now
    )
    await screener_plans.start(session, client=client, change=enrollment.screeners, now=now)
    await checkin_schedule.replan(session, client=client, now=now)
    await session.refresh(client, ["clinic", "therapist"])
    return client


async def _pseudonym(session: AsyncSession, chosen: str | None) -> str:
    """The pseudonym chosen for the preview, unless it is malformed or taken: then a new one."""
    if chosen and PSEUDONYM.fullmatch(chosen):
        taken = await session.scalar(select(Client.id).where(Client.pseudonym == chosen))
        if taken is None:
            return chosen
    return new_pseudonym()
