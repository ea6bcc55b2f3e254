"""Check-in dispatch throughput: the real dispatcher, TelegramCheckinSender and PTB bot against
the loopback fake Bot API, on SQLite and PostgreSQL, with Telegram's rate limits off and on.

Run: .venv/bin/python bench/dispatch.py [--n 10000] [--capped-n 600] [--backends sqlite,postgres]
     [--batch-size 200[,500...]] [--concurrency 64[,128...]] [--pool 64[,128...]]
Comma lists sweep the uncapped runs over every combination; the capped run uses the first.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dispatch_db import DatabaseUnavailable, database_url, make_due, prepared_engine
from bench.dispatch_runs import (
    Knobs,
    Result,
    run_httpx_loop,
    run_noop,
    run_ptb_loop,
    run_telegram,
)

GOAL_UNCAPPED = 1_000.0
TELEGRAM_RATE = 30.0
CAPPED_GOAL_SHARE = 0.95
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def int_list(value: str) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip()]


async def bench_backend(backend: str, args: argparse.Namespace, grid: list[Knobs]) -> list[Result]:
    results: list[Result] = []
    async with database_url(backend, args.postgres_url) as url:
        engine = await prepared_engine(url, max(args.n, args.capped_n))
        try:
            for knobs in grid:
                expected = await make_due(engine, args.n)
                results.append(report(await run_noop(backend, engine, expected, knobs)))
                for aiohttp in [False, True] if args.aiohttp_probe else [False]:
                    expected = await make_due(engine, args.n)
                    results.append(
                        report(
                            await run_telegram(
                                backend, engine, expected, knobs, capped=False, aiohttp=aiohttp
                            )
                        )
                    )
            limiters = [False, True] if args.proposed_limiter else [False]
            for smooth in limiters:
                if args.capped_n <= 0:
                    break
                expected = await make_due(engine, args.capped_n)
                results.append(
                    report(
                        await run_telegram(
                            backend, engine, expected, grid[0], capped=True, smooth=smooth
                        )
                    )
                )
        finally:
            await engine.dispose()
    return results


def report(result: Result) -> Result:
    """Print a one-line progress note and hand the result on."""
    print(f"  done: {result.backend:<8} {result.run:<52} {result.rate:8.0f}/s", flush=True)
    return result


HEADER = (
    f"{'backend':<8} {'run':<52} {'batch':>5} {'conc':>4} {'pool':>4} {'N':>6} {'secs':>6} "
    f"{'msg/s':>7} {'goal':>6} {'429s':>5} {'dup':>4} {'lost':>4} {'unsent':>6} "
    f"{'retry':>5} {'bot ms':>6} {'fake ms':>7}"
)


def row(result: Result) -> str:
    k = result.knobs
    capped = "fake 30/s" in result.run
    goal = result.rate / (TELEGRAM_RATE if capped else GOAL_UNCAPPED)
    goal_text = f"{goal:.2f}x" if "dispatch" in result.run else ""
    too_many = "" if result.too_many_requests is None else str(result.too_many_requests)
    bot_ms, fake_ms = result.cpu_ms("bot"), result.cpu_ms("fake")
    return (
        f"{result.backend:<8} {result.run:<52} {k.batch_size:>5} {k.concurrency:>4} {k.pool:>4} "
        f"{result.n:>6} {result.seconds:>6.2f} {result.rate:>7.0f} {goal_text:>6} {too_many:>5} "
        f"{result.duplicates:>4} {result.lost:>4} {result.not_sent:>6} {result.retried:>5} "
        f"{_ms(bot_ms):>6} {_ms(fake_ms):>7}"
    )


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def print_table(results: list[Result]) -> None:
    print()
    print(HEADER)
    print("-" * len(HEADER))
    for result in results:
        print(row(result))
    print()
    print("bot ms / fake ms: CPU milliseconds per check-in in this process / in the fake")
    print("goal: uncapped dispatch >= 1.00x of 1,000/s; capped >= 0.95x of 30/s with 0 429s")
    duplicates = sum(r.duplicates for r in results)
    lost = sum(r.lost + r.not_sent for r in results)
    print(f"duplicates: {duplicates}, lost: {lost}")
    by_run = {(r.backend, r.run, r.knobs.concurrency, r.knobs.pool): r for r in results}
    for r in results:
        if r.run != "dispatch + PTB, no limiter, fake unlimited":
            continue
        k = r.knobs
        noop = by_run.get((r.backend, "dispatcher, no-op sender", k.concurrency, k.pool))
        ptb = by_run.get(("-", "PTB send loop, no DB", k.concurrency, k.pool))
        if noop and ptb:
            print(
                f"{r.backend} batch {k.batch_size} conc {k.concurrency} pool {k.pool}: "
                f"full/dispatcher-only = {r.rate / noop.rate:.2f}, "
                f"full/PTB-only = {r.rate / ptb.rate:.2f}; "
                f"CPU ms per check-in: dispatcher {noop.cpu_ms('bot') or 0:.2f}, "
                f"PTB {ptb.cpu_ms('bot') or 0:.2f}, both {r.cpu_ms('bot') or 0:.2f}"
            )


async def main(args: argparse.Namespace) -> None:
    grid = [
        Knobs(batch_size=b, concurrency=c, pool=p)
        for b, c, p in itertools.product(args.batch_size, args.concurrency, args.pool)
    ]
    started = time.perf_counter()
    results: list[Result] = []
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"N={args.n} uncapped, capped N={args.capped_n}; {len(grid)} knob setting(s)")
    # Batch size means nothing without the dispatcher: one loop per concurrency and pool.
    for knobs in {Knobs(grid[0].batch_size, k.concurrency, k.pool): None for k in grid}:
        results.append(report(await run_ptb_loop(args.loop_n, knobs)))
        if args.aiohttp_probe:
            results.append(report(await run_ptb_loop(args.loop_n, knobs, aiohttp=True)))
        if args.httpx:
            results.append(report(await run_httpx_loop(args.loop_n, knobs)))
    for backend in args.backends:
        try:
            results += await bench_backend(backend, args, grid)
        except DatabaseUnavailable as exc:
            print(f"  skipped {backend}: PostgreSQL at {args.postgres_url} unreachable ({exc})")
    print_table(results)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"total bench time {time.perf_counter() - started:.0f} s")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="due check-ins, uncapped runs")
    parser.add_argument("--loop-n", type=int, default=2_000, help="sends, PTB/httpx loops")
    parser.add_argument("--capped-n", type=int, default=600, help="check-ins at 30/s (0: skip)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--batch-size", type=int_list, default=[200])
    parser.add_argument("--concurrency", type=int_list, default=[64])
    parser.add_argument("--pool", type=int_list, default=[64], help="PTB connection pool")
    parser.add_argument("--no-httpx", dest="httpx", action="store_false", help="skip httpx loop")
    parser.add_argument(
        "--aiohttp-probe", action="store_true", help="also send through aiohttp instead of httpx"
    )
    parser.add_argument(
        "--proposed-limiter", action="store_true", help="also run capped with a burst-free 29/s"
    )
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    return args


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(parse_args()))
