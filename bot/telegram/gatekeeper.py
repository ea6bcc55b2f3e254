"""Runs before every handler (group -1): who is writing, and whether the bot should answer."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.alert.models import AlertType, Severity
from bot.checkin.service import mark_blocked
from bot.client import lifecycle
from bot.client import service as clients
from bot.client.models import Client, ClientStatus
from bot.telegram.alerting import raise_alert
from bot.telegram.context import AppContext
from bot.texts import commands as text

logger = logging.getLogger(__name__)

# What an unlinked private chat may still do: open an invite link and answer the notice.
ONBOARDING_COMMAND = "/start"
ONBOARDING_CALLBACK = "consent:"
# What a client who has ended aftercare can still use.
AFTER_ENDING_COMMANDS = ("/start", "/plan", "/help", "/privacy", "/return", "/export", "/delete")


def _command(update: Update) -> str | None:
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    return message.text.split()[0].split("@")[0].lower()


async def identify(update: Update, context: AppContext) -> None:
    """Resolve the client behind a private chat, and stop updates the bot must not act on."""
    chat = update.effective_chat
    if chat is None:
        raise ApplicationHandlerStop
    if chat.type != ChatType.PRIVATE:
        await _group_update(update, context)
        return
    async with context.services.sessionmaker.begin() as session:
        client = await clients.get_by_chat(session, chat_id=chat.id)
        if update.my_chat_member is not None:
            if client is not None:
                await _membership_changed(update, context, session, client)
        elif client is not None and client.status == ClientStatus.blocked:
            # They wrote to us, so they unblocked the bot: pick the taper up again.
            await lifecycle.resume(session, client=client, now=context.services.now())
    # Stop only after the transaction above has committed.
    if update.my_chat_member is not None:
        if client is not None and _blocked_us(update):
            await raise_alert(
                context,
                client,
                type=AlertType.blocked,
                severity=Severity.routine,
                evidence="the client blocked the bot on Telegram",
            )
        raise ApplicationHandlerStop
    context.client = client
    command = _command(update)
    if update.edited_message is not None:
        await context.bot.send_message(chat.id, text.EDITED)
        raise ApplicationHandlerStop
    if client is None:
        query = update.callback_query
        if command == ONBOARDING_COMMAND or (
            query and (query.data or "").startswith(ONBOARDING_CALLBACK)
        ):
            return
        if query is not None:
            await query.answer()
        elif update.message is not None:
            await update.message.reply_text(text.UNKNOWN_CHAT)
        raise ApplicationHandlerStop
    if client.status in lifecycle.ENDED and command not in AFTER_ENDING_COMMANDS:
        if update.callback_query is not None:
            await update.callback_query.answer()
        elif client.status == ClientStatus.stopped:
            words = {"clinic": client.clinic.name, "crisis": client.clinic.crisis_resources}
            await context.bot.send_message(chat.id, text.STOPPED_REPLY.format(**words))
            raise ApplicationHandlerStop
    if update.message is not None and not update.message.text:
        await update.message.reply_text(text.NOT_TEXT)
        raise ApplicationHandlerStop


def _blocked_us(update: Update) -> bool:
    member = update.my_chat_member
    return member is not None and member.new_chat_member.status in (
        ChatMember.BANNED,
        ChatMember.LEFT,
    )


async def _membership_changed(
    update: Update, context: AppContext, session: AsyncSession, client: Client
) -> None:
    if _blocked_us(update):
        logger.info("client %s blocked the bot", client.pseudonym)
        await mark_blocked(session, client_ids={client.id})
    elif client.status == ClientStatus.blocked:
        await lifecycle.resume(session, client=client, now=context.services.now())


async def _group_update(update: Update, context: AppContext) -> None:
    """Groups: the bot never talks to clients there. Staff groups are handled elsewhere."""
    staff_hook = context.bot_data.get("staff_group_filter")
    if staff_hook is not None and staff_hook(update):
        return
    if _command(update) is not None and update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text.NO_GROUPS)
    raise ApplicationHandlerStop
