"""The one inbound flow: every message from any private chat meets the safety net, then the policy.

In one transaction it stores what may be stored, applies the escalation policy, raises or merges
alerts and writes the replies to the outbox. Only after it commits is anything sent, so a failed
send never loses the message, the alert or the reply.
"""

from __future__ import annotations

import enum
import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin import adaptive
from bot.checkin import answers as checkin_answers
from bot.checkin.models import Checkin
from bot.client import lifecycle
from bot.client.models import Client, ClientStatus
from bot.conversation import question
from bot.conversation import service as messages
from bot.escalation import crisis_replies, replies
from bot.escalation.evidence import message_evidence
from bot.escalation.policy import Decision, Reply, decide_message, threshold_matters
from bot.escalation.warning_reports import warning_threshold_met
from bot.nlu.service import safety_net_reading, with_plan
from bot.nlu.understanding import FALLBACK_INTENT, Risk, Understanding
from bot.outbox import service as outbox
from bot.outbox.models import Lane, OutboxMessage, Purpose
from bot.plan import service as plans
from bot.plan.models import Plan
from bot.services import Services
from bot.texts import commands as command_text
from bot.texts import crisis as crisis_text
from bot.texts import dialogue as dialogue_text

logger = logging.getLogger(__name__)


class Kind(enum.StrEnum):
    text = "text"
    edited = "edited"
    caption = "caption"


@dataclass(frozen=True)
class Inbound:
    chat_id: int
    text: str
    kind: Kind = Kind.text
    telegram_message_id: int | None = None
    # Set when the client is known without their chat (a therapist trying the bot as them).
    client_id: int | None = None


@dataclass(frozen=True)
class Handled:
    decision: Decision
    understanding: Understanding
    client_id: int | None
    message_id: int | None


# A note that may mean danger or a slip is answered as the message it is, not reflected.
NOTE_ANSWERED_AS_MESSAGE = (Reply.crisis, Reply.ask, Reply.risk)
NOT_UNDERSTOOD = Understanding(
    intent=FALLBACK_INTENT, confidence=0.0, risk=Risk.needs_review, source="none"
)


async def understand(services: Services, text: str) -> Understanding:
    """The reading of a message, before the client's plan is known (the flow reads it against
    the plan with the client); on any failure the safety net alone, else "needs review"."""
    try:
        return await services.understander.understand(text)
    except Exception:  # a person reads it instead; the client still gets an answer
        logger.exception("understanding failed; only the safety net read the message")
        return safety_net_reading(text) or NOT_UNDERSTOOD


class StaleConnection(Exception):
    """The message's first statement met a connection the database had dropped (a restart)."""


async def receive(services: Services, inbound: Inbound) -> Handled:
    """Store, understand, decide, alert and queue the replies, in one transaction.

    The message is classified before the transaction (Rasa may take a while; no connection is
    held for it) and read against the client's plan inside it, where the plan comes with them.
    """
    reading = await understand(services, inbound.text)
    try:
        return await _receive_once(services, inbound, reading)
    except StaleConnection:
        # No pre-ping: after a database restart a pooled connection fails once, then renews.
        return await _receive_once(services, inbound, reading)


async def _receive_once(services: Services, inbound: Inbound, reading: Understanding) -> Handled:
    drain = services.outbox_drain
    taken: list[OutboxMessage] = []
    async with services.sessionmaker.begin() as session:
        handled = await receive_in(session, services, inbound, reading)
        if drain is not None:
            # The replies are claimed here, so they leave as this commits, without a round.
            taken = await outbox.take_written(session, worker=drain.worker, now=services.now())
    if drain is not None and taken:
        if services.outbox_drain is drain:
            drain.adopt(taken)
        else:  # the sender stopped meanwhile: the rows wait for the next one
            async with services.sessionmaker.begin() as session:
                await outbox.release(session, rows=taken, worker=drain.worker)
    return handled


