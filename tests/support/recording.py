"""The record of every call the bot made to the fake Bot API, indexed for cheap lookups."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .params import chat_key


@dataclass
class Call:
    """One Bot API call: method, decoded params, arrival time (monotonic), HTTP status, and
    the result answered (the error description when the call failed)."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    result: Any = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """Whether Telegram would have accepted the call."""
        return self.status == 200

    @property
    def chat_id(self) -> int | str | None:
        """The call's chat_id, normalised."""
        return chat_key(self.params.get("chat_id"))


class CallLog:
    """Every call in arrival order plus indexes by method and by (method, chat)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._by_method: dict[str, list[Call]] = {}
        self._by_chat: dict[tuple[str, int | str | None], list[Call]] = {}
        self._ok_count: Counter[tuple[str, int | str | None]] = Counter()
        self.by_method: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()
        self._changed = asyncio.Event()

    def add(self, call: Call) -> None:
        """Record `call` and wake anyone waiting for calls."""
        self.calls.append(call)
        self._by_method.setdefault(call.method, []).append(call)
        key = (call.method, call.chat_id)
        self._by_chat.setdefault(key, []).append(call)
        if call.ok:
            self._ok_count[(call.method, None)] += 1
            self._ok_count[key] += 1
        self.by_method[call.method] += 1
        self.by_status[call.status] += 1
        # Swap the event so each waiter re-checks once per new call without polling.
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def to(self, method: str, chat_id: int | str | None = None) -> list[Call]:
        """Calls to `method` (all outcomes), optionally only those for `chat_id`."""
        if chat_id is None:
            return list(self._by_method.get(method, ()))
        return list(self._by_chat.get((method, chat_key(chat_id)), ()))

    def ok_count(self, method: str, chat_id: int | str | None = None) -> int:
        """How many calls to `method` (for `chat_id`) were answered ok."""
        return self._ok_count[(method, chat_key(chat_id))]

    def describe_recent(self, limit: int = 15) -> str:
        """The last calls, one a line, for assertion messages."""
        recent = self.calls[-limit:]
        if not recent:
            return "  (no calls at all)"
        lines = []
        for call in recent:
            shown = {k: v for k, v in call.params.items() if k != "reply_markup"}
            lines.append(f"  {call.status} {call.method} {shown}")
        return "\n".join(lines)

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float,  # noqa: ASYNC109 - a deadline shared across several waits
        what: str,
    ) -> None:
        """Return once `predicate()` holds; AssertionError listing recent calls on timeout."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            changed = self._changed
            if remaining <= 0:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what}; recent calls:\n"
                    + self.describe_recent()
                )
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                continue
