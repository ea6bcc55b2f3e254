"""One timed run each: the dispatcher with the real Telegram sender, with a no-op sender, and
PTB or httpx sending alone; each run also checks every check-in went exactly once."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import AIORateLimiter

from bench.aiohttp_request import AiohttpRequest
from bench.dispatch_db import status_counts
from bench.fake_telegram import FakeTelegram, Tally
from bot.checkin.delivery import CheckinToSend, Delivery, Outcome
from bot.checkin.dispatch import DispatchReport, dispatch_due
from bot.config import Settings
from bot.database.core import make_sessionmaker
from bot.nlu.service import Understander
from bot.services import Services
from bot.telegram import keyboards
from bot.telegram.application import BotApp, build_application
from bot.telegram.sender import TelegramCheckinSender
from bot.texts import checkin as text

TOKEN = "123456:BENCH-TOKEN"
# Scheduled retries (after a 429 PTB gave up on) wait at least this long, as on the clock.
RETRY_PASS_LIMIT = 60.0


@dataclass(frozen=True)
class Knobs:
    batch_size: int = 200
    concurrency: int = 64
    pool: int = 64


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
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.n / self.seconds if self.seconds else 0.0

    def cpu_ms(self, process: str) -> float | None:
        """CPU milliseconds per check-in spent by `process` ("bot" or "fake"): unlike msg/s,
        this barely moves when other work shares the cores."""
        share = self.cpu.get(process)
        return None if share is None else share * self.seconds / self.n * 1000


class CpuClock:
    """Share of one core used by this process and by the fake, between start and stop."""

    def __init__(self, fake_pid: int | None) -> None:
        self.fake_pid = fake_pid

    def _fake_seconds(self) -> float:
        if self.fake_pid is None:
            return 0.0
        with open(f"/proc/{self.fake_pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> CpuClock:
        self._wall, self._own, self._fake = time.perf_counter(), time.process_time(), 0.0
        self._fake = self._fake_seconds()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.share = {"bot": (time.process_time() - self._own) / self.seconds}
        if self.fake_pid is not None:
            self.share["fake"] = (self._fake_seconds() - self._fake) / self.seconds


class NoopSender:
    """Answers `sent` at once: what the dispatcher and the database cost on their own."""

    def __init__(self) -> None:
        self.calls: Counter[int] = Counter()

    async def send_checkin(self, checkin: CheckinToSend) -> Delivery:
        self.calls[checkin.checkin_id] += 1
        return Delivery(Outcome.sent, message_id=checkin.checkin_id)


def bench_settings(url: str, api_url: str, *, rate_limit: bool, knobs: Knobs) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_url=api_url,
        database_url=url,
        rate_limit=rate_limit,
        telegram_connection_pool=knobs.pool,
        dispatch_batch_size=knobs.batch_size,
    )


def production_bot(
    settings: Settings, engine: AsyncEngine, smooth: bool, aiohttp: bool = False
) -> BotApp:
    """The bot exactly as `build_application` makes it; optionally with the proposed limiter,
    or sending through aiohttp instead of httpx."""
    services = Services(
        settings=settings,
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        understander=Understander(embedded=None),
    )
    application = build_application(settings, services)
    if smooth:
        # The proposal under test: no burst, 29/s, so no sliding second ever sees more than 30.
        limiter = AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 29, max_retries=3)
        application.bot._rate_limiter = limiter
    if aiohttp:
        # Sends only; getUpdates keeps PTB's own request object.
        polling = application.bot._request[0]
        application.bot._request = (polling, AiohttpRequest(settings.telegram_connection_pool))
    return application


async def dispatch_all(engine: AsyncEngine, sender: object, knobs: Knobs) -> DispatchReport:
    """Dispatch until nothing due is left, re-running after scheduled retries come due."""
    sessionmaker = make_sessionmaker(engine)
    total = DispatchReport()
    deadline = time.monotonic() + RETRY_PASS_LIMIT
    while True:
        report = await dispatch_due(
            sessionmaker,
            sender,  # type: ignore[arg-type]
            worker="bench",
            batch_size=knobs.batch_size,
            concurrency=knobs.concurrency,
        )
        for outcome, count in report.counts.items():
            total.counts[outcome] += count
        if not report.counts[Outcome.retry] or time.monotonic() > deadline:
            return total
        await asyncio.sleep(1.0)


async def _finish(result: Result, engine: AsyncEngine, expected: set[int]) -> Result:
    statuses = await status_counts(make_sessionmaker(engine))
    result.not_sent = len(expected) - statuses.get("sent", 0)
    return result


async def run_noop(backend: str, engine: AsyncEngine, expected: set[int], knobs: Knobs) -> Result:
    """The dispatcher and the database alone."""
    sender = NoopSender()
    with CpuClock(None) as clock:
        report = await dispatch_all(engine, sender, knobs)
    result = Result(backend, "dispatcher, no-op sender", knobs, len(expected), clock.seconds)
    result.duplicates = sum(1 for n in sender.calls.values() if n > 1)
    result.lost = sum(1 for i in expected if sender.calls[i] == 0)
    result.retried, result.cpu = report.counts[Outcome.retry], clock.share
    return await _finish(result, engine, expected)


async def run_telegram(
    backend: str,
    engine: AsyncEngine,
    expected: set[int],
    knobs: Knobs,
    *,
    capped: bool,
    smooth: bool = False,
    aiohttp: bool = False,
) -> Result:
    """The dispatcher with the real sender over PTB; `capped`: AIORateLimiter vs a 30/s fake."""
    async with FakeTelegram(rate_limited=capped) as fake:
        settings = bench_settings(str(engine.url), fake.base_url, rate_limit=capped, knobs=knobs)
        application = production_bot(settings, engine, smooth, aiohttp)
        await application.initialize()
        try:
            sender = TelegramCheckinSender(application.bot)
            with CpuClock(fake.pid) as clock:
                report = await dispatch_all(engine, sender, knobs)
        finally:
            await application.shutdown()
        seen = await fake.tally()
    name = ("dispatch + PTB/aiohttp, " if aiohttp else "dispatch + PTB, ") + (
        ("proposed limiter" if smooth else "AIORateLimiter") + ", fake 30/s"
        if capped
        else "no limiter, fake unlimited"
    )
    result = _checked(Result(backend, name, knobs, len(expected), clock.seconds), seen, expected)
    result.retried, result.cpu = report.counts[Outcome.retry], clock.share
    return await _finish(result, engine, expected)


def _checked(result: Result, seen: Tally, expected: set[int]) -> Result:
    result.too_many_requests = seen.too_many_requests
    result.duplicates = seen.duplicates()
    result.lost = seen.lost(expected)
    return result


def _body(n: int) -> str:
    return text.opener(f"Client {n}", unplanned=False, manual=True)


async def run_ptb_loop(n: int, knobs: Knobs, aiohttp: bool = False) -> Result:
    """PTB's send_message alone, as concurrent as the dispatcher: no database at all."""
    async with FakeTelegram(rate_limited=False) as fake:
        settings = bench_settings("sqlite://", fake.base_url, rate_limit=False, knobs=knobs)
        application = production_bot(settings, None, False, aiohttp)  # type: ignore[arg-type]
        await application.initialize()
        gate = asyncio.Semaphore(knobs.concurrency)

        async def send(i: int) -> None:
            async with gate:
                await application.bot.send_message(
                    10_000_000 + i, _body(i), reply_markup=keyboards.moods(i)
                )

        try:
            with CpuClock(fake.pid) as clock:
                await asyncio.gather(*(send(i) for i in range(1, n + 1)))
        finally:
            await application.shutdown()
        seen = await fake.tally()
    name = "PTB/aiohttp send loop, no DB" if aiohttp else "PTB send loop, no DB"
    result = _checked(Result("-", name, knobs, n, clock.seconds), seen, set())
    result.lost, result.cpu = sum(1 for i in range(1, n + 1) if seen.accepted[i] == 0), clock.share
    return result


async def run_httpx_loop(n: int, knobs: Knobs) -> Result:
    """The same requests straight through httpx: the HTTP client and the fake, without PTB."""
    async with FakeTelegram(rate_limited=False) as fake:
        limits = httpx.Limits(max_connections=knobs.pool, max_keepalive_connections=knobs.pool)
        gate = asyncio.Semaphore(knobs.concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=10) as client:

            async def send(i: int) -> None:
                markup = keyboards.moods(i).to_json()
                data = {"chat_id": str(10_000_000 + i), "text": _body(i), "reply_markup": markup}
                async with gate:
                    answer = await client.post(f"{fake.base_url}{TOKEN}/sendMessage", data=data)
                    answer.json()

            with CpuClock(fake.pid) as clock:
                await asyncio.gather(*(send(i) for i in range(1, n + 1)))
        seen = await fake.tally()
    result = _checked(Result("-", "httpx post loop, no PTB", knobs, n, clock.seconds), seen, set())
    result.lost, result.cpu = sum(1 for i in range(1, n + 1) if seen.accepted[i] == 0), clock.share
    return result
