"""The crisis walk-through: "I need help now", the plan one step at a time, and whether to tell
the clinic. The client's choices are kept on record (crisis_steps)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import button_data
from bot.client.models import Client
from bot.conversation.crisis_models import CrisisStep
from bot.escalation import apply, crisis_replies, replies
from bot.outbox.models import Lane, Purpose
from bot.policy.decide import decide_help_now
from bot.texts import crisis as crisis_text
from bot.texts import dialogue as text
from bot.texts.translation import translator_for

TELL_CLINIC = "tell_clinic"


async def help_now(session: AsyncSession, client: Client, now: datetime) -> None:
    """Resources first, then whether to tell the clinic, then their own plan step by step."""
    t = translator_for(client)
    clinic = client.clinic
    body = t(crisis_text.HELP_NOW).format(
        emergency=clinic.emergency_number, crisis=clinic.resources_in(t.language)
    )
    replies.say(session, client, body, now, lane=Lane.crisis, purpose=Purpose.crisis_resources)
    step = CrisisStep(client_id=client.id, step=TELL_CLINIC, shown_at=now)
    session.add(step)
    await session.flush()
    ask = t(crisis_text.HELP_NOW_ASK_TELL).format(
        clinic=clinic.name, office_hours=clinic.office_hours
    )
    buttons = [
        [
            (t(crisis_text.HELP_NOW_TELL), button_data.crisis_step(step.id, "tell")),
            (t(crisis_text.HELP_NOW_LATER), button_data.crisis_step(step.id, "later")),
        ]
    ]
    replies.say(session, client, ask, now, lane=Lane.crisis, buttons=buttons)
    await crisis_replies.crisis_step(session, client, None, 0, now)


async def answer_step(
    session: AsyncSession, client: Client, *, step_id: int, response: str, now: datetime
) -> bool:
    """A tap under a step: "That helped", "Next", or the answer to whether to tell the clinic.
    False when it is not theirs or already answered."""
    t = translator_for(client)
    step = await session.get(CrisisStep, step_id, with_for_update=True)
    if step is None or step.client_id != client.id or step.response is not None:
        return False
    if (step.step == TELL_CLINIC) != (response in ("tell", "later")):
        return False  # a forged tap that mixes the two kinds of buttons
    step.response, step.answered_at = response, now
    if step.step == TELL_CLINIC:
        await _tell_clinic(session, client, step, response == "tell", now)
    elif response == "helped":
        replies.say(session, client, t(text.CRISIS_HELPED_REPLY), now)
    else:
        index = crisis_replies.CRISIS_STEPS.index(step.step) + 1
        await crisis_replies.crisis_step(session, client, step.alert_id, index, now)
    return True


async def _tell_clinic(
    session: AsyncSession, client: Client, step: CrisisStep, tell: bool, now: datetime
) -> None:
    t = translator_for(client)
    if not tell:
        replies.say(session, client, t(crisis_text.HELP_NOW_NOT_TOLD), now, lane=Lane.crisis)
        return
    raised = await apply.raise_for(
        session,
        client,
        decide_help_now(),
        evidence="the client asked for help now and to tell the clinic",
        now=now,
    )
    step.alert_id = raised.alert_id if raised else None
    await crisis_replies.crisis_told(session, client, raised, now)
