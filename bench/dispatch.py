"""Check-in sending throughput through the outbox: the scheduler's `dispatch_checkins` job
(`queue_due`) and the real `OutboxSender` against the loopback fake Bot API in a child process,
on SQLite and PostgreSQL, unpaced against an unlimited fake and paced (29/s) against a fake
with Telegram's 30/s flood control.

Run: .venv/bin/python bench/dispatch.py [--n 2000] [--capped-n 600] [--backends sqlite,postgres]
     [--outbox-batch 20[,100...]] [--pool 8[,64...]] [--loop-n 1000] [--httpx]
     [--faults 0.2 [--faults-n 300] [--bot-timeout 5]] [--screeners 0.5]
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
    run_bot_loop,
    run_httpx_loop,
    run_noop_drain,
    run_outbox,
    run_queue_only,
)
from bot.config import Settings

TELEGRAM_RATE = 30.0
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def int_list(value: str) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip()]


async def bench_backend(backend: str, args: argparse.Namespace, grid: list[Knobs]) -> list[Result]:
    results: list[Result] = []
    async with database_url(backend, args.postgres_url) as url:
        engine = await prepared_engine(url, max(args.n, args.capped_n, args.faults_n))
        try:
            for knobs in grid if args.n > 0 else []:
                expected = await make_due(engine, args.n, args.screeners)
                results.append(report(await run_queue_only(backend, engine, expected, knobs)))
                results.append(report(await run_noop_drain(backend, engine, expected, knobs)))
                expected = await make_due(engine, args.n, args.screeners)
                results.append(
                    report(await run_outbox(backend, engine, expected, knobs, paced=False))
                )
            if args.capped_n > 0:
                expected = await make_due(engine, args.capped_n, args.screeners)
                results.append(
                    report(await run_outbox(backend, engine, expected, grid[0], paced=True))
                )
            if args.faults:
                expected = await make_due(engine, args.faults_n)
                faulty = await run_outbox(
                    backend, engine, expected, grid[0], paced=True, faults=args.faults,
                    bot_timeout=args.bot_timeout, late=args.late,
                )  # fmt: skip
                results.append(report(faulty))
        finally:
            await engine.dispose()
    return results


def report(result: Result) -> Result:
    """Print a one-line progress note and hand the result on."""
    injected = f" faults injected {result.faults}" if result.faults else ""
    riding = f" with {result.screeners} PHQ-2" if result.screeners else ""
    print(
        f"  done: {result.backend:<8} {result.run:<54} {result.rate:8.0f}/s{injected}{riding}",
        flush=True,
    )
    return result


HEADER = (
    f"{'backend':<8} {'run':<54} {'batch':>5} {'pool':>4} {'N':>6} {'secs':>6} "
    f"{'msg/s':>7} {'x30/s':>6} {'429s':>5} {'dup':>4} {'lost':>4} {'unsent':>6} "
    f"{'retry':>5} {'bot ms':>6} {'fake ms':>7} {'PHQ-2':>5}"
)


def row(result: Result) -> str:
    k = result.knobs
    ratio = f"{result.rate / TELEGRAM_RATE:.2f}"
    too_many = "" if result.too_many_requests is None else str(result.too_many_requests)
    return (
        f"{result.backend:<8} {result.run:<54} {k.outbox_batch:>5} {k.pool:>4} "
        f"{result.n:>6} {result.seconds:>6.2f} {result.rate:>7.0f} {ratio:>6} {too_many:>5} "
        f"{result.duplicates:>4} {result.lost:>4} {result.not_sent:>6} {result.retried:>5} "
        f"{_ms(result.cpu_ms('bot')):>6} {_ms(result.cpu_ms('fake')):>7} {result.screeners:>5}"
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
    print(
        "batch: OUTBOX_BATCH_SIZE (rows claimed and sent at once); pool: TELEGRAM_CONNECTION_POOL\n"
        "x30/s: msg/s as a share of Telegram's 30/s; 429s: refused by the fake's flood control;\n"
        "dup / lost: check-ins the fake accepted more than once / never; unsent: check-ins not\n"
        "`sent` in the database afterwards; retry: send attempts beyond one per row;\n"
        "bot ms / fake ms: CPU ms per check-in in this process / in the fake;\n"
        "PHQ-2: screeners that rode on the check-ins (--screeners)"
    )
    print("goal: paced run >= 0.95 of 30/s with 0 429s; every run 0 dup, 0 lost, 0 unsent")
    print("(under faults a late answer is delivered and then sent again: dup counts those)")
    duplicates = sum(r.duplicates for r in results)
    lost = sum(r.lost + r.not_sent for r in results)
    print(f"duplicates: {duplicates}, lost or unsent: {lost}")


async def main(args: argparse.Namespace) -> None:
    grid = [
        Knobs(outbox_batch=b, pool=p) for b, p in itertools.product(args.outbox_batch, args.pool)
    ]
    started = time.perf_counter()
    results: list[Result] = []
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"N={args.n} uncapped, capped N={args.capped_n}; {len(grid)} knob setting(s)")
    if args.loop_n > 0:
        for knobs in grid:
            results.append(report(await run_bot_loop(args.loop_n, knobs)))
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
    parser.add_argument(
        "--n", type=int, default=2_000, help="due check-ins, uncapped runs (0: skip)"
    )
    parser.add_argument("--capped-n", type=int, default=600, help="check-ins at 30/s (0: skip)")
    parser.add_argument("--loop-n", type=int, default=1_000, help="sends, Bot loop (0: skip)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--outbox-batch", type=int_list, default=[20], help="OUTBOX_BATCH_SIZE")
    parser.add_argument("--pool", type=int_list, default=[8], help="TELEGRAM_CONNECTION_POOL")
    parser.add_argument("--httpx", action="store_true", help="also time httpx alone")
    parser.add_argument(
        "--faults", type=float, default=0.0, help="also a paced run with this share of 5xx/late"
    )
    parser.add_argument("--faults-n", type=int, default=300, help="check-ins, faults run")
    parser.add_argument(
        "--screeners",
        type=float,
        default=0.0,
        help="share of check-ins carrying a PHQ-2 (taper check-ins; 0: manual ones, none)",
    )
    parser.add_argument(
        "--no-late", dest="late", action="store_false", help="faults: 5xx only, no late answers"
    )
    parser.add_argument(
        "--bot-timeout",
        type=float,
        default=Settings.model_fields["telegram_timeout_seconds"].default,
        help="TELEGRAM_TIMEOUT_SECONDS, faults run",
    )
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    return args


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(parse_args()))
