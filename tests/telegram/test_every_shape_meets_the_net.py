"""Every private message meets the policy, whatever its shape: words after any command, a caption,
an edit, a sticker, a stranger's /start with words. Through the real application."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.alert.models import Alert, AlertType, Severity
from bot.client.models import ClientStatus
from bot.conversation.models import ClientMessage
from tests.telegram.harness import Harness, button_with

CHAT = 27001
GROUP = -100_2701
CRISIS_WORDS = "i took all my pills an hour ago"
RESOURCES = "Your safety comes first"
DEFAULT_RESOURCES = "this chat isn't linked to a clinic"


async def crisis_alerts(harness: Harness) -> list[Alert]:
    async with harness.services.sessionmaker() as session:
        rows = await session.scalars(select(Alert).where(Alert.type == AlertType.crisis))
        return list(rows)


async def joined(harness: Harness) -> int:
    client = await harness.join(CHAT)
    await harness.link_staff_group(GROUP)
    return client.id


# Commands whose own answer still follows the crisis path, with a phrase of that answer.
ANSWER_FOLLOWS = {
    "/plan": "Your plan, Sam",
    "/help": "Here's what I can do",
    "/privacy": "Kept:",
    "/return": "come back",
    "/stop": "stop all messages",
}
ANSWER_WAITS = ["/pause", "/resume", "/export", "/delete", "/timezone Europe/Paris", "/whatever"]


@pytest.mark.parametrize("command", [*ANSWER_FOLLOWS, *ANSWER_WAITS])
async def test_crisis_words_after_any_command_take_the_crisis_path_first(
    harness: Harness, command: str
) -> None:
    client_id = await joined(harness)
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, f"{command} {CRISIS_WORDS}")
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="your own plan")
    first = harness.texts(CHAT)[before]
    assert RESOURCES in first, harness.texts(CHAT)[before:]
    [alert] = await crisis_alerts(harness)
    assert alert.severity is Severity.urgent
    async with harness.services.sessionmaker() as session:
        [stored] = list(await session.scalars(select(ClientMessage)))
    assert stored.text == CRISIS_WORDS and stored.risk == "crisis"
    name = command.split()[0]
    if name in ANSWER_FOLLOWS:
        await harness.fake.wait_for_call("sendMessage", CHAT, text_contains=ANSWER_FOLLOWS[name])
    else:
        assert (await harness.client(client_id)).status is ClientStatus.active
        assert not harness.fake.calls_to("sendDocument", CHAT)
        assert not any("delete" in t.lower() for t in harness.texts(CHAT)[before:])


async def test_a_lapse_after_a_command_is_handled_as_a_message_and_the_command_answers(
    harness: Harness,
) -> None:
    await joined(harness)
    harness.fake.push_text(CHAT, "/plan I relapsed last night and had a drink")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Your plan, Sam")
    await harness.eventually(lambda: _has_alert(harness, AlertType.lapse), what="a lapse alert")


async def _has_alert(harness: Harness, kind: AlertType) -> bool:
    async with harness.services.sessionmaker() as session:
        return (await session.scalar(select(Alert).where(Alert.type == kind))) is not None


async def test_a_bare_command_has_nothing_to_read_and_stores_nothing(harness: Harness) -> None:
    await joined(harness)
    harness.fake.push_text(CHAT, "/plan")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Your plan, Sam")
    async with harness.services.sessionmaker() as session:
        assert list(await session.scalars(select(ClientMessage))) == []


async def test_a_strangers_start_with_crisis_words_gets_the_default_resources(
    harness: Harness,
) -> None:
    harness.fake.push_text(CHAT + 1, f"/start NOTACODE {CRISIS_WORDS}")
    [call] = await harness.fake.wait_for_call(
        "sendMessage", CHAT + 1, text_contains=DEFAULT_RESOURCES
    )
    assert harness.services.settings.default_crisis_resources in call.params["text"]
    await harness.fake.wait_for_call("sendMessage", CHAT + 1, text_contains="link doesn't work")


async def test_a_crisis_in_a_caption_or_an_edit_is_read(harness: Harness) -> None:
    await joined(harness)
    harness.fake.push_photo(CHAT, caption=CRISIS_WORDS)
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    [first] = await crisis_alerts(harness)
    harness.fake.push_text(CHAT, "fine thanks")
    message = harness.fake.push_text(CHAT, "all good")
    harness.fake.push_edited_text(CHAT, message["message"]["message_id"], CRISIS_WORDS)
    await harness.eventually(lambda: _crisis_count(harness, 2), what="the edit's crisis merged")
    assert first.id == (await crisis_alerts(harness))[0].id


async def _crisis_count(harness: Harness, count: int) -> bool:
    alerts = await crisis_alerts(harness)
    return bool(alerts) and alerts[0].count >= count


async def test_a_sticker_says_only_text_is_read_and_where_to_turn(harness: Harness) -> None:
    await joined(harness)
    harness.fake.push_sticker(CHAT)
    [call] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="only read text")
    assert "999" in call.params["text"] and "Samaritans" in call.params["text"]


async def test_help_now_gives_resources_the_plan_and_asks_whether_to_tell(
    harness: Harness,
) -> None:
    await joined(harness)
    harness.fake.push_text(CHAT, "🆘 I need help now")
    [resources] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="999")
    [asking] = await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="Would you like me to tell"
    )
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="your own plan")
    assert resources.at < asking.at
    assert await crisis_alerts(harness) == []  # nobody told until they say so
    harness.fake.push_callback(CHAT, asking.result["message_id"], button_with(asking, "Yes"))
    await harness.fake.wait_for_call("sendMessage", GROUP, text_contains="URGENT")
    [alert] = await crisis_alerts(harness)
    assert "asked for help now" in alert.evidence
