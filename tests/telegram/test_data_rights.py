"""/export and /delete end to end: the file a client gets, and an erasure asked twice."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.checkin.models import Checkin
from bot.client.models import ClientStatus
from bot.conversation.models import ClientMessage
from bot.plan.models import Plan
from tests.support.params import UploadedFile
from tests.telegram.harness import Harness, button_with

CHAT = 8101
NOTE = "Work has been a lot, but I went for the walk twice."
MESSAGE = "The parkrun on Saturday was lovely, thanks for asking."


async def _answer_a_checkin(harness: Harness, client_id: int) -> None:
    """Mood Low, one warning sign, and a note in the client's own words."""
    await harness.send_now(client_id)
    opener = await harness.last_with_buttons(CHAT, after=harness.sent_count(CHAT))
    harness.fake.push_callback(CHAT, opener.result["message_id"], button_with(opener, "Low"))
    [*_, signs] = await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="early warning"
    )
    harness.fake.push_callback(
        CHAT, signs.result["message_id"], button_with(signs, "Sleeping badly")
    )
    harness.fake.push_callback(CHAT, signs.result["message_id"], button_with(signs, "Done"))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="own words")
    harness.fake.push_text(CHAT, NOTE)
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="You noticed")


async def _count(harness: Harness, model: type, client_id: int) -> int:
    async with harness.services.sessionmaker() as session:
        query = select(func.count()).select_from(model)
        found = await session.scalar(query.where(model.client_id == client_id))  # type: ignore[attr-defined]
        return int(found or 0)


async def _delete_step(harness: Harness, label: str, expect: str) -> None:
    """Tap `label` on the newest buttons in the chat, then wait for a reply containing `expect`."""
    asked = await harness.last_with_buttons(CHAT)
    harness.fake.push_callback(CHAT, asked.result["message_id"], button_with(asked, label))
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains=expect)


async def test_export_sends_the_plan_answers_and_messages_as_a_file(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await _answer_a_checkin(harness, client.id)
    before = harness.sent_count(CHAT)
    harness.fake.push_text(CHAT, MESSAGE)
    await harness.fake.wait_for_call("sendMessage", CHAT, count=before + 1)
    harness.fake.push_text(CHAT, "/export")
    [sent] = await harness.fake.wait_for_call("sendDocument", CHAT)
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="copy of everything")
    assert sent.params["caption"].startswith("Your aftercare data, ")
    document = sent.params["document"]
    assert isinstance(document, UploadedFile)
    assert document.filename is not None and document.filename.startswith("aftercare-export-")
    assert document.filename.endswith(".json")
    export = json.loads(document.content.decode("utf-8"))
    assert export["profile"]["name"] == "Sam" and export["profile"]["status"] == "active"
    assert export["plan"]["warning_signs"][0] == "Sleeping badly for several nights"
    assert "You did the work, Sam." in export["plan"]["closing_note"]
    [answered] = [c for c in export["checkins"] if c["status"] == "answered"]
    assert answered["mood_words"] == "Low" and answered["note"] == NOTE
    assert answered["warning_signs"] == ["Sleeping badly for several nights"]
    assert [m["text"] for m in export["messages"]] == [NOTE, MESSAGE]


async def test_delete_then_cancel_changes_nothing(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await _answer_a_checkin(harness, client.id)
    harness.fake.push_text(CHAT, "/delete")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="erase your data")
    await _delete_step(harness, "Yes, delete my data", "can't be undone")
    await _delete_step(harness, "Cancel", "Nothing has been deleted")
    harness.fake.push_text(CHAT, "/delete")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="erase your data", count=2)
    await _delete_step(harness, "No, keep it", "Nothing has been deleted")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Nothing has been", count=2)
    kept = await harness.client(client.id)
    assert kept.display_name == "Sam" and kept.chat_id == CHAT
    assert kept.status == ClientStatus.active
    assert await _count(harness, Plan, client.id) == 1
    assert await _count(harness, ClientMessage, client.id) == 1
    [answered] = [c for c in await harness.checkins(client.id) if c.note is not None]
    assert answered.note == NOTE


async def test_delete_confirmed_twice_erases_and_unlinks_the_chat(harness: Harness) -> None:
    client = await harness.join(CHAT)
    await _answer_a_checkin(harness, client.id)
    harness.fake.push_text(CHAT, "/delete")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="erase your data")
    await _delete_step(harness, "Yes, delete my data", "can't be undone")
    await _delete_step(harness, "Delete everything", "won't send you anything more")
    [done] = await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="are erased")
    assert "Samaritans: 116 123" in done.params["text"] and "999" in done.params["text"]
    erased = await harness.client(client.id)
    assert erased.display_name == "deleted" and erased.chat_id is None
    assert erased.status == ClientStatus.stopped
    for model in (Plan, ClientMessage, Checkin):
        assert await _count(harness, model, client.id) == 0, model.__name__
    # The chat is a stranger now: a polite reply, and nothing it sends is kept.
    harness.fake.push_text(CHAT, "hello? are you still there")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="Nothing you send here")
    async with harness.services.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ClientMessage)) == 0
