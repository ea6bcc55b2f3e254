"""A possible crisis: resources first, an urgent alert, then the client's own plan step by step."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.alert.models import AlertType, Severity
from bot.client.models import Client
from bot.conversation.crisis_models import CrisisStep
from bot.nlu.understanding import Understanding
from bot.plan import service as plans
from bot.plan.render import contact_lines
from bot.plan.schema import PlanDocument
from bot.telegram.alerting import message_evidence, raise_alert, when_clinic_sees
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons, send_text
from bot.texts import crisis as crisis_text
from bot.texts import dialogue as text

STEPS = ("coping", "people", "professionals")
PREFIX = "cr"


def _step_text(plan: PlanDocument, step: str) -> str | None:
    if step == "coping" and plan.coping_strategies:
        items = "\n".join(f"• {s.action}" for s in plan.coping_strategies)
        return text.CRISIS_STEP_COPING.format(items=items)
    if step == "people" and plan.support_people:
        return text.CRISIS_STEP_PEOPLE.format(items=contact_lines(plan.support_people))
    if step == "professionals" and plan.professionals:
        return text.CRISIS_STEP_PROFESSIONALS.format(items=contact_lines(plan.professionals))
    return None


def _buttons(step_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    text.CRISIS_HELPED, callback_data=f"{PREFIX}:{step_id}:helped"
                ),
                InlineKeyboardButton(text.CRISIS_NEXT, callback_data=f"{PREFIX}:{step_id}:next"),
            ]
        ]
    )


async def send_resources(context: AppContext, client: Client) -> None:
    """The clinic's crisis resources and emergency number: always the first reply."""
    clinic = client.clinic
    resources = crisis_text.RESOURCES.format(
        emergency=clinic.emergency_number, crisis=clinic.crisis_resources
    )
    await send_text(context.bot, client.chat_id or 0, resources)


async def respond(
    context: AppContext,
    client: Client,
    understanding: Understanding,
    message_id: int | None,
    *,
    resources_sent: bool = False,
) -> None:
    """Resources (unless already sent), an urgent alert, then the plan one step at a time."""
    clinic = client.clinic
    chat_id = client.chat_id or 0
    if not resources_sent:
        await send_resources(context, client)
    alert_id = await raise_alert(
        context,
        client,
        type=AlertType.crisis,
        severity=Severity.urgent,
        evidence=message_evidence(message_id, understanding),
        message_id=message_id,
    )
    when = when_clinic_sees(client, context.services.now())
    told = (
        crisis_text.ALERTED.format(clinic=clinic.name)
        if when is None
        else crisis_text.ALERTED_CLOSED.format(clinic=clinic.name, when=when)
    )
    await context.bot.send_message(chat_id, told)
    await _show_step(context, client, alert_id, 0)


async def _show_step(context: AppContext, client: Client, alert_id: int | None, index: int) -> None:
    services = context.services
    async with services.sessionmaker.begin() as session:
        plan = await plans.get_document(session, client_id=client.id)
        while plan is not None and index < len(STEPS):
            body = _step_text(plan, STEPS[index])
            if body is not None:
                step = CrisisStep(
                    client_id=client.id,
                    alert_id=alert_id,
                    step=STEPS[index],
                    shown_at=services.now(),
                )
                session.add(step)
                await session.flush()
                break
            index += 1
        else:
            body = None
    if body is None:
        await context.bot.send_message(client.chat_id or 0, text.CRISIS_END)
        return
    await send_text(context.bot, client.chat_id or 0, body, reply_markup=_buttons(step.id))


async def answer_step(update: Update, context: AppContext) -> None:
    """The client taps "That helped" or "Next" under a step of their plan."""
    query = update.callback_query
    assert query and query.data
    client = context.client
    await query.answer()
    await clear_buttons(query)
    if client is None:
        return
    _, step_ref, response = query.data.split(":")
    async with context.services.sessionmaker.begin() as session:
        step = await session.get(CrisisStep, int(step_ref))
        if step is None or step.client_id != client.id or step.response is not None:
            return
        step.response = "helped" if response == "helped" else "next"
        step.answered_at = context.services.now()
        alert_id, index = step.alert_id, STEPS.index(step.step)
    if response == "helped":
        await context.bot.send_message(client.chat_id or 0, text.CRISIS_HELPED_REPLY)
    else:
        await _show_step(context, client, alert_id, index + 1)
