"""What the outbox does with Telegram's answers, through the running product: a long reply whose
later part fails sends only what is missing, a stranger's replies leave no trace once sent, and
/export's file goes through the outbox and its bytes are not kept."""

from __future__ import annotations

from sqlalchemy import select

from bot.outbox import service as outbox
from bot.outbox.models import Lane, OutboxMessage, OutboxStatus, Purpose
from bot.telegram.message_parts import split_text
from tests.telegram.harness import Harness

CHAT = 57001
STRANGER = 57002


async def rows(harness: Harness) -> list[OutboxMessage]:
    async with harness.services.sessionmaker() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_a_failed_later_part_retries_only_the_parts_not_yet_sent(harness: Harness) -> None:
    client = await harness.join(CHAT)
    text = " ".join(f"part{n}" for n in range(1200))  # three messages' worth
    pieces = split_text(text)
    assert len(pieces) == 3
    before = harness.sent_count(CHAT)
    # The second part meets a server error once.
    harness.fake.fail_next("sendMessage", status=502, chat_id=CHAT, skip=1)
    async with harness.services.writing() as session:
        outbox.enqueue(
            session,
            lane=Lane.reply,
            purpose=Purpose.reply,
            chat_id=CHAT,
            client_id=client.id,
            text=text,
            now=harness.services.now(),
        )
    await harness.fake.wait_for(
        lambda: harness.texts(CHAT)[-1] == pieces[-1], what="the last part", timeout=10
    )
    # Each part once, in order: the first was not sent again when the second failed.
    assert harness.texts(CHAT)[before:] == pieces

    async def recorded() -> bool:
        [row] = [r for r in await rows(harness) if r.text == text]
        return row.status is OutboxStatus.sent and row.parts_sent == 1 and row.attempts == 2

    await harness.eventually(recorded, what="sent on the second attempt, one part before it")


async def test_a_strangers_replies_leave_no_row_behind(harness: Harness) -> None:
    harness.fake.push_text(STRANGER, "hello, who is this?")
    await harness.fake.wait_for_call("sendMessage", STRANGER, text_contains="personal link")

    async def gone() -> bool:
        return all(r.chat_id != STRANGER for r in await rows(harness))

    await harness.eventually(gone, what="the stranger's row deleted once sent")


async def test_export_is_a_file_row_whose_bytes_go_once_sent(harness: Harness) -> None:
    await harness.join(CHAT)
    harness.fake.push_text(CHAT, "/export")
    [call] = await harness.fake.wait_for_call("sendDocument", CHAT)
    assert call.ok
    await harness.fake.wait_for_call(
        "sendMessage", CHAT, text_contains="a copy of everything I keep"
    )

    async def bytes_dropped() -> bool:
        async with harness.services.sessionmaker() as session:
            row = await session.scalar(
                select(OutboxMessage).where(OutboxMessage.purpose == Purpose.export)
            )
            return row is not None and row.status is OutboxStatus.sent and row.document is None

    await harness.eventually(bytes_dropped, what="the file's bytes dropped once sent")
