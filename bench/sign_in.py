"""Sign-in bench: what argon2 costs the event loop, and what the throttle's checks cost.

    .venv/bin/python bench/sign_in.py                           # SQLite and PostgreSQL
    .venv/bin/python bench/sign_in.py --backends sqlite --attempts 20000

1. argon2id: time per check, and the longest the event loop went without a turn while 8
   sign-ins were checked at once, with the check on the loop's own thread (as before) and on the
   worker threads (as now). A ticker asks for a turn every millisecond; its longest wait is the
   stall every other request (and the bot) saw.
2. The throttle: a fresh database holds `--attempts` failed sign-ins spread over 1,000 addresses
   and 500 accounts in the last day; `throttle.hold` (both of its queries) is timed for
   random (address, account) pairs. Prints p50 and p95.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dispatch_db import DatabaseUnavailable, database_url
from bot.console import passwords, throttle
from bot.console.models import SignInAttempt, SignInFactor
from bot.database.core import make_engine, make_sessionmaker
from bot.database.migrate import upgrade

PASSWORD = "correct horse battery staple"
ROWS_PER_INSERT = 1_000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _longest_stall(checks: int, *, on_loop: bool, stored: str) -> tuple[float, float]:
    """(longest ms without a loop turn, ms for all checks) while `checks` run at once."""
    stop = asyncio.Event()
    longest = [0.0]

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest[0] = max(longest[0], (now - last) * 1000)
            last = now

    async def inline() -> passwords.Checked:
        return passwords._check(stored, PASSWORD)

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    started = time.perf_counter()
    check = inline if on_loop else (lambda: passwords.check_password(stored, PASSWORD))
    results = await asyncio.gather(*(check() for _ in range(checks)))
    elapsed = (time.perf_counter() - started) * 1000
    stop.set()
    await ticking
    assert all(r.ok for r in results)
    return longest[0], elapsed


async def bench_argon2(checks: int) -> None:
    stored = passwords.hash_password(PASSWORD)
    single = []
    for _ in range(10):
        started = time.perf_counter()
        passwords._check(stored, PASSWORD)
        single.append((time.perf_counter() - started) * 1000)
    print(f"argon2id check: {statistics.median(single):.0f} ms each (median of 10)\n")
    print(f"| {checks} sign-ins at once | longest loop stall ms | all checked in ms |")
    print("|---|---|---|")
    for label, on_loop in (("on the event loop (before)", True), ("worker threads (now)", False)):
        stall, elapsed = await _longest_stall(checks, on_loop=on_loop, stored=stored)
        print(f"| {label} | {stall:.0f} | {elapsed:.0f} |")


async def bench_throttle(backend: str, args: argparse.Namespace) -> tuple[str, ...]:
    async with database_url(backend, args.postgres_url) as url:
        engine = make_engine(url)
        await upgrade(engine)
        now = datetime.now(UTC)
        rng = random.Random(7)
        addresses = [f"198.51.{n // 250}.{n % 250}" for n in range(1000)]
        accounts = [f"{n:064x}" for n in range(500)]
        rows = [
            {
                "at": now - timedelta(seconds=rng.randrange(86_400)),
                "account_key": rng.choice(accounts),
                "address": rng.choice(addresses),
                "factor": SignInFactor.password.value,
                "succeeded": rng.random() < 0.05,
            }
            for _ in range(args.attempts)
        ]
        async with engine.begin() as connection:
            for start in range(0, len(rows), ROWS_PER_INSERT):
                await connection.execute(
                    insert(SignInAttempt), rows[start : start + ROWS_PER_INSERT]
                )
        sessionmaker = make_sessionmaker(engine)
        times = []
        async with sessionmaker() as session:
            for n in range(args.requests + 20):
                started = time.perf_counter()
                await throttle.hold(
                    session,
                    key=rng.choice(accounts),
                    address=rng.choice(addresses),
                    factor=SignInFactor.password,
                    now=now,
                )
                if n >= 20:  # warm-up
                    times.append((time.perf_counter() - started) * 1000)
        await engine.dispose()
    return (
        backend,
        f"{args.attempts:,}",
        f"{statistics.median(times):.2f}",
        f"{_percentile(times, 0.95):.2f}",
    )


async def main(args: argparse.Namespace) -> None:
    await bench_argon2(args.checks)
    rows = []
    for backend in args.backends.split(","):
        try:
            rows.append(await bench_throttle(backend, args))
        except DatabaseUnavailable as exc:
            print(f"{backend}: skipped, the server did not answer ({exc})", file=sys.stderr)
    print("\n| backend | failed attempts in the table | hold p50 ms | hold p95 ms |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--checks", type=int, default=8)
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
