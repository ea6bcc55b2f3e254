"""A check-in in the chat: mood buttons, warning-sign toggles, an optional note, a reflection."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update

from bot.alert.models import AlertType, Severity
from bot.checkin import adaptive, answers, schedule
from bot.checkin.models import Checkin
from bot.client import service as clients
from bot.client.local_time import describe
from bot.client.models import Client
from bot.conversation.thresholds import LOWEST_MOOD, warning_threshold_met
from bot.plan import service as plans
from bot.plan.render import render_people, render_strategies
from bot.plan.schema import PlanDocument
from bot.telegram import keyboards
from bot.telegram.alerting import raise_alert
from bot.telegram.context import AppContext
from bot.telegram.replies import clear_buttons, send_text
from bot.texts import checkin as text
from bot.texts import commands as command_text


async def answer_button(update: Update, context: AppContext) -> None:
    """The client taps a mood, a warning sign, Done, None of these, or Skip."""
    query = update.callback_query
    assert query and query.data
    client = context.client
    if client is None:
        await query.answer()
        return
    chat_id = client.chat_id or 0
    _, checkin_ref, action, *rest = query.data.split(":")
    services = context.services
    # Decide and save inside the transaction; talk to Telegram only after it commits.
    toast: str | None = text.ANSWER_SAVED
    markup: InlineKeyboardMarkup | None = None
    follow_up: tuple[str, InlineKeyboardMarkup | None] | None = None
    alert_evidence: str | None = None
    async with services.sessionmaker.begin() as session:
        checkin = await answers.get_for_client(
            session, checkin_id=int(checkin_ref), client_id=client.id
        )
        plan = await plans.get_document(session, client_id=client.id)
        if checkin is None or plan is None or not answers.is_open(checkin):
            toast = text.ALREADY_CLOSED
        elif action == "m":
            answers.record_mood(checkin, mood=int(rest[0]), now=services.now())
            keyboard = keyboards.warning_signs(checkin.id, plan.warning_signs, [])
            follow_up = (text.SIGNS_QUESTION, keyboard)
        elif action == "s":
            answers.toggle_sign(checkin, index=int(rest[0]), sign_count=len(plan.warning_signs))
            toast = None
            markup = keyboards.warning_signs(checkin.id, plan.warning_signs, checkin.warning_signs)
        elif action in ("done", "none"):
            answers.finish_signs(checkin, none_present=action == "none")
            follow_up = (text.NOTE_QUESTION, keyboards.skip_note(checkin.id))
            alert_evidence = await _weigh_answers(session, client.id, checkin, services.now())
        elif action == "skip":
            answers.finish_note(checkin, note=None)
            toast = None
            follow_up = (await reflect(session, client, checkin, plan), None)
    await query.answer(toast)
    await clear_buttons(query, markup)
    if follow_up is not None:
        await send_text(context.bot, chat_id, follow_up[0], reply_markup=follow_up[1])
    if alert_evidence is not None:
        await raise_alert(
            context,
            client,
            type=AlertType.warning_signs,
            severity=Severity.elevated,
            evidence=alert_evidence,
            checkin_id=int(checkin_ref),
        )


async def _weigh_answers(
    session: AsyncSession, client_id: int, checkin: Checkin, now: datetime
) -> str | None:
    """Feed the answers to the adaptive taper; returns alert evidence if the clinic must know."""
    client = await clients.get(session, client_id=client_id)
    if adaptive.is_calm(checkin):
        await adaptive.answered(session, client=client, checkin=checkin, now=now)
        return None
    await adaptive.risk_signal(session, client=client, reason="check-in showed risk", now=now)
    bottom = checkin.mood == LOWEST_MOOD
    if bottom or (
        checkin.warning_signs and await warning_threshold_met(session, client_id=client_id, now=now)
    ):
        return (
            f"check-in {checkin.id}: mood {checkin.mood}/5, "
            f"{len(checkin.warning_signs)} warning sign(s)"
        )
    return None


async def finish_with_note(
    session: AsyncSession, client: Client, checkin: Checkin, note: str
) -> str | None:
    """Save the client's note on the check-in; returns the reflection to send, if any."""
    answers.finish_note(checkin, note=note)
    plan = await plans.get_document(session, client_id=client.id)
    return None if plan is None else await reflect(session, client, checkin, plan)


async def reflect(
    session: AsyncSession, client: Client, checkin: Checkin, plan: PlanDocument
) -> str:
    """The answers reflected back, with the client's own strategies and people when signs show."""
    lines = []
    if checkin.mood is not None:
        lines.append(
            text.REFLECT_MOOD.format(
                mood=text.MOODS[checkin.mood].lower(), emoji=text.MOOD_EMOJI[checkin.mood]
            )
        )
    if checkin.warning_signs:
        signs = ", ".join(plan.warning_signs[i] for i in checkin.warning_signs)
        lines.append(
            text.REFLECT_SIGNS.format(
                signs=signs, strategies=render_strategies(plan, checkin.warning_signs)
            )
        )
        if plan.support_people:
            lines.append(text.REFLECT_PEOPLE.format(people=render_people(plan)))
    else:
        lines.append(text.REFLECT_NO_SIGNS)
    if checkin.note:
        lines.append(text.REFLECT_NOTE)
    next_due = await schedule.next_due(session, client_id=client.id)
    if next_due is None:
        lines.append(text.REFLECT_CLOSE_LAST)
    else:
        when = describe(next_due, client.timezone, checkin.answered_at or next_due)
        lines.append(text.REFLECT_CLOSE.format(next=when))
    return "\n".join(lines) if lines else command_text.NEXT_NONE
