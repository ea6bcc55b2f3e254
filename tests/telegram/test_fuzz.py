"""Seeded random updates of every kind through the running product: nothing breaks, nothing leaks.

From a linked client's chat, unknown private chats, a stray group and the clinic's staff group:
random text (Unicode, markup, SQL-ish, very long), commands with random arguments, forged and
replayed button data, edited messages, stickers, photos, voice notes, replies to the bot, and
membership changes. Afterwards:

- no ERROR was logged (the error handler's "update failed" included), and no update hung;
- the bot still answers a normal message within a second;
- nothing was sent to (or edited in) a chat that never wrote.

AFTERCARE_FUZZ_UPDATES sets how many updates (default 300, about 10 s; 1000 for a full run),
AFTERCARE_FUZZ_SEED the seed (default 20240601). A failure names the seed and lists each
error's type and the handler it came from.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import string
import time
import traceback
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.client.models import Client, ClientStatus
from bot.staff.models import Staff
from tests.support.fake_bot_api import CHAT_WRITE_METHODS
from tests.support.recording import Call
from tests.telegram.harness import Harness, buttons

UPDATES = int(os.environ.get("AFTERCARE_FUZZ_UPDATES", "300"))
RESOURCES = "Your safety comes first"
SEED = int(os.environ.get("AFTERCARE_FUZZ_SEED", "20240601"))
BATCH = 50

CLIENT = 6001
STRANGERS = (6101, 6102, 6103)
STAFF_GROUP = -100_600
STRAY_GROUP = -100_601
STAFF_USER = 7301
GROUP_STRANGER = 7399
PRIVATE_CHATS = (CLIENT, *STRANGERS)
GROUPS = (STAFF_GROUP, STRAY_GROUP)

ACTIVE = (ClientStatus.active, ClientStatus.paused)

WORDS = [
    "hello",
    "thanks",
    "I'm ok today",
    "not great tbh",
    "slept badly again",
    "I had a drink last night",
    "can I come back for a session?",
    "pause please",
    "what's my plan",
    "are you a bot?",
    "this traffic is killing me",
    "I want to end it all",
    "i dont want to be here anymore",
    "kms",
    "I can’t do this anymore",
    "goodbye everyone",
    "ok",
    "?",
    "...",
]
ODD = [
    "<b>bold</b> <i>x</i> <a href='tg://user?id=1'>me</a> &amp; &lt;",
    "*bold* _it_ `code` [link](http://example.com) ~~x~~ ||spoiler||",
    "'; DROP TABLE clients; --",
    "1' OR '1'='1",
    "%s %d {name} {0} {{}} %(x)s",
    "\\x00 \\n \\u0000",
    "Robert'); DELETE FROM alerts WHERE ('1'='1",
    "‮ reversed ‭ text",
    "zero\u200bwidth\u200djoiner",
    "e\u0301\u0301\u0301 combining",
    "😀👍🏽👨‍👩‍👧‍👦🏳️‍🌈",
    "مرحبا كيف حالك",
    "привет, мне плохо",
    "私は大丈夫です",
    "ＦＵＬＬＷＩＤＴＨ １２３",
    "١٢٣ ²³",
    "\t\t  \n\n",
    "/",
    "//",
    "@aftercare_test_bot",
]
COMMANDS = [
    "/start",
    "/plan",
    "/help",
    "/privacy",
    "/pause",
    "/resume",
    "/stop",
    "/return",
    "/timezone",
    "/export",
    "/delete",
    "/link",
    "/staff",
    "/unknown",
    "/help@aftercare_test_bot",
    "/start@someone_else_bot",
    "/PLAN",
]
FORGED_DATA = [
    "",
    "consent:yes:1:2",
    "consent:yes:²",
    "consent:no:0",
    "al:99999999999999999999:ack",
    "al:1:delete",
    "al:-1:res",
    "pref:",
    "pref:win:midnight",
    "pref:pause:maybe",
    "cr:1",
    "cr:99999999999999999999:next",
    "cr:x:helped",
    "ci:14:m",
    "ci:14:m:9",
    "ci:14:s:999",
    "ci:99999999999999999999:done",
    "ci:١:done",
    "ci:²:done",
    "ci:1:m:²",
    "ci:1:s:³",
    "cr:²:next",
    "cr:١:helped",
    "al:²:ack",
    "consent:yes:٣",
    "dlg:",
    "dlg:crisis",
    "dlg:__init__",
    "stop:",
    "stop:maybe",
    "del:",
    "del:3",
    "xyz",
    ":::",
    "a" * 64,
]


def _random_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(WORDS)
    if roll < 0.6:
        return rng.choice(ODD)
    if roll < 0.7:
        return rng.choice(WORDS) * rng.randint(50, 400)  # up to several thousand characters
    alphabet = string.printable + "éßøç漢字🙂👍🏽’“”…\u200b\u0301\u202e"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) or "x"


# Crisis words that must be read wherever they are hidden: after any command, in a caption, in
# an edit. Each should get the crisis resources.
CRISIS_WORDS = [
    "i took all my pills an hour ago",
    "i want to kill myself tonight",
    "im going to end my life",
    "i cut myself again and it won’t stop bleeding",
]


def _random_command(rng: random.Random) -> str:
    command = rng.choice(COMMANDS)
    if rng.random() < 0.5:
        argument = rng.choice(
            [
                _random_text(rng).split("\n")[0][:200],
                "Europe/Paris",
                "Mars/Olympus",
                "../../etc/passwd",
                "A" * rng.randint(16, 64),
                str(rng.randint(-(2**70), 2**70)),
            ]
        )
        command = f"{command} {argument}".rstrip()
    return command


def _pick(rng: random.Random, items: list[Any]) -> Any:
    """One of `items` (None if empty), always drawing once: what the bot has sent so far must
    not change how much of the seed's stream is used, so the same seed makes the same updates."""
    draw = rng.random()
    return items[int(draw * len(items))] if items else None


