"""Joining: the invite link opens the privacy and safety notice; consent makes the client active.

Until they agree nothing about the chat is kept: the notice's row is dropped once it is sent.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import button_data
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
from bot.texts import time_words as time_text
from bot.texts.translation import Translator, supported, translator, translator_for

logger = logging.getLogger(__name__)


def help_keyboard(t: Translator) -> list[list[str]]:
    """The button under the input field that stays: help at any moment."""
    return [[t(crisis_text.HELP_NOW_BUTTON)]]


async def start(
    session: AsyncSession,
    services: Services,
    *,
    chat_id: int,
    code: str,
    client: Client | None,
    now: datetime,
    language_code: str | None = None,
) -> None:
    """The client opens their invite link: the notice and the consent buttons, in the language
    their therapist chose for them, else their Telegram's."""
    t = translator_for(client) if client is not None else translator(language_code)
    if client is not None and not code:
        replies.say(session, client, linked_reply(client), now)
        return
    if not code:
        replies.say_to_chat(session, chat_id, t(text.NO_CODE), now)
        return
    check = await invites.check_code(session, code=code, now=now)
    if check.problem is not None or check.invite is None or check.client is None:
        reply = t(text.ENDED) if check.problem == invites.InviteProblem.ended else t(text.BAD_CODE)
        replies.say_to_chat(session, chat_id, reply, now)
        return
    await consent.open_notice(session, invite=check.invite, chat_id=chat_id)
    invited, clinic = check.client, check.client.clinic
    if invited.language is not None:
        t = translator_for(invited)
    notice = t(text.NOTICE).format(
        name=invited.display_name,
        clinic=clinic.name,
        retention=t.count(time_text.DAYS, services.settings.free_text_retention_days),
        office_hours=clinic.office_hours,
        crisis=clinic.resources_in(t.language),
    )
    buttons = [
        [
            (t(text.AGREE_BUTTON), button_data.consent(True, check.invite.id)),
            (t(text.DECLINE_BUTTON), button_data.consent(False, check.invite.id)),
        ]
    ]
    replies.say_to_chat(session, chat_id, notice, now, buttons=buttons)


def linked_reply(client: Client) -> str:
    """/start without a code from a linked chat: where they stand, and for an ended plan, how to
    come back and where to turn in an emergency."""
    t = translator_for(client)
    clinic = client.clinic
    words = {
        "name": client.display_name,
        "clinic": clinic.name,
        "emergency": clinic.emergency_number,
        "crisis": clinic.resources_in(t.language),
    }
    if client.status == ClientStatus.stopped:
        return t(text.STOPPED_START).format(**words)
    if client.status == ClientStatus.completed:
        return t(text.GRADUATED_START).format(**words)
    return t(text.ALREADY_LINKED).format(**words)


async def answer_consent(
    session: AsyncSession,
    *,
    chat_id: int,
    invite_id: int,
    agree: bool,
    now: datetime,
    language_code: str | None = None,
) -> ConsentResult:
    """The client taps "I agree" or "Not now" under the notice."""
    outcome = await consent.answer(
        session, invite_id=invite_id, chat_id=chat_id, agree=agree, now=now
    )
    client = outcome.client
    if outcome.result is ConsentResult.accepted and client is not None:
        if client.language is None:
            client.language = supported(language_code)
        t = translator_for(client)
        plan = await plans.get_document(session, client_id=client.id)
        first = outcome.first_checkin
        welcome = t(text.WELCOME).format(
            name=client.display_name,
            therapist=client.therapist.name,
            closing_note=plan.closing_note if plan else "",
            first_checkin=describe(first, client.timezone, now, t)
            if first
            else t(text.NO_UPCOMING),
        )
        logger.info("client %s consented and is active", client.pseudonym)
        outbox.enqueue(
            session,
            lane=Lane.reply,
            purpose=Purpose.reply,
            chat_id=chat_id,
            text=welcome,
            client_id=client.id,
            options={"keyboard": help_keyboard(t)},
            now=now,
        )
        return outcome.result
    t = translator(language_code)
    answers = {
        ConsentResult.declined: t(text.DECLINED),
        ConsentResult.invalid: t(text.BAD_CODE),
        ConsentResult.taken: t(text.ALREADY_USED_BY_OTHER),
    }
    replies.say_to_chat(session, chat_id, answers[outcome.result], now)
    return outcome.result
