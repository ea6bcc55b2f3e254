"""What the client is sent, as outbox rows, for each of the policy's reply kinds (the crisis
path's own replies: `crisis_replies.py`).

Every function writes into the caller's transaction; nothing here sends.
"""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import button_data
from bot.alert.raising import Raised
from bot.client.models import Client
from bot.clinic import closures
from bot.clinic.office_hours import staff_next_see
from bot.nlu.understanding import Understanding
from bot.outbox import service as outbox
from bot.outbox.models import Buttons, Lane, Purpose
from bot.plan import service as plans
from bot.plan.render import render_people, render_plan, render_strategies
from bot.plan.schema import PlanDocument
from bot.return_request.models import ReturnRequest
from bot.taper.time_words import describe
from bot.texts import commands as command_text
from bot.texts import dialogue as text
from bot.texts.translation import Translator, translator_for

CHECKIN_WINDOWS = {
    "morning": "08:00-10:00",
    "midday": "12:00-14:00",
    "evening": "18:00-20:00",
    "late": "20:00-22:00",
}
SMALL_TALK = {
    "greet": text.GREET,
    "thanks": text.THANKS,
    "goodbye": text.GOODBYE,
    "affirm": text.AFFIRM,
    "deny": text.DENY,
    "out_of_scope": text.OUT_OF_SCOPE,
    "mood_good": text.MOOD_GOOD,
}


async def when_clinic_sees(session: AsyncSession, client: Client, now: datetime) -> str | None:
    """Plain words for when staff will read this (closures counted), or None while open."""
    clinic = client.clinic
    today = now.astimezone(ZoneInfo(clinic.timezone)).date()
    closed = frozenset(
        day
        for closure in await closures.upcoming(session, clinic_id=clinic.id, today=today)
        for day in closure.days()
    )
    opening = staff_next_see(clinic.office_hours, clinic.timezone, now, closed)
    if opening is None:
        return None
    return describe(opening, client.timezone, now, translator_for(client))


def say(
    session: AsyncSession,
    client: Client,
    body: str,
    now: datetime,
    *,
    lane: Lane = Lane.reply,
    buttons: Buttons | None = None,
    purpose: object = Purpose.reply,
    alert_id: int | None = None,
) -> None:
    assert client.chat_id is not None
    outbox.enqueue(
        session,
        lane=lane,
        purpose=Purpose(str(purpose)),
        chat_id=client.chat_id,
        text=body,
        buttons=buttons,
        client_id=client.id,
        alert_id=alert_id,
        now=now,
    )


def say_to_chat(
    session: AsyncSession,
    chat_id: int,
    body: str,
    now: datetime,
    *,
    lane: Lane = Lane.reply,
    buttons: Buttons | None = None,
) -> None:
    """To a chat that is not a client's (a stranger, a group, before consent): the row is dropped
    once sent, so nothing of the chat is kept."""
    outbox.enqueue(
        session,
        lane=lane,
        purpose=Purpose.stranger,
        chat_id=chat_id,
        text=body,
        buttons=buttons,
        now=now,
    )


def needs_review(session: AsyncSession, client: Client, now: datetime) -> None:
    clinic, t = client.clinic, translator_for(client)
    body = t(text.NEEDS_REVIEW).format(clinic=clinic.name, office_hours=clinic.office_hours)
    say(session, client, body, now)


async def unreadable(
    session: AsyncSession, client: Client, now: datetime, written_in: str | None = None
) -> None:
    """A message in a language the bot cannot read: who will read it and when, and where to
    turn in danger, in the client's own language; crisis lines in the language they wrote in
    lead, when the clinic has any."""
    clinic, t = client.clinic, translator_for(client)
    words = {
        "clinic": clinic.name,
        "office_hours": clinic.office_hours,
        "emergency": clinic.emergency_number,
        "crisis": clinic.resources_in(written_in or t.language),
    }
    when = await when_clinic_sees(session, client, now)
    if when is None:
        body = t(text.UNREADABLE).format(**words)
    else:
        body = t(text.UNREADABLE_CLOSED).format(when=when, **words)
    say(session, client, body, now)