MUTATIONS = ["0", "9", "11", "50", "99", "999", "²", "", "x", "yes", "-1", "2147483648"]


def _random_data(rng: random.Random, seen: list[str]) -> str:
    roll = rng.random()
    replayed = _pick(rng, seen)
    mutation = _pick(rng, MUTATIONS)
    if replayed is not None and roll < 0.35:
        return str(replayed)  # a real button, replayed, maybe in the wrong chat
    if replayed is not None and roll < 0.5:
        # A real button with its last part changed: a real id with a value out of range.
        head, _, _ = str(replayed).rpartition(":")
        return f"{head}:{mutation}"
    if roll < 0.8:
        return rng.choice(FORGED_DATA)
    prefix = rng.choice(["ci", "cr", "al", "consent", "pref", "dlg", "stop", "del"])
    tail = ":".join(
        rng.choice([str(rng.randint(0, 2**40)), "yes", "no", "m", "s", "ack", "res", "1", ""])
        for _ in range(rng.randint(0, 3))
    )
    return f"{prefix}:{tail}"


class Fuzzer:
    def __init__(self, harness: Harness, rng: random.Random) -> None:
        self.harness = harness
        self.fake = harness.fake
        self.rng = rng
        self.writers: set[int] = set()
        self.kinds: Counter[str] = Counter()
        # Per chat, how many crisis messages were hidden in commands, captions and edits.
        self.crises: Counter[int] = Counter()

    def _crisis(self, chat_id: int, shape: str) -> None:
        rng, words = self.rng, self.rng.choice(CRISIS_WORDS)
        self.crises[chat_id] += 1
        if shape == "command":
            command = _random_command(rng).split(" ")[0].split("\n")[0]
            self.fake.push_text(chat_id, f"{command} {words}")
        elif shape == "caption":
            self.fake.push_photo(chat_id, caption=words)
        else:
            self.fake.push_edited_text(chat_id, rng.randint(1, 500), words)

    def _bot_messages(self, chat_id: int) -> list[Call]:
        return [c for c in self.fake.calls_to("sendMessage", chat_id) if c.ok]

    def _seen_data(self) -> list[str]:
        """Every button's data the bot has sent, sorted: replies to different chats may arrive
        in any order, and the seed should still pick the same data."""
        found = {
            str(b["callback_data"])
            for call in self.fake.calls_to("sendMessage")
            for b in buttons(call)
            if b.get("callback_data")
        }
        return sorted(found)

    def _message_id(self, chat_id: int) -> int:
        roll, made_up = self.rng.random(), self.rng.randint(1, 10_000)
        sent = _pick(self.rng, self._bot_messages(chat_id))
        if sent is not None and roll < 0.8:
            return int(sent.result["message_id"])
        return made_up

    def one(self) -> None:
        rng = self.rng
        private = rng.random() < 0.7
        chat_id = rng.choice(PRIVATE_CHATS if private else GROUPS)
        if private and rng.random() < 0.6:
            chat_id = CLIENT  # most traffic from the linked client
        self.writers.add(chat_id)
        kinds: list[tuple[str, Callable[[], Any]]]
        if private:
            kinds = [
                ("text", lambda: self.fake.push_text(chat_id, _random_text(rng))),
                ("command", lambda: self.fake.push_text(chat_id, _random_command(rng))),
                ("callback", lambda: self._callback(chat_id, "private", chat_id)),
                (
                    "edited",
                    lambda: self.fake.push_edited_text(
                        chat_id, rng.randint(1, 500), _random_text(rng)
                    ),
                ),
                ("sticker", lambda: self.fake.push_sticker(chat_id)),
                (
                    "photo",
                    lambda: self.fake.push_photo(
                        chat_id, caption=rng.choice([None, _random_text(rng)[:1000]])
                    ),
                ),
                ("voice", lambda: self.fake.push_voice(chat_id)),
                ("reply", lambda: self._reply(chat_id, chat_id, "private")),
                (
                    "my_chat_member",
                    lambda: self.fake.push_my_chat_member(
                        chat_id, rng.choice(["kicked", "member", "left"])
                    ),
                ),
                ("crisis in a command", lambda: self._crisis(chat_id, "command")),
                ("crisis in a caption", lambda: self._crisis(chat_id, "caption")),
                ("crisis in an edit", lambda: self._crisis(chat_id, "edit")),
            ]
            weights = [30, 18, 25, 6, 4, 3, 2, 4, 2, 3, 2, 2]
        else:
            user = rng.choice([STAFF_USER, GROUP_STRANGER, CLIENT])
            group_type = rng.choice(["group", "supergroup"])
            kinds = [
                (
                    "group text",
                    lambda: self.fake.push_text(
                        chat_id, _random_text(rng), user_id=user, chat_type=group_type
                    ),
                ),
                (
                    "group command",
                    lambda: self.fake.push_text(
                        chat_id, _random_command(rng), user_id=user, chat_type=group_type
                    ),
                ),
                ("group callback", lambda: self._callback(chat_id, group_type, user)),
                ("group reply", lambda: self._reply(chat_id, user, group_type)),
                ("bot added", lambda: self.fake.push_new_chat_member_bot(chat_id, user)),
            ]
            weights = [30, 25, 30, 12, 3]
        [(kind, push)] = rng.choices(kinds, weights)
        self.kinds[kind] += 1
        push()

    def _callback(self, chat_id: int, chat_type: str, user_id: int) -> None:
        data = _random_data(self.rng, self._seen_data())
        self.fake.push_callback(
            chat_id, self._message_id(chat_id), data, user_id=user_id, chat_type=chat_type
        )

    def _reply(self, chat_id: int, user_id: int, chat_type: str) -> None:
        words = _random_text(self.rng)
        sent = _pick(self.rng, self._bot_messages(chat_id))
        extra = {} if sent is None else {"reply_to_message": sent.result}
        self.fake.push_text(chat_id, words, user_id=user_id, chat_type=chat_type, **extra)

    async def settle(self, quiet: float = 0.3, limit: float = 20.0) -> None:
        """Wait until every pushed update was fetched and the bot has gone quiet."""
        deadline = time.monotonic() + limit

        def busy() -> int:
            return sum(1 for c in self.fake.calls if c.method != "getUpdates")

        while self.fake.pending_updates:
            if time.monotonic() > deadline:
                raise AssertionError(f"updates not fetched within {limit}s (seed {SEED})")
            await asyncio.sleep(0.05)
        before = busy()
        while True:
            await asyncio.sleep(quiet)
            now = busy()
            if now == before and not self.fake.pending_updates:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not go quiet within {limit}s (seed {SEED})")
            before = now

    async def ensure_client(self) -> None:
        """After a forged stop, erase or block, the client joins again (a new enrolment)."""
        async with self.harness.services.sessionmaker() as session:
            client = await session.scalar(select(Client).where(Client.chat_id == CLIENT))
        if client is None or client.status not in ACTIVE:
            await self.join()

    async def join(self) -> None:
        """Join, and get a check-in now, so real check-in buttons are there to replay."""
        client = await self.harness.join(CLIENT)
        before = self.harness.sent_count(CLIENT)
        await self.harness.send_now(client.id)
        await self.fake.wait_for(
            lambda: self.harness.sent_count(CLIENT) > before, what="the check-in"
        )


