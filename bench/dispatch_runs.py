"""One timed run each: due check-ins queued by the scheduler's job and sent by the real outbox
sender, the outbox with a no-op deliver, and the outbox's Bot sending alone; each run also checks
every check-in went out exactly once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.cpu import CpuClock
from bench.dispatch_db import (
    last_sent_at,
    outbox_counts,
    screeners_sent,
    status_counts,
    unsent_outbox,
)
from bench.fake_telegram import FakeTelegram, Tally
from bot.checkin.buttons import mood_buttons
from bot.checkin.opener import opener
from bot.config import Settings
from bot.database.core import make_sessionmaker
from bot.nlu.service import Understander
from bot.outbox import drain
from bot.outbox.models import Delivery, OutboxMessage, Outcome, buttons_column
from bot.services import Services, build_services
from bot.telegram.outbox_sender import OutboxSender, _markup, build_outbox_bot
from bot.texts.translation import translator
from scheduler import jobs

TOKEN = "123456:BENCH-TOKEN"
# Give up waiting for the last rows after this long (a row stuck in a retry loop, say).
DRAIN_LIMIT_SECONDS = 300.0
WATCH_SECONDS = 0.1


@dataclass(frozen=True)
class Knobs:
    outbox_batch: int = 20  # OUTBOX_BATCH_SIZE: rows per claim, sent concurrently
    pool: int = 8  # TELEGRAM_CONNECTION_POOL
    dispatch_batch: int = 200  # DISPATCH_BATCH_SIZE: check-ins queued per transaction


@dataclass
class Result:
    """One row of the table."""

    backend: str
    run: str
    knobs: Knobs
    n: int
    seconds: float
    too_many_requests: int | None = None
    duplicates: int = 0
    lost: int = 0
    not_sent: int = 0
    retried: int = 0
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)
    # Screeners that rode on the check-ins (a PHQ-2 each), when the run had any.
    screeners: int = 0

    @property
    def rate(self) -> float:
        return self.n / self.seconds if self.seconds else 0.0

    def cpu_ms(self, process: str) -> float | None:
        """CPU milliseconds per check-in spent by `process` ("bot" or "fake"): unlike msg/s,
        this barely moves when other work shares the cores."""
        spent = self.cpu_seconds.get(process)
        return None if spent is None else spent / self.n * 1000


def bench_settings(
    url: str, api_url: str, *, paced: bool, knobs: Knobs, timeout: float = 10.0
) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_url=api_url,
        database_url=url,
        rate_limit=paced,
        telegram_connection_pool=knobs.pool,
        dispatch_batch_size=knobs.dispatch_batch,
        outbox_batch_size=knobs.outbox_batch,
        telegram_timeout_seconds=timeout,
    )


def bench_services(settings: Settings) -> Services:
    """The product's services (its engine and pool sizes) for these settings; no NLU model
    (nothing here reads messages). The caller closes them."""
    return build_services(settings, understander=Understander(embedded=None))


async def _until_drained(services: Services, started: datetime) -> float:
    """Wait until no outbox row is pending or being sent; seconds from `started` to the last
    row recorded as sent (the polling here does not stretch the figure)."""
    deadline = time.monotonic() + DRAIN_LIMIT_SECONDS
    while await unsent_outbox(services.sessionmaker) and time.monotonic() < deadline:  # noqa: ASYNC110 - the rows live in the database
        await asyncio.sleep(WATCH_SECONDS)
    last = await last_sent_at(services.sessionmaker)
    return (last - started).total_seconds() if last else 0.0


async def _finish(result: Result, engine: AsyncEngine, expected: set[int]) -> Result:
    sessionmaker = make_sessionmaker(engine)
    statuses = await status_counts(sessionmaker)
    result.not_sent = len(expected) - statuses.get("sent", 0)
    counts = await outbox_counts(sessionmaker)
    result.retried = counts["attempts"] - counts.get("sent", 0)
    result.screeners = await screeners_sent(sessionmaker)
    return result


async def run_queue_only(
    backend: str, engine: AsyncEngine, expected: set[int], knobs: Knobs
) -> Result:
    """The scheduler's job alone: due check-ins claimed and written to the outbox."""
    settings = bench_settings(_url(engine), "http://127.0.0.1:9/bot", paced=False, knobs=knobs)
    services = bench_services(settings)
    try:
        with CpuClock(None) as clock:
            queued = await jobs.dispatch_checkins(services)
    finally:
        await services.aclose()
    result = Result(backend, "queue_due job only (no send)", knobs, len(expected), clock.seconds)
    result.lost = len(expected) - queued
    result.cpu_seconds = clock.cpu_seconds
    result.screeners = await screeners_sent(make_sessionmaker(engine))
    return result


async def run_noop_drain(
    backend: str, engine: AsyncEngine, expected: set[int], knobs: Knobs
) -> Result:
    """The outbox alone (claim, per-chat order, one outcome transaction per row) with a deliver
    that answers `sent` at once; the rows are the ones `run_queue_only` queued."""
    settings = bench_settings(_url(engine), "http://127.0.0.1:9/bot", paced=False, knobs=knobs)
    services = bench_services(settings)
    calls: Counter[int] = Counter()

    async def deliver(row: OutboxMessage) -> Delivery:
        calls[row.checkin_id or 0] += 1
        return Delivery(Outcome.sent, message_id=row.id)

    def now() -> datetime:
        return datetime.now(UTC)

    try:
        with CpuClock(None) as clock:
            while await drain.drain_once(
                services.sessionmaker, deliver, worker="bench", now=now, limit=knobs.outbox_batch
            ):
                pass
    finally:
        await services.aclose()
    result = Result(backend, "outbox drain, no-op deliver", knobs, len(expected), clock.seconds)
    result.duplicates = sum(1 for n in calls.values() if n > 1)
    result.lost = sum(1 for i in expected if calls[i] == 0)
    result.cpu_seconds = clock.cpu_seconds
    return await _finish(result, engine, expected)


