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
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import client_messages
from bot.checkin import answers as checkin_answers
from bot.checkin.models import Checkin
from bot.client import actions
from bot.client import service as client_service
from bot.client.models import ENDED, Client, ClientStatus
from bot.conversation import checkin_taps, commands, meanings, question, screener_taps, strangers
from bot.conversation import service as messages
from bot.conversation.fallback import ClinicCopy, copy_of
from bot.escalation import apply, replies
from bot.escalation.evidence import message_evidence
from bot.nlu.praise import deserves_praise
from bot.nlu.service import safety_net_reading, with_plan
from bot.nlu.understanding import FALLBACK_INTENT, Risk, Understanding
from bot.plan import service as plans
from bot.plan.models import Plan
from bot.policy.decide import (
    command_words_matter,
    decide_command,
    decide_message,
    decide_nothing_to_read,
    decide_typed_answer,
)
from bot.policy.rules import Decision, Reply
from bot.policy.typed_reply import read_typed_reply
from bot.services import Services
from bot.texts import commands as command_text
from bot.texts.translation import translator_for

logger = logging.getLogger(__name__)


class Kind(enum.StrEnum):
    text = "text"
    edited = "edited"
    caption = "caption"
    command = "command"
    # A sticker, voice note, photo or file without words: nothing to read.
    media = "media"


@dataclass(frozen=True)
class Inbound:
    chat_id: int
    # The words to read: for a command, those after it (its invite code or timezone excluded).
    text: str
    kind: Kind = Kind.text
    telegram_message_id: int | None = None
    # Set when the client is known without their chat (a therapist trying the bot as them).
    client_id: int | None = None
    # "/plan", "/start"...; `argument` is what the command itself takes (a code, a timezone).
    command: str | None = None
    argument: str = ""
    # The crisis resources already reached the client while the database was unavailable.
    resources_sent: bool = False
    # The client's language as Telegram reports it (taken at joining).
    language_code: str | None = None


@dataclass(frozen=True)
class Handled:
    decision: Decision
    understanding: Understanding
    client_id: int | None
    message_id: int | None
    # The clinic's emergency number, crisis resources and the client's language, for the
    # adapter's copy (used when the
    # database is down); None for a chat no clinic knows.
    resources: ClinicCopy | None = None


# A note that may mean danger or a slip is answered as the message it is, not reflected.
# Chats whose language this process keeps; past it the memory starts again.
REMEMBERED_CHATS = 100_000
NOTE_ANSWERED_AS_MESSAGE = (Reply.crisis, Reply.ask, Reply.risk)
NOT_UNDERSTOOD = Understanding(
    intent=FALLBACK_INTENT, confidence=0.0, risk=Risk.needs_review, source="none"
)


async def understand(services: Services, text: str, language: str | None = None) -> Understanding:
    """The reading of a message in the client's language (None: a stranger, or not known),
    before the client's plan is known (the flow reads it against the plan with the client); on
    any failure the safety net alone, else "needs review"."""
    try:
        return await services.understander.understand(text, language=language)
    except Exception:  # a person reads it instead; the client still gets an answer
        logger.exception("understanding failed; only the safety net read the message")
        return safety_net_reading(text) or NOT_UNDERSTOOD


async def reading_language(services: Services, inbound: Inbound) -> str | None:
    """The language the message's model reads: the client's (their own, else their clinic's);
    None for a stranger, or when the database does not answer (then it is read in the default
    language, and the transaction that follows meets the same failure).

    A chat's language is kept from its last message (`remember_language`); after the client
    changes it, one short message may still be read in the old one (a long one is identified).
    """
    if inbound.client_id is None and inbound.chat_id in services.chat_languages:
        return services.chat_languages[inbound.chat_id]
    for _ in range(2):  # after a database restart a pooled connection fails once, then renews
        try:
            async with services.sessionmaker() as session:
                return await client_service.language_of(
                    session, chat_id=inbound.chat_id, client_id=inbound.client_id
                )
        except Exception:
            logger.warning("could not look up the client's language", exc_info=True)
    return None


class StaleConnection(Exception):
    """The message's first statement met a connection the database had dropped (a restart)."""


async def receive(services: Services, inbound: Inbound) -> Handled:
    """Store, understand, decide, alert and queue the replies, in one transaction.

    The message is classified before the transaction (Rasa may take a while; no connection is
    held for it) and read against the client's plan inside it, where the plan comes with them.
    A bare command or a sticker has nothing to read.
    """
    reading = None
    if inbound.text.strip():
        language = await reading_language(services, inbound)
        reading = await understand(services, inbound.text, language)
    try:
        handled = await _receive_once(services, inbound, reading)
    except StaleConnection:
        # No pre-ping: after a database restart a pooled connection fails once, then renews.
        handled = await _receive_once(services, inbound, reading)
    remember_language(services, inbound, handled)
    return handled


def remember_language(services: Services, inbound: Inbound, handled: Handled) -> None:
    """Keeps the chat's language for its next message (a stranger's is looked up each time)."""
    known = services.chat_languages
    if handled.resources is None or handled.resources.language is None:
        known.pop(inbound.chat_id, None)
        return
    if len(known) >= REMEMBERED_CHATS:
        known.clear()
    known[inbound.chat_id] = handled.resources.language


