"""Sending replies that never lose text: long messages are split at Telegram's 4096 limit."""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

logger = logging.getLogger(__name__)

LIMIT = 4096


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph, line or word ends where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not pieces:
        pieces.append(rest)
    return [p for p in pieces if p] or [text[:limit]]


async def send_text(
    bot: Bot, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Send `text` in as many messages as it takes; buttons go on the last one."""
    pieces = split_text(text)
    message: Message | None = None
    for index, piece in enumerate(pieces):
        markup = reply_markup if index == len(pieces) - 1 else None
        message = await bot.send_message(chat_id, piece, reply_markup=markup)
    assert message is not None
    return message


async def clear_buttons(query: CallbackQuery, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace (or remove) a message's buttons; a message gone or unchanged is not an error."""
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        logger.debug("buttons not changed: %s", exc)
