"""What each command answers, and the buttons that confirm /stop and /delete. Every change goes
through the client's one-door actions; every answer is an outbox row in the caller's transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot import button_data
from bot.client import actions
from bot.client.data_export import export_day, export_file, export_filename
from bot.client.models import ENDED, Client
from bot.conversation import crisis_walk, joining
from bot.errors import InvalidInput
from bot.escalation import apply, replies
from bot.outbox import service as outbox
from bot.outbox.models import Buttons, Lane, Purpose
from bot.plan import service as plans
from bot.plan.render import render_plan
from bot.services import Services
from bot.taper.time_words import describe
from bot.texts import commands as text
from bot.texts import data_rights as rights_text
from bot.texts import dialogue as dialogue_text
from bot.texts import time_words as time_text
from bot.texts.translation import SUPPORTED, translator_for

if TYPE_CHECKING:
    from bot.conversation.flow import Inbound

logger = logging.getLogger(__name__)

# The longest timezone name repeated back; real IANA names are far shorter.
TIMEZONE_SHOWN = 64

Command = Callable[[AsyncSession, Services, Client, "Inbound", datetime], Awaitable[None]]


def _words(services: Services, client: Client) -> dict[str, object]:
    clinic = client.clinic
    return {
        "clinic": clinic.name,
        "office_hours": clinic.office_hours,
        "crisis": clinic.resources_in(translator_for(client).language),
        "emergency": clinic.emergency_number,
        "retention": translator_for(client).count(
            time_text.DAYS, services.settings.free_text_retention_days
        ),
        "name": client.display_name,
    }


def _say(
    session: AsyncSession, client: Client, body: str, now: datetime, buttons: Buttons | None = None
) -> None:
    replies.say(session, client, body, now, buttons=buttons)


async def show_plan(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    """/plan: the client's own relapse-prevention plan."""
    t = translator_for(client)
    plan = await plans.get_document(session, client_id=client.id)
    if plan is None:
        _say(session, client, t(text.NOT_ACTIVE).format(clinic=client.clinic.name), now)
        return
    body = render_plan(
        plan, name=client.display_name, crisis=client.clinic.resources_in(t.language)
    )
    _say(session, client, body, now)


