"""The crisis path's replies: resources first, what happened to the alert, then the client's
own plan one step at a time. Every function writes into the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import button_data
from bot.alert.raising import Raised
from bot.client.models import Client
from bot.conversation.crisis_models import CrisisStep
from bot.escalation.replies import say, when_clinic_sees
from bot.outbox.models import Buttons, Lane, Purpose
from bot.plan import service as plans
from bot.plan.render import contact_lines
from bot.plan.schema import PlanDocument
from bot.texts import crisis as crisis_text
from bot.texts import dialogue as text
from bot.texts.translation import Translator, translator_for

CRISIS_STEPS = ("coping", "people", "professionals")


def resources_text(emergency: str, crisis: str, t: Translator) -> str:
    return t(crisis_text.RESOURCES).format(emergency=emergency, crisis=crisis)


def crisis_resources(
    session: AsyncSession, client: Client, now: datetime, alert_id: int | None
) -> None:
    """The clinic's crisis resources and emergency number: always the first reply."""
    t = translator_for(client)
    clinic = client.clinic
    say(
        session,
        client,
        resources_text(clinic.emergency_number, clinic.resources_in(t.language), t),
        now,
        lane=Lane.crisis,
        purpose=Purpose.crisis_resources,
        alert_id=alert_id,
    )


async def crisis(
    session: AsyncSession,
    client: Client,
    raised: Raised | None,
    now: datetime,
    *,
    resources_sent: bool = False,
) -> None:
    """Resources first, what actually happened to the alert, then the plan one step at a time.

    `resources_sent`: they reached the client already, while the database was unavailable.
    """
    alert_id = raised.alert_id if raised else None
    if not resources_sent:
        crisis_resources(session, client, now, alert_id)
    await crisis_told(session, client, raised, now)
    await crisis_step(session, client, alert_id, 0, now)


async def crisis_told(
    session: AsyncSession, client: Client, raised: Raised | None, now: datetime
) -> None:
    """What actually happened to the alert: never "staff were told" unless they will be."""
    t = translator_for(client)
    clinic = client.clinic
    if raised is None or not raised.staff_will_be_told:
        told = t(crisis_text.NOT_ALERTED).format(clinic=clinic.name)
    else:
        when = await when_clinic_sees(session, client, now)
        told = (
            t(crisis_text.ALERTED).format(clinic=clinic.name)
            if when is None
            else t(crisis_text.ALERTED_CLOSED).format(clinic=clinic.name, when=when)
        )
    say(session, client, told, now, lane=Lane.crisis)


def _step_text(plan: PlanDocument, step: str, t: Translator) -> str | None:
    if step == "coping" and plan.coping_strategies:
        items = "\n".join(f"• {s.action}" for s in plan.coping_strategies)
        return t(text.CRISIS_STEP_COPING).format(items=items)
    if step == "people" and plan.support_people:
        return t(text.CRISIS_STEP_PEOPLE).format(items=contact_lines(plan.support_people))
    if step == "professionals" and plan.professionals:
        return t(text.CRISIS_STEP_PROFESSIONALS).format(items=contact_lines(plan.professionals))
    return None


async def crisis_step(
    session: AsyncSession, client: Client, alert_id: int | None, index: int, now: datetime
) -> None:
    """The next step of the client's own plan that has something in it, or the closing words."""
    t = translator_for(client)
    plan = await plans.get_document(session, client_id=client.id)
    while plan is not None and index < len(CRISIS_STEPS):
        body = _step_text(plan, CRISIS_STEPS[index], t)
        if body is not None:
            step = CrisisStep(
                client_id=client.id, alert_id=alert_id, step=CRISIS_STEPS[index], shown_at=now
            )
            session.add(step)
            await session.flush()
            buttons: Buttons = [
                [
                    (t(text.CRISIS_HELPED), button_data.crisis_step(step.id, "helped")),
                    (t(text.CRISIS_NEXT), button_data.crisis_step(step.id, "next")),
                ]
            ]
            say(session, client, body, now, lane=Lane.crisis, buttons=buttons)
            return
        index += 1
    say(session, client, t(text.CRISIS_END), now, lane=Lane.crisis)
