"""A check-in in the chat: taps on mood, warning signs, Done, None of these, Skip."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import callbacks
from bot.client import service as clients
from bot.conversation import checkin_taps as flow
from bot.outbox.models import Buttons
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons


def markup_of(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


async def answer_button(update: Update, context: AppContext) -> None:
    """The client taps a check-in button: saved, weighed and answered in one transaction."""
    query = update.callback_query
    assert query is not None
    client = context.client
    pressed = callbacks.parse(query.data)
    if client is None or not isinstance(pressed, callbacks.CheckinTap):
        await query.answer()
        return
    services = context.services
    async with services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=client.id)
        tapped = await flow.tap(
            session,
            client,
            checkin_id=pressed.checkin_id,
            action=pressed.action,
            value=pressed.value,
            now=services.now(),
        )
    await query.answer(tapped.toast)
    await clear_buttons(query, markup_of(tapped.buttons))