async def show_help(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    """/help (and any command the bot does not know): what it can do, that it is automated,
    and when staff read messages."""
    t = translator_for(client)
    _say(session, client, t(text.HELP).format(**_words(services, client)), now)


async def show_privacy(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    t = translator_for(client)
    _say(session, client, t(text.PRIVACY).format(**_words(services, client)), now)


async def pause(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    t = translator_for(client)
    if client.status in ENDED:
        _say(session, client, t(text.NOT_ACTIVE).format(clinic=client.clinic.name), now)
        return
    changed = await actions.pause(session, client=client, now=now)
    _say(session, client, t(text.PAUSED) if changed.changed else t(text.ALREADY_PAUSED), now)


async def resume(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    """/resume: check-ins start again; what was missed while paused becomes one catch-up."""
    t = translator_for(client)
    if client.status in ENDED:
        _say(session, client, t(text.NOT_ACTIVE).format(clinic=client.clinic.name), now)
        return
    changed = await actions.resume(session, client=client, now=now)
    due = changed.next_due
    when = describe(due, client.timezone, now) if due else t(text.NEXT_NONE)
    reply = t(text.RESUMED) if changed.changed else t(text.NOT_PAUSED)
    _say(session, client, reply.format(next=when), now)


async def ask_stop(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    """/stop: asks first, because stopping ends every message."""
    t = translator_for(client)
    buttons = [
        [(t(text.STOP_YES), button_data.stop(True)), (t(text.STOP_NO), button_data.stop(False))]
    ]
    _say(session, client, t(text.STOP_CONFIRM), now, buttons)


async def answer_stop(
    session: AsyncSession, services: Services, client: Client, *, yes: bool, now: datetime
) -> None:
    t = translator_for(client)
    if not yes:
        _say(session, client, t(text.STOP_CANCELLED), now)
        return
    await actions.stop(session, client=client, now=now)
    _say(session, client, t(text.STOPPED).format(**_words(services, client)), now)


async def request_return(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    await apply.return_request(session, client, "command", now)


async def set_timezone(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    """/timezone Europe/Paris: check-ins follow the client's local time."""
    t = translator_for(client)
    name = inbound.argument
    try:
        changed = await actions.change_timezone(session, client=client, timezone=name, now=now)
    except actions.ClientEnded:
        _say(session, client, t(text.NOT_ACTIVE).format(clinic=client.clinic.name), now)
        return
    except InvalidInput:
        # Cut short: a pasted essay must not make the reply too long to send.
        reply = t(dialogue_text.TIMEZONE_BAD).format(timezone=name[:TIMEZONE_SHOWN])
        _say(session, client, reply, now)
        return
    due = changed.next_due
    when = describe(due, name, now) if due else t(text.NEXT_NONE)
    _say(session, client, t(dialogue_text.TIMEZONE_DONE).format(timezone=name, next=when), now)


async def send_export(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    """/export: a file with everything kept about them, then what it contains."""
    t = translator_for(client)
    retention_days = services.settings.free_text_retention_days
    export = await actions.export(
        session, client_id=client.id, now=now, retention_days=retention_days
    )
    assert client.chat_id is not None
    day = export_day(client, now)
    outbox.enqueue(
        session,
        lane=Lane.reply,
        purpose=Purpose.export,
        chat_id=client.chat_id,
        client_id=client.id,
        text=t(rights_text.EXPORT_CAPTION).format(date=t.full_date(day)),
        document=export_file(export),
        filename=export_filename(client, now),
        now=now,
    )
    words = {"retention": t.count(time_text.DAYS, retention_days), "clinic": client.clinic.name}
    _say(session, client, t(rights_text.EXPORT_SENT).format(**words), now)


async def ask_delete(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    """/delete: first of two questions, because erasing cannot be undone."""
    t = translator_for(client)
    buttons = [
        [
            (t(rights_text.DELETE_YES), button_data.delete("first")),
            (t(rights_text.DELETE_KEEP), button_data.delete("cancel")),
        ]
    ]
    _say(session, client, t(rights_text.DELETE_ASK), now, buttons)


async def answer_delete(session: AsyncSession, client: Client, *, step: str, now: datetime) -> None:
    """Yes once (asked again), yes twice (erased), or cancel (nothing changes)."""
    t = translator_for(client)
    clinic = client.clinic
    if step == "first":
        buttons = [
            [
                (t(rights_text.DELETE_ALL), button_data.delete("second")),
                (t(rights_text.DELETE_CANCEL), button_data.delete("cancel")),
            ]
        ]
        body = t(rights_text.DELETE_CONFIRM).format(clinic=clinic.name)
        _say(session, client, body, now, buttons)
        return
    if step != "second":
        _say(session, client, t(rights_text.DELETE_CANCELLED), now)
        return
    chat_id = client.chat_id
    goodbye = t(rights_text.DELETED).format(
        clinic=clinic.name,
        emergency=clinic.emergency_number,
        crisis=clinic.resources_in(t.language),
    )
    receipt = await actions.erase(session, client_id=client.id, now=now)
    logger.info("client %s erased their data: %s", receipt.pseudonym, receipt)
    if chat_id is not None:
        # The chat is unlinked now: the last words go as a stranger's, kept only until sent.
        replies.say_to_chat(session, chat_id, goodbye, now)


async def start(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    assert client.chat_id is not None
    await joining.start(
        session, services, chat_id=client.chat_id, code=inbound.argument, client=client, now=now
    )


async def choose_language(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    """/language: the languages the bot writes in, by their own names."""
    buttons = [[(name, button_data.language(code)) for code, name in SUPPORTED.items()]]
    _say(session, client, translator_for(client)(text.LANGUAGE_ASK), now, buttons)


async def help_now(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    await crisis_walk.help_now(session, client, now)


COMMANDS: dict[str, Command] = {
    "/start": start,
    "/plan": show_plan,
    "/help": show_help,
    "/privacy": show_privacy,
    "/pause": pause,
    "/resume": resume,
    "/stop": ask_stop,
    "/return": request_return,
    "/timezone": set_timezone,
    "/export": send_export,
    "/delete": ask_delete,
    "/help_now": help_now,
    "/language": choose_language,
}
# Commands whose first word is data, not words to read.
TAKES_ARGUMENT = ("/start", "/timezone")


async def run(
    session: AsyncSession, services: Services, client: Client, inbound: Inbound, now: datetime
) -> None:
    """The command's own answer; an unknown command gets /help."""
    assert inbound.command is not None
    command = COMMANDS.get(inbound.command, show_help)
    await command(session, services, client, inbound, now)


def split_command(text: str, bot_username: str | None = None) -> tuple[str, str, str] | None:
    """`(name, argument, words)` for a command to this bot, e.g. `("/start", CODE, "the rest")`:
    the argument is what the command itself takes (an invite code, a timezone), the words are
    what is read as a message. None when the text is not a command."""
    if not text.startswith("/"):
        return None
    parts = text.split(maxsplit=1)
    first, rest = parts[0], parts[1] if len(parts) > 1 else ""
    name, _, target = first.lower().partition("@")
    if target and bot_username and target != bot_username.lower():
        return None  # meant for another bot: its words are still read, as a message
    if len(name) < 2:
        return None
    argument = ""
    if name in TAKES_ARGUMENT and rest:
        words = rest.split(maxsplit=1)
        argument, rest = words[0], words[1] if len(words) > 1 else ""
    return name, argument, rest
