"""A check-in from the clock to the client's answers: mood, warning signs, note, reflection."""

from __future__ import annotations

from bot.checkin.models import CheckinStage, CheckinStatus
from tests.support.recording import Call
from tests.telegram.harness import Harness, button_with

CHAT = 6001


async def test_full_round_trip_with_buttons_and_note(harness: Harness) -> None:
    client = await harness.join(CHAT)
    checkin = await harness.send_now(client.id)
    opener = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    assert "Sam" in opener.params["text"]
    chat_msg = opener.result["message_id"]
    harness.fake.push_callback(CHAT, chat_msg, button_with(opener, "Low"))
    signs = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="early warning")
    signs_call = signs[-1]
    labels = [
        b["text"] for row in signs_call.params["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert any("Sleeping badly" in label for label in labels) and "None of these" in labels
    message_id = signs_call.result["message_id"]
    harness.fake.push_callback(CHAT, message_id, button_with(signs_call, "Sleeping badly"))
    harness.fake.push_callback(CHAT, message_id, button_with(signs_call, "Cancelling plans"))
    # Consent and mood each cleared their buttons; then two toggles.
    edits = await harness.fake.wait_for_call("editMessageReplyMarkup", CHAT, count=4)
    toggled = [
        b["text"] for row in edits[-1].params["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert sum(label.startswith("✅") for label in toggled) == 2, [e.params for e in edits]
    harness.fake.push_callback(CHAT, message_id, button_with(signs_call, "Done"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="own words")
    harness.fake.push_text(CHAT, "Work has been a lot, but I went for the walk twice.")
    reflection = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="You noticed")
    body = reflection[-1].params["text"]
    assert "Sleeping badly for several nights" in body
    assert "A 20-minute walk before dinner" in body  # strategy matched to that sign
    assert "Text one friend back" in body  # ...and to the other sign
    assert "Priya (sister)" in body  # people to contact from their plan
    [stored] = [c for c in await harness.checkins(client.id) if c.id == checkin.id]
    assert stored.status == CheckinStatus.answered and stored.stage == CheckinStage.done
    assert stored.mood == 2 and stored.warning_signs == [0, 1]
    assert stored.note == "Work has been a lot, but I went for the walk twice."
    assert stored.telegram_message_id == chat_msg


async def good_none_skip(harness: Harness, client_id: int) -> Call:
    """A check-in answered by tapping Good, None of these, Skip; returns the opening message."""
    await harness.send_now(client_id)
    opener = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    harness.fake.push_callback(CHAT, opener.result["message_id"], button_with(opener, "Good"))
    signs = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="early warning")
    harness.fake.push_callback(
        CHAT, signs[-1].result["message_id"], button_with(signs[-1], "None of these")
    )
    note = (await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="own words"))[-1]
    harness.fake.push_callback(CHAT, note.result["message_id"], button_with(note, "Skip"))
    return opener


async def test_none_of_these_and_skip(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await good_none_skip(harness, client.id)
    reflection = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="none of your")
    assert "good" in reflection[-1].params["text"]
    [stored] = [c for c in await harness.checkins(client.id) if c.kind == "manual"]
    assert stored.mood == 4 and stored.warning_signs == [] and stored.note is None


async def test_pressing_an_old_checkin_again_changes_nothing(harness: Harness) -> None:
    client = await harness.join(CHAT)
    opener = await good_none_skip(harness, client.id)
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="none of your")
    # A stale mood button from the first message, tapped again after the check-in closed.
    harness.fake.push_callback(CHAT, opener.result["message_id"], button_with(opener, "Very low"))
    await harness.fake.wait_for(
        lambda: any(
            "already closed" in str(c.params.get("text"))
            for c in harness.fake.calls_to("answerCallbackQuery")
        ),
        what="closed-check-in toast",
    )
    [stored] = [c for c in await harness.checkins(client.id) if c.kind == "manual"]
    assert stored.mood == 4
