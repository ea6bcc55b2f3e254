"""Joining: /start with an invite code, the privacy and safety notice, and consent."""

from __future__ import annotations

import logging

from telegram import Update

from bot import callbacks
from bot.client import consent
from bot.client import invite as invites
from bot.client.consent import ConsentResult
from bot.client.models import Client, ClientStatus
from bot.plan import service as plans
from bot.taper.time_words import describe
from bot.telegram import keyboards
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons, send_text
from bot.texts import onboarding as text

logger = logging.getLogger(__name__)


async def start(update: Update, context: AppContext) -> None:
    """The client opens their invite link: show the notice and ask for consent."""
    assert update.effective_chat and update.effective_message
    chat_id = update.effective_chat.id
    code = context.args[0] if context.args else ""
    if context.client is not None and not code:
        await update.effective_message.reply_text(_linked_reply(context.client))
        return
    if not code:
        await update.effective_message.reply_text(text.NO_CODE)
        return
    services = context.services
    async with services.sessionmaker.begin() as session:
        check = await invites.check_code(session, code=code, now=services.now())
        if check.problem is not None or check.invite is None or check.client is None:
            reply = text.ENDED if check.problem == invites.InviteProblem.ended else text.BAD_CODE
            await update.effective_message.reply_text(reply)
            return
        await consent.open_notice(session, invite=check.invite, chat_id=chat_id)
        client, clinic = check.client, check.client.clinic
        notice = text.NOTICE.format(
            name=client.display_name,
            clinic=clinic.name,
            retention_days=services.settings.free_text_retention_days,
            office_hours=clinic.office_hours,
            crisis=clinic.crisis_resources,
        )
        invite_id = check.invite.id
    await send_text(context.bot, chat_id, notice, reply_markup=keyboards.consent(invite_id))


def _linked_reply(client: Client) -> str:
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


async def answer_consent(update: Update, context: AppContext) -> None:
    """The client taps "I agree" or "Not now" under the notice; a forged tap is refused quietly."""
    query = update.callback_query
    assert query is not None
    tapped = callbacks.parse(query.data)
    if not isinstance(tapped, callbacks.Consent) or update.effective_chat is None:
        await keyboards.answer_quietly(query)
        return
    chat_id = update.effective_chat.id
    services = context.services
    now = services.now()
    async with services.sessionmaker.begin() as session:
        outcome = await consent.answer(
            session, invite_id=tapped.invite_id, chat_id=chat_id, agree=tapped.agree, now=now
        )
        client = outcome.client
        welcome = None
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
    await keyboards.answer_quietly(query)
    await clear_buttons(query)
    replies = {
        ConsentResult.declined: text.DECLINED,
        ConsentResult.invalid: text.BAD_CODE,
        ConsentResult.taken: text.ALREADY_USED_BY_OTHER,
    }
    await send_text(context.bot, chat_id, welcome or replies[outcome.result])
