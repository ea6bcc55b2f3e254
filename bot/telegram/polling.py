"""Long polling that confirms an update to Telegram only once it is on record.

getUpdates confirms every update below its offset. The offset moves past an update only when the
runner has handled it (or refused it for good); after a passing failure it stays at the first
update not on record, and the same updates come back, in order, after a short wait. Updates
after it that were handled are remembered and not handled twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError

from bot.telegram.updates import UpdateRunner

logger = logging.getLogger(__name__)

# Waits between rounds that met a failure: 1 s doubling, capped.
FIRST_WAIT = 1.0
LONGEST_WAIT = 30.0


class Poller:
    def __init__(self, bot: Bot, runner: UpdateRunner, *, timeout: int) -> None:
        self.bot = bot
        self.runner = runner
        self.timeout = timeout
        self.offset = 0
        self._handled_ahead: set[int] = set()
        self._task: asyncio.Task[None] | None = None
        self._fetching: asyncio.Task[tuple[Update, ...]] | None = None
        self._stopping = asyncio.Event()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if self.running:
            return
        self._stopping = asyncio.Event()
        # A webhook left set would make every getUpdates a 409; its pending updates stay.
        with contextlib.suppress(TelegramError):
            await self.bot.delete_webhook(drop_pending_updates=False)
        self._task = asyncio.create_task(self._run(), name="telegram-polling")

    async def stop(self) -> None:
        """Stop after the round in flight (its updates finish, the offset stays right)."""
        if self._task is None:
            return
        self._stopping.set()
        if self._fetching is not None:
            self._fetching.cancel()  # a long poll in flight: nothing in it is handled yet
        task, self._task = self._task, None
        try:
            await asyncio.wait_for(asyncio.shield(task), self.timeout + 10)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        wait = FIRST_WAIT
        while not self._stopping.is_set():
            try:
                updates = await self._fetch()
            except asyncio.CancelledError:
                if self._stopping.is_set():
                    break
                raise
            except Exception as exc:  # Telegram or the network: try again shortly
                delay = _delay_for(exc, wait)
                logger.warning("getUpdates failed (%s); again in %.0f s", exc, delay)
                await self._sleep(delay)
                wait = min(wait * 2, LONGEST_WAIT)
                continue
            if await self.handle(updates):
                wait = FIRST_WAIT
            else:
                logger.warning("updates wait for the database; again in %.0f s", wait)
                await self._sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
        await self._confirm()

    async def _confirm(self) -> None:
        """Tell Telegram what is on record before stopping, so a restart does not redo it."""
        if not self.offset:
            return
        with contextlib.suppress(TelegramError):
            await self.bot.get_updates(offset=self.offset, timeout=0, limit=1)

    async def _fetch(self) -> list[Update]:
        self._fetching = asyncio.create_task(
            self.bot.get_updates(
                offset=self.offset or None, timeout=self.timeout, allowed_updates=Update.ALL_TYPES
            )
        )
        try:
            return list(await self._fetching)
        finally:
            self._fetching = None

    async def handle(self, updates: list[Update]) -> bool:
        """Handle one round; True when every update is on record."""
        fresh = [u for u in updates if u.update_id not in self._handled_ahead]
        waiting = await self.runner.run_batch(fresh) if fresh else set()
        if not updates:
            return True
        if not waiting:
            self.offset = max(u.update_id for u in updates) + 1
            self._handled_ahead = {i for i in self._handled_ahead if i >= self.offset}
            return True
        first = min(waiting)
        self.offset = first
        self._handled_ahead |= {u.update_id for u in fresh if u.update_id not in waiting}
        self._handled_ahead = {i for i in self._handled_ahead if i > first}
        return False

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)


def _delay_for(error: Exception, wait: float) -> float:
    if isinstance(error, RetryAfter):
        retry = error.retry_after
        return float(retry.total_seconds() if hasattr(retry, "total_seconds") else retry)
    if isinstance(error, InvalidToken | Conflict):
        return LONGEST_WAIT  # another poller, or a token to fix: nothing to hurry
    return wait
