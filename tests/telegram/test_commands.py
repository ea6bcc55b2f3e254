"""/plan, /help, /privacy, /pause, /resume and /stop for a linked client."""

from __future__ import annotations

from sqlalchemy import select

from bot.alert.models import Alert, AlertType, Severity
from bot.checkin.models import CheckinStatus
from bot.client.models import ClientStatus
from tests.telegram.harness import Harness, button_with

CHAT = 7001


async def test_plan_shows_the_clients_own_words(harness: Harness) -> None:
    await harness.join(CHAT)
    harness.fake.push_text(CHAT, "/plan")
    [call] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Your plan, Sam")
    text = call.params["text"]
    for words in (
        "Sleeping badly for several nights",
        "Work parties where everyone is drinking",
        "I'm not drinking tonight, thanks.",
        "Priya (sister): +44 7700 900123",
        "Samaritans: 116 123",
        "You did the work, Sam.",
    ):
        assert words in text


async def test_help_and_privacy_say_automated_and_office_hours(harness: Harness) -> None:
    await harness.join(CHAT)
    harness.fake.push_text(CHAT, "/help")
    [help_call] = await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="Here's what I can do"
    )
    assert "automated" in help_call.params["text"]
    assert "mon-fri 09:00-17:00" in help_call.params["text"]
    harness.fake.push_text(CHAT, "/privacy")
    [privacy] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Kept:")
    assert (
        "90 days" in privacy.params["text"] and "not an emergency service" in privacy.params["text"]
    )


async def test_pause_stops_checkins_and_resume_restarts_them(harness: Harness) -> None:
    client = await harness.join(CHAT)
    harness.fake.push_text(CHAT, "/pause")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="paused")
    assert (await harness.client(client.id)).status == ClientStatus.paused
    await harness.send_now(client.id)
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, "/pause")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="already paused")
    # A check-in due after the paused one reaching an active client proves the clock has run.
    other = await harness.join(CHAT + 1, name="Alex")
    await harness.send_now(other.id)
    await harness.fake.wait_for_call("sendMessage", CHAT + 1, text_contains="extra check-in")
    assert harness.sent_count(CHAT) == before + 1
    assert any(
        c.status == CheckinStatus.scheduled and c.kind == "manual"
        for c in await harness.checkins(client.id)
    )
    harness.fake.push_text(CHAT, "/resume")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="on again")
    assert (await harness.client(client.id)).status == ClientStatus.active
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="extra check-in")


async def test_stop_asks_first_then_ends_all_messages(harness: Harness) -> None:
    client = await harness.join(CHAT)
    harness.fake.push_text(CHAT, "/stop")
    confirm = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT) - 0 - 1)
    harness.fake.push_callback(CHAT, confirm.result["message_id"], button_with(confirm, "No"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="nothing changes")
    assert (await harness.client(client.id)).status == ClientStatus.active
    harness.fake.push_text(CHAT, "/stop")
    await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="stop all messages", count=2
    )
    confirm = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT) - 1)
    harness.fake.push_callback(CHAT, confirm.result["message_id"], button_with(confirm, "Yes"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="won't send you anything")
    stopped = await harness.client(client.id)
    assert stopped.status == ClientStatus.stopped
    # The confirmation said the clinic would be told: it is.
    async with harness.services.sessionmaker() as session:
        [alert] = list(await session.scalars(select(Alert)))
    assert (alert.type, alert.severity) == (AlertType.stopped, Severity.routine)
    assert all(c.status != CheckinStatus.scheduled for c in await harness.checkins(client.id))
    await harness.send_now(client.id)
    harness.fake.push_text(CHAT, "hello?")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="stopped messages")
    assert not any("extra check-in" in t for t in harness.texts(CHAT))
