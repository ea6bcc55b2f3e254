"""Runs before every handler (group -1): who is writing, and whether the bot should answer."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.checkin.service import mark_blocked
from bot.client import lifecycle
from bot.client import service as clients
from bot.client.models import ClientStatus
from bot.conversation.flow import receive
from bot.escalation import apply as escalation
from bot.telegram.context import AppContext
from bot.telegram.conversation import inbound_of
from bot.texts import commands as text

logger = logging.getLogger(__name__)

# What an unlinked private chat may still do: open an invite link and answer the notice.
ONBOARDING_COMMAND = "/start"
ONBOARDING_CALLBACK = "consent:"
# What a client who has ended aftercare can still use.
AFTER_ENDING_COMMANDS = ("/start", "/plan", "/help", "/privacy", "/return", "/export", "/delete")
# Buttons that keep working after the end: the crisis walk-through and direct question, and
# the data-rights steps.
AFTER_ENDING_CALLBACKS = ("cr:", "ask:", "del:")


def _command(update: Update, bot_username: str | None = None) -> str | None:
    """`/name` of a command to this bot; a command to another bot keeps its `@target`."""
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    name, _, target = message.text.split()[0].lower().partition("@")
    if target and bot_username and target != bot_username.lower():
        return f"{name}@{target}"
    return name


async def identify(update: Update, context: AppContext) -> None:
    """Resolve the client behind a private chat; send every piece of free text to the flow."""
    chat = update.effective_chat
    if chat is None:
        raise ApplicationHandlerStop
    if chat.type != ChatType.PRIVATE:
        await _group_update(update, context)
        return
    if update.my_chat_member is not None:
        await _membership_changed(update, context, chat.id)
        raise ApplicationHandlerStop
    command = _command(update, context.bot.username)
    inbound = None if command else inbound_of(update)
    if inbound is not None:
        # Every message meets the safety net: new, edited or a caption, from anyone.
        await receive(context.services, inbound)
        raise ApplicationHandlerStop
    async with context.services.sessionmaker() as session:
        client = await clients.get_by_chat(session, chat_id=chat.id)
    context.client = client
    query = update.callback_query
    if client is None:
        if command == ONBOARDING_COMMAND or (
            query and (query.data or "").startswith(ONBOARDING_CALLBACK)
        ):
            return
        await _refuse(update, context, text.UNKNOWN_CHAT)
        raise ApplicationHandlerStop
    if client.status in lifecycle.ENDED and query is not None:
        if (query.data or "").startswith(AFTER_ENDING_CALLBACKS):
            return
        await _refuse(update, context, None)
        raise ApplicationHandlerStop
    if client.status is ClientStatus.stopped and command not in AFTER_ENDING_COMMANDS:
        words = {
            "clinic": client.clinic.name,
            "crisis": client.clinic.crisis_resources,
            "emergency": client.clinic.emergency_number,
        }
        await _refuse(update, context, text.STOPPED_REPLY.format(**words))
        raise ApplicationHandlerStop
    if update.message is not None and not update.message.text:
        await _refuse(update, context, text.NOT_TEXT)
        raise ApplicationHandlerStop


async def _refuse(update: Update, context: AppContext, reply: str | None) -> None:
    """Answer what the bot will not act on: a quiet answer to a press, or one line of text."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    elif reply is not None and update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, reply)


def _blocked_us(update: Update) -> bool:
    member = update.my_chat_member
    return member is not None and member.new_chat_member.status in (
        ChatMember.BANNED,
        ChatMember.LEFT,
    )


async def _membership_changed(update: Update, context: AppContext, chat_id: int) -> None:
    """Blocked: no more check-ins, and the clinic hears of it. Unblocked: the taper resumes."""
    services = context.services
    now = services.now()
    async with services.sessionmaker.begin() as session:
        client = await clients.get_by_chat(session, chat_id=chat_id)
        if client is None:
            return
        if _blocked_us(update):
            if client.status is ClientStatus.active:
                logger.info("client %s blocked the bot", client.pseudonym)
                await mark_blocked(session, client_ids={client.id})
                await escalation.client_blocked(session, client=client, now=now)
        elif client.status == ClientStatus.blocked:
            await lifecycle.resume(session, client=client, now=now)


async def _group_update(update: Update, context: AppContext) -> None:
    """Groups: the bot never talks to clients there. Staff groups are handled elsewhere."""
    staff_hook = context.bot_data.get("staff_group_filter")
    if staff_hook is not None and staff_hook(update):
        return
    if _command(update) is not None and update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text.NO_GROUPS)
    raise ApplicationHandlerStop
