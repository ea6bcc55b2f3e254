"""Answers to what the bot offered in the conversation: pausing check-ins, a new time window."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.client import actions
from bot.client.lifecycle import ENDED
from bot.client.models import Client
from bot.escalation import replies
from bot.escalation.replies import CHECKIN_WINDOWS
from bot.taper.time_words import describe
from bot.taper.window import parse_window
from bot.texts import commands as command_text
from bot.texts import dialogue as text


async def answer(
    session: AsyncSession, client: Client, tapped: callbacks.Pause | callbacks.Window, now: datetime
) -> None:
    """A tap on the pause offer or a time-window button."""
    if client.status in ENDED:
        return  # an old offer tapped after stopping or graduating: nothing is planned again
    if isinstance(tapped, callbacks.Pause):
        if not tapped.yes:
            replies.say(session, client, text.NOTHING_CHANGED, now)
            return
        changed = await actions.pause(session, client=client, now=now)
        reply = command_text.PAUSED if changed.changed else command_text.ALREADY_PAUSED
        replies.say(session, client, reply, now)
        return
    window = parse_window(CHECKIN_WINDOWS[tapped.name])
    changed = await actions.change_window(session, client=client, window=window, now=now)
    due = changed.next_due
    when = describe(due, client.timezone, now) if due else command_text.NEXT_NONE
    replies.say(session, client, text.SCHEDULE_DONE.format(window=str(window), next=when), now)
