"""After a message the bot was unsure about, the client taps what they meant."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.client import service as clients
from bot.conversation.flow import answer_chosen_meaning
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons

PREFIX = callbacks.MEANING


async def answer_meaning(update: Update, context: AppContext) -> None:
    """The client picked what they meant after a low-confidence message."""
    query = update.callback_query
    assert query is not None
    pressed = callbacks.parse(query.data)
    await query.answer()
    client = context.client
    if client is None or not isinstance(pressed, callbacks.Meaning):
        return
    await clear_buttons(query)
    meaning = pressed.intent
    services = context.services
    async with services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=client.id)
        await answer_chosen_meaning(session, client, meaning, services.now())
