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
