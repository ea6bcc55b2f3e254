"""The fake Bot API speaks Telegram's protocol well enough for the real PTB Application."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
import warnings
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, EndPointNotFound, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.support.fake_bot_api import FakeBotApi
from tests.support.fixtures import TEST_TOKEN, application_builder, fake_bot_api
from tests.support.params import UploadedFile

__all__ = ["fake_bot_api"]  # the fixture, imported so pytest finds it

CHAT = 4242


@pytest.fixture
async def app(fake_bot_api: FakeBotApi) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """An initialised (not polling) Application whose bot talks to the fake."""
    application = application_builder(fake_bot_api).build()
    async with application:
        yield application


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data=data)]])


async def test_send_message_is_recorded_with_decoded_params(fake_bot_api, app) -> None:
    first = await app.bot.send_message(CHAT, "Hello", reply_markup=keyboard("checkin:ok"))
    second = await app.bot.send_message(CHAT, "Again")

    assert fake_bot_api.calls[0].method == "getMe"  # Application.initialize asks who it is
    assert (app.bot.username, app.bot.id) == ("aftercare_test_bot", 123)
    assert (first.message_id, second.message_id) == (1, 2)
    assert first.reply_markup == keyboard("checkin:ok")
    assert first.from_user is not None and first.from_user.is_bot
    [call, _] = fake_bot_api.calls_to("sendMessage", chat_id=CHAT)
    assert call.params["chat_id"] == CHAT
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Done", "callback_data": "checkin:ok"}]]
    }
    assert fake_bot_api.sent_texts(CHAT) == ["Hello", "Again"]
    assert fake_bot_api.stats["by_method"]["sendMessage"] == 2
    with pytest.raises(AssertionError, match=r"(?s)3x sendMessage.*Again"):
        await fake_bot_api.wait_for_call("sendMessage", CHAT, count=3, timeout=0.1)


async def test_polling_application_handles_commands_taps_and_stickers(fake_bot_api) -> None:
    taps: list[str | None] = []

    async def welcome(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Replies to /start CODE with the code and a button."""
        assert update.effective_message is not None
        code = " ".join(context.args or [])
        await update.effective_message.reply_text(f"Welcome {code}", reply_markup=keyboard("ok"))

    async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answers the tap and replaces the message text."""
        assert update.callback_query is not None
        taps.append(update.callback_query.data)
        await update.callback_query.answer("Noted")
        await update.callback_query.edit_message_text("Thanks")

    async def sticker(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Acknowledges a sticker."""
        assert update.effective_message is not None
        await update.effective_message.reply_text("Nice sticker")

    application = application_builder(fake_bot_api).build()
    application.add_handlers([CommandHandler("start", welcome), CallbackQueryHandler(tapped)])
    application.add_handler(MessageHandler(filters.Sticker.ALL, sticker))
    async with application:
        assert application.updater is not None
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            fake_bot_api.push_text(CHAT, "/start CODE123")
            [sent] = await fake_bot_api.wait_for_call("sendMessage", CHAT, text_contains="CODE")
            fake_bot_api.push_callback(CHAT, sent.result["message_id"], "ok")
            await fake_bot_api.wait_for_call("editMessageText", CHAT)
            fake_bot_api.push_sticker(CHAT)
            await fake_bot_api.wait_for_call("sendMessage", CHAT, text_contains="Nice")
        finally:
            await application.updater.stop()
            await application.stop()

    assert taps == ["ok"]
    assert fake_bot_api.calls_to("answerCallbackQuery")[0].params["text"] == "Noted"
    assert fake_bot_api.sent_texts(CHAT) == ["Welcome CODE123", "Nice sticker"]
    assert fake_bot_api.pending_updates == []  # the stopping updater confirmed every update