def _where(record: logging.LogRecord) -> str:
    """The exception type, the handler it escaped from and the product line that raised it."""
    if not record.exc_info or record.exc_info[1] is None:
        return f"{record.name}: {record.getMessage()[:120]}"
    exc = record.exc_info[1]
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/bot/" in f.filename]
    handler = next((f for f in frames if "/bot/telegram/" in f.filename), None)
    raised = frames[-1] if frames else None
    parts = [type(exc).__name__]
    if handler is not None:
        parts.append(f"handler {handler.filename.split('/bot/')[-1]}:{handler.name}")
    if raised is not None:
        parts.append(f"raised at {raised.filename.split('/bot/')[-1]}:{raised.lineno}")
    return " | ".join(parts) + f" | {str(exc)[:100]}"


async def test_random_updates_break_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    rng = random.Random(SEED)
    fuzzer = Fuzzer(harness, rng)
    await fuzzer.join()
    await harness.link_staff_group(STAFF_GROUP)
    async with harness.services.sessionmaker.begin() as session:
        staff = await session.scalar(select(Staff).order_by(Staff.id).limit(1))
        assert staff is not None
        staff.telegram_user_id = STAFF_USER
    # The client joined; the staff group is where their alerts are meant to go.
    fuzzer.writers.update({CLIENT, STAFF_GROUP})

    for start in range(0, UPDATES, BATCH):
        for _ in range(min(BATCH, UPDATES - start)):
            fuzzer.one()
        await fuzzer.settle()
        await fuzzer.ensure_client()

    # Still answering: a plain message gets a reply within a second.
    await fuzzer.ensure_client()
    await fuzzer.settle()
    before = harness.sent_count(CLIENT)
    started = time.monotonic()
    harness.fake.push_text(CLIENT, "thanks, I'm doing fine today")
    await harness.fake.wait_for(
        lambda: harness.sent_count(CLIENT) > before, timeout=1.0, what="a reply within 1 s"
    )
    answered_in = time.monotonic() - started

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    summary = Counter(_where(r) for r in errors)
    strays = sorted(
        {
            (c.method, c.chat_id)
            for c in harness.fake.calls
            if c.method in CHAT_WRITE_METHODS and c.chat_id not in fuzzer.writers
        },
        key=str,
    )
    refused = Counter(
        (c.method, str(c.result)[:80])
        for c in harness.fake.calls
        if not c.ok and c.method != "getUpdates"
    )
    report = (
        f"seed {SEED}, {UPDATES} updates {dict(fuzzer.kinds)}; reply in {answered_in:.2f}s\n"
        f"errors logged ({len(errors)}):\n"
        + "\n".join(f"  {n}x {where}" for where, n in summary.most_common())
        + "\nsent to chats that never wrote: "
        + str(strays)
        + "\nBot API calls Telegram would refuse:\n"
        + "\n".join(f"  {n}x {what}" for what, n in refused.most_common())
    )
    # Every hidden crisis was read: each got the crisis resources (a client's or a stranger's).
    unread = {
        chat: (count, resourced)
        for chat, count in fuzzer.crises.items()
        if (resourced := sum(RESOURCES in t for t in harness.texts(chat))) < count
    }
    assert not errors and not strays and not unread, report + f"\nunread crises: {unread}"