async def run_outbox(
    backend: str,
    engine: AsyncEngine,
    expected: set[int],
    knobs: Knobs,
    *,
    paced: bool,
    faults: float = 0.0,
    bot_timeout: float = 5.0,
    late: bool = True,
) -> Result:
    """The product's path: the scheduler's job queues, the real `OutboxSender` (its own Bot,
    paced or not) sends to the fake; capped runs turn the fake's 30/s flood control on. With
    `faults`, that share of sends is answered with a 5xx or late (1 s past `bot_timeout`)."""
    delay = bot_timeout + 1 if late else 0.0
    fake_telegram = FakeTelegram(rate_limited=paced, faults=faults, fault_delay=delay)
    async with fake_telegram as fake:
        settings = bench_settings(
            _url(engine), fake.base_url, paced=paced, knobs=knobs, timeout=bot_timeout
        )
        services = bench_services(settings)
        bot = build_outbox_bot(settings)
        await bot.initialize()
        sender = OutboxSender(bot, services, paced=paced)
        try:
            with CpuClock(fake.pid) as clock:
                started = datetime.now(UTC)
                await sender.start()
                await jobs.dispatch_checkins(services)
                seconds = await _until_drained(services, started)
        finally:
            await sender.stop()
            await bot.shutdown()
            await services.aclose()
        seen = await fake.tally()
    name = (
        "queue + OutboxSender paced 29/s, fake 30/s"
        if paced
        else "queue + OutboxSender unpaced, fake unlimited"
    )
    if faults:
        name += f", {faults:.0%} faults" + ("" if late else " (5xx only)")
    result = _checked(Result(backend, name, knobs, len(expected), seconds), seen, expected)
    result.faults = seen.random_faults
    result.cpu_seconds = clock.cpu_seconds
    return await _finish(result, engine, expected)


def _url(engine: AsyncEngine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _checked(result: Result, seen: Tally, expected: set[int]) -> Result:
    result.too_many_requests = seen.too_many_requests
    result.duplicates = seen.duplicates()
    result.lost = seen.lost(expected)
    return result


def _row(n: int) -> OutboxMessage:
    body = opener(f"Client {n}", unplanned=False, manual=True, t=translator(None))
    buttons = buttons_column(mood_buttons(n, translator(None)))
    return OutboxMessage(chat_id=10_000_000 + n, text=body, buttons=buttons)


async def run_bot_loop(n: int, knobs: Knobs) -> Result:
    """The outbox's Bot alone (PTB + httpx), `outbox_batch` sends at a time: no database."""
    async with FakeTelegram(rate_limited=False) as fake:
        settings = bench_settings("sqlite://", fake.base_url, paced=False, knobs=knobs)
        bot = build_outbox_bot(settings)
        await bot.initialize()
        gate = asyncio.Semaphore(knobs.outbox_batch)

        async def send(i: int) -> None:
            row = _row(i)
            async with gate:
                await bot.send_message(row.chat_id, row.text, reply_markup=_markup(row))

        try:
            with CpuClock(fake.pid) as clock:
                await asyncio.gather(*(send(i) for i in range(1, n + 1)))
        finally:
            await bot.shutdown()
        seen = await fake.tally()
    result = _checked(
        Result("-", "outbox Bot send loop, no DB", knobs, n, clock.seconds), seen, set()
    )
    result.lost = sum(1 for i in range(1, n + 1) if seen.accepted[i] == 0)
    result.cpu_seconds = clock.cpu_seconds
    return result


async def run_httpx_loop(n: int, knobs: Knobs) -> Result:
    """The same requests straight through httpx: the HTTP client and the fake, without PTB."""
    async with FakeTelegram(rate_limited=False) as fake:
        limits = httpx.Limits(max_connections=knobs.pool, max_keepalive_connections=knobs.pool)
        gate = asyncio.Semaphore(knobs.outbox_batch)
        async with httpx.AsyncClient(limits=limits, timeout=10) as client:

            async def send(i: int) -> None:
                row = _row(i)
                markup = _markup(row)
                assert markup is not None
                data = {
                    "chat_id": str(row.chat_id),
                    "text": row.text,
                    "reply_markup": markup.to_json(),
                }
                async with gate:
                    answer = await client.post(f"{fake.base_url}{TOKEN}/sendMessage", data=data)
                    answer.json()

            with CpuClock(fake.pid) as clock:
                await asyncio.gather(*(send(i) for i in range(1, n + 1)))
        seen = await fake.tally()
    result = _checked(Result("-", "httpx post loop, no PTB", knobs, n, clock.seconds), seen, set())
    result.lost = sum(1 for i in range(1, n + 1) if seen.accepted[i] == 0)
    result.cpu_seconds = clock.cpu_seconds
    return result
