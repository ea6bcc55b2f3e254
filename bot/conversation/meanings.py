"""A reading's answer through the policy: for a message, a meaning the client tapped, a No to
the direct question. Every function writes into the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert.raising import Raised
from bot.client.models import Client, ClientStatus
from bot.escalation import apply, crisis_replies, replies
from bot.escalation.warning_reports import warning_threshold_met
from bot.nlu.understanding import Risk, Understanding
from bot.policy.deadlines import warning_window
from bot.policy.decide import decide_message, threshold_matters
from bot.policy.rules import Decision, Reply
from bot.texts import dialogue as dialogue_text
from bot.texts.translation import translator_for


async def threshold_met(
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
        window=warning_window(clinic),
    )


async def reply(
    session: AsyncSession,
    client: Client,
    decision: Decision,
    understanding: Understanding,
    raised: Raised | None,
    now: datetime,
    resources_sent: bool = False,
) -> None:
    if decision.reply is Reply.crisis:
        await crisis_replies.crisis(session, client, raised, now, resources_sent=resources_sent)
    elif decision.reply is Reply.needs_review:
        replies.needs_review(session, client, now)
    elif decision.reply is Reply.unreadable:
        await replies.unreadable(session, client, now, written_in=understanding.detected)
    elif decision.reply is Reply.stopped:
        replies.stopped(session, client, now)
    elif decision.reply is Reply.risk:
        await replies.risk(session, client, understanding, raised, now)
    elif decision.reply is Reply.acknowledge:
        await replies.acknowledge(session, client, now)
    elif decision.reply is Reply.clarify:
        replies.clarify(session, client, understanding.ranking, now)
    else:
        await replies.ordinary(session, client, understanding.intent, now)


async def answer_chosen_meaning(
    session: AsyncSession, client: Client, meaning: str, now: datetime
) -> None:
    """The client tapped what they meant: the same policy as if they had written it plainly."""
    t = translator_for(client)
    if meaning == "other":
        body = t(dialogue_text.FALLBACK_OTHER).format(clinic=client.clinic.name)
        replies.say(session, client, body, now)
        return
    chosen = Understanding(intent=meaning, confidence=1.0, risk=Risk.none, source="client")
    await answer_reading(session, client, chosen, f"client chose: {meaning}", now)


async def answer_reading(
    session: AsyncSession, client: Client, reading: Understanding, evidence: str, now: datetime
) -> None:
    """The policy's answer for a reading the client confirmed (a tapped meaning, a "no")."""
    threshold = await threshold_met(session, client, reading, now)
    decision = decide_message(
        reading, known=True, ended=client.status is ClientStatus.stopped, threshold_met=threshold
    )
    raised = await apply.raise_for(session, client, decision, evidence=evidence, now=now)
    await reply(session, client, decision, reading, raised, now)
