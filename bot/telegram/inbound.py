"""What a private update says, as the inbound flow reads it: words, command, and how it came."""

from __future__ import annotations

from telegram import Update

from bot.conversation.commands import TAKES_ARGUMENT
from bot.conversation.flow import Inbound, Kind
from bot.texts import crisis as crisis_text

# The persistent button sends its label as text: it means the command.
BUTTON_COMMANDS = {crisis_text.HELP_NOW_BUTTON: "/help_now"}


def _command_of(text: str, bot_username: str | None) -> tuple[str, str] | None:
    """`("/plan", rest)` for a command to this bot; None when the text is not one."""
    if not text.startswith("/"):
        return None
    parts = text.split(maxsplit=1)
    first, rest = parts[0], parts[1] if len(parts) > 1 else ""
    name, _, target = first.lower().partition("@")
    if target and bot_username and target != bot_username.lower():
        return None  # meant for another bot: its words are still read, as a message
    if len(name) < 2:
        return None
    return name, rest


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
    command = _command_of(text, bot_username) if message.text and not edited else None
    if command is None:
        if edited:
            kind = Kind.edited
        else:
            kind = Kind.text if message.text else Kind.caption
        return Inbound(chat.id, text, kind, message.message_id)
    name, rest = command
    argument = ""
    if name in TAKES_ARGUMENT and rest:
        words = rest.split(maxsplit=1)
        argument, rest = words[0], words[1] if len(words) > 1 else ""
    return Inbound(chat.id, rest, Kind.command, message.message_id, command=name, argument=argument)
