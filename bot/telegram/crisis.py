"""The crisis walk-through in the chat: "That helped" or "Next" under a step of their plan."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.client import service as clients
from bot.conversation.crisis_models import CrisisStep
from bot.escalation import crisis_replies, replies
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons
from bot.texts import dialogue as text

PREFIX = callbacks.CRISIS


async def answer_step(update: Update, context: AppContext) -> None:
    """The client taps "That helped" or "Next" under a step of their plan."""
    query = update.callback_query
    assert query is not None
    client = context.client
    pressed = callbacks.parse(query.data)
    await query.answer()
    if client is None or not isinstance(pressed, callbacks.CrisisStep):
        return
    await clear_buttons(query)
    step_id, response = pressed.step_id, pressed.response
    services = context.services
    now = services.now()
    async with services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=client.id)
        step = await session.get(CrisisStep, step_id, with_for_update=True)
        if step is None or step.client_id != client.id or step.response is not None:
            return
        step.response, step.answered_at = response, now
        if response == "helped":
            replies.say(session, client, text.CRISIS_HELPED_REPLY, now)
        else:
            index = crisis_replies.CRISIS_STEPS.index(step.step) + 1
            await crisis_replies.crisis_step(session, client, step.alert_id, index, now)
