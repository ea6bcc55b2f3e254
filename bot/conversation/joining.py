"""Joining: the invite link opens the privacy and safety notice; consent makes the client active.

Until they agree nothing about the chat is kept: the notice's row is dropped once it is sent.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.client import consent
from bot.client import invite as invites
from bot.client.consent import ConsentResult
from bot.client.models import Client, ClientStatus
from bot.escalation import replies
from bot.outbox import service as outbox
from bot.outbox.models import Lane, Purpose
from bot.plan import service as plans
from bot.services import Services
from bot.taper.time_words import describe
from bot.texts import crisis as crisis_text
from bot.texts import onboarding as text

logger = logging.getLogger(__name__)

# The button under the input field that stays: help at any moment.
HELP_KEYBOARD = [[crisis_text.HELP_NOW_BUTTON]]


async def start(
    session: AsyncSession,
    services: Services,
    *,
    chat_id: int,
    code: str,
    client: Client | None,
    now: datetime,
) -> None:
    """The client opens their invite link: the notice and the consent buttons."""
    if client is not None and not code:
        replies.say(session, client, linked_reply(client), now)
        return
    if not code:
        replies.say_to_chat(session, chat_id, text.NO_CODE, now)
        return
    check = await invites.check_code(session, code=code, now=now)
    if check.problem is not None or check.invite is None or check.client is None:
        reply = text.ENDED if check.problem == invites.InviteProblem.ended else text.BAD_CODE
        replies.say_to_chat(session, chat_id, reply, now)
        return
    await consent.open_notice(session, invite=check.invite, chat_id=chat_id)
    invited, clinic = check.client, check.client.clinic
    notice = text.NOTICE.format(
        name=invited.display_name,
        clinic=clinic.name,
        retention_days=services.settings.free_text_retention_days,
        office_hours=clinic.office_hours,
        crisis=clinic.crisis_resources,
    )
    buttons = [
        [
            (text.AGREE_BUTTON, callbacks.consent(True, check.invite.id)),
            (text.DECLINE_BUTTON, callbacks.consent(False, check.invite.id)),
        ]
    ]
    replies.say_to_chat(session, chat_id, notice, now, buttons=buttons)


def linked_reply(client: Client) -> str:
    """/start without a code from a linked chat: where they stand, and for an ended plan, how to
    come back and where to turn in an emergency."""
    clinic = client.clinic
    words = {
        "name": client.display_name,
        "clinic": clinic.name,
        "emergency": clinic.emergency_number,
        "crisis": clinic.crisis_resources,
    }
    if client.status == ClientStatus.stopped:
        return text.STOPPED_START.format(**words)
    if client.status == ClientStatus.completed:
        return text.GRADUATED_START.format(**words)
    return text.ALREADY_LINKED.format(**words)


async def answer_consent(
    session: AsyncSession,
    *,
    chat_id: int,
    invite_id: int,
    agree: bool,
    now: datetime,
) -> ConsentResult:
    """The client taps "I agree" or "Not now" under the notice."""
    outcome = await consent.answer(
        session, invite_id=invite_id, chat_id=chat_id, agree=agree, now=now
    )
    client = outcome.client
    if outcome.result is ConsentResult.accepted and client is not None:
        plan = await plans.get_document(session, client_id=client.id)
        first = outcome.first_checkin
        welcome = text.WELCOME.format(
            name=client.display_name,
            therapist=client.therapist.name,
            closing_note=plan.closing_note if plan else "",
            first_checkin=describe(first, client.timezone, now) if first else text.NO_UPCOMING,
        )
        logger.info("client %s consented and is active", client.pseudonym)
        outbox.enqueue(
            session,
            lane=Lane.reply,
            purpose=Purpose.reply,
            chat_id=chat_id,
            text=welcome,
            client_id=client.id,
            options={"keyboard": HELP_KEYBOARD},
            now=now,
        )
        return outcome.result
    answers = {
        ConsentResult.declined: text.DECLINED,
        ConsentResult.invalid: text.BAD_CODE,
        ConsentResult.taken: text.ALREADY_USED_BY_OTHER,
    }
    replies.say_to_chat(session, chat_id, answers[outcome.result], now)
    return outcome.result
