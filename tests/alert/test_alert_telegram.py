"""End to end through the real PTB Application and the fake Bot API: the clinic's staff group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.alert import service as alerts
from bot.alert import staff_link
from bot.alert.models import AlertStatus
from bot.clinic.models import Clinic
from bot.staff import service as staff_service
from bot.staff.models import Staff
from bot.texts import alerts as text
from scheduler import jobs
from tests.alert.conftest import World, build_world, raise_crisis
from tests.factories import make_clinic, make_crisis_message, make_therapist
from tests.support.recording import Call
from tests.telegram.harness import Harness, button_with

GROUP = -100_500
ANA, JO, DEE, STRANGER = 7001, 7002, 7003, 9999
WORDS = "i want to end it all tonight"


@pytest.fixture
def bot(harness: Harness) -> Harness:
    return harness


async def _linked_world(bot: Harness, *, share_words: bool = False) -> World:
    world = await build_world(bot.services.sessionmaker, group=GROUP)
    async with bot.services.sessionmaker.begin() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        clinic.share_client_words = share_words
    return world


async def _raise_crisis(bot: Harness, world: World, now: datetime | None = None) -> int:
    async with bot.services.sessionmaker.begin() as session:
        message_id = await make_crisis_message(
            session, client_id=world.client_id, text=WORDS, now=datetime.now(UTC)
        )
    return await raise_crisis(
        bot.services.sessionmaker, world, now=now or datetime.now(UTC), message_id=message_id
    )


async def _alert_message(bot: Harness, alert_id: int) -> Call:
    """The announcement, once the bot has also recorded it (Telegram answers before that)."""
    [call] = await bot.fake.wait_for_call("sendMessage", GROUP, text_contains=f"alert #{alert_id}")

    async def recorded() -> bool:
        async with bot.services.sessionmaker() as session:
            return (await alerts.get(session, alert_id=alert_id)).staff_message_id is not None

    await bot.eventually(recorded, f"alert #{alert_id}'s announcement to be recorded")
    return call


async def _status(bot: Harness, alert_id: int) -> AlertStatus:
    async with bot.services.sessionmaker() as session:
        return (await alerts.get(session, alert_id=alert_id)).status


async def test_link_links_the_group_with_a_good_code_and_refuses_a_bad_one(bot: Harness) -> None:
    world = await build_world(bot.services.sessionmaker, group=None)
    async with bot.services.sessionmaker.begin() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        code = await staff_link.issue_clinic_code(session, clinic=clinic, now=datetime.now(UTC))

    bot.fake.push_group_text(GROUP, ANA, "/link not-the-right-code-at-all")
    await bot.fake.wait_for_call("sendMessage", GROUP, text_contains="doesn't work")
    bot.fake.push_group_text(GROUP, ANA, f"/link {code}", chat_type="supergroup")
    await bot.fake.wait_for_call("sendMessage", GROUP, text_contains="now receives alerts")
    # Single use: the same code in another group is refused and changes nothing.
    bot.fake.push_group_text(-100_777, ANA, f"/link {code}")
    await bot.fake.wait_for_call("sendMessage", -100_777, text_contains="doesn't work")
    async with bot.services.sessionmaker() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        assert clinic.staff_chat_id == GROUP and clinic.link_code_hash is None


async def test_an_expired_code_is_refused(bot: Harness) -> None:
    world = await build_world(bot.services.sessionmaker, group=None)
    async with bot.services.sessionmaker.begin() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None
        yesterday = datetime.now(UTC) - timedelta(hours=25)
        code = await staff_link.issue_clinic_code(session, clinic=clinic, now=yesterday)
    bot.fake.push_group_text(GROUP, ANA, f"/link {code}")
    await bot.fake.wait_for_call("sendMessage", GROUP, text_contains="expired")
    async with bot.services.sessionmaker() as session:
        clinic = await session.get(Clinic, world.clinic_id)
        assert clinic is not None and clinic.staff_chat_id is None


async def test_staff_links_their_account_in_the_clinics_group(bot: Harness) -> None:
    world = await build_world(bot.services.sessionmaker, group=GROUP, linked=False)
    async with bot.services.sessionmaker.begin() as session:
        ana = await session.get(Staff, world.therapist_id)
        assert ana is not None
        code = await staff_link.issue_staff_code(session, staff=ana, now=datetime.now(UTC))
    bot.fake.push_group_text(-100_777, ANA, f"/staff {code}")
    await bot.fake.wait_for_call("sendMessage", -100_777, text_contains="your clinic's staff group")
    bot.fake.push_group_text(GROUP, ANA, f"/staff {code}")
    await bot.fake.wait_for_call("sendMessage", GROUP, text_contains="Thanks, Dr Ana Rivera")
    async with bot.services.sessionmaker() as session:
        ana = await session.get(Staff, world.therapist_id)
        assert ana is not None and ana.telegram_user_id == ANA and ana.link_code_hash is None


async def test_an_alert_reaches_the_group_with_only_the_minimum(bot: Harness) -> None:
    world = await _linked_world(bot)
    alert_id = await _raise_crisis(bot, world)
    call = await _alert_message(bot, alert_id)
    body = call.params["text"]
    assert "URGENT" in body and "crisis" in body and "client C-" in body
    assert f"aftercare alerts show {alert_id}" in body and "(Europe/London)" in body
    assert "Sam" not in body and WORDS not in body
    assert button_with(call, "Acknowledge") == f"al:{alert_id}:ack"
    assert button_with(call, "Resolve") == f"al:{alert_id}:res"


async def test_the_clients_words_appear_only_when_the_clinic_shares_them(bot: Harness) -> None:
    world = await _linked_world(bot, share_words=True)
    alert_id = await _raise_crisis(bot, world)
    body = (await _alert_message(bot, alert_id)).params["text"]
    assert WORDS in body and "Sam" not in body


async def test_acknowledge_by_linked_staff_is_recorded_and_shown(bot: Harness) -> None:
    world = await _linked_world(bot)
    alert_id = await _raise_crisis(bot, world)
    message_id = (await _alert_message(bot, alert_id)).result["message_id"]
    # The therapist may be in the group, but only those who work the queue act on alerts.
    bot.fake.push_callback(GROUP, message_id, f"al:{alert_id}:ack", user_id=ANA, chat_type="group")
    [refused] = await bot.fake.wait_for_call("answerCallbackQuery")
    assert refused.params["text"] == text.ONLY_QUEUE_STAFF
    bot.fake.push_callback(GROUP, message_id, f"al:{alert_id}:ack", user_id=DEE, chat_type="group")
    [edit] = await bot.fake.wait_for_call("editMessageText", GROUP)
    assert "Acknowledged by Dee Duty (telegram)" in edit.params["text"]
    # Taken: only Resolve still applies.
    keyboard = edit.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in keyboard for b in row] == [text.RESOLVE_BUTTON]
    async with bot.services.sessionmaker() as session:
        alert = await alerts.get(session, alert_id=alert_id)
        assert alert.status is AlertStatus.acknowledged
        assert alert.acknowledged_by_id == world.duty_id == alert.owner_id


async def test_a_press_by_someone_who_is_not_staff_is_refused_and_changes_nothing(
    bot: Harness,
) -> None:
    world = await _linked_world(bot)
    alert_id = await _raise_crisis(bot, world)
    message_id = (await _alert_message(bot, alert_id)).result["message_id"]
    bot.fake.push_callback(
        GROUP, message_id, f"al:{alert_id}:ack", user_id=STRANGER, chat_type="group"
    )
    [answer] = await bot.fake.wait_for_call("answerCallbackQuery")
    assert answer.params["text"] == "Only staff of Riverside Clinic can do this."
    assert answer.params["show_alert"] is True
    # Linked staff of another clinic cannot act on this clinic's alert either.
    async with bot.services.sessionmaker.begin() as session:
        other = await make_therapist(session, await make_clinic(session, "Hillside"), "Dr Who")
        other.telegram_user_id = 8888
    bot.fake.push_callback(GROUP, message_id, f"al:{alert_id}:ack", user_id=8888, chat_type="group")
    await bot.fake.wait_for_call("answerCallbackQuery", count=2)
    refusal = bot.fake.calls_to("answerCallbackQuery")[-1].params
    assert refusal["text"] == "Only staff of Riverside Clinic can do this."
    assert refusal["show_alert"] is True
    assert bot.fake.calls_to("editMessageText") == []
    assert await _status(bot, alert_id) is AlertStatus.open


async def test_resolve_asks_for_a_note_and_the_reply_resolves(bot: Harness) -> None:
    world = await _linked_world(bot)
    alert_id = await _raise_crisis(bot, world)
    message_id = (await _alert_message(bot, alert_id)).result["message_id"]
    bot.fake.push_callback(GROUP, message_id, f"al:{alert_id}:res", user_id=JO, chat_type="group")
    [prompt] = await bot.fake.wait_for_call(
        "sendMessage", GROUP, text_contains=f"Resolving alert #{alert_id}"
    )
    assert prompt.params["reply_markup"]["force_reply"] is True
    assert await _status(bot, alert_id) is AlertStatus.open
    bot.fake.push_text(
        GROUP,
        "called her, she is safe, GP tomorrow",
        user_id=JO,
        chat_type="group",
        reply_to_message=prompt.result,
    )
    await bot.fake.wait_for_call("sendMessage", GROUP, text_contains="is resolved")
    [edit] = await bot.fake.wait_for_call("editMessageText", GROUP)
    assert "Resolved by Jo Admin (telegram)" in edit.params["text"]
    assert not edit.params.get("reply_markup")
    async with bot.services.sessionmaker() as session:
        alert = await alerts.get(session, alert_id=alert_id)
        assert alert.status is AlertStatus.resolved and alert.resolved_by_id == world.admin_id
        assert alert.resolution_note == "called her, she is safe, GP tomorrow"


async def test_an_overdue_alert_is_reminded_in_the_group_and_escalated_to_admins(
    bot: Harness,
) -> None:
    world = await _linked_world(bot)
    start = datetime.now(UTC)
    alert_id = await _raise_crisis(bot, world, now=start)
    message_id = (await _alert_message(bot, alert_id)).result["message_id"]
    bot.services.now = lambda: start + timedelta(minutes=17)
    assert await jobs.remind_overdue_alerts(bot.services) == 1
    [reminder] = await bot.fake.wait_for_call("sendMessage", GROUP, text_contains="OVERDUE by 2")
    assert f"#{alert_id}" in reminder.params["text"] and message_id
    [private] = await bot.fake.wait_for_call("sendMessage", JO, text_contains="past its deadline")
    assert "Sam" not in private.params["text"] and WORDS not in private.params["text"]
    [mention] = await bot.fake.wait_for_call("sendMessage", GROUP, text_contains="escalated")
    assert "Jo Admin" in mention.params["text"]
    async with bot.services.sessionmaker() as session:
        alert = await alerts.get(session, alert_id=alert_id)
        assert alert.escalated_at == start + timedelta(minutes=17) and alert.reminders_sent == 1


NOT_HERE = text.NOT_HERE


async def _answers(bot: Harness, count: int, after: int = 0) -> list[Call]:
    """The answers to button presses, once `count` have come after the first `after`."""

    def answers() -> list[Call]:
        return bot.fake.calls_to("answerCallbackQuery")[after:]

    await bot.fake.wait_for(lambda: len(answers()) >= count, what=f"{count} answers")
    return answers()


async def test_buttons_act_only_in_the_clinics_staff_group(bot: Harness) -> None:
    """Elsewhere, forged data and unknown ids all get the same short line and change nothing."""
    world = await _linked_world(bot)
    alert_id = await _raise_crisis(bot, world)
    message_id = (await _alert_message(bot, alert_id)).result["message_id"]
    other_group, client_chat = -100_777, 5_123
    await bot.join(client_chat)
    presses = [
        # Linked staff of this very clinic, pressing from another group.
        (other_group, ANA, f"al:{alert_id}:ack", "group"),
        (other_group, JO, f"al:{alert_id}:res", "supergroup"),
        # A client forging the button in their private chat.
        (client_chat, client_chat, f"al:{alert_id}:ack", "private"),
        # The right group, but an alert that does not exist or data that is not a button's.
        (GROUP, ANA, f"al:{alert_id + 1000}:ack", "group"),
        (GROUP, ANA, "al:99999999999999999999:ack", "group"),
        (GROUP, ANA, f"al:{alert_id}:delete", "group"),
        (GROUP, ANA, f"al:{alert_id}", "group"),
    ]
    before = len(bot.fake.calls_to("answerCallbackQuery"))
    for chat_id, user_id, data, chat_type in presses:
        bot.fake.push_callback(chat_id, message_id, data, user_id=user_id, chat_type=chat_type)
    answers = await _answers(bot, len(presses), after=before)
    assert [a.params.get("text") for a in answers] == [NOT_HERE] * len(presses)
    assert not any(a.params.get("show_alert") for a in answers)
    assert bot.fake.calls_to("editMessageText") == []
    assert bot.fake.calls_to("sendMessage", other_group) == []
    assert await _status(bot, alert_id) is AlertStatus.open
    # The same press in the staff group works.
    bot.fake.push_callback(GROUP, message_id, f"al:{alert_id}:ack", user_id=DEE, chat_type="group")
    await bot.fake.wait_for_call("editMessageText", GROUP)
    assert await _status(bot, alert_id) is AlertStatus.acknowledged


async def test_a_note_reply_outside_the_staff_group_resolves_nothing(bot: Harness) -> None:
    world = await _linked_world(bot)
    alert_id = await _raise_crisis(bot, world)
    message_id = (await _alert_message(bot, alert_id)).result["message_id"]
    bot.fake.push_callback(GROUP, message_id, f"al:{alert_id}:res", user_id=JO, chat_type="group")
    [prompt] = await bot.fake.wait_for_call(
        "sendMessage", GROUP, text_contains=f"Resolving alert #{alert_id}"
    )
    # The prompt's text, forwarded into another group the bot is in, and replied to there.
    other_group = -100_777
    copied = await bot.runtime.application.bot.send_message(other_group, prompt.params["text"])
    bot.fake.push_text(
        other_group,
        "done",
        user_id=JO,
        chat_type="group",
        reply_to_message=copied.to_dict(),
    )
    await bot.fake.wait_for_call("sendMessage", other_group, text_contains=NOT_HERE)
    assert await _status(bot, alert_id) is AlertStatus.open


async def _deactivate(bot: Harness, staff_id: int) -> None:
    async with bot.services.sessionmaker.begin() as session:
        await staff_service.deactivate(session, staff_id=staff_id, now=datetime.now(UTC))


async def test_a_deactivated_staff_members_presses_and_notes_are_refused(bot: Harness) -> None:
    world = await _linked_world(bot)
    alert_id = await _raise_crisis(bot, world)
    message_id = (await _alert_message(bot, alert_id)).result["message_id"]
    # Jo asks for the note prompt while still active, then leaves the clinic.
    bot.fake.push_callback(GROUP, message_id, f"al:{alert_id}:res", user_id=JO, chat_type="group")
    [prompt] = await bot.fake.wait_for_call(
        "sendMessage", GROUP, text_contains=f"Resolving alert #{alert_id}"
    )
    await _deactivate(bot, world.admin_id)
    bot.fake.push_callback(GROUP, message_id, f"al:{alert_id}:ack", user_id=JO, chat_type="group")
    [_, refused] = await _answers(bot, 2)
    assert refused.params["text"] == text.STAFF_DEACTIVATED
    bot.fake.push_text(
        GROUP, "called, safe", user_id=JO, chat_type="group", reply_to_message=prompt.result
    )
    await bot.fake.wait_for_call("sendMessage", GROUP, text_contains="deactivated")
    assert bot.fake.calls_to("editMessageText") == []
    assert await _status(bot, alert_id) is AlertStatus.open
    async with bot.services.sessionmaker() as session:
        jo = await session.get(Staff, world.admin_id)
        assert jo is not None and jo.telegram_user_id == JO  # nothing else was unlinked


async def test_a_deactivated_staff_members_link_code_is_refused(bot: Harness) -> None:
    world = await build_world(bot.services.sessionmaker, group=GROUP, linked=False)
    async with bot.services.sessionmaker.begin() as session:
        ana = await session.get(Staff, world.therapist_id)
        assert ana is not None
        code = await staff_link.issue_staff_code(session, staff=ana, now=datetime.now(UTC))
    await _deactivate(bot, world.therapist_id)
    bot.fake.push_group_text(GROUP, ANA, f"/staff {code}")
    [reply] = await bot.fake.wait_for_call("sendMessage", GROUP)
    assert reply.params["text"] == text.STAFF_CODE_DEACTIVATED
    async with bot.services.sessionmaker() as session:
        ana = await session.get(Staff, world.therapist_id)
        assert ana is not None and ana.telegram_user_id is None


async def test_ids_beyond_the_databases_integers_in_a_staff_group_reply_answer_cleanly(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    world = await _linked_world(bot)
    alert_id = await _raise_crisis(bot, world)
    message_id = (await _alert_message(bot, alert_id)).result["message_id"]
    # A prompt naming an alert number no database integer holds: the same line as any unknown.
    forged = await bot.runtime.application.bot.send_message(
        GROUP, f"{text.NOTE_PROMPT_START}{2**70}. Reply with a note."
    )
    bot.fake.push_text(
        GROUP, "called, safe", user_id=DEE, chat_type="group", reply_to_message=forged.to_dict()
    )
    await bot.fake.wait_for_call("sendMessage", GROUP, text_contains=text.NOT_HERE)
    # A real prompt, replied to by a sender whose id is beyond 64 bits: ignored, nothing breaks.
    bot.fake.push_callback(GROUP, message_id, f"al:{alert_id}:res", user_id=DEE, chat_type="group")
    [prompt] = await bot.fake.wait_for_call(
        "sendMessage", GROUP, text_contains=f"Resolving alert #{alert_id}. "
    )
    bot.fake.push_text(
        GROUP, "called, safe", user_id=2**64, chat_type="group", reply_to_message=prompt.result
    )
    bot.fake.push_text(
        GROUP, "called, safe", user_id=DEE, chat_type="group", reply_to_message=prompt.result
    )
    await bot.fake.wait_for_call("sendMessage", GROUP, text_contains="is resolved")
    assert await _status(bot, alert_id) is AlertStatus.resolved
    assert "OverflowError" not in caplog.text
    replies = [c.params["text"] for c in bot.fake.calls_to("sendMessage", GROUP)]
    assert sum("is resolved" in r for r in replies) == 1
