"""The client's data in the chat: /export sends a copy as a file; /delete erases it, asked twice."""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.client import erasure
from bot.client.data_export import build_export, export_day, export_file, export_filename
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons, send_text
from bot.texts import data_rights as text

logger = logging.getLogger(__name__)

DELETE = callbacks.DELETE
FIRST_YES = callbacks.delete("first")
SECOND_YES = callbacks.delete("second")
CANCEL = callbacks.delete("cancel")


def _buttons(yes: tuple[str, str], no: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in (yes, no)]]
    )


def delete_ask() -> InlineKeyboardMarkup:
    return _buttons((text.DELETE_YES, FIRST_YES), (text.DELETE_KEEP, CANCEL))


def delete_confirm() -> InlineKeyboardMarkup:
    return _buttons((text.DELETE_ALL, SECOND_YES), (text.DELETE_CANCEL, CANCEL))


async def send_export(update: Update, context: AppContext) -> None:
    """/export: the client gets a file with everything kept about them, and what it contains."""
    client = context.client
    assert client is not None
    services = context.services
    now = services.now()
    retention_days = services.settings.free_text_retention_days
    async with services.sessionmaker() as session:
        export = await build_export(
            session, client_id=client.id, now=now, retention_days=retention_days
        )
    chat_id = client.chat_id or 0
    day = export_day(client, now)
    await context.bot.send_document(
        chat_id,
        document=export_file(export),
        filename=export_filename(client, now),
        caption=text.EXPORT_CAPTION.format(date=f"{day.day} {day:%B %Y}"),
    )
    await send_text(
        context.bot,
        chat_id,
        text.EXPORT_SENT.format(retention_days=retention_days, clinic=client.clinic.name),
    )


async def ask_delete(update: Update, context: AppContext) -> None:
    """/delete: first of two questions, because erasing cannot be undone."""
    assert context.client is not None
    await context.bot.send_message(
        context.client.chat_id or 0, text.DELETE_ASK, reply_markup=delete_ask()
    )


async def _answer(query: CallbackQuery) -> None:
    # The gatekeeper may already have answered a tap from a client who has ended aftercare.
    try:
        await query.answer()
    except BadRequest as exc:
        logger.debug("callback already answered: %s", exc)


async def answer_delete(update: Update, context: AppContext) -> None:
    """The client taps yes once (asked again), yes twice (erased), or cancel (nothing changes)."""
    query = update.callback_query
    client = context.client
    assert query is not None and client is not None
    pressed = callbacks.parse(query.data)
    await _answer(query)
    if not isinstance(pressed, callbacks.Delete):
        return
    await clear_buttons(query)
    chat_id = client.chat_id or 0
    clinic = client.clinic
    if pressed.step == "first":
        await context.bot.send_message(
            chat_id, text.DELETE_CONFIRM.format(clinic=clinic.name), reply_markup=delete_confirm()
        )
        return
    if pressed.step != "second":
        await context.bot.send_message(chat_id, text.DELETE_CANCELLED)
        return
    services = context.services
    async with services.sessionmaker.begin() as session:
        receipt = await erasure.erase_client(session, client_id=client.id, now=services.now())
    logger.info("client %s erased their data: %s", receipt.pseudonym, receipt)
    # The chat is unlinked now, so this goes to the chat id captured before the erasure.
    await send_text(
        context.bot,
        chat_id,
        text.DELETED.format(
            clinic=clinic.name, emergency=clinic.emergency_number, crisis=clinic.crisis_resources
        ),
    )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """/export, /delete and the two-step confirmation buttons, for group 0."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("export", send_export, filters=private),
        CommandHandler("delete", ask_delete, filters=private),
        CallbackQueryHandler(answer_delete, pattern=f"^{DELETE}:"),
    ]


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the handlers; call it before the catch-all command handler in group 0."""
    application.add_handlers(handlers())
