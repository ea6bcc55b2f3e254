"""The direct question in the chat: the client taps Yes, No, I'm OK, or I'd rather not say."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.client import service as clients
from bot.conversation import question
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons

PREFIX = callbacks.QUESTION


async def answer_question(update: Update, context: AppContext) -> None:
    """Saved and answered in one transaction; a second tap or someone else's changes nothing."""
    query = update.callback_query
    assert query is not None
    pressed = callbacks.parse(query.data)
    await query.answer()
    client = context.client
    if client is None or not isinstance(pressed, callbacks.QuestionAnswer):
        return
    await clear_buttons(query)
    services = context.services
    async with services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=client.id)
        await question.answer(
            session,
            client,
            question_id=pressed.question_id,
            choice=pressed.choice,
            now=services.now(),
        )
