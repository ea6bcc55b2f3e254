"""/export and /delete end to end: the file a client gets, and an erasure asked twice."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from telegram.ext import CommandHandler

from bot.checkin.models import Checkin
from bot.client.models import ClientStatus
from bot.conversation.models import ClientMessage
from bot.plan.models import Plan
from bot.telegram import data_rights
from tests.support.params import UploadedFile
from tests.telegram.harness import Harness, button_with

CHAT = 8101
NOTE = "Work has been a lot, but I went for the walk twice."
MESSAGE = "The parkrun on Saturday was lovely, thanks for asking."


@pytest.fixture
def rights(harness: Harness) -> Harness:
    """The harness with /export and /delete wired ahead of the catch-all, unless already."""
    group = harness.runtime.application.handlers[0]
    wired = any(isinstance(h, CommandHandler) and "export" in h.commands for h in group)
    if not wired:
        for handler in reversed(data_rights.handlers()):
            group.insert(0, handler)
    return harness


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


async def test_export_sends_the_plan_answers_and_messages_as_a_file(rights: Harness) -> None:
    client = await rights.join(CHAT)
    await _answer_a_checkin(rights, client.id)
    before = rights.sent_count(CHAT)
    rights.fake.push_text(CHAT, MESSAGE)
    await rights.fake.wait_for_call("sendMessage", CHAT, count=before + 1)
    rights.fake.push_text(CHAT, "/export")
    [sent] = await rights.fake.wait_for_call("sendDocument", CHAT)
    await rights.fake.wait_for_call("sendMessage", CHAT, text_contains="copy of everything")
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


async def test_delete_then_cancel_changes_nothing(rights: Harness) -> None:
    client = await rights.join(CHAT)
    await _answer_a_checkin(rights, client.id)
    rights.fake.push_text(CHAT, "/delete")
    await rights.fake.wait_for_call("sendMessage", CHAT, text_contains="erase your data")
    await _delete_step(rights, "Yes, delete my data", "can't be undone")
    await _delete_step(rights, "Cancel", "Nothing has been deleted")
    rights.fake.push_text(CHAT, "/delete")
    await rights.fake.wait_for_call("sendMessage", CHAT, text_contains="erase your data", count=2)
    await _delete_step(rights, "No, keep it", "Nothing has been deleted")
    await rights.fake.wait_for_call("sendMessage", CHAT, text_contains="Nothing has been", count=2)
    kept = await rights.client(client.id)
    assert kept.display_name == "Sam" and kept.chat_id == CHAT
    assert kept.status == ClientStatus.active
    assert await _count(rights, Plan, client.id) == 1
    assert await _count(rights, ClientMessage, client.id) == 1
    [answered] = [c for c in await rights.checkins(client.id) if c.note is not None]
    assert answered.note == NOTE


async def test_delete_confirmed_twice_erases_and_unlinks_the_chat(rights: Harness) -> None:
    client = await rights.join(CHAT)
    await _answer_a_checkin(rights, client.id)
    rights.fake.push_text(CHAT, "/delete")
    await rights.fake.wait_for_call("sendMessage", CHAT, text_contains="erase your data")
    await _delete_step(rights, "Yes, delete my data", "can't be undone")
    await _delete_step(rights, "Delete everything", "won't send you anything more")
    [done] = await rights.fake.wait_for_call("sendMessage", CHAT, text_contains="are erased")
    assert "Samaritans: 116 123" in done.params["text"] and "999" in done.params["text"]
    erased = await rights.client(client.id)
    assert erased.display_name == "deleted" and erased.chat_id is None
    assert erased.status == ClientStatus.stopped
    for model in (Plan, ClientMessage, Checkin):
        assert await _count(rights, model, client.id) == 0, model.__name__
    # The chat is a stranger now: a polite reply, and nothing it sends is kept.
    rights.fake.push_text(CHAT, "hello? are you still there")
    await rights.fake.wait_for_call("sendMessage", CHAT, text_contains="Nothing you send here")
    async with rights.services.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ClientMessage)) == 0