async def _receive_once(
    services: Services, inbound: Inbound, reading: Understanding | None
) -> Handled:
    # The replies are claimed in the transaction, so they leave as it commits, without a round.
    async with services.writing() as session:
        return await receive_in(session, services, inbound, reading)


NOTHING_READ = Understanding(intent="none", confidence=1.0, risk=Risk.none, source="none")


async def receive_in(
    session: AsyncSession,
    services: Services,
    inbound: Inbound,
    understanding: Understanding | None,
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
        return await strangers.receive(session, services, inbound, understanding, now)
    client, note_id, asked, (signs, triggers) = found
    resources = copy_of(client)
    if client.status is ClientStatus.blocked:
        # They wrote to us, so they unblocked the bot: pick the taper up again.
        await actions.unblock(session, client=client, now=now)
    if understanding is None:
        if inbound.kind is Kind.command:
            return await _command(session, services, inbound, client, None, resources, now)
        decision = decide_nothing_to_read()
        replies.not_text(session, client, now)
        return Handled(decision, NOTHING_READ, client.id, None, resources)
    understanding = with_plan(understanding, inbound.text, signs, triggers)
    if inbound.kind is Kind.command:
        return await _command(session, services, inbound, client, understanding, resources, now)
    if asked and inbound.kind is not Kind.edited:
        typed = decide_typed_answer(read_typed_reply(inbound.text), understanding)
        if typed.reply in (Reply.crisis_after_asking, Reply.runner_up):
            stored = await _record(session, inbound, client, understanding, None, now)
            choice = "yes" if typed.reply is Reply.crisis_after_asking else "no"
            await question.answer_open(session, client, choice=choice, message_id=stored, now=now)
            return Handled(typed, understanding, client.id, stored, resources)
    handled = await _message(session, services, inbound, client, understanding, note_id, now)
    return Handled(handled.decision, understanding, client.id, handled.message_id, resources)


async def _command(
    session: AsyncSession,
    services: Services,
    inbound: Inbound,
    client: Client,
    understanding: Understanding | None,
    resources: ClinicCopy,
    now: datetime,
) -> Handled:
    """Words after a command meet the message rules first; the policy says whether the
    command's own answer follows."""
    assert inbound.command is not None
    stopped = client.status is ClientStatus.stopped
    decision = decide_command(inbound.command, understanding, known=True, ended=stopped)
    message_id = None
    reading = understanding or NOTHING_READ
    if understanding is not None and command_words_matter(understanding):
        handled = await _message(session, services, inbound, client, understanding, None, now)
        message_id = handled.message_id
    if decision.reply is Reply.command:
        await commands.run(session, services, client, inbound, now)
    elif decision.reply is Reply.refused:
        replies.stopped(session, client, now)
    return Handled(decision, reading, client.id, message_id, resources)


async def _record(
    session: AsyncSession,
    inbound: Inbound,
    client: Client,
    understanding: Understanding,
    note_for: Checkin | None,
    now: datetime,
) -> int:
    stored = await messages.record(
        session,
        client_id=client.id,
        text=inbound.text,
        understanding=understanding,
        now=now,
        telegram_message_id=inbound.telegram_message_id,
        checkin_id=note_for.id if note_for else None,
    )
    return stored.id


async def _message(
    session: AsyncSession,
    services: Services,
    inbound: Inbound,
    client: Client,
    understanding: Understanding,
    note_id: int | None,
    now: datetime,
) -> Handled:
    """The message rules: stored, decided, alerted, answered."""
    t = translator_for(client)
    edited = inbound.kind is Kind.edited
    expects_note = not edited and inbound.kind is not Kind.command
    expects_note = expects_note and client.status not in ENDED
    note_for = await session.get(Checkin, note_id) if expects_note and note_id else None
    threshold = await meanings.threshold_met(session, client, understanding, now)
    decision = decide_message(
        understanding,
        known=True,
        ended=client.status is ClientStatus.stopped,
        threshold_met=threshold,
        edited=edited,
        sure_positive=deserves_praise(understanding, inbound.text),
    )
    if decision.reply is Reply.edited:
        replies.say(session, client, t(command_text.EDITED), now)
        return Handled(decision, understanding, client.id, None)
    message_id = await _record(session, inbound, client, understanding, note_for, now)
    if decision.reply is Reply.crisis:
        # A crisis closes any open question: the crisis path is already the answer.
        await question.wrote_instead(session, client_id=client.id, now=now)
    if decision.reply in (Reply.crisis, Reply.ask):
        await screener_taps.hold(session, client_id=client.id)
    raised = await apply.raise_for(
        session,
        client,
        decision,
        evidence=message_evidence(message_id, understanding),
        now=now,
        message_id=message_id,
        signal=f"client wrote: {understanding.intent}",
    )
    # After the policy has read it: an answer to a clinic message lands on that alert's trail.
    await client_messages.attach_reply(session, client_id=client.id, message_id=message_id, now=now)
    if note_for is not None:
        await checkin_taps.finish_note(session, client, note_for, inbound.text, decision, now)
    if decision.reply is Reply.ask:
        await question.ask(session, client, understanding, message_id, now)
    elif note_for is None or decision.reply in NOTE_ANSWERED_AS_MESSAGE:
        await meanings.reply(
            session, client, decision, understanding, raised, now, inbound.resources_sent
        )
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
