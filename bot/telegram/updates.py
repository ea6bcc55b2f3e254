"""Every update is handled once it is on record: one handler per update, one chat's updates in
order, and an update whose handling failed for a passing reason (the database down or locked) is
not confirmed to Telegram, so it is handled again, in order, when the database answers.

The runner is shared by the poller (which holds getUpdates' offset at the first update not yet
on record) and the webhook (which answers 5xx so that Telegram retries).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.conversation.fallback import ClinicCopy as Copy

logger = logging.getLogger(__name__)

# Update ids remembered as already given the crisis resources (the retry must not send them again).
REMEMBERED = 10_000


@dataclass(frozen=True)
class Failure:
    """Why an update's handling failed: `passing` failures are retried, others are not."""

    passing: bool
    error: BaseException


class Remembered:
    """A bounded set: the newest `size` keys."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self.size = size
        self._keys: OrderedDict[int, None] = OrderedDict()

    def add(self, key: int) -> None:
        self._keys[key] = None
        self._keys.move_to_end(key)
        while len(self._keys) > self.size:
            self._keys.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        return key in self._keys


class ClinicCopy:
    """The process's copy of each known chat's crisis resources (emergency number, resources
    text), for when the database that holds them does not answer."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self.size = size
        self._by_chat: OrderedDict[int, Copy] = OrderedDict()

    def keep(self, chat_id: int, resources: Copy) -> None:
        self._by_chat[chat_id] = resources
        self._by_chat.move_to_end(chat_id)
        while len(self._by_chat) > self.size:
            self._by_chat.popitem(last=False)

    def get(self, chat_id: int) -> Copy | None:
        return self._by_chat.get(chat_id)


def chat_key(update: object) -> int | None:
    chat = update.effective_chat if isinstance(update, Update) else None
    return chat.id if chat is not None else None


class UpdateRunner:
    """Runs PTB's handlers for one update at a time per chat and says whether it is on record."""

    def __init__(self, process: Callable[[Update], Awaitable[None]]) -> None:
        self._process = process
        # What an update that waits behind a failed one of its chat still gets at once (the
        # crisis resources, if its words may mean danger).
        self.while_waiting: Callable[[Update], Awaitable[None]] | None = None
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._users: dict[int | None, int] = {}
        # Filled by the error handler while an update is processed.
        self.failures: dict[int, Failure] = {}
        self.resourced = Remembered()
        self.clinics = ClinicCopy()

    def failed(self, update: object, failure: Failure) -> None:
        if isinstance(update, Update):
            self.failures[update.update_id] = failure

    async def run(self, update: Update) -> bool:
        """Handle the update; True once it is on record (or refused for good), False when a
        passing failure means it must be handled again later."""
        key = chat_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await self._process(update)
                failure = self.failures.pop(update.update_id, None)
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]
        return failure is None or not failure.passing

    async def run_batch(self, updates: Iterable[Update]) -> set[int]:
        """Handle a batch: chats concurrently, each chat's updates in order, a chat stopping at its
        first update that must wait. Returns the ids not on record (to be handled again)."""
        by_chat: dict[int | None, list[Update]] = {}
        for update in updates:
            by_chat.setdefault(chat_key(update), []).append(update)
        results = await asyncio.gather(*(self._chat(chat) for chat in by_chat.values()))
        return set().union(*results) if results else set()

    async def _chat(self, updates: list[Update]) -> set[int]:
        for index, update in enumerate(updates):
            try:
                on_record = await self.run(update)
            except Exception:  # the handlers' own error handling failed: try again later
                logger.exception("update %s could not be handled", update.update_id)
                on_record = False
            if not on_record:
                for later in updates[index + 1 :]:
                    await self._waiting(later)
                return {later.update_id for later in updates[index:]}
        return set()

    async def _waiting(self, update: Update) -> None:
        if self.while_waiting is None:
            return
        try:
            await self.while_waiting(update)
        except Exception:  # only the log is left
            logger.exception("update %s: the resources while waiting failed", update.update_id)


def process_with(application: Any) -> Callable[[Update], Awaitable[None]]:
    async def process(update: Update) -> None:
        await application.process_update(update)

    return process
