"""Many clients chatting at once with the running product: reply latency, crisis-to-staff-alert
latency, and whether every crisis message was answered with the clinic's crisis resources first.

The real `Runtime` (PTB polling + the clock) runs here with the embedded NLU (no Rasa) against
the loopback fake Bot API, which runs with the simulated clients in a child process
(bench/conversation_fake.py) so all timing is on one clock and the fake's CPU is not the bot's.

With `--faults 0.2` the fake answers a seeded 20% of sendMessage/editMessageText calls with a
500, 502 or 504 (not delivered) or late, past the bot's TELEGRAM_TIMEOUT_SECONDS (delivered, so
the bot's retry is a second copy), and the report adds what was lost under faults.

Run: .venv/bin/python bench/conversation.py [--clients 200] [--messages 5]
     [--backends sqlite,postgres] [--think 1,3] [--runs 1] [--rate-limit] [--profile]
     [--faults 0.2] [--fault-seed 1] [--bot-timeout 5]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram.request import HTTPXRequest

from bench.conversation_db import Prepared, prepared_conversation
from bench.conversation_fake import ConversationFake
from bench.conversation_report import Run, print_report
from bench.conversation_script import crisis_clients, series
from bench.conversation_trace import Trace
from bench.cpu import CpuClock
from bench.dispatch_db import DatabaseUnavailable, database_url
from bot.config import Settings
from bot.database.core import make_engine, make_sessionmaker
from bot.nlu.service import build_understander
from bot.runtime import Runtime
from bot.services import Services

TOKEN = "123456:BENCH-TOKEN"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# The trained embedded model is cached here between runs (training takes a few seconds).
NLU_DIR = Path(tempfile.gettempdir()) / "aftercare-bench-nlu"
REPLY_TIMEOUT_SECONDS = 10.0
# After the last client message: how long to wait for every crisis alert (no faults).
SETTLE_SECONDS = 15.0
# The loop-lag probe runs in the bot's process: at 10 ms it cost about 5 ms CPU a second there
# (0.4 ms per message at 13 messages/s), charged to the bot; at 50 ms about a fifth of that.
LAG_TICK_SECONDS = 0.05


def conversation_plan(prepared: Prepared, args: argparse.Namespace, seed: int) -> dict[str, Any]:
    """What every simulated client will write, and how long they think between messages."""
    rng = random.Random(seed)
    crisis = crisis_clients(rng, len(prepared.clients))
    return {
        "seed": seed,
        "think": args.think,
        "stagger": args.think[1],
        "reply_timeout": REPLY_TIMEOUT_SECONDS,
        "staff_chat": prepared.staff_chat_id,
        "crisis_resources": prepared.crisis_resources,
        "emergency_number": prepared.emergency_number,
        "settle": SETTLE_SECONDS if not args.faults else args.bot_timeout * 4 + 30,
        "faults": (
            {
                "rate": args.faults,
                "seed": args.fault_seed,
                "delay": args.bot_timeout + 1 if args.late else 0.0,
            }
            if args.faults
            else None
        ),
        "clients": [
            {
                "chat": client.chat_id,
                "pseudonym": client.pseudonym,
                "name": f"Client {n}",
                "messages": [
                    [m.kind, m.text] for m in series(rng, args.messages, crisis=n in crisis)
                ],
            }
            for n, client in enumerate(prepared.clients)
        ],
    }


def bench_settings(url: str, api_url: str, args: argparse.Namespace) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_bot_username="aftercare_bench_bot",
        telegram_api_url=api_url,
        database_url=url,
        data_dir=NLU_DIR,
        rasa_url=None,
        rate_limit=args.rate_limit,
        telegram_connection_pool=args.bot_pool,
        telegram_timeout_seconds=args.bot_timeout,
    )


def product(settings: Settings, db_pool: int | None) -> Runtime:
    """The product as `aftercare run` builds it; with `db_pool`, its database pool holds that
    many connections (pool_size, no overflow) instead of SQLAlchemy's default 5 + 10."""
    if db_pool is None:
        return Runtime(settings)
    engine = make_engine(settings.resolved_database_url, pool_size=db_pool, max_overflow=0)
    services = Services(
        settings=settings,
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        understander=build_understander(settings),
    )
    return Runtime(settings, services)


async def watch_loop_lag(lags: list[float]) -> None:
    """How late a short sleep wakes up: the time any ready callback waits for the loop."""
    while True:
        asked = time.perf_counter()
        await asyncio.sleep(LAG_TICK_SECONDS)
        lags.append((time.perf_counter() - asked - LAG_TICK_SECONDS) * 1000)


def use_httpx(runtime: Runtime, timeout: float, pool: int) -> None:
    """The outbox's sends and getUpdates back on PTB's httpx request, to compare the clients."""
    outbox_bot = runtime.outbox.bot
    sending = HTTPXRequest(
        connection_pool_size=pool, read_timeout=timeout, write_timeout=timeout,
        connect_timeout=timeout, pool_timeout=10.0,
    )  # fmt: skip
    outbox_bot._request = (outbox_bot._request[0], sending)
    app_bot = runtime.application.bot
    app_bot._request = (HTTPXRequest(connection_pool_size=1), app_bot._request[1])


