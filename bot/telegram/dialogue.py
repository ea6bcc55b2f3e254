"""Answering what a client writes: crisis first, then by intent, always with a reply."""

from __future__ import annotations

from telegram import Update

from bot.nlu.understanding import Risk, Understanding
from bot.telegram.context import AppContext
from bot.telegram.replies import send_text
from bot.texts import crisis as crisis_text
from bot.texts import dialogue as text


async def reply_to(understanding: Understanding, update: Update, context: AppContext) -> None:
    client = context.client
    assert client is not None
    chat_id = client.chat_id or 0
    clinic = client.clinic
    if understanding.risk is Risk.crisis:
        # Resources go first, before anything else is said or stored.
        await send_text(
            context.bot,
            chat_id,
            crisis_text.RESOURCES.format(
                emergency=clinic.emergency_number, crisis=clinic.crisis_resources
            ),
        )
        await context.bot.send_message(chat_id, crisis_text.ALERTED.format(clinic=clinic.name))
        return
    if understanding.risk is Risk.needs_review:
        await context.bot.send_message(
            chat_id, text.NEEDS_REVIEW.format(clinic=clinic.name, office_hours=clinic.office_hours)
        )
        return
    await context.bot.send_message(chat_id, text.FALLBACK)
