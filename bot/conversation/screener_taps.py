"""A validated screener answered by taps: each answer saved, item 9 through the escalation policy,
and the questionnaire moved on, in one transaction with its alert and its replies.

A crisis or ask reading of anything the client writes in the middle puts every open screener on
hold (`hold`): nothing more of it is sent or reminded, and a tap on its last question resumes it
where it stopped; it still closes 4 days after it was sent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.conversation import question, screener_walk
from bot.conversation.checkin_taps import Tapped
from bot.escalation import apply, crisis_replies
from bot.nlu.understanding import Risk, Understanding
from bot.policy.decide import decide_item9, decide_screener_interrupted
from bot.policy.rules import Decision, Reply
from bot.screener import plans, service
from bot.screener.instrument import instrument
from bot.screener.models import Administration, AdministrationStatus, ScreenerAnswer
from bot.texts import screener as text

ANSWERABLE = (AdministrationStatus.answering, AdministrationStatus.held)
CAN_SKIP = (AdministrationStatus.offered, AdministrationStatus.answering, AdministrationStatus.held)
# What the direct question after item 9 was "asked about": nothing written, so no other meaning.
ITEM9_READING = Understanding(intent="screener_item9", confidence=1.0, risk=Risk.ask, source="none")


async def tap(
    session: AsyncSession,
    client: Client,
    *,
    administration_id: int,
    item: int | None,
    value: int | None,
    now: datetime,
) -> Tapped:
    """One tap on a screener's buttons: an answer, or "Not now"."""
    administration = await service.get_for_client(
        session, administration_id=administration_id, client_id=client.id
    )
    if administration is None or client.chat_id is None:
        return Tapped(text.CLOSED)
    if item is None or value is None:
        if administration.status not in CAN_SKIP:
            return Tapped(text.CLOSED)
        await screener_walk.skip(session, client, administration, now)
        return Tapped(text.SKIPPED)
    found = instrument(administration.family)
    keys = [i.key for i in (*found.items, *((found.closing,) if found.closing else ()))]
    if not 1 <= item <= len(keys):
        return Tapped(text.CLOSED)
    tapped = found.item(keys[item - 1])
    if administration.status not in ANSWERABLE or administration.asked_item != tapped.key:
        given = await service.answer_row(
            session, administration_id=administration.id, item=tapped.key
        )
        if given is None:
            return Tapped(text.CLOSED)
        buttons = screener_walk.chosen_buttons(administration.id, found, tapped, given.value)
        return Tapped(text.ALREADY_SAVED, buttons)
    if not 0 <= value < len(found.answers_of(tapped)):  # forged: the question stays as it was
        return Tapped(None, screener_walk.item_buttons(administration.id, found, tapped))
    administration.status = AdministrationStatus.answering
    answer = await service.record(session, administration, item=tapped.key, value=value, now=now)
    if tapped.safety == "item9":
        await item9(session, client, administration, answer, now)
    else:
        await screener_walk.advance(session, client, administration, now)
    return Tapped(text.SAVED, screener_walk.chosen_buttons(administration.id, found, tapped, value))


async def item9(
    session: AsyncSession,
    client: Client,
    administration: Administration,
    answer: ScreenerAnswer,
    now: datetime,
) -> Decision:
    """PHQ-9 item 9 through the policy: never only into the total."""
    settings = await plans.clinic_settings(session, clinic_id=client.clinic_id)
    decision = decide_item9(answer.value, any_positive_urgent=settings.item9_any_positive_urgent)
    if decision.reply is Reply.screener_next:
        await screener_walk.advance(session, client, administration, now)
        return decision
    answers = await service.answers_of(session, administration_id=administration.id)
    if decision.reply is Reply.ask:
        asked = await question.ask(session, client, ITEM9_READING, None, now)
        administration.status, administration.question_id = AdministrationStatus.asking, asked.id
        await screener_walk.score(session, client, administration, answers, now)
        return decision
    found = instrument(administration.family)
    label = found.answers_of(found.item(answer.item))[answer.value]
    raised = await apply.raise_for(
        session, client, decision, evidence=text.EVIDENCE_ITEM9.format(answer=label), now=now
    )
    answer.alert_id = raised.alert_id if raised else None
    await screener_walk.score(session, client, administration, answers, now)
    await screener_walk.end_for_crisis(session, administration, now)
    await crisis_replies.crisis(session, client, raised, now)
    return decision


async def hold(session: AsyncSession, *, client_id: int) -> Decision:
    """A crisis or ask reading of a message written in the middle: the screener waits."""
    await service.hold_open(session, client_id=client_id)
    return decide_screener_interrupted()
