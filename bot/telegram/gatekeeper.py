"""Runs before every handler (group -1): every private message goes to the inbound flow, whatever
its shape (text, command, caption, edit, sticker); taps find their client; groups are refused
unless they are a clinic's staff group."""

from __future__ import annotations

import dataclasses
import logging

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot import button_data
from bot.alert import outcomes as staff_group_health
from bot.client import actions
from bot.client import service as clients
from bot.client.models import ENDED
from bot.clinic import service as clinics
from bot.conversation.flow import receive
from bot.escalation import replies
from bot.telegram.context import AppContext
from bot.telegram.inbound import inbound_of
from bot.telegram.keyboards import answer_quietly
from bot.texts import commands as text

logger = logging.getLogger(__name__)

# Buttons that keep working after the end: the crisis walk-through and direct question, and
# the data-rights steps.
AFTER_ENDING_CALLBACKS = (
    f"{button_data.CRISIS}:",
    f"{button_data.QUESTION}:",
    f"{button_data.DELETE}:",
    f"{button_data.PREFERENCE}:lang:",
)
LEFT = (ChatMember.BANNED, ChatMember.LEFT)
# Telegram's ids have at most 52 significant bits; anything larger is forged, and would
# overflow the database's 64-bit integers (SQLite raises OverflowError).
TELEGRAM_ID_LIMIT = 2**53


def _ids(update: Update) -> list[int]:
    """Every id from Telegram that a handler may look up in the database."""
    found: list[int] = []
    for message in (
        update.effective_message,
        getattr(update.effective_message, "reply_to_message", None),
    ):
        if message is None:
            continue
        found += [message.message_id, message.chat.id]
        found += [m for m in (message.migrate_to_chat_id, message.migrate_from_chat_id) if m]
        if message.from_user is not None:
            found.append(message.from_user.id)
    for holder in (update.effective_chat, update.effective_user):
        if holder is not None:
            found.append(holder.id)
    return found


def ids_in_range(update: Update) -> bool:
    """Whether every id in the update is one Telegram could have sent."""
    return all(-TELEGRAM_ID_LIMIT < value < TELEGRAM_ID_LIMIT for value in _ids(update))


async def identify(update: Update, context: AppContext) -> None:
    """Send every private message to the flow; resolve the client behind a tap."""
    chat = update.effective_chat
    if chat is None:
        raise ApplicationHandlerStop
    if not ids_in_range(update):
        logger.warning("update %s carries an id Telegram never sends: ignored", update.update_id)
        raise ApplicationHandlerStop
    if chat.type != ChatType.PRIVATE:
        await _group_update(update, context)
        return
    if update.my_chat_member is not None:
        await _membership_changed(update, context, chat.id)
        raise ApplicationHandlerStop
    inbound = inbound_of(update, context.bot.username)
    if inbound is not None:
        runner = context.runner
        if runner is not None and update.update_id in runner.resourced:
            inbound = dataclasses.replace(inbound, resources_sent=True)
        handled = await receive(context.services, inbound)
        if runner is not None and handled.resources is not None:
            runner.clinics.keep(chat.id, handled.resources)
        raise ApplicationHandlerStop
    query = update.callback_query
    if query is None:
        raise ApplicationHandlerStop
    async with context.services.sessionmaker() as session:
        client = await clients.get_by_chat(session, chat_id=chat.id)
    context.client = client
    data = query.data or ""
    if client is None:
        if button_data.has_prefix(data, button_data.CONSENT):
            return
        await answer_quietly(query)
        raise ApplicationHandlerStop
    if client.status in ENDED and not data.startswith(AFTER_ENDING_CALLBACKS):
        await answer_quietly(query)
        raise ApplicationHandlerStop


async def _membership_changed(update: Update, context: AppContext, chat_id: int) -> None:
    """Blocked: no more check-ins, and the clinic hears of it. Unblocked: the taper resumes."""
    member = update.my_chat_member
    assert member is not None
    services = context.services
    now = services.now()
    async with services.writing() as session:
        client = await clients.get_by_chat(session, chat_id=chat_id)
        if client is None:
            return
        if member.new_chat_member.status in LEFT:
            await actions.mark_blocked(session, client=client, now=now)
        else:
            await actions.unblock(session, client=client, now=now)


async def _group_update(update: Update, context: AppContext) -> None:
    """Groups: the bot never talks to clients there. A staff group's own updates go on to their
    handlers; its move to a supergroup keeps it linked."""
    message, chat = update.message, update.effective_chat
    assert chat is not None
    services = context.services
    if message is not None and (message.migrate_to_chat_id or message.migrate_from_chat_id):
        old, new = (
            (chat.id, message.migrate_to_chat_id)
            if message.migrate_to_chat_id
            else (message.migrate_from_chat_id, chat.id)
        )
        assert old is not None and new is not None
        async with services.writing() as session:
            await clinics.move_staff_group(session, old_chat_id=old, new_chat_id=new)
        raise ApplicationHandlerStop
    member = update.my_chat_member
    if member is not None:
        if member.new_chat_member.status in LEFT:
            async with services.writing() as session:
                await staff_group_health.staff_group_not_receiving(
                    session,
                    chat_id=chat.id,
                    reason="the bot was removed from the group",
                    now=services.now(),
                )
        raise ApplicationHandlerStop
    staff_hook = context.bot_data.get("staff_group_filter")
    if staff_hook is not None and staff_hook(update):
        return
    text_ = message.text if message is not None else None
    if text_ and text_.startswith("/"):
        async with services.writing() as session:
            replies.say_to_chat(session, chat.id, text.NO_GROUPS, services.now())
    raise ApplicationHandlerStop
