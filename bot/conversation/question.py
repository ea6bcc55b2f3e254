"""Asking directly when a crisis reading is uncertain: resources and the question in one message.

Yes or "I'd rather not say" starts the full crisis path; "No, I'm OK" gets the answer for what
the message most likely meant, with no page; silence past the clinic's deadline pages a person.
Asking about suicide does not raise risk (docs/clinical-rationale.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Exists, SQLColumnExpression, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import button_data
from bot.client.models import Client
from bot.conversation import item9_question, meanings
from bot.conversation.question_models import DirectQuestion, QuestionAnswer
from bot.escalation import apply, crisis_replies, replies
from bot.nlu.understanding import Risk, Understanding
from bot.outbox.models import Buttons, Lane, Purpose
from bot.policy.deadlines import ask_deadline
from bot.policy.decide import decide_question
from bot.texts import crisis as text
from bot.texts.translation import Translator, translator_for

ANSWERS = {
    "yes": QuestionAnswer.yes,
    "no": QuestionAnswer.no,
    "rather": QuestionAnswer.rather_not_say,
}


def buttons(question_id: int, t: Translator) -> Buttons:
    return [
        [(t(text.ASK_YES), button_data.question(question_id, "yes"))],
        [(t(text.ASK_NO), button_data.question(question_id, "no"))],
        [(t(text.ASK_RATHER_NOT), button_data.question(question_id, "rather"))],
    ]


async def ask(
    session: AsyncSession,
    client: Client,
    understanding: Understanding,
    message_id: int | None,
    now: datetime,
) -> DirectQuestion:
    """One message on the crisis lane: the clinic's resources, then the question itself."""
    t = translator_for(client)
    clinic = client.clinic
    question = DirectQuestion(
        client_id=client.id,
        message_id=message_id,
        runner_up=understanding.runner_up,
        asked_at=now,
        deadline_at=ask_deadline(clinic, now),
    )
    session.add(question)
    await session.flush()
    body = t(text.ASK).format(
        emergency=clinic.emergency_number, crisis=clinic.resources_in(t.language)
    )
    replies.say(
        session,
        client,
        body,
        now,
        lane=Lane.crisis,
        buttons=buttons(question.id, t),
        purpose=Purpose.crisis_resources,
    )
    return question


async def open_for(
    session: AsyncSession, *, client_id: int, lock: bool = False
) -> list[DirectQuestion]:
    """The client's unanswered questions, oldest first."""
    query = (
        select(DirectQuestion)
        .where(DirectQuestion.client_id == client_id, DirectQuestion.answer.is_(None))
        .order_by(DirectQuestion.asked_at, DirectQuestion.id)
    )
    if lock:
        query = query.with_for_update()
    return list(await session.scalars(query))


def any_open(client_id: SQLColumnExpression[int]) -> Exists:
    """Whether the client has a question still unanswered, to read with the client in one query."""
    return exists().where(DirectQuestion.client_id == client_id, DirectQuestion.answer.is_(None))


async def wrote_instead(session: AsyncSession, *, client_id: int, now: datetime) -> None:
    """They wrote rather than tapped: that message meets the safety net on its own."""
    await session.execute(
        update(DirectQuestion)
        .where(DirectQuestion.client_id == client_id, DirectQuestion.answer.is_(None))
        .values(answer=QuestionAnswer.wrote, answered_at=now)
        .execution_options(synchronize_session=False)
    )


async def answer(
    session: AsyncSession, client: Client, *, question_id: int, choice: str, now: datetime
) -> bool:
    """A tap on the question's buttons; False when it is not theirs or already answered."""
    question = await session.get(DirectQuestion, question_id, with_for_update=True)
    if question is None or question.client_id != client.id or choice not in ANSWERS:
        return False
    if question.answer is not None:
        return False
    await _answered(session, client, question, ANSWERS[choice], "tapped", now)
    return True


async def answer_open(
    session: AsyncSession, client: Client, *, choice: str, message_id: int | None, now: datetime
) -> bool:
    """A reply typed while the question is open, read as Yes or No by the policy: it answers
    every question still open (the newest carries the alert)."""
    open_questions = await open_for(session, client_id=client.id, lock=True)
    if not open_questions:
        return False
    for older in open_questions[:-1]:
        older.answer, older.answered_at = QuestionAnswer.wrote, now
    question = open_questions[-1]
    question.message_id = question.message_id or message_id
    await _answered(session, client, question, ANSWERS[choice], "typed", now)
    return True


async def _answered(
    session: AsyncSession,
    client: Client,
    question: DirectQuestion,
    given: QuestionAnswer,
    how: str,
    now: datetime,
) -> None:
    t = translator_for(client)
    question.answer, question.answered_at = given, now
    if await item9_question.answered(session, client, question, given, how, now):
        return
    decision = decide_question(given.value)
    if decision.alert is not None and decision.severity is not None:
        raised = await apply.raise_for(
            session,
            client,
            decision,
            evidence=(
                f"asked directly about thoughts of suicide or self-harm: {given.value} ({how})"
            ),
            now=now,
            message_id=question.message_id,
        )
        assert raised is not None
        question.alert_id = raised.alert_id
        # The resources were in the question itself: now what happened, then their plan.
        await crisis_replies.crisis_told(session, client, raised, now)
        await crisis_replies.crisis_step(session, client, raised.alert_id, 0, now)
        return
    meant = Understanding(
        intent=question.runner_up or "deny", confidence=1.0, risk=Risk.none, source="client"
    )
    replies.say(session, client, t(text.ASK_THANKS_NO), now)
    await meanings.answer_reading(
        session, client, meant, f"answered no to the direct question ({how})", now
    )


async def expire(session: AsyncSession, *, now: datetime) -> int:
    """Questions unanswered in time: an urgent alert that says it was asked and not answered."""
    due = list(
        await session.scalars(
            select(DirectQuestion)
            .where(DirectQuestion.answer.is_(None), DirectQuestion.deadline_at <= now)
            .order_by(DirectQuestion.deadline_at)
            .with_for_update(skip_locked=True)
        )
    )
    for question in due:
        client = await session.get(Client, question.client_id)
        question.answer, question.answered_at = QuestionAnswer.unanswered, now
        # Asked after PHQ-9 item 9: the alert names the item.
        decision, evidence = await item9_question.unanswered(session, question) or (
            decide_question(QuestionAnswer.unanswered.value),
            "asked directly about thoughts of suicide or self-harm; no answer in time",
        )
        if client is None or decision.alert is None or decision.severity is None:
            continue
        raised = await apply.raise_for(
            session,
            client,
            decision,
            evidence=evidence,
            now=now,
            message_id=question.message_id,
        )
        question.alert_id = raised.alert_id if raised else None
    return len(due)
