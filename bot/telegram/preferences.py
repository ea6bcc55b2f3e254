"""Changing check-ins from the conversation: pause, a new time window, a new timezone."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.checkin import schedule
from bot.client import lifecycle
from bot.client import service as clients
from bot.client.local_time import describe
from bot.clinic.service import check_timezone
from bot.errors import InvalidInput
from bot.taper.window import parse_window
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons
from bot.texts import commands as command_text
from bot.texts import dialogue as text

PREFIX = "pref"
WINDOWS = {
    "morning": "08:00-10:00",
    "midday": "12:00-14:00",
    "evening": "18:00-20:00",
    "late": "20:00-22:00",
}


def pause_offer() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text.PAUSE_YES, callback_data=f"{PREFIX}:pause:yes"),
                InlineKeyboardButton(text.PAUSE_NO, callback_data=f"{PREFIX}:pause:no"),
            ]
        ]
    )


def window_offer() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(f"{name.title()} {span}", callback_data=f"{PREFIX}:win:{name}")
        for name, span in WINDOWS.items()
    ]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:]])


async def answer(update: Update, context: AppContext) -> None:
    """A tap on the pause offer or on a time-window button."""
    query = update.callback_query
    assert query and query.data and context.client is not None
    await query.answer()
    await clear_buttons(query)
    _, kind, choice = query.data.split(":")
    services = context.services
    now = services.now()
    reply = text.NOTHING_CHANGED
    async with services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=context.client.id)
        if kind == "pause" and choice == "yes":
            await lifecycle.pause(session, client=client)
            reply = command_text.PAUSED
        elif kind == "win" and choice in WINDOWS:
            window = parse_window(WINDOWS[choice])
            client.window_start, client.window_end = window.start, window.end
            await schedule.replan(session, client=client, now=now)
            due = await schedule.next_due(session, client_id=client.id)
            when = describe(due, client.timezone, now) if due else command_text.NEXT_NONE
            reply = text.SCHEDULE_DONE.format(window=str(window), next=when)
    await context.bot.send_message(context.client.chat_id or 0, reply)


async def timezone_command(update: Update, context: AppContext) -> None:
    """/timezone Europe/Paris: check-ins follow the client's local time."""
    assert context.client is not None
    name = (context.args or [""])[0]
    services = context.services
    now = services.now()
    try:
        check_timezone(name)
    except InvalidInput:
        await context.bot.send_message(
            context.client.chat_id or 0, text.TIMEZONE_BAD.format(timezone=name)
        )
        return
    async with services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=context.client.id)
        client.timezone = name
        await schedule.replan(session, client=client, now=now)
        due = await schedule.next_due(session, client_id=client.id)
        when = describe(due, name, now) if due else command_text.NEXT_NONE
    await context.bot.send_message(
        context.client.chat_id or 0, text.TIMEZONE_DONE.format(timezone=name, next=when)
    )
