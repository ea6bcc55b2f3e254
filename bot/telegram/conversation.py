"""Whatever a client writes (new, edited, or a caption) goes to the one inbound flow."""

from __future__ import annotations

from telegram import Update

from bot.conversation.flow import Inbound, Kind, receive
from bot.telegram.context import AppContext


def inbound_of(update: Update) -> Inbound | None:
    """The text of an update and how it came: a message, an edit, or a caption under media."""
    message = update.edited_message or update.message
    chat = update.effective_chat
    if message is None or chat is None:
        return None
    text = message.text or message.caption
    if not text:
        return None
    if update.edited_message is not None:
        kind = Kind.edited
    elif message.text:
        kind = Kind.text
    else:
        kind = Kind.caption
    return Inbound(chat.id, text, kind, message.message_id)


async def on_text(update: Update, context: AppContext) -> None:
    """Nothing a client writes is dropped: stored, understood and answered through the outbox."""
    inbound = inbound_of(update)
    if inbound is not None:
        await receive(context.services, inbound)
