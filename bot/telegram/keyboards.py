"""Answering a tap (the spinner on the client's button); not a message, so not an outbox row."""

from __future__ import annotations

import logging

from telegram import CallbackQuery
from telegram.error import BadRequest

logger = logging.getLogger(__name__)


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a tap (stopping the client's spinner); one already answered is not an error.

    What a forged or stale tap gets: no text, or a short generic one, and nothing else.
    """
    try:
        await query.answer(text)
    except BadRequest as exc:
        logger.debug("callback query not answered: %s", exc)