async def receive_in(
    session: AsyncSession, services: Services, inbound: Inbound, understanding: Understanding
) -> Handled:
    now = services.now()
    try:
        if session.bind.dialect.name == "postgresql":
            # One chat's messages are handled one at a time across every process (webhook mode).
            await session.execute(select(func.pg_advisory_xact_lock(inbound.chat_id)))
        found = await _client_of(session, inbound, now)
    except DBAPIError as exc:
        if exc.connection_invalidated:  # nothing was written yet: the caller may start again
            raise StaleConnection from exc
        raise
    if found is None:
        decision = decide_message(understanding, known=False, ended=False, threshold_met=False)
        _stranger(session, services, inbound.chat_id, decision, now)
        return Handled(decision, understanding, None, None)
    client, note_id, asked, (signs, triggers) = found
    understanding = with_plan(understanding, inbound.text, signs, triggers)
    if client.status is ClientStatus.blocked:
        # They wrote to us, so they unblocked the bot: pick the taper up again.
        await lifecycle.resume(session, client=client, now=now)
    expects_note = inbound.kind is not Kind.edited and client.status not in lifecycle.ENDED
    note_for = await session.get(Checkin, note_id) if expects_note and note_id else None
    threshold = await _threshold_met(session, client, understanding, now)
    decision = decide_message(
        understanding,
        known=True,
        ended=client.status is ClientStatus.stopped,
        threshold_met=threshold,
    )
    # An edit is read for danger; anything else in it is not acted on again.
    routine_edit = inbound.kind is Kind.edited and decision.reply not in (Reply.crisis, Reply.ask)
    stored = None
    if not routine_edit:
        stored = await messages.record(
            session,
            client_id=client.id,
            text=inbound.text,
            understanding=understanding,
            now=now,
            telegram_message_id=inbound.telegram_message_id,
            checkin_id=note_for.id if note_for else None,
        )
    message_id = stored.id if stored else None
    if asked and not routine_edit:
        # A question still open is answered by this message: it meets the policy on its own.
        await question.wrote_instead(session, client_id=client.id, now=now)
    raised = await replies.raise_for(
        session,
        client,
        type=decision.alert,
        severity=decision.severity,
        evidence=message_evidence(message_id, understanding),
        now=now,
        message_id=message_id,
    )
    if decision.taper_signal:
        await adaptive.risk_signal(
            session, client=client, reason=f"client wrote: {understanding.intent}", now=now
        )
    if note_for is not None:
        # Local import: the check-in reflection lives with the check-in flow.
        from bot.conversation import checkin_taps as checkin_flow

        await checkin_flow.finish_note(session, client, note_for, inbound.text, decision, now)
    if routine_edit:
        replies.say(session, client, command_text.EDITED, now)
    elif decision.reply is Reply.ask:
        await question.ask(session, client, understanding, message_id, now)
    elif note_for is None or decision.reply in NOTE_ANSWERED_AS_MESSAGE:
        await _reply(session, client, decision, understanding, raised, now)
    return Handled(decision, understanding, client.id, message_id)


@functools.cache
def _client_query(by_id: bool = False) -> Select[tuple[Client, int, bool, Any, Any]]:
    """Built once, with the chat and the note window as parameters: it runs for every message."""
    since = bindparam("note_since", type_=Checkin.answered_at.type)
    who = Client.id == bindparam("client") if by_id else Client.chat_id == bindparam("chat")
    return (
        select(
            Client,
            checkin_answers.awaiting_note_id(Client.id, since),
            question.any_open(Client.id),
            *plans.WORDS,
        )
        .outerjoin(Plan, Plan.client_id == Client.id)
        .where(who)
    )


