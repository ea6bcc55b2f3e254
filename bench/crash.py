"""Kill -9 in the middle of sending check-ins: is anything lost or sent twice, and how long until
everything is out after a restart?

Each run: 1,000 check-ins due now; `aftercare run` (the operator's command, in a child process,
TELEGRAM_API_URL at the loopback fake with Telegram's 30/s flood control, DATABASE_URL at a fresh
bench database) sends them; once the fake has accepted about 300 the child is killed with
SIGKILL (300 plus a seeded 0-19, so the kill lands anywhere in a claimed batch of 20), then
`aftercare run` is started again. The fake's log says which check-ins arrived
and how often.

`--new-host` starts the second life under another host name (a new UTS namespace: `unshare -u`,
needs root), as when a container is recreated or the process comes back on another machine.

Run: .venv/bin/python bench/crash.py [--n 1000] [--kill-at 300] [--jitter 20] [--runs 2]
     [--backends sqlite,postgres] [--new-host] [--limit 90] [--sending-timeout S]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dispatch_db import (
    DatabaseUnavailable,
    database_url,
    make_due,
    outbox_counts,
    prepared_engine,
    status_counts,
)
from bench.fake_telegram import FakeTelegram
from bot.database.core import make_sessionmaker

TOKEN = "123456:BENCH-TOKEN"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# The embedded NLU model is trained once and cached here (shared with bench/conversation.py).
NLU_DIR = Path(tempfile.gettempdir()) / "aftercare-bench-nlu"
AFTERCARE = Path(sys.executable).with_name("aftercare")
WATCH_SECONDS = 0.05
# After the last check-in arrived: how long to keep watching for late duplicates.
TAIL_SECONDS = 2.0
GOAL_RESTART_SECONDS = 30.0
GOAL_TWICE_SHARE = 0.001
RECOVERED = re.compile(r"took back (\d+) outbox message")


@dataclass
class CrashRun:
    backend: str
    label: str
    n: int
    accepted_at_kill: int = 0
    left_sending: int = 0
    first_life_seconds: float = 0.0
    recovered: int | None = None
    first_send_after_restart: float | None = None
    all_delivered_after_restart: float | None = None
    lost: int = 0
    twice: int = 0
    too_many_requests: int = 0
    checkins: dict[str, int] = field(default_factory=dict)
    outbox: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def met(self) -> bool:
        delivered = self.all_delivered_after_restart
        return (
            self.lost == 0
            and self.twice <= self.n * GOAL_TWICE_SHARE
            and delivered is not None
            and delivered <= GOAL_RESTART_SECONDS
        )


def product_env(url: str, api_url: str, interval: float) -> dict[str, str]:
    """The environment an operator would give `aftercare run`, pointed at the bench."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api_url,
        DATABASE_URL=url,
        LOG_LEVEL="WARNING",
        DISPATCH_INTERVAL_SECONDS=str(interval),
        DATA_DIR=str(NLU_DIR),
        RASA_URL="",
        PYTHONUNBUFFERED="1",
    )
    return env


async def start_product(
    env: dict[str, str], log: Path, cwd: Path, host: str | None
) -> asyncio.subprocess.Process:
    """`aftercare run` in a child process (its stderr to `log`); under `host` as its host name."""
    command = [str(AFTERCARE), "run"]
    if host is not None:
        command = ["unshare", "-u", "sh", "-c", 'hostname "$0" && exec "$@"', host, *command]
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            *command, env=env, cwd=cwd, stdin=asyncio.subprocess.DEVNULL,
            stdout=stderr, stderr=stderr,
        )  # fmt: skip


async def wait_count(fake: FakeTelegram, at_least: int, limit: float) -> int:
    """Poll the fake until it accepted `at_least` sendMessage calls (or `limit` s passed)."""
    deadline = time.monotonic() + limit
    count = await fake.count()
    while count < at_least and time.monotonic() < deadline:
        await asyncio.sleep(WATCH_SECONDS)
        count = await fake.count()
    return count


async def one_run(
    backend: str, label: str, url: str, args: argparse.Namespace, kill_at: int
) -> CrashRun:
    engine = await prepared_engine(url, args.n)
    expected = await make_due(engine, args.n)
    sessionmaker = make_sessionmaker(engine)
    run = CrashRun(backend, label, args.n)
    folder = Path(tempfile.mkdtemp(prefix="aftercare-crash-"))
    logs = [folder / "first.log", folder / "second.log"]
    try:
        async with FakeTelegram(rate_limited=True) as fake:
            env = product_env(url, fake.base_url, args.interval)
            if args.sending_timeout is not None:
                env["SENDING_TIMEOUT_SECONDS"] = str(args.sending_timeout)
            started = time.monotonic()
            first = await start_product(env, logs[0], folder, None)
            run.accepted_at_kill = await wait_count(fake, kill_at, args.limit)
            first.send_signal(signal.SIGKILL)
            await first.wait()  # reaped: its pid is gone, as after a real crash
            run.first_life_seconds = time.monotonic() - started
            run.accepted_at_kill = await fake.count()
            run.left_sending = (await outbox_counts(sessionmaker)).get("sending", 0)
            host = f"bench-other-{os.getpid()}" if args.new_host else None
            restarted = time.monotonic()
            second = await start_product(env, logs[1], folder, host)
            try:
                await wait_count(fake, run.accepted_at_kill + 1, args.limit)
                run.first_send_after_restart = time.monotonic() - restarted
                deadline = restarted + args.limit
                while time.monotonic() < deadline:
                    seen = await fake.tally()
                    if seen.lost(expected) == 0:
                        run.all_delivered_after_restart = time.monotonic() - restarted
                        break
                    await asyncio.sleep(WATCH_SECONDS * 4)
                await asyncio.sleep(TAIL_SECONDS)
                seen = await fake.tally()
            finally:
                if second.returncode is None:
                    second.send_signal(signal.SIGTERM)
                    try:
                        await asyncio.wait_for(second.wait(), 15)
                    except TimeoutError:
                        second.kill()
                        await second.wait()
        run.lost, run.twice = seen.lost(expected), seen.duplicates()
        run.too_many_requests = seen.too_many_requests
        run.checkins = await status_counts(sessionmaker)
        run.outbox = await outbox_counts(sessionmaker)
        found = RECOVERED.search(logs[1].read_text(errors="replace"))
        run.recovered = int(found.group(1)) if found else 0
        for log in logs:
            run.errors += [
                f"{log.stem}: {line}"
                for line in log.read_text(errors="replace").splitlines()
                if " ERROR " in line or "Traceback" in line
            ][:5]
    finally:
        await engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    return run


