"""A check-in answered: each tap and the note are saved, weighed by the policy and answered through
the outbox in one transaction, so an answer never exists without its alert or its reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.raising import Raised
from bot.checkin import answers, schedule
from bot.checkin.buttons import sign_buttons, skip_buttons
from bot.checkin.models import Checkin
from bot.client.models import Client
from bot.conversation import screener_walk
from bot.escalation import apply, replies
from bot.escalation.warning_reports import warning_threshold_met
from bot.outbox.models import Buttons
from bot.plan import service as plans
from bot.plan.render import render_people, render_strategies
from bot.plan.schema import PlanDocument
from bot.policy.deadlines import warning_window
from bot.policy.decide import decide_checkin_answer
from bot.policy.rules import Decision, Reply
from bot.taper.time_words import describe
from bot.texts import checkin as text
from bot.texts import commands as command_text
from bot.texts.translation import translator_for


@dataclass(frozen=True)
class Tapped:
    """What the tapped message shows now: a short toast, and its buttons (None: removed)."""

    toast: str | None
    buttons: Buttons | None = None


async def tap(
    session: AsyncSession,
    client: Client,
    *,
    checkin_id: int,
    action: str,
    value: int | None,
    now: datetime,
) -> Tapped:
    """One tap on a check-in's buttons, saved and answered."""
    t = translator_for(client)
    checkin = await answers.get_for_client(session, checkin_id=checkin_id, client_id=client.id)
    plan = await plans.get_document(session, client_id=client.id)
    if checkin is None or plan is None or not answers.is_open(checkin):
        return Tapped(t(text.ALREADY_CLOSED))
    if action == "m" and value is not None:
        answers.record_mood(checkin, mood=value, now=now)
        buttons = sign_buttons(checkin.id, plan.warning_signs, [], t)
        replies.say(session, client, t(text.SIGNS_QUESTION), now, buttons=buttons)
        return Tapped(t(text.ANSWER_SAVED))
    if action == "s" and value is not None:
        if not 0 <= value < len(plan.warning_signs):  # forged, or the plan changed since
            return Tapped(
                None, sign_buttons(checkin.id, plan.warning_signs, checkin.warning_signs, t)
            )
        answers.toggle_sign(checkin, index=value, sign_count=len(plan.warning_signs))
        return Tapped(None, sign_buttons(checkin.id, plan.warning_signs, checkin.warning_signs, t))
    if action in ("done", "none"):
        answers.finish_signs(checkin, none_present=action == "none")
        replies.say(
            session, client, t(text.NOTE_QUESTION), now, buttons=skip_buttons(checkin.id, t)
        )
        await weigh(session, client, checkin, now)
        return Tapped(t(text.ANSWER_SAVED))
    if action == "skip":
        answers.finish_note(checkin, note=None)
        replies.say(session, client, await reflect(session, client, checkin, plan), now)
        await screener_walk.begin_after_checkin(session, client, checkin.id, now)
        return Tapped(None)
    return Tapped(t(text.ALREADY_CLOSED))


async def weigh(
    session: AsyncSession, client: Client, checkin: Checkin, now: datetime
) -> Raised | None:
    """The finished answers through the policy: the taper's signal and, at the threshold, an
    alert for the clinic."""
    clinic = client.clinic
    threshold = bool(checkin.warning_signs) and await warning_threshold_met(
        session,
        client_id=client.id,
        now=now,
        reports=clinic.warning_reports_for_alert,
        window=warning_window(clinic),
    )
    decision = decide_checkin_answer(
        mood=checkin.mood, signs=len(checkin.warning_signs or []), threshold_met=threshold
    )
    return await apply.checkin_answered(session, client, checkin, decision, now)


async def finish_note(
    session: AsyncSession,
    client: Client,
    checkin: Checkin,
    note: str,
    decision: Decision,
    now: datetime,
) -> None:
    """The note is saved; a risky note is answered as the message it is, not reflected."""
    answers.finish_note(checkin, note=note)
    if decision.reply in (Reply.crisis, Reply.ask, Reply.risk):
        return
    plan = await plans.get_document(session, client_id=client.id)
    if plan is not None:
        replies.say(session, client, await reflect(session, client, checkin, plan), now)
        await screener_walk.begin_after_checkin(session, client, checkin.id, now)


async def reflect(
    session: AsyncSession, client: Client, checkin: Checkin, plan: PlanDocument
) -> str:
    """The answers reflected back, with the client's own strategies and people when signs show."""
    t = translator_for(client)
    lines = []
    if checkin.mood is not None:
        lines.append(
            t(text.REFLECT_MOOD).format(
                mood=t(text.MOODS[checkin.mood]).lower(), emoji=text.MOOD_EMOJI[checkin.mood]
            )
        )
    if checkin.warning_signs:
        signs = ", ".join(plan.warning_signs[i] for i in checkin.warning_signs)
        lines.append(
            t(text.REFLECT_SIGNS).format(
                signs=signs, strategies=render_strategies(plan, checkin.warning_signs)
            )
        )
        if plan.support_people:
            lines.append(t(text.REFLECT_PEOPLE).format(people=render_people(plan)))
    else:
        lines.append(t(text.REFLECT_NO_SIGNS))
    if checkin.note:
        lines.append(t(text.REFLECT_NOTE))
    next_due = await schedule.next_due(session, client_id=client.id)
    if next_due is None:
        lines.append(t(text.REFLECT_CLOSE_LAST))
    else:
        when = describe(next_due, client.timezone, checkin.answered_at or next_due, t)
        lines.append(t(text.REFLECT_CLOSE).format(next=when))
    return "\n".join(lines) if lines else t(command_text.NEXT_NONE)
