"""A Telegram Bot API server on loopback that records calls, feeds updates and injects faults.

The real python-telegram-bot Application talks to it over HTTP:
`Application.builder().token(T).base_url(fake.base_url).base_file_url(fake.base_file_url)`.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

from aiohttp import web

from .faults import BLOCKED, ApiError, Fault, FaultPlan, RandomFaults, RateLimiter
from .feeding import UpdateFeed
from .methods import BotState
from .params import chat_key, read_params
from .recording import Call, CallLog

# Methods that put something in a chat: refused for blocked chats.
CHAT_WRITE_METHODS = frozenset(
    {"sendMessage", "sendDocument", "sendChatAction", "editMessageText", "editMessageReplyMarkup"}
)
# Methods Telegram's flood control counts as sent messages.
FLOOD_COUNTED_METHODS = frozenset({"sendMessage", "sendDocument"})
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class FakeBotApi(UpdateFeed):
    """Start with `await fake.start()` (or `async with FakeBotApi() as fake`)."""

    def __init__(
        self,
        username: str = "aftercare_test_bot",
        bot_id: int | None = None,
        token: str | None = None,
    ) -> None:
        super().__init__(BotState(username, bot_id))
        self.expected_token = token
        self.log = CallLog()
        self.faults = FaultPlan()
        self.too_many_requests = 0
        self._random_counts: Counter[str] = Counter()
        self._late_calls: set[int] = set()  # id() of calls answered late by `random_faults`
        self._fixed_bot_id = bot_id is not None
        self._limiter: RateLimiter | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._handlers = {
            **self.state.handlers,
            "getUpdates": self.get_updates,
            "getWebhookInfo": self.webhook_info,
            "deleteWebhook": self.delete_webhook,
        }
        self._canonical = {name.lower(): name for name in self._handlers}

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        self._closing = False
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """End open long polls and close the server."""
        self._closing = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder.base_url`: PTB appends the token to it."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder.base_file_url`: file downloads."""
        return self.base_url.replace("/bot", "/file/bot")

    # -- HTTP ---------------------------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.Response:
        at = time.monotonic()
        token = request.match_info["token"]
        raw_method = request.match_info["method"]
        method = self._canonical.get(raw_method.lower(), raw_method)
        params = await read_params(request)
        late = 0.0
        try:
            drawn = self.faults.random.draw(method) if self.faults.random is not None else None
            if isinstance(drawn, ApiError):
                raise drawn
            late = drawn or 0.0
            result = await self._answer(token, method, params)
        except ApiError as error:
            if error.status == 429:
                self.too_many_requests += 1
            self.log.add(Call(method, params, at, error.status, error.description))
            return web.json_response(error.envelope(), status=error.status)
        call = Call(method, params, at, 200, result)
        self.log.add(call)
        if late:
            # Delivered and recorded now; the answer comes after the caller gave up waiting.
            self._late_calls.add(id(call))
            await asyncio.sleep(late)
        return web.json_response({"ok": True, "result": result})

    async def _answer(self, token: str, method: str, params: dict[str, Any]) -> Any:
        if self.expected_token is not None and token != self.expected_token:
            raise ApiError(401, "Unauthorized")
        handler = self._handlers.get(method)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        bot_id = token.split(":", 1)[0]
        if not self._fixed_bot_id and bot_id.isdigit():
            self.state.bot_id = int(bot_id)
        delay = self.faults.delays.get(method)
        if delay:
            await asyncio.sleep(delay)
        chat_id = chat_key(params.get("chat_id"))
        injected = self.faults.take(method, chat_id)
        if injected is not None:
            raise injected
        if method in CHAT_WRITE_METHODS and chat_id in self.faults.blocked_chats:
            raise ApiError(403, BLOCKED)
        if method in FLOOD_COUNTED_METHODS and self._limiter is not None:
            refused = self._limiter.check(chat_id, time.monotonic())
            if refused is not None:
                raise refused
        if method == "getUpdates":
            return await self.get_updates(params)
        return handler(params)

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        for content, file_path in self.state.files.values():
            if file_path == path:
                return web.Response(body=content)
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # -- what the bot did ---------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every call in arrival order (failed ones too; see `Call.status`)."""
        return self.log.calls

    def calls_to(self, method: str, chat_id: int | str | None = None) -> list[Call]:
        """Calls to `method`, all outcomes, optionally only for `chat_id`."""
        return self.log.to(method, chat_id)

    def sent_texts(self, chat_id: int | str) -> list[str]:
        """Texts of sendMessage calls Telegram accepted for `chat_id`, oldest first."""
        return [str(c.params.get("text")) for c in self.log.to("sendMessage", chat_id) if c.ok]

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - tests read better with a plain deadline
        what: str = "condition",
    ) -> None:
        """Return once `predicate()` holds, re-checked on each call the bot makes."""
        await self.log.wait_for(predicate, timeout, what)

    async def wait_for_call(
        self,
        method: str,
        chat_id: int | str | None = None,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - tests read better with a plain deadline
        text_contains: str | None = None,
        include_failed: bool = False,
    ) -> list[Call]:
        """The matching calls, once `count` accepted ones (any, if `include_failed`) arrived."""

        def matching() -> list[Call]:
            return [
                call
                for call in self.log.to(method, chat_id)
                if (include_failed or call.ok)
                and (text_contains is None or text_contains in str(call.params.get("text", "")))
            ]

        if text_contains is None and not include_failed:
            # Counting through the index keeps waits O(1) per call during benchmarks.
            def done() -> bool:
                return self.log.ok_count(method, chat_id) >= count
        else:

            def done() -> bool:
                return len(matching()) >= count

        what = f"{count}x {method}" + (f" to chat {chat_id}" if chat_id is not None else "")
        if text_contains is not None:
            what += f" with text containing {text_contains!r}"
        await self.wait_for(done, timeout, what)
        return matching()

    @property
    def stats(self) -> dict[str, Any]:
        """Counts per method and per HTTP status, and how many 429s were answered."""
        return {
            "calls": len(self.log.calls),
            "by_method": dict(self.log.by_method),
            "by_status": dict(self.log.by_status),
            "too_many_requests": self.too_many_requests,
        }

    # -- faults -------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        count: int = 1,
        retry_after: int = 1,
        description: str | None = None,
        chat_id: int | str | None = None,
        skip: int = 0,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next `count` calls to `method` (for `chat_id`, if given) with an error,
        after letting `skip` of them through; `migrate_to_chat_id` makes it Telegram's answer
        for a group that became a supergroup."""
        method = self._canonical.get(method.lower(), method)
        key = chat_key(chat_id)
        self.faults.add(
            Fault(method, status, count, retry_after, description, key, skip, migrate_to_chat_id)
        )

    def block_chat(self, chat_id: int | str) -> None:
        """Every send to `chat_id` answers 403 'bot was blocked by the user' until unblocked."""
        self.faults.blocked_chats.add(chat_key(chat_id) or chat_id)

    def unblock_chat(self, chat_id: int | str) -> None:
        """Sends to `chat_id` succeed again."""
        self.faults.blocked_chats.discard(chat_key(chat_id) or chat_id)

    def set_delay(self, method: str, seconds: float) -> None:
        """Answer `method` only after `seconds` (0 removes the delay)."""
        method = self._canonical.get(method.lower(), method)
        if seconds > 0:
            self.faults.delays[method] = seconds
        else:
            self.faults.delays.pop(method, None)

    def random_faults(
        self,
        rate: float = 0.2,
        *,
        seed: int | None = 0,
        statuses: Iterable[int] = (500, 502, 504),
        timeouts: bool = True,
        timeout_delay: float = 11.0,
        methods: Iterable[str] = ("sendMessage", "editMessageText"),
    ) -> None:
        """Answer a seeded random share `rate` of calls to `methods` with one of `statuses`
        (not delivered) or, with `timeouts`, late: delivered and recorded at once but answered
        only after `timeout_delay` s, past the bot's own timeout (set it above the bot's
        TELEGRAM_TIMEOUT_SECONDS). Each fault kind is equally likely."""
        canonical = [self._canonical.get(m.lower(), m) for m in methods]
        self.faults.random = RandomFaults(
            rate,
            seed=seed,
            statuses=statuses,
            timeout_delay=timeout_delay if timeouts else None,
            methods=canonical,
        )

    def no_random_faults(self) -> None:
        """Stop injecting random faults (the counts so far stay in `random_fault_counts`)."""
        if self.faults.random is not None:
            self._random_counts.update(self.faults.random.injected)
        self.faults.random = None

    @property
    def random_fault_counts(self) -> dict[str, int]:
        """Random faults injected so far, by kind: "500", "502", "504", "timeout"."""
        counts = Counter(self._random_counts)
        if self.faults.random is not None:
            counts.update(self.faults.random.injected)
        return dict(counts)

    def answered_late(self, call: Call) -> bool:
        """Whether `call` was delivered but answered late by `random_faults` (the bot, having
        timed out, will likely send it again)."""
        return id(call) in self._late_calls

    def rate_limit(self, per_second: int | None = 30, per_chat_per_second: int | None = 1) -> None:
        """Turn on Telegram-like flood control (sliding one-second windows) for sends."""
        self._limiter = RateLimiter(per_second, per_chat_per_second)

    def no_rate_limit(self) -> None:
        """Turn flood control off."""
        self._limiter = None
