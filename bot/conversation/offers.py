"""Answers to what the bot offered in the conversation: pausing check-ins, a new time window."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import button_data
from bot.client import actions
from bot.client.models import ENDED, Client
from bot.escalation import replies
from bot.escalation.replies import CHECKIN_WINDOWS
from bot.taper.time_words import describe
from bot.taper.window import parse_window
from bot.texts import commands as command_text
from bot.texts import dialogue as text
from bot.texts.translation import translator_for

Offer = button_data.Pause | button_data.Window | button_data.Language


async def answer(session: AsyncSession, client: Client, tapped: Offer, now: datetime) -> None:
    """A tap on the pause offer, a time-window button or a language."""
    if isinstance(tapped, button_data.Language):
        await actions.change_language(session, client=client, language=tapped.code, now=now)
        replies.say(session, client, translator_for(client)(command_text.LANGUAGE_DONE), now)
        return
    t = translator_for(client)
    if client.status in ENDED:
        return  # an old offer tapped after stopping or graduating: nothing is planned again
    if isinstance(tapped, button_data.Pause):
        if not tapped.yes:
            replies.say(session, client, t(text.NOTHING_CHANGED), now)
            return
        changed = await actions.pause(session, client=client, now=now)
        reply = t(command_text.PAUSED) if changed.changed else t(command_text.ALREADY_PAUSED)
        replies.say(session, client, reply, now)
        return
    window = parse_window(CHECKIN_WINDOWS[tapped.name])
    changed = await actions.change_window(session, client=client, window=window, now=now)
    due = changed.next_due
    when = describe(due, client.timezone, now) if due else t(command_text.NEXT_NONE)
    replies.say(session, client, t(text.SCHEDULE_DONE).format(window=str(window), next=when), now)
