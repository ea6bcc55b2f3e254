"""The fake Bot API and the simulated clients, together in a process of their own: each push and
each call the bot makes is timed on this one process's clock, and none of its CPU counts as the
bot's.

Child side: `python bench/conversation_fake.py` prints the fake's base URL, reads one JSON line
(the conversation plan), plays it, prints one JSON line of measurements, and exits at end of input.
Parent side: `ConversationFake`.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.conversation_replies import any_reply_with, first_reply, repeats, staff_alert
from bench.fake_telegram import FakeTelegram
from tests.support.fake_bot_api import FakeBotApi

QUIET_SECONDS = 0.5
SETTLE_LIMIT_SECONDS = 15.0


async def play_client(
    fake: FakeBotApi, client: dict[str, Any], plan: dict[str, Any], rng: random.Random
) -> list[dict[str, Any]]:
    """One client's messages in turn: push, wait for the first reply, think, push the next."""
    chat: int = client["chat"]
    low, high = plan["think"]
    await asyncio.sleep(rng.uniform(0, plan["stagger"]))
    sent: list[dict[str, Any]] = []
    for kind, text in client["messages"]:
        before = len(fake.calls_to("sendMessage", chat))
        pushed = time.monotonic()
        fake.push_text(chat, text, first_name=client["name"])

        def answered(before: int = before) -> bool:
            return first_reply(fake, chat, before)[0] is not None

        try:
            await fake.wait_for(
                answered,
                timeout=plan["reply_timeout"],
                what=f"a reply in chat {chat}",
            )
        except AssertionError:
            pass  # counted as lost below
        sent.append({"chat": chat, "kind": kind, "pushed": pushed, "before": before})
        await asyncio.sleep(rng.uniform(low, high))
    return sent


async def settle(
    fake: FakeBotApi, crisis_wanted: list[tuple[int, str, float]], staff: int, limit: float
) -> None:
    """Wait for every crisis alert to reach the staff group, then for the bot to go quiet."""
    deadline = time.monotonic() + limit
    try:
        await fake.wait_for(
            lambda: all(staff_alert(fake, staff, p, at) for _, p, at in crisis_wanted),
            timeout=limit,
            what="every crisis alert in the staff group",
        )
    except AssertionError:
        pass  # reported as missing alerts
    seen = -1
    while seen != len(fake.calls) and time.monotonic() < deadline:
        seen = len(fake.calls)
        await asyncio.sleep(QUIET_SECONDS)


def measure(fake: FakeBotApi, plan: dict[str, Any], sent: list[dict[str, Any]]) -> dict[str, Any]:
    """Per message: reply latency (None when lost) and what the first reply said about crisis;
    per crisis message: the staff alert's latency."""
    pseudonyms = {c["chat"]: c["pseudonym"] for c in plan["clients"]}
    resources, emergency = plan["crisis_resources"], plan["emergency_number"]
    messages, late = [], 0
    for one in sent:
        reply, skipped = first_reply(fake, one["chat"], one["before"])
        late += skipped
        text = str(reply.params.get("text", "")) if reply else ""
        row = {
            "kind": one["kind"],
            "ms": (reply.at - one["pushed"]) * 1000 if reply else None,
            "resources_first": bool(reply) and resources in text and emergency in text,
        }
        if one["kind"] == "crisis":
            alert = staff_alert(fake, plan["staff_chat"], pseudonyms[one["chat"]], one["pushed"])
            row["alert_ms"] = (alert.at - one["pushed"]) * 1000 if alert else None
            given = any_reply_with(fake, one["chat"], one["before"], resources, emergency)
            row["resources_ms"] = (given.at - one["pushed"]) * 1000 if given else None
        messages.append(row)
    chats = [c["chat"] for c in plan["clients"]] + [plan["staff_chat"]]
    return {
        "messages": messages,
        "late_follow_ups": late,
        "sent_twice": sum(repeats(fake, chat) for chat in chats),
        "staff_group_messages": sum(
            1
            for method in ("sendMessage", "editMessageText")
            for call in fake.calls_to(method, plan["staff_chat"])
            if call.ok
        ),
        "random_faults": fake.random_fault_counts,
        "calls": fake.stats["by_method"],
        "by_status": {str(k): v for k, v in fake.stats["by_status"].items()},
    }


async def play(fake: FakeBotApi, plan: dict[str, Any]) -> dict[str, Any]:
    """Every client at once; returns the measurements and the time the chat took."""
    faults = plan.get("faults")
    if faults:
        fake.random_faults(
            faults["rate"],
            seed=faults["seed"],
            timeouts=faults["delay"] > 0,
            timeout_delay=faults["delay"],
        )
    started = time.monotonic()
    master = random.Random(plan["seed"])
    rngs = [random.Random(master.random()) for _ in plan["clients"]]
    per_client = await asyncio.gather(
        *(play_client(fake, c, plan, r) for c, r in zip(plan["clients"], rngs, strict=True))
    )
    chatting = time.monotonic() - started
    sent = [one for client in per_client for one in client]
    pseudonyms = {c["chat"]: c["pseudonym"] for c in plan["clients"]}
    wanted = [
        (s["chat"], pseudonyms[s["chat"]], s["pushed"]) for s in sent if s["kind"] == "crisis"
    ]
    await settle(fake, wanted, plan["staff_chat"], plan.get("settle", SETTLE_LIMIT_SECONDS))
    return {**measure(fake, plan, sent), "chat_seconds": chatting}


async def serve() -> None:
    loop = asyncio.get_running_loop()
    async with FakeBotApi() as fake:
        print(fake.base_url, flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            if line.strip():
                print(json.dumps(await play(fake, json.loads(line))), flush=True)


class ConversationFake(FakeTelegram):
    """The child process; `async with ConversationFake() as fake: await fake.play(plan)`."""

    def __init__(self) -> None:
        super().__init__(rate_limited=False)

    async def __aenter__(self) -> ConversationFake:
        self._child = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=64 * 1024 * 1024,
        )
        assert self._child.stdout is not None
        self.base_url = (await self._child.stdout.readline()).decode().strip()
        if not self.base_url.startswith("http"):
            raise RuntimeError("the fake Bot API did not start")
        return self

    async def play(self, plan: dict[str, Any]) -> dict[str, Any]:
        """Run the conversation plan against the bot; the child's measurements."""
        assert self._child is not None and self._child.stdin and self._child.stdout
        self._child.stdin.write(json.dumps(plan).encode() + b"\n")
        await self._child.stdin.drain()
        return dict(json.loads(await self._child.stdout.readline()))


if __name__ == "__main__":
    asyncio.run(serve())