def likely_meanings(ranking: tuple[tuple[str, float], ...], t: Translator) -> Buttons:
    options = [name for name, _ in ranking if name in text.LABELS][:3]
    for default in ("ask_plan", "request_return"):
        if len(options) < 3 and default not in options:
            options.append(default)
    rows: Buttons = [[(t(text.LABELS[o]), button_data.meaning(o))] for o in options]
    rows.append([(t(text.FALLBACK_NONE_OF_THESE), button_data.meaning(button_data.OTHER_MEANING))])
    return rows


def clarify(
    session: AsyncSession, client: Client, ranking: tuple[tuple[str, float], ...], now: datetime
) -> None:
    t = translator_for(client)
    say(session, client, t(text.FALLBACK), now, buttons=likely_meanings(ranking, t))


def pause_offer(t: Translator) -> Buttons:
    return [
        [
            (t(text.PAUSE_YES), button_data.pause(True)),
            (t(text.PAUSE_NO), button_data.pause(False)),
        ]
    ]


def window_offer(t: Translator) -> Buttons:
    buttons = [
        (f"{t(text.WINDOW_NAMES[name])} {span}", button_data.window(name))
        for name, span in CHECKIN_WINDOWS.items()
    ]
    return [buttons[:2], buttons[2:]]


def return_requested(
    session: AsyncSession, client: Client, request: ReturnRequest, *, created: bool, now: datetime
) -> None:
    """What a request to come back gets: when the clinic aims to respond, or how it is going."""
    t = translator_for(client)
    respond_by = describe(request.respond_by, client.timezone, now, t)
    words = {"name": client.display_name, "clinic": client.clinic.name, "respond_by": respond_by}
    if created:
        say(session, client, t(text.RETURN_NEW).format(**words), now)
        return
    status = t(text.RETURN_STATUS.get(request.status.value, request.status.value))
    say(session, client, t(text.RETURN_OPEN).format(status=status, **words), now)


def stopped(session: AsyncSession, client: Client, now: datetime) -> None:
    """The stopped reply: how to come back, and where to turn in danger."""
    clinic, t = client.clinic, translator_for(client)
    words = {
        "clinic": clinic.name,
        "crisis": clinic.resources_in(t.language),
        "emergency": clinic.emergency_number,
    }
    say(session, client, t(command_text.STOPPED_REPLY).format(**words), now)


def not_text(session: AsyncSession, client: Client, now: datetime) -> None:
    """A sticker, voice note or photo without words: only text is read, and where to turn."""
    clinic, t = client.clinic, translator_for(client)
    body = t(command_text.NOT_TEXT).format(
        emergency=clinic.emergency_number, crisis=clinic.resources_in(t.language)
    )
    say(session, client, body, now)


async def ordinary(session: AsyncSession, client: Client, intent: str, now: datetime) -> None:
    """The answer for an intent that carries no risk."""
    clinic, t = client.clinic, translator_for(client)
    words = {"name": client.display_name, "clinic": clinic.name}
    if intent in SMALL_TALK:
        say(session, client, await _small_talk(session, client, intent, words), now)
    elif intent == "bot_challenge":
        body = t(text.BOT_CHALLENGE).format(
            clinic=clinic.name,
            office_hours=clinic.office_hours,
            crisis=clinic.resources_in(t.language),
        )
        say(session, client, body, now)
    elif intent == "request_return":
        # Local import: a request to come back is applied by the policy, which queues replies.
        from bot.escalation import apply

        await apply.return_request(session, client, "message", now)
    elif intent == "pause_checkins":
        say(session, client, t(text.PAUSE_OFFER), now, buttons=pause_offer(t))
    elif intent == "change_schedule":
        offer = t(text.SCHEDULE_OFFER).format(timezone=client.timezone)
        say(session, client, offer, now, buttons=window_offer(t))
    else:
        plan = await plans.get_document(session, client_id=client.id)
        if plan is None or intent not in ("ask_plan", "ask_coping"):
            say(session, client, t(text.FALLBACK_OTHER).format(**words), now)
        elif intent == "ask_plan":
            body = render_plan(
                plan, name=client.display_name, crisis=clinic.resources_in(t.language), t=t
            )
            say(session, client, body, now)
        else:
            say(session, client, render_strategies(plan, []) + _distractions(plan), now)


