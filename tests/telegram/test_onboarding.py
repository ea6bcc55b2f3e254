"""Joining through an invite link: valid, invalid, expired and reused codes, consent declined."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from bot.client.models import Client, ClientStatus, Invite
from tests.telegram.harness import Harness, button_data, button_with

CHAT = 5001


async def test_valid_code_consent_then_welcome(harness: Harness) -> None:
    client, code = await harness.enroll("Sam")
    harness.fake.push_text(CHAT, f"/start {code}")
    notice = await harness.last_with_buttons(CHAT)
    text = notice.params["text"]
    assert "automated assistant" in text and "not an emergency service" in text
    assert "Samaritans: 116 123" in text and "mon-fri 09:00-17:00" in text
    # Nothing is active until the client agrees.
    assert (await harness.client(client.id)).status == ClientStatus.invited
    harness.fake.push_callback(CHAT, notice.result["message_id"], button_with(notice, "agree"))
    welcome = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Welcome")
    assert "You did the work, Sam" in welcome[0].params["text"]  # the therapist's closing note
    assert "first check-in comes" in welcome[0].params["text"]
    linked = await harness.client(client.id)
    assert linked.status == ClientStatus.active and linked.chat_id == CHAT
    assert linked.consented_at is not None
    commands = harness.fake.calls_to("setMyCommands")
    assert commands and {c["command"] for c in commands[0].params["commands"]} >= {
        "plan",
        "help",
        "pause",
        "resume",
        "stop",
        "privacy",
    }


async def test_unknown_code_and_no_code_store_nothing(harness: Harness) -> None:
    harness.fake.push_text(CHAT, "/start not-a-real-code-aaaaaaaaaaaa")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="doesn't work")
    harness.fake.push_text(CHAT + 1, "/start")
    await harness.fake.wait_for_call("sendMessage", CHAT + 1, text_contains="personal link")
    async with harness.services.sessionmaker() as session:
        linked = await session.scalar(select(func.count()).where(Client.chat_id.is_not(None)))
        pending = await session.scalar(
            select(func.count()).where(Invite.pending_chat_id.is_not(None))
        )
    assert linked == 0 and pending == 0


async def test_expired_code_is_refused(harness: Harness) -> None:
    client, code = await harness.enroll()
    async with harness.services.sessionmaker.begin() as session:
        await session.execute(
            update(Invite).values(expires_at=harness.services.now() - timedelta(seconds=1))
        )
    harness.fake.push_text(CHAT, f"/start {code}")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="doesn't work")
    assert (await harness.client(client.id)).chat_id is None


async def test_reused_code_is_refused(harness: Harness) -> None:
    client, code = await harness.enroll()
    harness.fake.push_text(CHAT, f"/start {code}")
    notice = await harness.last_with_buttons(CHAT)
    harness.fake.push_callback(CHAT, notice.result["message_id"], button_data(notice, 0))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Welcome")
    other = CHAT + 7
    harness.fake.push_text(other, f"/start {code}")
    await harness.fake.wait_for_call("sendMessage", other, text_contains="doesn't work")
    assert (await harness.client(client.id)).chat_id == CHAT


async def test_consent_declined_keeps_client_invited(harness: Harness) -> None:
    client, code = await harness.enroll()
    harness.fake.push_text(CHAT, f"/start {code}")
    notice = await harness.last_with_buttons(CHAT)
    harness.fake.push_callback(CHAT, notice.result["message_id"], button_with(notice, "Not now"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="completely fine")
    found = await harness.client(client.id)
    assert found.status == ClientStatus.invited and found.chat_id is None
    # Declining is not final: the same link still works while valid.
    harness.fake.push_text(CHAT, f"/start {code}")
    notice = await harness.last_with_buttons(CHAT, after=2)
    harness.fake.push_callback(CHAT, notice.result["message_id"], button_with(notice, "agree"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Welcome")


async def test_consent_from_another_chat_is_refused(harness: Harness) -> None:
    client, code = await harness.enroll()
    harness.fake.push_text(CHAT, f"/start {code}")
    notice = await harness.last_with_buttons(CHAT)
    intruder = CHAT + 99
    harness.fake.push_callback(intruder, notice.result["message_id"], button_data(notice, 0))
    await harness.fake.wait_for_call("sendMessage", intruder, text_contains="doesn't work")
    assert (await harness.client(client.id)).status == ClientStatus.invited


async def test_forged_consent_data_gets_one_quiet_answer(harness: Harness) -> None:
    client, code = await harness.enroll()
    harness.fake.push_text(CHAT, f"/start {code}")
    notice = await harness.last_with_buttons(CHAT)
    sent = harness.sent_count(CHAT)
    forged = ["consent:yes:1:2", "consent:yes:²", "consent:yes:99999999999999999999", "consent:"]
    for data in forged:
        harness.fake.push_callback(CHAT, notice.result["message_id"], data)
    # The real button afterwards is still answered normally: nothing broke on the way.
    harness.fake.push_callback(CHAT, notice.result["message_id"], button_with(notice, "agree"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Welcome")
    answers = harness.fake.calls_to("answerCallbackQuery")
    assert len(answers) == len(forged) + 1
    assert all(a.ok and not a.params.get("text") for a in answers)
    assert harness.sent_count(CHAT) == sent + 1  # only the welcome
    assert (await harness.client(client.id)).status == ClientStatus.active


async def _stop(harness: Harness, chat_id: int) -> None:
    harness.fake.push_text(chat_id, "/stop")
    ask = await harness.last_with_buttons(chat_id, after=harness.sent_count(chat_id) - 1)
    harness.fake.push_callback(chat_id, ask.result["message_id"], button_with(ask, "Yes, stop"))
    await harness.fake.wait_for_call("sendMessage", chat_id, text_contains="won't send")


async def test_start_after_stopping_says_how_to_come_back_with_help(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await _stop(harness, CHAT)
    await harness.status_is(client.id, ClientStatus.stopped)
    harness.fake.push_text(CHAT, "/start")
    [reply] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Hello again")
    body = reply.params["text"]
    assert "stopped messages" in body and "new link" in body and "Riverside Clinic" in body
    assert "call 999" in body and "Samaritans: 116 123" in body
    assert "all set" not in body
    assert (await harness.client(client.id)).status == ClientStatus.stopped


async def test_start_after_graduating_says_so_with_help(harness: Harness) -> None:
    client = await harness.join(CHAT)
    async with harness.services.sessionmaker.begin() as session:
        await session.execute(
            update(Client).where(Client.id == client.id).values(status=ClientStatus.completed)
        )
    harness.fake.push_text(CHAT, "/start")
    [reply] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Hello again")
    body = reply.params["text"]
    assert "come to an end" in body and "/return" in body and "call 999" in body
    assert "Samaritans: 116 123" in body and "all set" not in body


async def test_start_when_active_is_all_set(harness: Harness) -> None:
    await harness.join(CHAT)
    harness.fake.push_text(CHAT, "/start")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="You're all set, Sam")
