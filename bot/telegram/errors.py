"""The last line: a failed update is logged, the client is found from the chat, and a possible
crisis still gets resources straight away, even when the database is what failed.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden

from bot.checkin.service import mark_blocked
from bot.client import service as clients
from bot.client.models import ClientStatus
from bot.conversation.flow import understand
from bot.escalation import apply as escalation
from bot.escalation.crisis_replies import resources_text
from bot.nlu.understanding import Risk
from bot.telegram.context import AppContext
from bot.telegram.conversation import inbound_of
from bot.texts import errors as text

logger = logging.getLogger(__name__)


def _private_chat(update: object) -> int | None:
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    chat = update.effective_chat
    return chat.id if chat.type == ChatType.PRIVATE else None


async def on_error(update: object, context: AppContext) -> None:
    error = context.error
    chat_id = _private_chat(update)
    if isinstance(error, Forbidden) and chat_id is not None:
        await _blocked(context, chat_id)
        return
    logger.error("update failed", exc_info=error)
    if chat_id is None:
        return
    try:
        await _last_resort(update, context, chat_id)
    except Exception:  # nothing more can be done than the log
        logger.exception("could not answer chat %s after a failure", chat_id)


async def _blocked(context: AppContext, chat_id: int) -> None:
    services = context.services
    async with services.sessionmaker.begin() as session:
        client = await clients.get_by_chat(session, chat_id=chat_id)
        if client is not None and client.status is ClientStatus.active:
            await mark_blocked(session, client_ids={client.id})
            await escalation.client_blocked(session, client=client, now=services.now())


async def _last_resort(update: object, context: AppContext, chat_id: int) -> None:
    """Resources first if the words may mean danger; then an honest apology."""
    inbound = inbound_of(update) if isinstance(update, Update) else None
    if inbound is not None:
        understanding = await understand(context.services, inbound.text)
        if understanding.risk in (Risk.crisis, Risk.ask):
            emergency, crisis = await _resources_for(context, chat_id)
            await context.bot.send_message(chat_id, resources_text(emergency, crisis))
    await context.bot.send_message(chat_id, text.SORRY)


async def _resources_for(context: AppContext, chat_id: int) -> tuple[str, str]:
    settings = context.services.settings
    try:
        async with context.services.sessionmaker() as session:
            client = await clients.get_by_chat(session, chat_id=chat_id)
            if client is not None:
                return client.clinic.emergency_number, client.clinic.crisis_resources
    except Exception:  # the database may be what failed: the deployment's defaults still help
        logger.exception("could not read the clinic's crisis resources")
    return settings.default_emergency_number, settings.default_crisis_resources
