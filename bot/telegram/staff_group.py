"""The clinic's staff group on Telegram: alert messages with buttons, linking, acting on alerts.

`TelegramAlertNotifier` implements the domain's `AlertNotifier`; `register` adds the handlers and
the filter the gatekeeper asks before letting a group update through.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.alert import flows, staff_link
from bot.alert.delivery import AlertView, NotifyError, StaffContact
from bot.alert.flows import ActResult
from bot.alert.models import Alert, AlertStatus
from bot.clinic.models import Clinic
from bot.telegram.context import AppContext
from bot.texts import alerts as text

logger = logging.getLogger(__name__)

ALERT = "al"
BUTTON = re.compile(rf"^{ALERT}:(\d+):(ack|res)$")
NOTE_PROMPT = re.compile(rf"^{re.escape(text.NOTE_PROMPT_START)}(\d+)\b")
GROUP_COMMANDS = ("/link", "/staff")
FILTER_KEY = "staff_group_filter"


def alert_buttons(alert_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text.ACK_BUTTON, callback_data=f"{ALERT}:{alert_id}:ack"),
                InlineKeyboardButton(text.RESOLVE_BUTTON, callback_data=f"{ALERT}:{alert_id}:res"),
            ]
        ]
    )


class TelegramAlertNotifier:
    """Tells the clinic's staff group (and admins in private) about alerts."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @staticmethod
    def _group(view: AlertView) -> int:
        if view.staff_chat_id is None:
            raise NotifyError(flows.NO_GROUP)
        return view.staff_chat_id

    async def announce(self, view: AlertView) -> int | None:
        try:
            message = await self.bot.send_message(
                self._group(view),
                text.render_alert(view),
                reply_markup=alert_buttons(view.alert_id),
            )
        except TelegramError as exc:
            raise NotifyError(f"Telegram refused the alert: {exc}") from exc
        return message.message_id

    async def update(self, view: AlertView) -> None:
        if view.staff_message_id is None:
            return
        resolved = view.status is AlertStatus.resolved
        try:
            await self.bot.edit_message_text(
                text.render_alert(view),
                chat_id=self._group(view),
                message_id=view.staff_message_id,
                reply_markup=None if resolved else alert_buttons(view.alert_id),
            )
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            raise NotifyError(f"Telegram refused the edit: {exc}") from exc
        except TelegramError as exc:
            raise NotifyError(f"Telegram refused the edit: {exc}") from exc

    async def remind(self, view: AlertView, overdue_by: timedelta) -> None:
        status = (
            text.STATUS_ACKNOWLEDGED.format(who=view.acknowledged_by)
            if view.acknowledged_by
            else text.STATUS_OPEN
        )
        body = text.REMINDER.format(
            **text.heading(view), overdue=text.duration(overdue_by), status=status
        )
        reply_to = (
            ReplyParameters(view.staff_message_id, allow_sending_without_reply=True)
            if view.staff_message_id
            else None
        )
        try:
            await self.bot.send_message(
                self._group(view),
                body,
                reply_parameters=reply_to,
                reply_markup=alert_buttons(view.alert_id),
            )
        except TelegramError as exc:
            raise NotifyError(f"Telegram refused the reminder: {exc}") from exc

    async def escalate(self, view: AlertView, admins: list[StaffContact]) -> None:
        private = text.ESCALATION.format(**text.heading(view))
        reachable = [(a.name, a.telegram_user_id) for a in admins if a.telegram_user_id]
        failed = [] if reachable else [text.NO_ADMIN_LINKED]
        for name, user_id in reachable:
            try:
                await self.bot.send_message(user_id, private)
            except TelegramError as exc:
                failed.append(f"{name}: {exc}")
        if view.staff_chat_id is not None:
            names = ", ".join(text.mention(a.name, a.telegram_user_id) for a in admins)
            body = text.ESCALATED_IN_GROUP.format(
                alert_id=view.alert_id, admins=names or text.NO_ADMIN_LINKED
            )
            try:
                await self.bot.send_message(view.staff_chat_id, body, parse_mode="HTML")
            except TelegramError as exc:
                failed.append(f"group: {exc}")
        if failed:
            raise NotifyError("; ".join(failed))


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
    return int(found.group(1)) if found else None


def is_staff_group_update(update: Update) -> bool:
    """Whether a group update is for the staff-group handlers (links, buttons, note replies)."""
    query = update.callback_query
    if query is not None:
        return BUTTON.match(query.data or "") is not None
    return _command(update) in GROUP_COMMANDS or _prompted_alert(update) is not None