async def acknowledge(session: AsyncSession, client: Client, now: datetime) -> None:
    """A positive-sounding message that is not surely positive: thanked, never congratulated."""
    words = {"name": client.display_name, "clinic": client.clinic.name}
    say(session, client, await _fresh(session, client, text.ACKNOWLEDGE, words), now)


async def _small_talk(
    session: AsyncSession, client: Client, intent: str, words: dict[str, str]
) -> str:
    """A short answer that is never the one just given: the same words twice sound mechanical."""
    return await _fresh(session, client, SMALL_TALK[intent], words)


async def _fresh(
    session: AsyncSession, client: Client, choices: tuple[str, ...], words: dict[str, str]
) -> str:
    t = translator_for(client)
    variants = [t(v).format(**words) for v in choices]
    last = await outbox.last_reply(session, client_id=client.id)
    fresh = [v for v in variants if v != last] or variants
    return random.choice(fresh)


def _named(
    plan: PlanDocument, reading: Understanding, words: dict[str, str], t: Translator
) -> str | None:
    """The reply that names the client's own sign or trigger, when the message restates one."""
    if reading.matched_sign in plan.warning_signs and reading.intent != "report_lapse":
        index = plan.warning_signs.index(reading.matched_sign or "")
        reply = t(text.WARNING_SIGN_NAMED).format(
            sign=reading.matched_sign, strategies=render_strategies(plan, [index]), **words
        )
        if plan.support_people:
            reply += t(text.WARNING_PEOPLE).format(people=render_people(plan))
        return reply
    for trigger in plan.triggers:
        if trigger.situation == reading.matched_trigger:
            every = render_strategies(plan, list(range(len(plan.warning_signs))))
            return t(text.TRIGGER_NAMED).format(
                situation=trigger.situation, what_to_do=trigger.what_to_do, strategies=every
            )
    return None


def _distractions(plan: PlanDocument) -> str:
    return "\n\n" + "\n".join(f"• {d}" for d in plan.distractions) if plan.distractions else ""


async def risk(
    session: AsyncSession,
    client: Client,
    reading: Understanding,
    raised: Raised | None,
    now: datetime,
) -> None:
    """Signs, triggers, low mood and lapses: the plan's help, and whether the clinic was told."""
    intent = reading.intent
    plan = await plans.get_document(session, client_id=client.id)
    t = translator_for(client)
    words = {"name": client.display_name, "clinic": client.clinic.name}
    if plan is None:
        say(session, client, t(text.FALLBACK_OTHER).format(**words), now)
    elif named := _named(plan, reading, words, t):
        say(session, client, named, now)
    else:
        # Free text doesn't say which sign, so every strategy in the plan is offered.
        strategies = render_strategies(plan, list(range(len(plan.warning_signs))))
        if intent == "report_lapse":
            reply = t(text.LAPSE).format(strategies=strategies, **words)
        elif intent == "report_trigger":
            triggers = "\n".join(f"• {tr.situation}: {tr.what_to_do}" for tr in plan.triggers)
            reply = t(text.TRIGGER).format(triggers=triggers, strategies=strategies, **words)
        elif intent == "mood_low":
            reply = t(text.MOOD_LOW).format(strategies=strategies, **words)
        else:
            reply = t(text.WARNING_SIGN).format(strategies=strategies, **words)
            if plan.support_people:
                reply += t(text.WARNING_PEOPLE).format(people=render_people(plan))
        say(session, client, reply, now)
    if raised is not None and raised.staff_will_be_told:
        when = await when_clinic_sees(session, client, now)
        told = (
            t(text.CLINIC_TOLD).format(**words)
            if when is None
            else t(text.CLINIC_TOLD_CLOSED).format(when=when, **words)
        )
        say(session, client, told, now)