def _s(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f}"


HEADER = (
    f"{'backend':<8} {'run':<10} {'N':>5} {'@kill':>5} {'sending':>7} {'recov':>5} "
    f"{'1st send':>8} {'all out':>7} {'goal':>4} {'lost':>4} {'twice':>5} {'429s':>4} "
    f"{'goal':>4} | check-ins / outbox rows afterwards"
)


def row(run: CrashRun) -> str:
    delivered = run.all_delivered_after_restart
    time_goal = "ok" if delivered is not None and delivered <= GOAL_RESTART_SECONDS else "MISS"
    safety = "ok" if run.lost == 0 and run.twice <= run.n * GOAL_TWICE_SHARE else "MISS"
    outbox = {k: v for k, v in run.outbox.items() if k != "attempts"}
    return (
        f"{run.backend:<8} {run.label:<10} {run.n:>5} {run.accepted_at_kill:>5} "
        f"{run.left_sending:>7} {run.recovered if run.recovered is not None else '':>5} "
        f"{_s(run.first_send_after_restart):>8} {_s(delivered):>7} {time_goal:>4} "
        f"{run.lost:>4} {run.twice:>5} {run.too_many_requests:>4} {safety:>4} | "
        f"{run.checkins} / {outbox}"
    )


def print_report(runs: list[CrashRun]) -> None:
    print()
    print(HEADER)
    print("-" * len(HEADER))
    for run in runs:
        print(row(run))
    print()
    print(
        "@kill: check-ins the fake had accepted when the first `aftercare run` got SIGKILL;\n"
        "sending: outbox rows it left in `sending`; recov: rows the second start took back;\n"
        "1st send / all out: seconds from the restart to its first accepted send / to every\n"
        "check-in accepted at least once; lost: never accepted; twice: accepted more than once"
    )
    print(
        f"goals: lost 0, twice <= {GOAL_TWICE_SHARE:.1%} of N, all out <= "
        f"{GOAL_RESTART_SECONDS:.0f} s after the restart"
    )
    for run in runs:
        for error in run.errors:
            print(f"  {run.backend} {run.label} {error}")
    print("all goals met" if all(r.met() for r in runs) else "GOALS MISSED")


async def main(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"N={args.n}, SIGKILL after {args.kill_at}+0..{args.jitter - 1} accepted, "
        f"{args.runs} run(s) per backend"
        + (", restart under another host name" if args.new_host else "")
        + (
            f", SENDING_TIMEOUT_SECONDS={args.sending_timeout}"
            if args.sending_timeout is not None
            else ""
        )
    )
    runs: list[CrashRun] = []
    rng = random.Random(args.seed)
    for backend in args.backends:
        for index in range(args.runs):
            # Not always the end of a claimed batch: the kill lands anywhere in a round.
            kill_at = args.kill_at + rng.randrange(max(args.jitter, 1))
            try:
                async with database_url(backend, args.postgres_url) as url:
                    run = await one_run(backend, f"run {index + 1}", url, args, kill_at)
            except DatabaseUnavailable as exc:
                print(f"  skipped {backend}: PostgreSQL at {args.postgres_url} unreachable ({exc})")
                break
            runs.append(run)
            print(f"  done: {row(run)}", flush=True)
    print_report(runs)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"total bench time {time.perf_counter() - started:.0f} s")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000, help="check-ins due")
    parser.add_argument("--kill-at", type=int, default=300, help="SIGKILL after ~this many sent")
    parser.add_argument(
        "--jitter", type=int, default=20, help="kill after kill-at + 0..jitter-1 (seeded)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2, help="runs per backend")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument(
        "--interval", type=float, default=1.0, help="DISPATCH_INTERVAL_SECONDS for the product"
    )
    parser.add_argument(
        "--limit", type=float, default=90.0, help="give up waiting after this many seconds"
    )
    parser.add_argument(
        "--new-host", action="store_true", help="restart under another host name (needs root)"
    )
    parser.add_argument(
        "--sending-timeout", type=int, default=None, help="SENDING_TIMEOUT_SECONDS for the product"
    )
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not 0 < args.kill_at < args.n:
        parser.error("--kill-at must be between 0 and --n")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