async def link_group(update: Update, context: AppContext) -> None:
    """`/link <code>`: this group starts receiving the clinic's alerts."""
    message, chat = update.message, update.effective_chat
    assert message is not None and chat is not None
    if not context.args:
        await message.reply_text(text.LINK_USAGE)
        return
    async with context.services.sessionmaker.begin() as session:
        linked = await staff_link.link_group(
            session, code=context.args[0], chat_id=chat.id, now=context.services.now()
        )
    if linked.problem is None:
        logger.info("chat %s linked as the staff group of %s", chat.id, linked.clinic_name)
        await message.reply_text(text.GROUP_LINKED.format(clinic=linked.clinic_name))
    else:
        await message.reply_text(text.LINK_PROBLEMS[linked.problem])


async def link_staff(update: Update, context: AppContext) -> None:
    """`/staff <code>`: the sender's Telegram account becomes a known staff member."""
    message, chat, user = update.message, update.effective_chat, update.effective_user
    assert message is not None and chat is not None and user is not None
    if not context.args:
        await message.reply_text(text.STAFF_USAGE)
        return
    async with context.services.sessionmaker.begin() as session:
        linked = await staff_link.link_staff(
            session,
            code=context.args[0],
            chat_id=chat.id,
            telegram_user_id=user.id,
            now=context.services.now(),
        )
    if linked.problem is None:
        await message.reply_text(
            text.STAFF_LINKED.format(name=linked.staff_name, clinic=linked.clinic_name)
        )
    else:
        await message.reply_text(text.LINK_PROBLEMS[linked.problem])


async def _refusal(context: AppContext, alert_id: int, result: ActResult) -> str:
    if result is ActResult.not_staff:
        async with context.services.sessionmaker() as session:
            alert = await session.get(Alert, alert_id)
            clinic = await session.get(Clinic, alert.clinic_id) if alert else None
        return text.ONLY_STAFF.format(clinic=clinic.name) if clinic else text.NOT_LINKED_STAFF
    return text.REFUSALS[result]


async def press_alert_button(update: Update, context: AppContext) -> None:
    """Acknowledge records who pressed it; Resolve asks that person for a note first."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    found = BUTTON.match(query.data or "")
    assert found is not None
    alert_id, action = int(found.group(1)), found.group(2)
    result = await flows.act(
        context.services.sessionmaker,
        TelegramAlertNotifier(context.bot),
        alert_id=alert_id,
        telegram_user_id=user.id,
        action="ack" if action == "ack" else "resolve",
        now=context.services.now(),
    )
    if result is ActResult.done:
        await query.answer(text.ACKNOWLEDGED_TOAST)
        return
    if result is not ActResult.note_needed:
        await query.answer(await _refusal(context, alert_id, result), show_alert=True)
        return
    await query.answer()
    assert query.message is not None
    prompt = text.NOTE_PROMPT.format(alert_id=alert_id, who=text.mention(user.full_name, user.id))
    await context.bot.send_message(
        query.message.chat.id,
        prompt,
        parse_mode="HTML",
        reply_parameters=ReplyParameters(
            query.message.message_id, allow_sending_without_reply=True
        ),
        reply_markup=ForceReply(selective=True, input_field_placeholder=text.NOTE_PLACEHOLDER),
    )


async def resolve_with_note(update: Update, context: AppContext) -> None:
    """A reply to the note prompt resolves the alert with that note, recording who wrote it."""
    message, user = update.message, update.effective_user
    alert_id = _prompted_alert(update)
    if message is None or user is None or alert_id is None:
        return
    assert message.reply_to_message is not None and message.reply_to_message.from_user
    if message.reply_to_message.from_user.id != context.bot.id:
        return
    note = (message.text or "").strip()
    if not note:
        await message.reply_text(text.NOTE_EMPTY)
        return
    result = await flows.act(
        context.services.sessionmaker,
        TelegramAlertNotifier(context.bot),
        alert_id=alert_id,
        telegram_user_id=user.id,
        action="resolve",
        note=note,
        now=context.services.now(),
    )
    if result is ActResult.done:
        await message.reply_text(text.RESOLVED_REPLY.format(alert_id=alert_id))
    else:
        await message.reply_text(await _refusal(context, alert_id, result))


def register(application: Application[Any, AppContext, Any, Any, Any, Any]) -> None:
    """Add the staff-group handlers and let the gatekeeper pass their updates through."""
    groups = filters.ChatType.GROUPS
    application.bot_data[FILTER_KEY] = is_staff_group_update
    application.add_handlers(
        [
            CommandHandler("link", link_group, filters=groups),
            CommandHandler("staff", link_staff, filters=groups),
            CallbackQueryHandler(press_alert_button, pattern=BUTTON),
            MessageHandler(
                groups & filters.REPLY & filters.TEXT & ~filters.COMMAND, resolve_with_note
            ),
        ]
    )
