"""The clinic's staff group on Telegram: linking, and staff acting on alert buttons and notes.

The alert messages themselves are outbox rows (bot/alert/raising.py); `register` adds the
handlers and the filter the gatekeeper asks before letting a group update through.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import select
from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import button_data
from bot.alert import flows, staff_link
from bot.alert.flows import ActResult
from bot.alert.models import Alert
from bot.clinic.models import Clinic
from bot.secret_codes import hash_code
from bot.staff import group_replies
from bot.staff.models import Staff
from bot.telegram import keyboards
from bot.telegram.context import AppContext
from bot.texts import alerts as text

logger = logging.getLogger(__name__)

# Every tap whose data claims this prefix reaches `press_alert_button`, which parses it and
# refuses what is forged; the handler map routes on it.
ALERT = button_data.ALERT
NOTE_PROMPT = re.compile(rf"^{re.escape(text.NOTE_PROMPT_START)}([0-9]+)\b")
GROUP_COMMANDS = ("/link", "/staff")
FILTER_KEY = "staff_group_filter"


def _command(update: Update) -> str | None:
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    return message.text.split()[0].split("@")[0].lower()


def _prompted_alert(update: Update) -> int | None:
    """The alert id of the bot's note prompt this message replies to, if it is one."""
    message = update.message
    reply = message.reply_to_message if message is not None else None
    if reply is None or reply.from_user is None or not reply.from_user.is_bot:
        return None
    found = NOTE_PROMPT.match(reply.text or "")
    if found is None:
        return None
    # Checked like a button's id: a forged prompt's huge number finds no alert, and no error.
    digits = found.group(1)
    return int(digits) if len(digits) <= 10 and int(digits) <= button_data.MAX_ID else 0


def is_staff_group_update(update: Update) -> bool:
    """Whether a group update is for the staff-group handlers (links, buttons, note replies)."""
    query = update.callback_query
    if query is not None:
        return button_data.has_prefix(query.data, ALERT)
    return _command(update) in GROUP_COMMANDS or _prompted_alert(update) is not None


async def _reply(
    context: AppContext, message: Message, reply: str, *, prompt: str | None = None
) -> None:
    """Answer `message` in its group, through the outbox like every message the bot sends."""
    async with context.services.sessionmaker.begin() as session:
        group_replies.reply_in_group(
            session,
            chat_id=message.chat.id,
            text=reply,
            now=context.services.now(),
            reply_to=message.message_id,
            prompt=prompt,
            html=prompt is not None,
        )


async def link_group(update: Update, context: AppContext) -> None:
    """`/link <code>`: this group starts receiving the clinic's alerts."""
    message, chat = update.message, update.effective_chat
    assert message is not None and chat is not None
    if not context.args:
        await _reply(context, message, text.LINK_USAGE)
        return
    async with context.services.sessionmaker.begin() as session:
        linked = await staff_link.link_group(
            session, code=context.args[0], chat_id=chat.id, now=context.services.now()
        )
    if linked.problem is None:
        logger.info("chat %s linked as the staff group of %s", chat.id, linked.clinic_name)
        await _reply(context, message, text.GROUP_LINKED.format(clinic=linked.clinic_name))
    else:
        await _reply(context, message, text.LINK_PROBLEMS[linked.problem])


async def link_staff(update: Update, context: AppContext) -> None:
    """`/staff <code>`: the sender's Telegram account becomes a known staff member."""
    message, chat, user = update.message, update.effective_chat, update.effective_user
    assert message is not None and chat is not None and user is not None
    if not context.args:
        await _reply(context, message, text.STAFF_USAGE)
        return
    code = context.args[0]
    async with context.services.sessionmaker.begin() as session:
        # A deactivated person's code links nothing, even one issued before they left.
        member = await session.scalar(select(Staff).where(Staff.link_code_hash == hash_code(code)))
        if member is not None and member.deactivated_at is not None:
            reply = text.STAFF_CODE_DEACTIVATED
        else:
            linked = await staff_link.link_staff(
                session,
                code=code,
                chat_id=chat.id,
                telegram_user_id=user.id,
                now=context.services.now(),
            )
            reply = (
                text.STAFF_LINKED.format(name=linked.staff_name, clinic=linked.clinic_name)
                if linked.problem is None
                else text.LINK_PROBLEMS[linked.problem]
            )
    await _reply(context, message, reply)


