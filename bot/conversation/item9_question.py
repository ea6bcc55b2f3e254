"""The direct question asked after PHQ-9 item 9 "Several days", answered: the policy's screener
rules instead of the message's (a No is still an alert a person reviews, and the alert names
item 9). `question.py` hands its answers here first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.client.models import Client
from bot.conversation import screener_walk
from bot.conversation.question_models import DirectQuestion, QuestionAnswer
from bot.escalation import apply, crisis_replies, replies
from bot.policy.decide import decide_item9_question
from bot.policy.rules import Decision, Reply
from bot.screener import service
from bot.screener.instrument import instrument
from bot.screener.models import AdministrationStatus
from bot.texts import crisis as crisis_text
from bot.texts import screener as text


async def answered(
    session: AsyncSession,
    client: Client,
    question: DirectQuestion,
    given: QuestionAnswer,
    how: str,
    now: datetime,
) -> bool:
    """False when the question was not asked after item 9 (the message rules answer it)."""
    administration = await service.for_question(session, question_id=question.id)
    if administration is None:
        return False
    decision = decide_item9_question(given.value)
    found = instrument(administration.family)
    safety = next(item for item in found.items if item.safety == "item9")
    answer = await service.answer_row(session, administration_id=administration.id, item=safety.key)
    evidence = (
        text.EVIDENCE_ITEM9_NO
        if given is QuestionAnswer.no
        else text.EVIDENCE_ITEM9_ASKED.format(answer=given.value.replace("_", " "), how=how)
    )
    raised = await apply.raise_for(session, client, decision, evidence=evidence, now=now)
    if raised is not None:
        question.alert_id = raised.alert_id
        if answer is not None:
            answer.alert_id = raised.alert_id
    if decision.reply is Reply.crisis_after_asking:
        await screener_walk.end_for_crisis(session, administration, now)
        # The resources were in the question itself: now what happened, then their plan.
        await crisis_replies.crisis_told(session, client, raised, now)
        await crisis_replies.crisis_step(
            session, client, raised.alert_id if raised else None, 0, now
        )
        return True
    replies.say(session, client, crisis_text.ASK_THANKS_NO, now)
    if administration.status is AdministrationStatus.asking:
        await screener_walk.advance(session, client, administration, now)
    return True


async def unanswered(
    session: AsyncSession, question: DirectQuestion
) -> tuple[Decision, str] | None:
    """The decision and evidence for a question after item 9 nobody answered in time."""
    administration = await service.for_question(session, question_id=question.id)
    if administration is None:
        return None
    return decide_item9_question(QuestionAnswer.unanswered.value), text.EVIDENCE_ITEM9_UNANSWERED
