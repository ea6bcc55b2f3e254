"""Validated screeners through the real application against the fake Bot API: the PHQ riding on a
check-in, the step-up to the PHQ-9, item 9 through the escalation policy, and a crisis written in
the middle."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.alert.models import Alert, AlertType, Severity
from bot.checkin import schedule
from bot.client.models import Client
from bot.conversation.question_models import DirectQuestion, QuestionAnswer
from bot.screener import plans, riding
from bot.screener.models import Administration, AdministrationStatus, ScreenerAnswer
from bot.screener.plans import PlanChange
from tests.support.recording import Call
from tests.telegram.harness import Harness, button_with

CHAT = 27001
GROUP = -100_927
STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
QUESTION = "Are you having thoughts of ending your life or harming yourself?"
RESOURCES = "Your safety comes first"
DIFFICULTY = "how difficult have these problems made it for you"


async def joined_with_phq(harness: Harness, *, urgent_item9: bool = False) -> Client:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    async with harness.services.sessionmaker.begin() as session:
        found = await session.get(Client, client.id)
        assert found is not None
        await plans.change(
            session, client=found, change=PlanChange(families=["phq"]), now=harness.services.now()
        )
        if urgent_item9:
            await plans.change_clinic_settings(
                session, clinic_id=found.clinic_id, item9_any_positive_urgent=True
            )
    return client


async def checkin_with_phq(harness: Harness, client_id: int) -> Call:
    """A check-in carrying a PHQ, answered Good / None of these / Skip; returns the first item."""
    now = harness.services.now()
    async with harness.services.sessionmaker.begin() as session:
        client = await session.get(Client, client_id)
        assert client is not None
        checkin = await schedule.add_manual(session, client=client, now=now)
        await riding.plan_now(
            session, client=client, checkin_id=checkin.id, family="phq", force=False, now=now
        )
    opener = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    assert "a few short standard questions" in opener.params["text"]
    before = harness.sent_count(CHAT)
    harness.fake.push_callback(CHAT, opener.result["message_id"], button_with(opener, "Good"))
    signs = await harness.last_with_buttons(CHAT, after=before)
    before = harness.sent_count(CHAT)
    harness.fake.push_callback(
        CHAT, signs.result["message_id"], button_with(signs, "None of these")
    )
    note = await harness.last_with_buttons(CHAT, after=before)
    before = harness.sent_count(CHAT)
    harness.fake.push_callback(CHAT, note.result["message_id"], button_with(note, "Skip"))
    first = await harness.last_with_buttons(CHAT, after=before)
    assert "1 of 2: Little interest or pleasure in doing things" in first.params["text"]
    return first


async def answer(harness: Harness, item: Call, label: str) -> Call | None:
    """Tap `label` under `item`; returns the next message with buttons, if one comes."""
    before = harness.sent_count(CHAT)
    harness.fake.push_callback(CHAT, item.result["message_id"], button_with(item, label))
    try:
        return await harness.last_with_buttons(CHAT, after=before)
    except AssertionError:
        return None


async def through_item_8(harness: Harness, client_id: int) -> tuple[Call, list[str]]:
    """PHQ-2 = 3 (steps up), then items 3-8 "Not at all"; returns item 9 and every item text."""
    item = await checkin_with_phq(harness, client_id)
    texts = [item.params["text"]]
    for label in ("More than half the days", "Several days", *["Not at all"] * 6):
        found = await answer(harness, item, label)
        assert found is not None, f"no question after {texts[-1]!r}"
        item = found
        texts.append(item.params["text"])
    return item, texts


async def alerts(harness: Harness) -> list[Alert]:
    async with harness.services.sessionmaker() as session:
        return list(await session.scalars(select(Alert).order_by(Alert.id)))


async def the_administration(harness: Harness) -> Administration:
    async with harness.services.sessionmaker() as session:
        [found] = list(await session.scalars(select(Administration)))
        return found


async def test_a_phq2_of_3_brings_items_3_to_9_without_asking_1_and_2_again(
    harness: Harness,
) -> None:
    client = await joined_with_phq(harness)
    item9, texts = await through_item_8(harness, client.id)
    assert "A few more questions from the same questionnaire" in texts[2]
    numbered = [text.split("\n\n")[-1].split(":")[0] for text in texts]
    assert numbered == [f"{n} of {2 if n < 3 else 9}" for n in range(1, 10)]
    assert all(STEM in text for text in texts)
    labels = [b["text"] for row in item9.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
        "Not now",
    ]
    closing = await answer(harness, item9, "Not at all")
    assert closing is not None and DIFFICULTY in closing.params["text"]
    harness.fake.push_callback(
        CHAT, closing.result["message_id"], button_with(closing, "Somewhat difficult")
    )
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="that's all")
    administration = await the_administration(harness)
    assert administration.status is AdministrationStatus.finished
    assert (administration.form, administration.short_total, administration.total) == ("phq9", 3, 3)
    assert administration.band == "minimal"
    async with harness.services.sessionmaker() as session:
        answered = list(
            await session.scalars(select(ScreenerAnswer.item).order_by(ScreenerAnswer.id))
        )
    assert answered == [f"phq{n}" for n in range(1, 10)] + ["phq_difficulty"]
    assert await alerts(harness) == []


async def test_several_days_then_no_is_an_elevated_alert_and_the_questionnaire_goes_on(
    harness: Harness,
) -> None:
    client = await joined_with_phq(harness)
    item9, _ = await through_item_8(harness, client.id)
    asked = await answer(harness, item9, "Several days")
    assert asked is not None and QUESTION in asked.params["text"]
    assert asked.params["text"].index("116 123") < asked.params["text"].index(QUESTION)
    assert await alerts(harness) == []  # nobody is paged before the answer
    closing = await answer(harness, asked, "No, I'm OK")
    assert closing is not None and DIFFICULTY in closing.params["text"]
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="ELEVATED")
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.elevated)
    assert "item 9: several days" in alert.evidence
    async with harness.services.sessionmaker() as session:
        question = (await session.scalars(select(DirectQuestion))).one()
    assert (question.answer, question.alert_id) == (QuestionAnswer.no, alert.id)


async def test_several_days_then_yes_is_the_crisis_path(harness: Harness) -> None:
    client = await joined_with_phq(harness)
    item9, _ = await through_item_8(harness, client.id)
    asked = await answer(harness, item9, "Several days")
    assert asked is not None
    harness.fake.push_callback(CHAT, asked.result["message_id"], button_with(asked, "Yes"))
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="your own plan")
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    assert 'PHQ-9 item 9 "Several days"' in alert.evidence
    administration = await the_administration(harness)
    assert administration.status is AdministrationStatus.finished
    assert not any(DIFFICULTY in text for text in harness.texts(CHAT))


@pytest.mark.parametrize("label", ["Nearly every day", "More than half the days"])
async def test_a_high_item_9_is_the_crisis_path_at_once(harness: Harness, label: str) -> None:
    client = await joined_with_phq(harness)
    item9, _ = await through_item_8(harness, client.id)
    before = harness.sent_count(CHAT)
    harness.fake.push_callback(CHAT, item9.result["message_id"], button_with(item9, label))
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="your own plan")
    after = [c.params["text"] for c in harness.fake.calls_to("sendMessage", CHAT)[before:] if c.ok]
    assert RESOURCES in after[0], "the crisis resources come first"
    assert not any(QUESTION in text or DIFFICULTY in text for text in after)
    [alert] = await alerts(harness)
    assert (alert.type, alert.severity) == (AlertType.crisis, Severity.urgent)
    assert alert.evidence.endswith(
        f"item 9 (thoughts of being better off dead or of self-harm): {label}"
    )


async def test_a_clinic_can_make_several_days_urgent(harness: Harness) -> None:
    client = await joined_with_phq(harness, urgent_item9=True)
    item9, _ = await through_item_8(harness, client.id)
    harness.fake.push_callback(CHAT, item9.result["message_id"], button_with(item9, "Several days"))
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    assert not any(QUESTION in text for text in harness.texts(CHAT))


async def test_a_crisis_written_in_the_middle_is_a_crisis_and_the_screener_waits(
    harness: Harness,
) -> None:
    client = await joined_with_phq(harness)
    first = await checkin_with_phq(harness, client.id)
    second = await answer(harness, first, "More than half the days")
    assert second is not None and "2 of 2" in second.params["text"]
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, "i want to end it all tonight")
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="your own plan")
    after = [c.params["text"] for c in harness.fake.calls_to("sendMessage", CHAT)[before:] if c.ok]
    assert RESOURCES in after[0]
    assert not any(STEM in text for text in after), "no question of the screener in the crisis"
    administration = await the_administration(harness)
    assert administration.status is AdministrationStatus.held
    # Later, a tap on the question it stopped at resumes it where it was.
    resumed = await answer(harness, second, "Several days")
    assert resumed is not None and "3 of 9" in resumed.params["text"]
    assert (await the_administration(harness)).status is AdministrationStatus.answering


async def test_not_now_leaves_it_and_a_second_tap_changes_nothing(harness: Harness) -> None:
    client = await joined_with_phq(harness)
    first = await checkin_with_phq(harness, client.id)
    harness.fake.push_callback(CHAT, first.result["message_id"], button_with(first, "Not now"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="leave these for now")
    assert (await the_administration(harness)).status is AdministrationStatus.skipped
    harness.fake.push_callback(
        CHAT, first.result["message_id"], button_with(first, "Nearly every day")
    )
    await harness.fake.wait_for(
        lambda: any(
            "closed" in str(c.params.get("text"))
            for c in harness.fake.calls_to("answerCallbackQuery")
        ),
        what="the closed toast",
    )
    assert (await the_administration(harness)).status is AdministrationStatus.skipped


async def test_a_typed_answer_to_the_question_after_item_9_counts_like_a_tap(
    harness: Harness,
) -> None:
    client = await joined_with_phq(harness)
    item9, _ = await through_item_8(harness, client.id)
    asked = await answer(harness, item9, "Several days")
    assert asked is not None and QUESTION in asked.params["text"]
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, "no, I'm ok")
    closing = await harness.last_with_buttons(CHAT, after=before)
    assert DIFFICULTY in closing.params["text"]
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="ELEVATED")
    [alert] = await alerts(harness)
    assert "item 9: several days" in alert.evidence