async def one_run(
    backend: str, label: str, url: str, prepared: Prepared, args: argparse.Namespace, seed: int
) -> Run:
    """The product against the fake with every client chatting; the clients are then reset."""
    async with ConversationFake() as fake:
        settings = bench_settings(url, fake.base_url, args)
        runtime = product(settings, args.db_pool)
        if args.httpx:
            use_httpx(runtime, settings.telegram_timeout_seconds, args.bot_pool)
        await runtime.start(poll_timeout=1)
        trace = Trace() if args.trace else None
        if trace:
            trace.install(runtime)
        plan = conversation_plan(prepared, args, seed)
        lags: list[float] = []
        watcher = asyncio.create_task(watch_loop_lag(lags))
        profiler = cProfile.Profile() if args.profile else None
        try:
            with CpuClock(fake.pid) as clock:
                if profiler:
                    profiler.enable()
                measured = await fake.play(plan)
                if profiler:
                    profiler.disable()
        finally:
            watcher.cancel()
            await runtime.stop()
            if args.db_pool is not None:
                await runtime.services.aclose()
    if trace:
        print(f"\nwhere the time went in the bot, {backend} {label}:")
        print("\n".join("  " + line for line in trace.lines()))
    if profiler:
        print(f"\ncProfile of the bot process, {backend} {label} (top 30 by own time):")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        saved = Path(tempfile.gettempdir()) / f"aftercare-conversation-{backend}.prof"
        profiler.dump_stats(saved)
        print(f"full profile saved: {saved} (python -m pstats {saved})")
    run = Run(backend, label, len(prepared.clients), measured, clock.seconds, clock.share, lags)
    print(f"  done: {backend:<8} {label:<10} {len(run.messages)} messages", flush=True)
    return run


async def bench_backend(backend: str, args: argparse.Namespace) -> list[Run]:
    runs: list[Run] = []
    for index in range(args.runs):
        # A fresh database per run, so warning-sign counts and alerts start from nothing.
        async with database_url(backend, args.postgres_url) as url:
            prepared = await prepared_conversation(url, args.clients)
            await prepared.engine.dispose()
            label = f"run {index + 1}" + (" lim" if args.rate_limit else "")
            label += f" db{args.db_pool}" if args.db_pool else ""
            label += " httpx" if args.httpx else ""
            label += f" f{args.faults:g}" if args.faults else ""
            label += "" if args.late or not args.faults else " 5xx"
            runs.append(await one_run(backend, label, url, prepared, args, args.seed + index))
    return runs


async def main(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{args.clients} clients x {args.messages} messages, think {args.think[0]:g}-"
        f"{args.think[1]:g} s, embedded NLU, rate limiter {'on' if args.rate_limit else 'off'}"
        + (
            f", random faults on {args.faults:.0%} of sends (seed {args.fault_seed}, "
            + (f"bot timeout {args.bot_timeout:g} s)" if args.late else "5xx only)")
            if args.faults
            else ""
        )
    )
    runs: list[Run] = []
    for backend in args.backends:
        try:
            runs += await bench_backend(backend, args)
        except DatabaseUnavailable as exc:
            print(f"  skipped {backend}: PostgreSQL at {args.postgres_url} unreachable ({exc})")
    print_report(runs)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"total bench time {time.perf_counter() - started:.0f} s")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5, help="messages per client")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--think", default="1,3", help="think time range between messages, s")
    parser.add_argument("--runs", type=int, default=1, help="runs per backend")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rate-limit", action="store_true", help="the production send limiter (29/s) on"
    )
    parser.add_argument(
        "--db-pool", type=int, default=None, help="try a database pool of N connections"
    )
    parser.add_argument("--bot-pool", type=int, default=8, help="PTB connection pool size")
    parser.add_argument(
        "--httpx",
        action="store_true",
        help="the outbox's sends and the polling through PTB's httpx request, as before aiohttp",
    )
    parser.add_argument(
        "--faults",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="answer this share of sendMessage/editMessageText with a 500/502/504 or late",
    )
    parser.add_argument("--fault-seed", type=int, default=1)
    parser.add_argument(
        "--no-late", dest="late", action="store_false", help="faults: 5xx only, no late answers"
    )
    parser.add_argument(
        "--bot-timeout",
        type=float,
        default=Settings.model_fields["telegram_timeout_seconds"].default,
        help="TELEGRAM_TIMEOUT_SECONDS; late answers come 1 s after it",
    )
    parser.add_argument("--trace", action="store_true", help="time the bot's stages")
    parser.add_argument("--profile", action="store_true", help="cProfile the bot process")
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.think = [float(part) for part in args.think.split(",")]
    if args.clients < 1 or args.messages < 1 or len(args.think) != 2:
        parser.error("--clients and --messages must be >= 1; --think is low,high")
    if not 0 <= args.faults < 1:
        parser.error("--faults is a share of sends, 0 to 1")
    return args


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(parse_args()))
