"""Drains the outbox to Telegram: most urgent lane first, each chat in order, each outcome recorded.

It has its own Bot (no PTB rate limiter) and its own pacer, which lets a crisis row take the next
free slot ahead of any queued check-in. Woken the moment this process commits a row, when a
retry falls due or a place frees; rows from other processes are found by a short poll. While it
runs it beats a heartbeat on its rows in flight and takes back rows whose worker stopped beating.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import os
from datetime import timedelta

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyParameters,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.config import Settings
from bot.outbox import doorbell, drain, recovery
from bot.outbox.models import Delivery, OutboxMessage, Outcome
from bot.services import Services
from bot.telegram.http import AiohttpRequest
from bot.telegram.message_parts import split_text

logger = logging.getLogger(__name__)

# Telegram allows about 30 messages a second per bot; one every 1/29 s never bursts past it.
SENDS_PER_SECOND = 29.0


def worker_name() -> str:
    """A random id per process start (containers may share a host name and a pid)."""
    return os.urandom(8).hex()


class Pacer:
    """One send slot every 1/rate s, given to the most urgent lane waiting; paused by a 429."""

    def __init__(self, per_second: float | None) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self._next_slot = 0.0
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def pause(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self._next_slot = max(self._next_slot, loop.time() + seconds)

    async def acquire(self, lane: int) -> None:
        if not self.interval:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (lane, next(self._order), future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._release())
        self._wake.set()
        await future

    async def _release(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            delay = self._next_slot - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
                continue
            _, _, future = heapq.heappop(self._waiting)
            if future.cancelled():
                continue
            future.set_result(None)
            self._next_slot = loop.time() + self.interval

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()


def build_outbox_bot(settings: Settings) -> Bot:
    timeout = settings.telegram_timeout_seconds
    request = AiohttpRequest(
        pool_size=settings.telegram_connection_pool,
        pool_timeout=10.0,
        read_timeout=timeout,
        write_timeout=timeout,
        connect_timeout=timeout,
    )
    return Bot(
        settings.require_token(),
        base_url=settings.telegram_api_url,
        base_file_url=settings.telegram_file_url,
        request=request,
    )


Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ForceReply


def _markup(row: OutboxMessage) -> Markup | None:
    """Inline buttons, else what the row's options ask for under the input field."""
    keyboard = row.keyboard()
    if keyboard:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in line]
                for line in keyboard
            ]
        )
    options = row.options or {}
    if "force_reply" in options:
        return ForceReply(selective=True, input_field_placeholder=options["force_reply"][:64])
    if options.get("keyboard"):
        rows = [[KeyboardButton(label) for label in line] for line in options["keyboard"]]
        return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)
    return None


def _reply_to(row: OutboxMessage, first: bool) -> ReplyParameters | None:
    reply_to = (row.options or {}).get("reply_to")
    if not first or reply_to is None:
        return None
    return ReplyParameters(int(reply_to), allow_sending_without_reply=True)


def _seconds(value: object) -> float:
    total_seconds = getattr(value, "total_seconds", None)
    return float(total_seconds()) if callable(total_seconds) else float(value)  # type: ignore[arg-type]


