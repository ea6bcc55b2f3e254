"""`aftercare run` with a proposed change, for bench/crash.py --proposed-recovery: the outbox
sender also takes back stale `sending` rows every few seconds while it runs, not only at start-up.

Run: python bench/proposed_recovery.py SECONDS   (the rest of the setup from the environment,
as for `aftercare run`; SENDING_TIMEOUT_SECONDS decides when another host's claim is stale).
Bench-only: the product is patched in this process, never on disk.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cli.main import run_cli
from bot.telegram.outbox_sender import OutboxSender

logger = logging.getLogger("bench.proposed_recovery")


def patch(every: float) -> None:
    original = OutboxSender.start

    async def start(self: OutboxSender) -> None:
        await original(self)

        async def recover_now_and_then() -> None:
            while not self._stopping:
                await asyncio.sleep(every)
                try:
                    await self.recover()
                except Exception:  # the database hiccuped; try again next time
                    logger.exception("periodic recovery failed")

        self._bench_recovery = asyncio.create_task(recover_now_and_then())  # type: ignore[attr-defined]

    OutboxSender.start = start  # type: ignore[method-assign]


if __name__ == "__main__":
    patch(float(sys.argv[1]))
    run_cli(["run"])
