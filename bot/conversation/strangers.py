"""A chat no clinic knows: the crisis resources if the words may mean danger, the way in with an
invite link, a pointer otherwise. Nothing about the chat is stored; the replies' rows are dropped
once sent."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import joining
from bot.escalation import replies
from bot.nlu.understanding import Risk, Understanding
from bot.outbox.models import Lane
from bot.policy.decide import decide_command, decide_message
from bot.policy.rules import Reply
from bot.services import Services
from bot.texts import commands as command_text
from bot.texts import crisis as crisis_text
from bot.texts.translation import translator

if TYPE_CHECKING:
    from bot.conversation.flow import Handled, Inbound

NOTHING = Understanding(intent="none", confidence=1.0, risk=Risk.none, source="none")


async def receive(
    session: AsyncSession,
    services: Services,
    inbound: Inbound,
    understanding: Understanding | None,
    now: datetime,
) -> Handled:
    from bot.conversation.flow import Handled  # the flow imports this module

    reading = understanding or NOTHING
    t = translator(inbound.language_code)
    decision = decide_message(reading, known=False, ended=False, threshold_met=False)
    if decision.reply is Reply.crisis and not inbound.resources_sent:
        settings = services.settings
        body = t(crisis_text.STRANGER_RESOURCES).format(
            emergency=settings.default_emergency_number, crisis=settings.default_crisis_resources
        )
        replies.say_to_chat(session, inbound.chat_id, body, now, lane=Lane.crisis)
    if inbound.command is not None:
        command = decide_command(inbound.command, understanding, known=False, ended=False)
        if inbound.command == "/start" and command.reply is Reply.command:
            await joining.start(
                session,
                services,
                chat_id=inbound.chat_id,
                code=inbound.argument,
                client=None,
                now=now,
                language_code=inbound.language_code,
            )
            return Handled(decision, reading, None, None)
    if decision.reply is not Reply.crisis:
        replies.say_to_chat(session, inbound.chat_id, t(command_text.UNKNOWN_CHAT), now)
    return Handled(decision, reading, None, None)
