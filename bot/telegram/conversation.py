"""Free text from a linked client: understood first (crisis above all), then a note or a reply."""

from __future__ import annotations

from telegram import Update

from bot.checkin import answers
from bot.conversation import service as messages
from bot.nlu.understanding import Risk
from bot.telegram import crisis
from bot.telegram.checkin import finish_with_note
from bot.telegram.context import AppContext
from bot.telegram.dialogue import reply_to
from bot.telegram.replies import send_text


async def on_text(update: Update, context: AppContext) -> None:
    """Whatever the client writes is kept and answered; nothing they write is dropped."""
    client = context.client
    message = update.effective_message
    assert client is not None and message is not None and message.text
    services = context.services
    # The safety net runs on every message, including a check-in note.
    understanding = await services.understander.understand(message.text)
    if understanding.risk is Risk.crisis:
        # Resources go out before anything is written: no database wait stands in front of them.
        await crisis.send_resources(context, client)
    reflection = None
    async with services.sessionmaker.begin() as session:
        checkin = await answers.awaiting_note(session, client_id=client.id, now=services.now())
        stored = await messages.record(
            session,
            client_id=client.id,
            text=message.text,
            understanding=understanding,
            now=services.now(),
            telegram_message_id=message.message_id,
            checkin_id=checkin.id if checkin else None,
        )
        if checkin is not None:
            reflection = await finish_with_note(session, client, checkin, message.text)
    if understanding.risk is Risk.crisis:
        await crisis.respond(context, client, understanding, stored.id, resources_sent=True)
    elif checkin is None:
        await reply_to(understanding, update, context, stored.id)
    if reflection is not None:
        await send_text(context.bot, client.chat_id or 0, reflection)