async def _refusal(context: AppContext, alert_id: int, user_id: int, result: ActResult) -> str:
    """Why a press or note was refused. `not_found` (no such alert, or not this clinic's staff
    group) always gets the one generic line, so nobody can probe which alert ids exist."""
    if result is ActResult.not_staff:
        async with context.services.sessionmaker() as session:
            member = await session.scalar(select(Staff).where(Staff.telegram_user_id == user_id))
            alert = await session.get(Alert, alert_id)
            clinic = await session.get(Clinic, alert.clinic_id) if alert else None
        if member is not None and member.deactivated_at is not None:
            return text.STAFF_DEACTIVATED
        if member is not None and clinic is not None and member.clinic_id == clinic.id:
            return text.ONLY_QUEUE_STAFF
        return text.ONLY_STAFF.format(clinic=clinic.name) if clinic else text.NOT_LINKED_STAFF
    return text.REFUSALS[result]


async def press_alert_button(update: Update, context: AppContext) -> None:
    """Acknowledge records who pressed it; Resolve asks that person for a note first.

    Only in the alert's clinic's staff group: anywhere else, and for forged data or an unknown
    alert, the answer is the same short generic line.
    """
    query, user = update.callback_query, update.effective_user
    assert query is not None
    pressed = button_data.parse(query.data)
    chat_id = query.message.chat.id if query.message is not None else None
    if not isinstance(pressed, button_data.AlertPress) or user is None or chat_id is None:
        await keyboards.answer_quietly(query, text.NOT_HERE)
        return
    alert_id = pressed.alert_id
    result = await flows.act(
        context.services.sessionmaker,
        alert_id=alert_id,
        telegram_user_id=user.id,
        chat_id=chat_id,
        action=pressed.action,
        now=context.services.now(),
    )
    if result is ActResult.done:
        await keyboards.answer_quietly(query, text.ACKNOWLEDGED_TOAST)
        return
    if result is ActResult.not_found:
        await keyboards.answer_quietly(query, text.NOT_HERE)
        return
    if result is not ActResult.note_needed:
        refusal = await _refusal(context, alert_id, user.id, result)
        await query.answer(refusal, show_alert=True)
        return
    await keyboards.answer_quietly(query)
    assert query.message is not None
    prompt = text.NOTE_PROMPT.format(alert_id=alert_id, who=text.mention(user.full_name, user.id))
    assert isinstance(query.message, Message)
    await _reply(context, query.message, prompt, prompt=text.NOTE_PLACEHOLDER)


async def resolve_with_note(update: Update, context: AppContext) -> None:
    """A reply to the note prompt resolves the alert with that note, recording who wrote it."""
    message, user = update.message, update.effective_user
    alert_id = _prompted_alert(update)
    if message is None or user is None or alert_id is None:
        return
    assert message.reply_to_message is not None and message.reply_to_message.from_user
    if message.reply_to_message.from_user.id != context.bot.id:
        return
    if alert_id == 0:
        await _reply(context, message, text.NOT_HERE)
        return
    note = (message.text or "").strip()
    if not note:
        await _reply(context, message, text.NOTE_EMPTY)
        return
    result = await flows.act(
        context.services.sessionmaker,
        alert_id=alert_id,
        telegram_user_id=user.id,
        chat_id=message.chat.id,
        action="resolve",
        note=note,
        now=context.services.now(),
    )
    if result is ActResult.done:
        await _reply(context, message, text.RESOLVED_REPLY.format(alert_id=alert_id))
    else:
        await _reply(context, message, await _refusal(context, alert_id, user.id, result))


def register(application: Application[Any, AppContext, Any, Any, Any, Any]) -> None:
    """Add the staff-group handlers and let the gatekeeper pass their updates through."""
    groups = filters.ChatType.GROUPS
    application.bot_data[FILTER_KEY] = is_staff_group_update
    application.add_handlers(
        [
            CommandHandler("link", link_group, filters=groups),
            CommandHandler("staff", link_staff, filters=groups),
            CallbackQueryHandler(press_alert_button, pattern=f"^{ALERT}:"),
            MessageHandler(
                groups & filters.REPLY & filters.TEXT & ~filters.COMMAND, resolve_with_note
            ),
        ]
    )
