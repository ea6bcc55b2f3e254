"""Failures the fake Bot API can be told to answer with: errors, blocks, delays, rate limits."""

from __future__ import annotations

import math
import random
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}

BLOCKED = "Forbidden: bot was blocked by the user"


class ApiError(Exception):
    """An error the fake answers with Telegram's `ok: false` envelope."""

    def __init__(
        self,
        status: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def envelope(self) -> dict[str, object]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, object] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        if self.migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return body


def bad_request(reason: str) -> ApiError:
    """A 400 with Telegram's 'Bad Request: ...' wording."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class Fault:
    """One injected failure, answered to the next `remaining` matching calls."""

    method: str
    status: int
    remaining: int
    retry_after: int
    description: str | None
    chat_id: int | str | None
    # Let this many matching calls through before failing (to hit the n-th send of a sequence).
    skip: int = 0
    # A group upgraded to a supergroup: Telegram's 400 names the new chat id.
    migrate_to_chat_id: int | None = None

    def matches(self, chat_id: int | str | None) -> bool:
        """Whether a call to this fault's method with `chat_id` should fail."""
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError:
        """The error to answer with."""
        template = self.description or DEFAULT_DESCRIPTIONS.get(self.status, "Error")
        text = template.format(retry_after=self.retry_after)
        retry = self.retry_after if self.status == 429 else None
        return ApiError(self.status, text, retry, self.migrate_to_chat_id)


class FaultPlan:
    """Injected failures per method, blocked chats and slow methods."""

    def __init__(self) -> None:
        self._faults: dict[str, list[Fault]] = {}
        self.blocked_chats: set[int | str] = set()
        self.delays: dict[str, float] = {}
        # Seeded random 5xx answers and late answers (see `RandomFaults`), off by default.
        self.random: RandomFaults | None = None

    def add(self, fault: Fault) -> None:
        """Queue `fault` after any already queued for its method."""
        self._faults.setdefault(fault.method, []).append(fault)

    def take(self, method: str, chat_id: int | str | None) -> ApiError | None:
        """The injected error for this call, if one is queued; uses it up."""
        queued = self._faults.get(method)
        if not queued:
            return None
        for fault in queued:
            if fault.matches(chat_id):
                if fault.skip > 0:
                    fault.skip -= 1
                    return None
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queued.remove(fault)
                return fault.error()
        return None

    def clear(self) -> None:
        """Forget every injected failure, block and delay."""
        self._faults.clear()
        self.blocked_chats.clear()
        self.delays.clear()
        self.random = None


class RandomFaults:
    """A seeded share of calls to some methods answered with a 5xx or answered late.

    A 5xx is answered instead of handling the call (nothing delivered). A late answer is handled
    and recorded as delivered at once, then answered after `timeout_delay` seconds: past the
    bot's own timeout, the bot sees a failure although the message arrived, as with Telegram.
    The same seed gives the same sequence of draws (which call gets which fault then depends on
    the order calls arrive in).
    """

    def __init__(
        self,
        rate: float,
        *,
        seed: int | None,
        statuses: Iterable[int],
        timeout_delay: float | None,
        methods: Iterable[str],
    ) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate is a share of calls, 0 to 1")
        self.rate = rate
        self.methods = frozenset(methods)
        self.timeout_delay = timeout_delay
        self._choices: list[int | None] = list(statuses)
        if timeout_delay:
            self._choices.append(None)
        if rate and not self._choices:
            raise ValueError("no statuses and no timeouts: nothing to inject")
        self._rng = random.Random(seed)
        # What was injected: "500", "502", ... and "timeout".
        self.injected: Counter[str] = Counter()

    def draw(self, method: str) -> ApiError | float | None:
        """For one call: an error to answer with, seconds to answer late, or None."""
        if method not in self.methods or self._rng.random() >= self.rate:
            return None
        pick = self._rng.choice(self._choices)
        if pick is None:
            self.injected["timeout"] += 1
            assert self.timeout_delay is not None
            return self.timeout_delay
        self.injected[str(pick)] += 1
        return ApiError(pick, DEFAULT_DESCRIPTIONS.get(pick, "Error"))


class SlidingWindow:
    """Counts events in the last second; O(1) amortised per event."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._stamps: deque[float] = deque()

    def retry_after(self, now: float) -> int | None:
        """Seconds to wait if one more event now would exceed the limit, else None."""
        stamps = self._stamps
        while stamps and stamps[0] <= now - 1.0:
            stamps.popleft()
        if len(stamps) < self.limit:
            return None
        return max(1, math.ceil(stamps[0] + 1.0 - now))

    def record(self, now: float) -> None:
        """Count one accepted event at `now`."""
        self._stamps.append(now)


class RateLimiter:
    """Telegram-like flood control: a global and a per-chat limit over a sliding second."""

    def __init__(self, per_second: int | None, per_chat_per_second: int | None) -> None:
        self._global = SlidingWindow(per_second) if per_second else None
        self._per_chat_limit = per_chat_per_second
        self._per_chat: dict[int | str, SlidingWindow] = {}

    def check(self, chat_id: int | str | None, now: float) -> ApiError | None:
        """A 429 if this send would exceed a limit; otherwise counts it and returns None."""
        waits = []
        if self._global is not None:
            waits.append(self._global.retry_after(now))
        chat_window = None
        if self._per_chat_limit and chat_id is not None:
            chat_window = self._per_chat.get(chat_id)
            if chat_window is None:
                chat_window = self._per_chat[chat_id] = SlidingWindow(self._per_chat_limit)
            waits.append(chat_window.retry_after(now))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            return ApiError(429, f"Too Many Requests: retry after {wait}", wait)
        if self._global is not None:
            self._global.record(now)
        if chat_window is not None:
            chat_window.record(now)
        return None