async def test_injected_429_raises_retry_after(fake_bot_api, app, monkeypatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake_bot_api.fail_next("sendMessage", status=429, retry_after=3)

    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(CHAT, "Hello")
    await app.bot.send_message(CHAT, "Hello")

    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    assert [c.status for c in fake_bot_api.calls_to("sendMessage")] == [429, 200]
    assert fake_bot_api.too_many_requests == 1


async def test_blocked_chat_raises_forbidden_until_unblocked(fake_bot_api, app) -> None:
    fake_bot_api.block_chat(CHAT)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(CHAT, "Hello")
    await app.bot.send_message(CHAT + 1, "Someone else")
    fake_bot_api.unblock_chat(CHAT)
    await app.bot.send_message(CHAT, "Hello")

    fake_bot_api.fail_next("sendMessage", status=403, chat_id=CHAT)
    with pytest.raises(Forbidden):
        await app.bot.send_message(CHAT, "Hello")
    assert fake_bot_api.sent_texts(CHAT) == ["Hello"]


@pytest.mark.parametrize(("status", "words"), [(500, "Internal Server"), (502, "Bad Gateway")])
async def test_server_errors_raise_network_error(fake_bot_api, app, status, words) -> None:
    fake_bot_api.fail_next("sendMessage", status=status)

    with pytest.raises(NetworkError, match=words):
        await app.bot.send_message(CHAT, "Hello")


@pytest.mark.parametrize(
    ("text", "markup", "words"),
    [
        ("x" * 4097, None, "too long"),
        ("   ", None, "text is empty"),
        ("Hi", keyboard("d" * 65), r"(?i)BUTTON_DATA_INVALID"),
    ],
)
async def test_telegram_validation_raises_bad_request(fake_bot_api, app, text, markup, words):
    with pytest.raises(BadRequest, match=words):
        await app.bot.send_message(CHAT, text, reply_markup=markup)
    assert fake_bot_api.calls_to("sendMessage")[0].status == 400


async def test_longest_allowed_texts_pass_and_unknown_methods_are_not_found(app) -> None:
    await app.bot.send_message(CHAT, "x" * 4096, reply_markup=keyboard("é" * 32))
    await app.bot.send_message(CHAT, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")

    with pytest.raises(EndPointNotFound):
        await app.bot.do_api_request("notARealMethod")


async def test_edits_follow_telegram_rules(app) -> None:
    sent = await app.bot.send_message(CHAT, "Plan", reply_markup=keyboard("a"))

    edited = await app.bot.edit_message_text("Plan v2", CHAT, sent.message_id)
    with pytest.raises(BadRequest, match="not modified"):
        await app.bot.edit_message_text("Plan v2", CHAT, sent.message_id)
    with pytest.raises(BadRequest, match="not found"):
        await app.bot.edit_message_text("Plan", CHAT, 999)
    assert isinstance(edited, type(sent)) and edited.reply_markup is None
    assert await app.bot.delete_message(CHAT, sent.message_id)
    with pytest.raises(BadRequest, match="not found"):
        await app.bot.delete_message(CHAT, sent.message_id)


async def test_document_upload_is_recorded_and_downloadable(fake_bot_api, app) -> None:
    sent = await app.bot.send_document(CHAT, b"my plan", filename="plan.txt", caption="Yours")

    upload = fake_bot_api.calls_to("sendDocument", CHAT)[0].params["document"]
    assert upload == UploadedFile("document", "plan.txt", "text/plain", b"my plan")
    assert sent.document is not None and sent.document.file_name == "plan.txt"
    file = await app.bot.get_file(sent.document.file_id)
    assert await file.download_as_bytearray() == bytearray(b"my plan")


async def test_chats_commands_and_webhook(fake_bot_api, app) -> None:
    fake_bot_api.push_text(CHAT, "hi", first_name="Ana")
    chat = await app.bot.get_chat(CHAT)
    await app.bot.set_my_commands([("checkin", "Check in now")])
    commands = await app.bot.get_my_commands()
    await app.bot.send_chat_action(CHAT, "typing")

    assert chat.first_name == "Ana"
    assert [c.command for c in commands] == ["checkin"]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await app.bot.set_my_commands([("CheckIn", "Check in now")])
    with pytest.raises(BadRequest, match="private chats"):
        await app.bot.leave_chat(CHAT)
    assert await app.bot.leave_chat(-100)
    assert await app.bot.delete_webhook(drop_pending_updates=False)
    assert (await app.bot.get_webhook_info()).url == ""


async def test_slow_answer_times_out_the_bot(fake_bot_api, app) -> None:
    fake_bot_api.set_delay("sendMessage", 0.5)

    with pytest.raises(NetworkError, match="Timed out"):
        await app.bot.send_message(CHAT, "Hello", read_timeout=0.1)
    await fake_bot_api.wait_for_call("sendMessage", CHAT, timeout=2)


async def test_rate_limit_answers_429_beyond_per_chat_limit(fake_bot_api, app, monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake_bot_api.rate_limit(per_second=30, per_chat_per_second=1)

    await app.bot.send_message(CHAT, "one")
    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(CHAT, "two")
    await app.bot.send_message(CHAT + 1, "other chat")

    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert fake_bot_api.too_many_requests == 1
    assert fake_bot_api.stats["by_status"] == {200: 3, 429: 1}  # getMe + 2 sends; one refused


async def test_get_updates_long_polls_and_confirms_by_offset(fake_bot_api) -> None:
    url = f"{fake_bot_api.base_url}{TEST_TOKEN}/getUpdates"
    async with httpx.AsyncClient() as client:
        started = time.monotonic()
        empty = (await client.post(url, data={"timeout": "0.3"})).json()
        waited = time.monotonic() - started

        poll = asyncio.create_task(client.post(url, data={"timeout": "5"}))
        await asyncio.sleep(0.05)
        update = fake_bot_api.push_text(CHAT, "hello")
        started = time.monotonic()
        woke = (await poll).json()
        woke_after = time.monotonic() - started

        again = (await client.post(url, json={"offset": update["update_id"]})).json()
        confirmed = (await client.post(url, json={"offset": update["update_id"] + 1})).json()

    assert empty == {"ok": True, "result": []} and 0.25 < waited < 1
    assert woke["result"] == [update] and woke_after < 0.5
    assert again["result"] == [update]
    assert confirmed["result"] == [] and fake_bot_api.pending_updates == []


async def test_plain_clients_may_send_json_or_form(fake_bot_api) -> None:
    url = f"{fake_bot_api.base_url}{TEST_TOKEN}/SENDMESSAGE"
    markup = '{"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}'
    async with httpx.AsyncClient() as client:
        as_json = await client.post(url, json={"chat_id": 7, "text": "42", "reply_markup": markup})
        await client.post(url, data={"chat_id": "7", "text": "[1]"})
        missing = await client.post(url, data={"text": "no chat"})

    assert as_json.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "a"
    assert fake_bot_api.sent_texts(7) == ["42", "[1]"]
    assert missing.status_code == 400
    assert missing.json()["description"] == "Bad Request: chat_id is empty"


async def test_pushed_updates_parse_cleanly_in_ptb(fake_bot_api, app) -> None:
    pushed = [
        fake_bot_api.push_text(CHAT, "/start CODE123"),
        fake_bot_api.push_sticker(CHAT),
        fake_bot_api.push_photo(CHAT, caption="me"),
        fake_bot_api.push_voice(CHAT),
        fake_bot_api.push_edited_text(CHAT, 1, "/start fixed"),
        fake_bot_api.push_my_chat_member(CHAT),
        fake_bot_api.push_group_text(-500, 77, "hello group"),
        fake_bot_api.push_new_chat_member_bot(-600, by_user_id=77, chat_type="supergroup"),
        fake_bot_api.push_callback(CHAT, 999, "old:button"),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parsed = [Update.de_json(update, app.bot) for update in pushed]
        queued = await app.bot.get_updates()

    assert len(queued) == len(pushed) + 1  # the bot's my_chat_member for the new group
    text, sticker, photo, voice, edited, blocked, group, added, tap = parsed
    assert text.message is not None and text.message.parse_entities() != {}
    assert sticker.message is not None and sticker.message.sticker is not None
    assert photo.message is not None and len(photo.message.photo) == 3
    assert voice.message is not None and voice.message.voice is not None
    assert edited.edited_message is not None and edited.edited_message.text == "/start fixed"
    assert blocked.my_chat_member is not None
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert group.effective_chat is not None and group.effective_chat.type == "group"
    assert added.message is not None and added.message.new_chat_members[0].id == app.bot.id
    assert tap.callback_query is not None and tap.callback_query.data == "old:button"
    voice_file = await app.bot.get_file(voice.message.voice.file_id)
    assert await voice_file.download_as_bytearray() == bytearray(b"OggS-voice")
