"""What a private update says, as the inbound flow reads it: words, command, and how it came."""

from __future__ import annotations

from telegram import Update

from bot.conversation import commands
from bot.conversation.flow import Inbound, Kind
from bot.texts import crisis as crisis_text
from bot.texts.translation import SUPPORTED, translator

# The persistent button sends its label as text, in the client's language: it means the command.
BUTTON_COMMANDS = {translator(code)(crisis_text.HELP_NOW_BUTTON): "/help_now" for code in SUPPORTED}


def inbound_of(update: Update, bot_username: str | None = None) -> Inbound | None:
    """The words of a private update and how they came: a message, an edit, a caption, a
    command (its argument apart), or media with nothing to read. None: not a message."""
    message = update.edited_message or update.message
    chat = update.effective_chat
    if message is None or chat is None:
        return None
    user = update.effective_user
    # What the person's Telegram is set to: a stranger's replies, and a new client's language.
    language = user.language_code if user is not None else None
    found = _words_of(
        message.text,
        message.caption,
        edited=update.edited_message is not None,
        bot_username=bot_username,
    )
    words, kind, name, argument = found
    return Inbound(
        chat.id,
        words,
        kind,
        message.message_id,
        command=name,
        argument=argument,
        language_code=language,
    )


def _words_of(
    text: str | None, caption: str | None, *, edited: bool, bot_username: str | None
) -> tuple[str, Kind, str | None, str]:
    """(words to read, how they came, command, its argument)."""
    written = text or caption or ""
    if not written:
        return "", Kind.media, None, ""
    if written.strip() in BUTTON_COMMANDS and not edited:
        return "", Kind.command, BUTTON_COMMANDS[written.strip()], ""
    command = commands.split_command(written, bot_username) if text and not edited else None
    if command is None:
        if edited:
            return written, Kind.edited, None, ""
        return written, Kind.text if text else Kind.caption, None, ""
    name, argument, words = command
    return words, Kind.command, name, argument
