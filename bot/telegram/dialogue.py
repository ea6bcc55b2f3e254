"""Answering what a client writes: crisis first, then by intent, always with a reply."""

from __future__ import annotations

import random

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.alert.models import AlertType, Severity
from bot.checkin import adaptive
from bot.client import service as clients
from bot.client.models import Client
from bot.conversation.thresholds import warning_threshold_met
from bot.nlu.understanding import Risk, Understanding
from bot.plan import service as plans
from bot.plan.render import render_people, render_plan, render_strategies
from bot.plan.schema import PlanDocument
from bot.telegram import crisis, preferences, returns
from bot.telegram.alerting import message_evidence, raise_alert, when_clinic_sees
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons, send_text
from bot.texts import dialogue as text

PREFIX = "dlg"
SMALL_TALK = {
    "greet": text.GREET,
    "thanks": text.THANKS,
    "goodbye": text.GOODBYE,
    "affirm": text.AFFIRM,
    "deny": text.DENY,
    "out_of_scope": text.OUT_OF_SCOPE,
    "mood_good": text.MOOD_GOOD,
}
# What a risky intent means for the clinic; warning signs wait for the clinic's threshold.
RISK_ALERTS = {
    "report_lapse": AlertType.lapse,
    "report_warning_sign": AlertType.warning_signs,
    "report_trigger": AlertType.warning_signs,
    "mood_low": AlertType.warning_signs,
}


async def reply_to(
    understanding: Understanding,
    update: Update,
    context: AppContext,
    message_id: int | None = None,
) -> None:
    """The answer to one message, by risk first and intent second."""
    client = context.client
    assert client is not None
    clinic = client.clinic
    chat_id = client.chat_id or 0
    if understanding.risk is Risk.crisis:
        await crisis.respond(context, client, understanding, message_id)
        return
    if understanding.risk is Risk.needs_review:
        await context.bot.send_message(
            chat_id, text.NEEDS_REVIEW.format(clinic=clinic.name, office_hours=clinic.office_hours)
        )
        await raise_alert(
            context,
            client,
            type=AlertType.needs_review,
            severity=Severity.routine,
            evidence=message_evidence(message_id, understanding),
            message_id=message_id,
        )
        return
    if understanding.is_fallback:
        await context.bot.send_message(
            chat_id, text.FALLBACK, reply_markup=_likely_meanings(understanding)
        )
        return
    await answer_intent(context, client, understanding.intent, understanding, message_id)


def _likely_meanings(understanding: Understanding) -> InlineKeyboardMarkup:
    options = [name for name, _ in understanding.ranking if name in text.LABELS][:3]
    for default in ("ask_plan", "request_return"):
        if len(options) < 3 and default not in options:
            options.append(default)
    rows = [[InlineKeyboardButton(text.LABELS[o], callback_data=f"{PREFIX}:{o}")] for o in options]
    rows.append(
        [InlineKeyboardButton(text.FALLBACK_NONE_OF_THESE, callback_data=f"{PREFIX}:other")]
    )
    return InlineKeyboardMarkup(rows)


async def answer_meaning(update: Update, context: AppContext) -> None:
    """The client picked what they meant after a low-confidence message."""
    query = update.callback_query
    assert query and query.data and context.client is not None
    await query.answer()
    await clear_buttons(query)
    intent = query.data.split(":", 1)[1]
    client = context.client
    if intent not in text.LABELS:
        await context.bot.send_message(
            client.chat_id or 0, text.FALLBACK_OTHER.format(clinic=client.clinic.name)
        )
        return
    await answer_intent(context, client, intent, None, None)


async def answer_intent(
    context: AppContext,
    client: Client,
    intent: str,
    understanding: Understanding | None,
    message_id: int | None,
) -> None:
    chat_id = client.chat_id or 0
    words = {"name": client.display_name, "clinic": client.clinic.name}
    if intent in SMALL_TALK:
        await context.bot.send_message(chat_id, random.choice(SMALL_TALK[intent]).format(**words))
        return
    if intent == "bot_challenge":
        clinic = client.clinic
        reply = text.BOT_CHALLENGE.format(
            clinic=clinic.name, office_hours=clinic.office_hours, crisis=clinic.crisis_resources
        )
        await send_text(context.bot, chat_id, reply)
        return
    if intent == "request_return":
        await returns.request_return(context, client, "message")
        return
    if intent == "pause_checkins":
        await context.bot.send_message(
            chat_id, text.PAUSE_OFFER, reply_markup=preferences.pause_offer()
        )
        return
    if intent == "change_schedule":
        offer = text.SCHEDULE_OFFER.format(timezone=client.timezone)
        await context.bot.send_message(chat_id, offer, reply_markup=preferences.window_offer())
        return
    async with context.services.sessionmaker() as session:
        plan = await plans.get_document(session, client_id=client.id)
    if plan is None:
        await context.bot.send_message(chat_id, text.FALLBACK_OTHER.format(**words))
        return
    if intent == "ask_plan":
        body = render_plan(plan, name=client.display_name, crisis=client.clinic.crisis_resources)
        await send_text(context.bot, chat_id, body)
        return
    if intent == "ask_coping":
        await send_text(context.bot, chat_id, render_strategies(plan, []) + _distractions(plan))
        return
    await _risky(context, client, plan, intent, understanding, message_id)


def _distractions(plan: PlanDocument) -> str:
    return "\n\n" + "\n".join(f"• {d}" for d in plan.distractions) if plan.distractions else ""


async def _risky(
    context: AppContext,
    client: Client,
    plan: PlanDocument,
    intent: str,
    understanding: Understanding | None,
    message_id: int | None,
) -> None:
    """Signs, triggers, low mood and lapses: the plan's help, the taper, maybe the clinic."""
    chat_id = client.chat_id or 0
    # Free text doesn't say which sign, so every strategy in the plan is offered.
    strategies = render_strategies(plan, list(range(len(plan.warning_signs))))
    words = {"name": client.display_name, "clinic": client.clinic.name, "strategies": strategies}
    if intent == "report_lapse":
        reply = text.LAPSE.format(**words)
    elif intent == "report_trigger":
        triggers = "\n".join(f"• {t.situation}: {t.what_to_do}" for t in plan.triggers)
        reply = text.TRIGGER.format(triggers=triggers, **words)
    elif intent == "mood_low":
        reply = text.MOOD_LOW.format(**words)
    else:
        reply = text.WARNING_SIGN.format(**words)
        if plan.support_people:
            reply += text.WARNING_PEOPLE.format(people=render_people(plan))
    # The reply doesn't depend on the bookkeeping below, so the client isn't kept waiting for it.
    await send_text(context.bot, chat_id, reply)
    services = context.services
    now = services.now()
    async with services.sessionmaker.begin() as session:
        fresh = await clients.get(session, client_id=client.id)
        await adaptive.risk_signal(session, client=fresh, reason=f"client wrote: {intent}", now=now)
        alert_due = intent == "report_lapse" or await warning_threshold_met(
            session, client_id=client.id, now=now
        )
    if not alert_due:
        return
    evidence = (
        message_evidence(message_id, understanding) if understanding else f"client chose: {intent}"
    )
    await raise_alert(
        context,
        client,
        type=RISK_ALERTS[intent],
        severity=Severity.elevated,
        evidence=evidence,
        message_id=message_id,
    )
    when = when_clinic_sees(client, now)
    told = text.CLINIC_TOLD if when is None else text.CLINIC_TOLD_CLOSED.format(when=when, **words)
    await context.bot.send_message(chat_id, told.format(**words))
