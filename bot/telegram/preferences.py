"""Changing check-ins from the conversation: pause, a new time window, a new timezone."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.checkin import schedule
from bot.client import lifecycle
from bot.client import service as clients
from bot.clinic.service import check_timezone
from bot.errors import InvalidInput
from bot.escalation.replies import CHECKIN_WINDOWS
from bot.taper.time_words import describe
from bot.taper.window import parse_window
from bot.telegram.context import AppContext
from bot.telegram.keyboards import answer_quietly
from bot.telegram.replies import clear_buttons
from bot.texts import commands as command_text
from bot.texts import dialogue as text

# The longest timezone name repeated back; real IANA names are far shorter.
TIMEZONE_SHOWN = 64
# The prefix the handler map routes on (application.py); the codec owns it.
PREFIX = callbacks.PREFERENCE
# Each name is one the codec accepts (callbacks.WINDOW_NAMES).
WINDOWS = CHECKIN_WINDOWS


async def answer(update: Update, context: AppContext) -> None:
    """A tap on the pause offer or on a time-window button; anything forged is refused quietly."""
    query = update.callback_query
    assert query is not None
    tapped = callbacks.parse(query.data)
    await answer_quietly(query)
    if context.client is None or not isinstance(tapped, callbacks.Pause | callbacks.Window):
        return
    await clear_buttons(query)
    services = context.services
    now = services.now()
    reply: str | None = text.NOTHING_CHANGED
    async with services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=context.client.id)
        if client.status in lifecycle.ENDED:
            # An old offer tapped after stopping or graduating: nothing is planned again.
            reply = None
        elif isinstance(tapped, callbacks.Pause):
            if tapped.yes:
                paused = await lifecycle.pause(session, client=client)
                reply = command_text.PAUSED if paused else command_text.ALREADY_PAUSED
        elif tapped.name in WINDOWS:
            window = parse_window(WINDOWS[tapped.name])
            client.window_start, client.window_end = window.start, window.end
            await schedule.replan(session, client=client, now=now)
            due = await schedule.next_due(session, client_id=client.id)
            when = describe(due, client.timezone, now) if due else command_text.NEXT_NONE
            reply = text.SCHEDULE_DONE.format(window=str(window), next=when)
    if reply is not None:
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
        # Cut short: a pasted essay must not make the reply too long to send.
        shown = name[:TIMEZONE_SHOWN]
        await context.bot.send_message(
            context.client.chat_id or 0, text.TIMEZONE_BAD.format(timezone=shown)
        )
        return
    async with services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=context.client.id)
        if client.status in lifecycle.ENDED:
            # Nothing is planned again for someone who has stopped or graduated.
            reply = command_text.NOT_ACTIVE.format(clinic=client.clinic.name)
        else:
            client.timezone = name
            await schedule.replan(session, client=client, now=now)
            due = await schedule.next_due(session, client_id=client.id)
            when = describe(due, name, now) if due else command_text.NEXT_NONE
            reply = text.TIMEZONE_DONE.format(timezone=name, next=when)
    await context.bot.send_message(context.client.chat_id or 0, reply)
