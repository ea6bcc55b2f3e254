"""The last line: an update whose handler failed is logged, and the client still gets an answer."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.checkin.service import mark_blocked
from bot.telegram.context import AppContext

logger = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side and I couldn't finish that. Your message is saved. "
    "Please try again in a little while."
)


async def on_error(update: object, context: AppContext) -> None:
    error = context.error
    client = getattr(context, "client", None)
    if isinstance(error, Forbidden) and client is not None:
        async with context.services.sessionmaker.begin() as session:
            await mark_blocked(session, client_ids={client.id})
        return
    logger.error("update failed", exc_info=error)
    if isinstance(update, Update) and update.effective_chat and client is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, SORRY)
        except Exception:  # the apology itself failed: nothing more to do than the log
            logger.warning("could not send the apology to chat %s", update.effective_chat.id)
