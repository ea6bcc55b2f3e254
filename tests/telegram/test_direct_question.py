"""Asking directly when a crisis reading is uncertain, through the real application: the question
carries the resources, each answer gets its path, and silence pages the clinic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.alert.models import Alert, AlertType, Severity
from bot.conversation.question_models import DirectQuestion, QuestionAnswer
from bot.nlu.service import Understander
from bot.nlu.understanding import Risk, Understanding
from scheduler import jobs
from tests.telegram.harness import Harness, button_with

CHAT = 17001
GROUP = -100_917
UNSURE = "everything feels far away lately and i keep thinking about it"
QUESTION = "Are you having thoughts of ending your life or harming yourself?"


class UnsureAbout:
    """The real understander, except that one message is read as an unsure crisis reading.

    The classifier's own bands are tested in tests/nlu; here the dialogue must get a known input.
    """

    def __init__(self, real: Understander, phrase: str) -> None:
        self.real = real
        self.phrase = phrase

    async def understand(
        self,
        text: str,
        *,
        language: str | None = None,
        warning_signs: Sequence[str] = (),
        triggers: Sequence[str] = (),
    ) -> Understanding:
        if text == self.phrase:
            return Understanding(
                intent="crisis",
                confidence=0.42,
                risk=Risk.ask,
                source="embedded",
                ranking=(("crisis", 0.42), ("mood_low", 0.31)),
                runner_up="mood_low",
            )
        return await self.real.understand(
            text, language=language, warning_signs=warning_signs, triggers=triggers
        )


@pytest.fixture
async def asked(harness: Harness) -> Harness:
    """A linked client with a staff group, who has just written the unsure message."""
    harness.services.understander = UnsureAbout(harness.services.understander, UNSURE)  # type: ignore[assignment]
    await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    harness.fake.push_text(CHAT, UNSURE)
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains=QUESTION)
    return harness


async def alerts(harness: Harness) -> list[Alert]:
    async with harness.services.sessionmaker() as session:
        return list(await session.scalars(select(Alert).order_by(Alert.id)))


async def the_question(harness: Harness) -> DirectQuestion:
    async with harness.services.sessionmaker() as session:
        [question] = list(await session.scalars(select(DirectQuestion)))
        return question


async def tap(harness: Harness, label: str) -> None:
    asking = await harness.last_with_buttons(CHAT)
    harness.fake.push_callback(CHAT, asking.result["message_id"], button_with(asking, label))


async def test_the_question_carries_the_resources_and_pages_nobody_yet(asked: Harness) -> None:
    [message] = [
        c for c in asked.fake.calls_to("sendMessage", CHAT) if QUESTION in c.params["text"]
    ]
    body = message.params["text"]
    assert body.index("116 123") < body.index(QUESTION)  # resources first, in the same message
    labels = [b["text"] for row in message.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Yes", "No, I'm OK", "I'd rather not say"]
    assert await alerts(asked) == []
    assert asked.fake.calls_to("sendMessage", GROUP) == []


@pytest.mark.parametrize("label", ["Yes", "I'd rather not say"])
async def test_yes_or_rather_not_say_starts_the_crisis_path(asked: Harness, label: str) -> None:
    await tap(asked, label)
    await asked.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    [alert] = await alerts(asked)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    await asked.fake.wait_for_call("sendMessage", CHAT, text_contains="your own plan")
    question = await the_question(asked)
    expected = QuestionAnswer.yes if label == "Yes" else QuestionAnswer.rather_not_say
    assert (question.answer, question.alert_id) == (expected, alert.id)


async def test_no_gets_the_answer_for_what_it_most_likely_meant_and_no_page(
    asked: Harness,
) -> None:
    await tap(asked, "No, I'm OK")
    await asked.fake.wait_for_call("sendMessage", CHAT, text_contains="I'm glad")
    await asked.fake.wait_for_call("sendMessage", CHAT, text_contains="From your plan")
    assert [a.severity for a in await alerts(asked)] != [Severity.urgent]
    question = await the_question(asked)
    assert question.answer is QuestionAnswer.no  # kept for review
    # A second tap on the same question changes nothing.
    await tap(asked, "Yes")
    await asked.fake.wait_for_call("answerCallbackQuery", count=3)
    assert not any(a.type is AlertType.crisis for a in await alerts(asked))


async def test_a_written_reply_meets_the_safety_net_like_any_message(asked: Harness) -> None:
    asked.fake.push_text(CHAT, "yes. i have the pills here and i want to die tonight")
    await asked.fake.wait_for_call("sendMessage", CHAT, text_contains="Your safety comes first")
    await asked.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    assert (await the_question(asked)).answer is QuestionAnswer.wrote


async def test_silence_past_the_clinics_deadline_pages_the_clinic(asked: Harness) -> None:
    services = asked.services
    asked_at = services.now()
    services.now = lambda: asked_at + timedelta(minutes=10)
    assert await jobs.expire_questions(services) == 0
    services.now = lambda: asked_at + timedelta(minutes=16)
    assert await jobs.expire_questions(services) == 1
    [alert] = await alerts(asked)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    assert "no answer" in alert.evidence
    await asked.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    assert (await the_question(asked)).answer is QuestionAnswer.unanswered


async def test_a_safety_net_match_is_never_asked_about(harness: Harness) -> None:
    await harness.join(CHAT)
    harness.fake.push_text(CHAT, "i want to end it all tonight")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Your safety comes first")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="your own plan")
    assert not any(QUESTION in t for t in harness.texts(CHAT))


# -- typed replies: people answer in words as often as with buttons ----------------------------


@pytest.mark.parametrize("typed", ["yes", "Yeah", "maybe", "idk", "i’m not sure", "ok"])
async def test_a_typed_yes_or_unsure_reply_starts_the_crisis_path(
    asked: Harness, typed: str
) -> None:
    asked.fake.push_text(CHAT, typed)
    await asked.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    [alert] = await alerts(asked)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    assert "typed" in alert.evidence
    await asked.fake.wait_for_call("sendMessage", CHAT, text_contains="your own plan")
    question = await the_question(asked)
    assert question.answer is QuestionAnswer.yes and question.alert_id == alert.id
    # Never "Great." or any small talk for a yes to this question.
    assert not any(t in ("Great.", "Good to know.", "OK, noted.") for t in asked.texts(CHAT))


@pytest.mark.parametrize("typed", ["no", "nope", "I'm OK", "not really"])
async def test_a_typed_clear_no_is_a_no(asked: Harness, typed: str) -> None:
    asked.fake.push_text(CHAT, typed)
    await asked.fake.wait_for_call("sendMessage", CHAT, text_contains="I'm glad")
    assert (await the_question(asked)).answer is QuestionAnswer.no
    assert not any(a.type is AlertType.crisis for a in await alerts(asked))
    # The question is closed: its deadline pages nobody.
    services = asked.services
    later = services.now() + timedelta(minutes=30)
    services.now = lambda: later
    assert await jobs.expire_questions(services) == 0


async def test_a_typed_reply_that_is_neither_leaves_the_question_open_and_it_still_pages(
    asked: Harness,
) -> None:
    asked.fake.push_text(CHAT, "what time is my next check-in")
    await asked.eventually(lambda: _both_on_record(asked), what="the message handled")
    assert (await the_question(asked)).answer is None
    services = asked.services
    asked_at = services.now()
    services.now = lambda: asked_at + timedelta(minutes=16)
    assert await jobs.expire_questions(services) == 1
    [alert] = await alerts(asked)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    await asked.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")


async def _both_on_record(harness: Harness) -> bool:
    from bot.conversation.models import ClientMessage

    async with harness.services.sessionmaker() as session:
        rows = list(await session.scalars(select(ClientMessage)))
    return len(rows) >= 2  # the unsure message and this one, both on record
