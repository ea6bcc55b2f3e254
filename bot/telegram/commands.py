"""Commands a linked client uses: /plan, /help, /privacy, /pause, /resume, /stop."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.checkin import schedule
from bot.client import lifecycle
from bot.client import service as clients
from bot.client.models import Client
from bot.escalation import apply as escalation
from bot.plan import service as plans
from bot.plan.render import render_plan
from bot.taper.time_words import describe
from bot.telegram import keyboards
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons, send_text
from bot.texts import commands as text


def _clinic_words(client: Client, context: AppContext) -> dict[str, object]:
    clinic = client.clinic
    return {
        "clinic": clinic.name,
        "office_hours": clinic.office_hours,
        "crisis": clinic.crisis_resources,
        "retention_days": context.services.settings.free_text_retention_days,
        "name": client.display_name,
    }


async def show_plan(update: Update, context: AppContext) -> None:
    """/plan: the client's own relapse-prevention plan."""
    client = context.client
    assert client is not None
    async with context.services.sessionmaker() as session:
        plan = await plans.get_document(session, client_id=client.id)
    if plan is None:
        await context.bot.send_message(
            client.chat_id or 0, text.NOT_ACTIVE.format(clinic=client.clinic.name)
        )
        return
    body = render_plan(plan, name=client.display_name, crisis=client.clinic.crisis_resources)
    await send_text(context.bot, client.chat_id or 0, body)


async def show_help(update: Update, context: AppContext) -> None:
    """/help: what the bot can do, that it is automated, and when staff read messages."""
    assert context.client is not None
    words = _clinic_words(context.client, context)
    await send_text(context.bot, context.client.chat_id or 0, text.HELP.format(**words))


async def show_privacy(update: Update, context: AppContext) -> None:
    """/privacy: what is kept, for how long, and who reads it."""
    assert context.client is not None
    words = _clinic_words(context.client, context)
    await send_text(context.bot, context.client.chat_id or 0, text.PRIVACY.format(**words))


async def pause(update: Update, context: AppContext) -> None:
    """/pause: no check-ins until /resume."""
    assert context.client is not None
    async with context.services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=context.client.id)
        paused = await lifecycle.pause(session, client=client)
    reply = text.PAUSED if paused else text.ALREADY_PAUSED
    await context.bot.send_message(context.client.chat_id or 0, reply)


async def resume(update: Update, context: AppContext) -> None:
    """/resume: check-ins start again; what was missed while paused becomes one catch-up."""
    assert context.client is not None
    now = context.services.now()
    async with context.services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=context.client.id)
        resumed = await lifecycle.resume(session, client=client, now=now)
        due = await schedule.next_due(session, client_id=client.id)
    when = describe(due, client.timezone, now) if due else text.NEXT_NONE
    reply = (text.RESUMED if resumed else text.NOT_PAUSED).format(next=when)
    await context.bot.send_message(client.chat_id or 0, reply)


async def ask_stop(update: Update, context: AppContext) -> None:
    """/stop: asks first, because stopping ends every message."""
    assert context.client is not None
    await context.bot.send_message(
        context.client.chat_id or 0, text.STOP_CONFIRM, reply_markup=keyboards.stop_confirm()
    )


async def answer_stop(update: Update, context: AppContext) -> None:
    """The client confirms or cancels /stop."""
    query = update.callback_query
    assert query is not None
    pressed = callbacks.parse(query.data)
    await query.answer()
    if context.client is None or not isinstance(pressed, callbacks.Stop):
        return
    await clear_buttons(query)
    if not pressed.yes:
        await context.bot.send_message(context.client.chat_id or 0, text.STOP_CANCELLED)
        return
    async with context.services.sessionmaker.begin() as session:
        client = await clients.get(session, client_id=context.client.id)
        await lifecycle.stop(session, client=client)
        await escalation.client_stopped(session, client=client, now=context.services.now())
    words = _clinic_words(context.client, context)
    await context.bot.send_message(context.client.chat_id or 0, text.STOPPED.format(**words))
