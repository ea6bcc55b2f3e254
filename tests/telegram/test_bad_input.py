"""Everything the bot cannot take gets a clear answer; nothing is lost or stored wrongly."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.client.models import Client
from bot.conversation.models import ClientMessage
from tests.telegram.harness import Harness

CHAT = 8001


async def test_unknown_user_gets_a_polite_reply_and_nothing_is_stored(harness: Harness) -> None:
    harness.fake.push_text(CHAT, "hello, who is this?")
    [reply] = await harness.fake.wait_for_call("sendMessage", CHAT)
    assert (
        "personal link" in reply.params["text"]
        and "Nothing you send here is kept" in reply.params["text"]
    )
    harness.fake.push_sticker(CHAT)
    await harness.fake.wait_for_call("sendMessage", CHAT, count=2)
    async with harness.services.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ClientMessage)) == 0
        assert await session.scalar(select(func.count()).where(Client.chat_id == CHAT)) == 0


async def test_sticker_photo_and_voice_get_a_polite_reply(harness: Harness) -> None:
    await harness.join(CHAT)
    for push in (harness.fake.push_sticker, harness.fake.push_photo, harness.fake.push_voice):
        push(CHAT)
    replies = await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="only read text", count=3
    )
    assert len(replies) == 3


async def test_ten_thousand_characters_are_kept_whole_and_answered(harness: Harness) -> None:
    client = await harness.join(CHAT)
    before = harness.sent_count(CHAT)
    text = ("Today I kept thinking about how far I have come. " * 210)[:10_000]
    harness.fake.push_text(CHAT, text)
    await harness.fake.wait_for(lambda: harness.sent_count(CHAT) > before, what="a reply")

    async def kept_whole() -> bool:
        async with harness.services.sessionmaker() as session:
            stored = await session.scalar(
                select(ClientMessage).where(ClientMessage.client_id == client.id)
            )
        return stored is not None and stored.text == text

    # A reply (crisis resources, say) may go out before the message is written.
    await harness.eventually(kept_whole, "the whole message to be stored")


async def test_long_plan_reply_is_split_never_dropped(harness: Harness) -> None:
    from bot.telegram.message_parts import LIMIT, split_text

    text = "\n".join(f"line {n}: " + "word " * 30 for n in range(200))
    pieces = split_text(text)
    assert all(len(p) <= LIMIT for p in pieces) and len(pieces) > 1
    assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )
    unbroken = "x" * 9000
    assert [len(p) for p in split_text(unbroken)] == [4096, 4096, 808]


async def test_edited_message_gets_an_answer(harness: Harness) -> None:
    await harness.join(CHAT)
    harness.fake.push_edited_text(CHAT, 3, "actually I meant something else")
    await harness.fake.wait_for_call("sendMessage", CHAT, text_contains="not edits")


async def test_group_chats_are_not_for_clients(harness: Harness) -> None:
    await harness.join(CHAT)
    group = -100_555
    harness.fake.push_group_text(group, CHAT, "/plan")
    [reply] = await harness.fake.wait_for_call("sendMessage", group)
    assert "one to one" in reply.params["text"]
    assert "Sleeping badly" not in reply.params["text"]
    harness.fake.push_group_text(group, CHAT, "my sleep is bad again")
    harness.fake.push_group_text(group, CHAT, "/help")
    # Updates from one chat are handled in order: once /help is answered, the chatter was seen.
    await harness.fake.wait_for_call("sendMessage", group, count=2)
    # Plain chatter in a group is ignored; only commands get the one-line pointer.
    assert len(harness.fake.calls_to("sendMessage", group)) == 2
