"""The loopback fake Bot API in its own process, so its CPU does not count against the bot's.

Child side: `python bench/fake_telegram.py [--rate-limit] [--faults 0.2]` prints its base URL,
then answers each `tally` line (every check-in's count) or `count` line (accepted sendMessage
calls so far, cheap) on stdin with one JSON line, and exits at end of input.
Parent side: `FakeTelegram` starts the child and reads the tally.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.fake_bot_api import FakeBotApi

# The tally is one JSON line with an entry per check-in: far beyond asyncio's 64 KiB default.
TALLY_LINE_LIMIT = 64 * 1024 * 1024


def checkin_id_of(params: dict[str, Any]) -> int | None:
    """The check-in id carried by the first mood button's callback data ("ci:<id>:m:<mood>")."""
    markup = params.get("reply_markup")
    try:
        data = str(markup["inline_keyboard"][0][0]["callback_data"])  # type: ignore[index]
        return int(data.split(":")[1])
    except (TypeError, KeyError, IndexError, ValueError):
        return None


def tally(fake: FakeBotApi) -> dict[str, Any]:
    """Accepted sendMessage calls per check-in id, and how many 429s were answered."""
    accepted: Counter[int] = Counter()
    for call in fake.calls_to("sendMessage"):
        checkin_id = checkin_id_of(call.params)
        if call.ok and checkin_id is not None:
            accepted[checkin_id] += 1
    return {
        "accepted": {str(k): v for k, v in accepted.items()},
        "random_faults": fake.random_fault_counts,
        "too_many_requests": fake.too_many_requests,
        "by_status": {str(k): v for k, v in fake.stats["by_status"].items()},
    }


async def serve(rate_limited: bool, faults: float, fault_delay: float, seed: int) -> None:
    loop = asyncio.get_running_loop()
    async with FakeBotApi() as fake:
        if rate_limited:
            fake.rate_limit(per_second=30, per_chat_per_second=1)
        if faults:
            fake.random_faults(
                faults, seed=seed, timeouts=fault_delay > 0, timeout_delay=fault_delay
            )
        print(fake.base_url, flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            if line.strip() == "tally":
                print(json.dumps(tally(fake)), flush=True)
            elif line.strip() == "count":
                print(json.dumps(fake.log.ok_count("sendMessage")), flush=True)


@dataclass
class Tally:
    accepted: Counter[int]
    too_many_requests: int
    by_status: dict[str, int]
    random_faults: dict[str, int]

    def duplicates(self) -> int:
        """Check-ins Telegram accepted more than once."""
        return sum(1 for n in self.accepted.values() if n > 1)

    def lost(self, expected: set[int]) -> int:
        """Expected check-ins Telegram never accepted."""
        return sum(1 for checkin_id in expected if self.accepted[checkin_id] == 0)


class FakeTelegram:
    """A FakeBotApi child process; `async with FakeTelegram(rate_limited) as fake:`; with
    `faults`, that share of sends is answered with a 5xx or `fault_delay` s late (seeded)."""

    def __init__(
        self, rate_limited: bool, faults: float = 0.0, fault_delay: float = 11.0, seed: int = 1
    ) -> None:
        self.rate_limited = rate_limited
        self.faults, self.fault_delay, self.seed = faults, fault_delay, seed
        self.base_url = ""
        self._child: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> FakeTelegram:
        args = [sys.executable, __file__] + (["--rate-limit"] if self.rate_limited else [])
        if self.faults:
            args += [f"--faults={self.faults}", f"--fault-delay={self.fault_delay}"]
            args += [f"--seed={self.seed}"]
        self._child = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=TALLY_LINE_LIMIT,
        )
        assert self._child.stdout is not None
        self.base_url = (await self._child.stdout.readline()).decode().strip()
        if not self.base_url.startswith("http"):
            raise RuntimeError("the fake Bot API did not start")
        return self

    @property
    def pid(self) -> int | None:
        """The child's process id, for reading its CPU time."""
        return self._child.pid if self._child is not None else None

    async def tally(self) -> Tally:
        """What the fake saw so far."""
        assert self._child is not None and self._child.stdin and self._child.stdout
        self._child.stdin.write(b"tally\n")
        await self._child.stdin.drain()
        raw = json.loads(await self._child.stdout.readline())
        return Tally(
            accepted=Counter({int(k): v for k, v in raw["accepted"].items()}),
            too_many_requests=raw["too_many_requests"],
            by_status=raw["by_status"],
            random_faults=raw["random_faults"],
        )

    async def count(self) -> int:
        """Accepted sendMessage calls so far (cheap enough to poll)."""
        assert self._child is not None and self._child.stdin and self._child.stdout
        self._child.stdin.write(b"count\n")
        await self._child.stdin.drain()
        return int(json.loads(await self._child.stdout.readline()))

    async def __aexit__(self, *_exc: object) -> None:
        if self._child is None:
            return
        if self._child.stdin is not None:
            self._child.stdin.close()
        try:
            await asyncio.wait_for(self._child.wait(), 5)
        except TimeoutError:
            self._child.kill()
            await self._child.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate-limit", action="store_true", help="Telegram-like 429s (30/s)")
    parser.add_argument("--faults", type=float, default=0.0, help="share of sends: 5xx or late")
    parser.add_argument(
        "--fault-delay", type=float, default=11.0, help="late answers, seconds (0: none)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(serve(args.rate_limit, args.faults, args.fault_delay, args.seed))