async def _client_of(
    session: AsyncSession, inbound: Inbound, now: datetime
) -> tuple[Client, int | None, bool, tuple[list[str], list[str]]] | None:
    """The client in this chat, the check-in awaiting their note, whether a question is open,
    and their plan's warning signs and trigger situations.

    One query: this runs for every message, and the rest are rarely there.
    """
    params: dict[str, object] = {"note_since": now - checkin_answers.NOTE_WINDOW}
    if inbound.client_id is not None:
        params["client"] = inbound.client_id
    else:
        params["chat"] = inbound.chat_id
    query = _client_query(inbound.client_id is not None)
    row = (await session.execute(query, params)).first()
    if row is None:
        return None
    return row[0], row[1], bool(row[2]), plans.words_of(row[3], row[4])


async def _threshold_met(
    session: AsyncSession, client: Client, understanding: Understanding, now: datetime
) -> bool:
    if not threshold_matters(understanding):
        return False  # the policy ignores it for this reading: no need to count
    clinic = client.clinic
    # This message is not stored yet: it counts as one report.
    return await warning_threshold_met(
        session,
        client_id=client.id,
        now=now,
        reports=clinic.warning_reports_for_alert - 1,
        window=timedelta(days=clinic.warning_window_days),
    )


async def _reply(
    session: AsyncSession,
    client: Client,
    decision: Decision,
    understanding: Understanding,
    raised: replies.Raised | None,
    now: datetime,
) -> None:
    if decision.reply is Reply.crisis:
        await crisis_replies.crisis(session, client, raised, now)
    elif decision.reply is Reply.needs_review:
        replies.needs_review(session, client, now)
    elif decision.reply is Reply.stopped:
        clinic = client.clinic
        words = {
            "clinic": clinic.name,
            "crisis": clinic.crisis_resources,
            "emergency": clinic.emergency_number,
        }
        replies.say(session, client, command_text.STOPPED_REPLY.format(**words), now)
    elif decision.reply is Reply.risk:
        await replies.risk(session, client, understanding, raised, now)
    elif decision.reply is Reply.clarify:
        replies.clarify(session, client, understanding.ranking, now)
    else:
        await replies.ordinary(session, client, understanding.intent, now)


def _stranger(
    session: AsyncSession, services: Services, chat_id: int, decision: Decision, now: datetime
) -> None:
    """A chat no clinic knows: resources if it may be a crisis, the pointer otherwise; no record."""
    settings = services.settings
    if decision.reply is Reply.crisis:
        body = crisis_text.STRANGER_RESOURCES.format(
            emergency=settings.default_emergency_number, crisis=settings.default_crisis_resources
        )
        lane, purpose = Lane.crisis, Purpose.crisis_resources
    else:
        body, lane, purpose = command_text.UNKNOWN_CHAT, Lane.reply, Purpose.reply
    outbox.enqueue(session, lane=lane, purpose=purpose, chat_id=chat_id, text=body, now=now)


async def answer_chosen_meaning(
    session: AsyncSession, client: Client, meaning: str, now: datetime
) -> None:
    """The client tapped what they meant: the same policy as if they had written it plainly."""
    if meaning == "other":
        body = dialogue_text.FALLBACK_OTHER.format(clinic=client.clinic.name)
        replies.say(session, client, body, now)
        return
    chosen = Understanding(intent=meaning, confidence=1.0, risk=Risk.none, source="client")
    await answer_reading(session, client, chosen, f"client chose: {meaning}", now)


async def answer_reading(
    session: AsyncSession, client: Client, reading: Understanding, evidence: str, now: datetime
) -> None:
    """The policy's answer for a reading the client confirmed (a tapped meaning, a "no")."""
    threshold = await _threshold_met(session, client, reading, now)
    decision = decide_message(
        reading, known=True, ended=client.status is ClientStatus.stopped, threshold_met=threshold
    )
    raised = await replies.raise_for(
        session, client, type=decision.alert, severity=decision.severity, evidence=evidence, now=now
    )
    if decision.taper_signal:
        await adaptive.risk_signal(session, client=client, reason=evidence, now=now)
    await _reply(session, client, decision, reading, raised, now)
