"""What a private update says, as the inbound flow reads it: words, command, and how it came."""

from __future__ import annotations

from telegram import Update

from bot.conversation import commands
from bot.conversation.flow import Inbound, Kind
from bot.texts import crisis as crisis_text

# The persistent button sends its label as text: it means the command.
BUTTON_COMMANDS = {crisis_text.HELP_NOW_BUTTON: "/help_now"}


def inbound_of(update: Update, bot_username: str | None = None) -> Inbound | None:
    """The words of a private update and how they came: a message, an edit, a caption, a
    command (its argument apart), or media with nothing to read. None: not a message."""
    message = update.edited_message or update.message
    chat = update.effective_chat
    if message is None or chat is None:
        return None
    text = message.text or message.caption or ""
    edited = update.edited_message is not None
    if not text:
        return Inbound(chat.id, "", Kind.media, message.message_id)
    if text.strip() in BUTTON_COMMANDS and not edited:
        return Inbound(
            chat.id, "", Kind.command, message.message_id, command=BUTTON_COMMANDS[text.strip()]
        )
    command = commands.split_command(text, bot_username) if message.text and not edited else None
    if command is None:
        if edited:
            kind = Kind.edited
        else:
            kind = Kind.text if message.text else Kind.caption
        return Inbound(chat.id, text, kind, message.message_id)
    name, argument, words = command
    return Inbound(
        chat.id, words, Kind.command, message.message_id, command=name, argument=argument
    )