class OutboxSender:
    def __init__(
        self, bot: Bot, services: Services, *, paced: bool, worker: str | None = None
    ) -> None:
        self.bot = bot
        self.services = services
        self.worker = worker or worker_name()
        self.pacer = Pacer(SENDS_PER_SECOND if paced else None)
        settings = services.settings
        self.drain = drain.Drain(
            services.sessionmaker,
            self._send_safely,
            worker=self.worker,
            now=lambda: services.now(),  # looked up each time: tests move the clock
            capacity=settings.outbox_batch_size,
        )
        self.stale_after = timedelta(seconds=settings.sending_timeout_seconds)
        # Beat well inside the stale time, so a live worker's sends are never taken from it.
        self.beat_seconds = max(settings.sending_timeout_seconds / 4, 0.5)
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Take back what a dead process left mid-send, then drain for as long as we run."""
        await self.recover()
        doorbell.listen(self.drain.kick)
        self.services.outbox_drain = self.drain
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def recover(self, *, starting: bool = True) -> int:
        services = self.services
        async with services.sessionmaker.begin() as session:
            if not starting:
                await recovery.heartbeat(
                    session, worker=self.worker, row_ids=sorted(self.drain.holding)
                )
            count = await recovery.recover(session, stale_after=self.stale_after)
        if count:
            logger.warning("took back %d outbox message(s) left mid-send by a dead process", count)
        return count

    async def stop(self, grace: float = 10.0) -> None:
        """Finish the sends in flight (up to `grace` s); what is left waits in the database."""
        self._stopping = True
        if self.services.outbox_drain is self.drain:
            self.services.outbox_drain = None
        doorbell.forget(self.drain.kick)
        self.drain.kick.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, grace)
            except TimeoutError:
                self.drain.cancel()
                logger.warning("outbox sends still running at shutdown were cut off")
        await self.pacer.aclose()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        kick = self.drain.kick
        next_beat = loop.time() + self.beat_seconds
        while not self._stopping:
            kick.clear()
            try:
                if loop.time() >= next_beat:
                    next_beat = loop.time() + self.beat_seconds
                    await self.recover(starting=False)
                await self.drain.fill()
            except Exception:  # the database hiccuped: wait a moment, the rows are still there
                logger.exception("outbox round failed")
            if self._stopping:
                break
            try:
                await asyncio.wait_for(kick.wait(), self._sleep(next_beat - loop.time()))
            except TimeoutError:
                pass
        await self.drain.settle()

    def _sleep(self, until_beat: float) -> float:
        """Until a row of another process may be waiting, a retry is due, or the next beat."""
        sleep = min(self.services.settings.outbox_poll_seconds, max(until_beat, 0.0))
        retry_at = self.drain.retry_at
        if retry_at is None:
            return sleep
        wait = (retry_at - self.services.now()).total_seconds()
        if wait <= 0:  # due now: this wake claims it
            self.drain.retry_at = None
        return min(sleep, max(wait, 0.0))

    async def send_now(self, chat_id: int, text: str) -> None:
        """Send at once, without a row: only for the crisis resources when the database that
        holds the outbox does not answer. A failure is logged; there is nothing to record it in."""
        try:
            for piece in split_text(text):
                await self.pacer.acquire(0)
                await self.bot.send_message(chat_id, piece)
        except TelegramError:
            logger.exception("could not send to chat %s without the outbox", chat_id)

    async def _send_safely(self, row: OutboxMessage) -> Delivery:
        try:
            return await self._send(row)
        except Exception as exc:  # an unexpected failure must not lose the row
            logger.exception("sending outbox row %s failed", row.id)
            return Delivery(Outcome.retry, error=f"{type(exc).__name__}: {exc}"[:500])

    async def _send(self, row: OutboxMessage) -> Delivery:
        """One attempt, its outcome classified here and only here: 429 waits as Telegram asks,
        5xx and timeouts retry, 403 blocks, a migrated chat is re-pointed, any other 4xx is
        refused for good."""
        await self.pacer.acquire(row.lane)
        progress = [row.parts_sent]
        try:
            return await self._attempt(row, progress)
        except ChatMigrated as exc:
            return Delivery(Outcome.migrated, migrate_to=int(exc.new_chat_id), error=str(exc)[:500])
        except RetryAfter as exc:
            wait = _seconds(exc.retry_after)
            self.pacer.pause(wait)
            return Delivery(
                Outcome.retry, retry_after=wait, error=str(exc)[:500], parts_sent=progress[0]
            )
        except Forbidden as exc:
            return Delivery(Outcome.blocked, error=str(exc)[:500])
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return Delivery(Outcome.sent, message_id=row.edit_message_id)
            logger.warning("outbox row %s refused by Telegram: %s", row.id, exc)
            return Delivery(Outcome.failed, error=str(exc)[:500], parts_sent=progress[0])
        except InvalidToken as exc:
            # The token itself is refused: every message would be; keep them until it is fixed.
            logger.error("Telegram refuses the bot's token: %s", exc)
            return Delivery(Outcome.retry, error=f"InvalidToken: {exc}"[:500])
        except (NetworkError, TelegramError) as exc:
            # Timeouts and 5xx: tried again with backoff.
            return Delivery(
                Outcome.retry, error=f"{type(exc).__name__}: {exc}"[:500], parts_sent=progress[0]
            )

    async def _attempt(self, row: OutboxMessage, progress: list[int]) -> Delivery:
        options = row.options or {}
        parse_mode = options.get("parse_mode")
        if row.edit_message_id is not None:
            markup = _markup(row)
            assert markup is None or isinstance(markup, InlineKeyboardMarkup)
            if options.get("edit_buttons_only"):
                await self.bot.edit_message_reply_markup(
                    chat_id=row.chat_id, message_id=row.edit_message_id, reply_markup=markup
                )
            else:
                await self.bot.edit_message_text(
                    row.text,
                    chat_id=row.chat_id,
                    message_id=row.edit_message_id,
                    reply_markup=markup,
                    parse_mode=parse_mode,
                )
            return Delivery(Outcome.sent, message_id=row.edit_message_id)
        if row.document is not None:
            message = await self.bot.send_document(
                row.chat_id,
                document=InputFile(row.document, filename=row.filename or "file"),
                caption=row.text[:1024] or None,
                reply_markup=_markup(row),
            )
            return Delivery(Outcome.sent, message_id=message.message_id)
        message_id = None
        pieces = split_text(row.text)
        # A retry sends only the parts that did not go out.
        for index in range(min(row.parts_sent, len(pieces) - 1), len(pieces)):
            if index > row.parts_sent:
                await self.pacer.acquire(row.lane)
            markup = _markup(row) if index == len(pieces) - 1 else None
            message = await self.bot.send_message(
                row.chat_id,
                pieces[index],
                reply_markup=markup,
                parse_mode=parse_mode,
                reply_parameters=_reply_to(row, index == 0),
            )
            message_id = message.message_id
            progress[0] = index + 1
        return Delivery(Outcome.sent, message_id=message_id)
