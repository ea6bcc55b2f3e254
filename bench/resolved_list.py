"""Resolved-list bench: how fast /alerts/resolved answers with a clinic's years of alerts.

    .venv/bin/python bench/resolved_list.py                       # PostgreSQL, the issue's sizes
    .venv/bin/python bench/resolved_list.py --backends sqlite,postgres --requests 100

The console bench's clinic (10,000 clients, 100,000 check-ins, 5,000 alerts: bench/console.py's
`fill`) plus 50,000 resolved alerts spread over two years, each resolved by one of five duty
members with a reason (one in six without: resolved from the staff group), bulk-inserted
(setup, not timed). Signed in as duty staff over httpx's ASGITransport, so each time is the
server's own. Prints p50 and p95 per filter, the p95 of this process's CPU time (on a shared
machine the wall time also counts other programs), and the SQL statements per request.
Budget: p95 <= 100 ms.
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
from typing import Any

import httpx
from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.console import BUDGET_MS, ORIGIN, TYPES, Sizes, _chunks, _percentile, fill
from bench.dispatch_db import DatabaseUnavailable, database_url
from bot.alert.handling_models import AlertHandling, HandlingStep, ResolutionReason
from bot.alert.models import Alert, AlertStatus, Severity
from bot.client.models import Client
from bot.config import Settings
from bot.console import accounts, sessions
from bot.console.models import SessionStage
from bot.database.core import make_engine, make_sessionmaker
from bot.database.migrate import upgrade
from bot.services import Services
from bot.staff.models import Staff
from bot.web.app import create_app
from bot.web.settings import WebSettings

REASONS = [*ResolutionReason, None]
DUTY = 5


async def fill_resolved(services: Services, count: int) -> list[int]:
    """`count` resolved alerts over two years; returns the ids of the duty members."""
    now = services.now()
    rng = random.Random(13)
    async with services.sessionmaker.begin() as session:
        clinic_id = await session.scalar(select(Client.clinic_id).limit(1))
        clinic = await session.get(Client, await session.scalar(select(Client.id).limit(1)))
        assert clinic_id is not None and clinic is not None
        members: list[Staff] = [
            await accounts.add(
                session,
                clinic=clinic.clinic,
                name=f"Duty {i}",
                email=f"duty{i}@resolved.bench",
                role="duty",
            )
            for i in range(DUTY)
        ]
        client_ids = list(await session.scalars(select(Client.id).order_by(Client.id)))
        rows: list[dict[str, Any]] = []
        for n in range(count):
            seen = now - timedelta(minutes=rng.randint(60, 60 * 24 * 730))
            member = members[n % DUTY]
            resolved = seen + timedelta(minutes=rng.randint(5, 60 * 24))
            rows.append(
                {
                    "clinic_id": clinic_id,
                    "client_id": client_ids[n % len(client_ids)],
                    "owner_id": member.id,
                    "type": TYPES[n % len(TYPES)],
                    "severity": [Severity.urgent, Severity.elevated, Severity.routine][n % 3],
                    "status": AlertStatus.resolved,
                    "evidence": f"resolved bench alert {n}",
                    "count": 1,
                    "first_seen_at": seen,
                    "last_seen_at": seen,
                    "deadline_at": seen + timedelta(hours=1),
                    "acknowledged_at": seen + timedelta(minutes=2),
                    "acknowledged_by_id": member.id,
                    "acknowledged_by": f"{member.name} (console)",
                    "resolved_at": resolved,
                    "resolved_by_id": member.id,
                    "resolved_by": f"{member.name} (console)",
                    "resolution_note": "called, safe",
                    "reminders_sent": 0,
                }
            )
        await _chunks(session, Alert, rows)
        made = (
            await session.execute(
                select(Alert.id, Alert.resolved_at, Alert.resolved_by_id).where(
                    Alert.evidence.like("resolved bench alert %")
                )
            )
        ).all()
        handling = [
            {
                "alert_id": alert_id,
                "at": at,
                "staff_id": by,
                "actor_label": "bench",
                "step": HandlingStep.resolved.value,
                "reason": reason.value if reason is not None else None,
                "note": "called, safe",
            }
            for (alert_id, at, by), reason in zip(
                made, (REASONS[n % len(REASONS)] for n in range(len(made))), strict=True
            )
        ]
        await _chunks(session, AlertHandling, handling)
        return [m.id for m in members]


async def measure(
    client: httpx.AsyncClient, counter: list[int], paths: list[str], requests: int
) -> tuple[list[float], list[float], list[int]]:
    """Wall time, this process's CPU time (the server's own work, whatever else the shared
    machine runs) and SQL statements, per request."""
    times, cpu, queries = [], [], []
    for n in range(requests):
        path = paths[n % len(paths)]
        counter[0] = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        response = await client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        queries.append(counter[0])
        assert response.status_code == 200, (path, response.status_code)
    return times, cpu, queries


def _line(
    backend: str, name: str, times: list[float], cpu: list[float], queries: list[int]
) -> tuple[str, ...]:
    p95 = _percentile(times, 0.95)
    return (
        backend,
        name,
        f"{statistics.median(times):.1f}",
        f"{p95:.1f}",
        f"{_percentile(cpu, 0.95):.1f}",
        f"{statistics.median(queries):.0f}",
        "ok" if p95 <= BUDGET_MS else "OVER BUDGET",
    )


async def bench_backend(backend: str, args: argparse.Namespace) -> list[tuple[str, ...]]:
    sizes = Sizes(args.clients, args.checkins // args.clients, args.alerts)
    async with database_url(backend, args.postgres_url) as url:
        engine = make_engine(url)
        await upgrade(engine)
        settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        services = Services(settings, engine, make_sessionmaker(engine), understander=None)  # type: ignore[arg-type]
        started = time.perf_counter()
        duty_id, _ = await fill(services, sizes)
        members = await fill_resolved(services, args.resolved)
        print(f"{backend}: filled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        if backend == "postgres":
            async with engine.begin() as connection:
                await connection.exec_driver_sql("ANALYZE")
        web = WebSettings(_env_file=None, web_public_url=ORIGIN)  # type: ignore[call-arg]
        async with services.sessionmaker.begin() as session:
            duty = await accounts.find(session, ref=str(duty_id))
            token, _ = sessions.start(
                session,
                staff=duty,
                stage=SessionStage.active,
                now=datetime.now(UTC),
                limits=web.session_limits,
                address="bench",
            )
        counter = [0]

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _count(*_: object) -> None:
            counter[0] += 1

        today = services.now().date()
        async with services.sessionmaker() as session:
            older = list(
                await session.scalars(
                    select(Alert.id)
                    .where(Alert.status == AlertStatus.resolved, Alert.resolved_at.is_not(None))
                    .order_by(Alert.resolved_at.desc())
                    .offset(100)
                    .limit(20)
                )
            )
        month = (today - timedelta(days=30)).isoformat()
        year = (today - timedelta(days=365)).isoformat()
        pages = {
            "resolved list": ["/alerts/resolved"],
            "resolved, the next page": [f"/alerts/resolved?before={b}" for b in older],
            "resolved, one reason": [
                f"/alerts/resolved?reason={r.value}" for r in ResolutionReason
            ],
            "resolved, no reason given": ["/alerts/resolved?reason=none"],
            "resolved, by one person": [f"/alerts/resolved?who={m}" for m in members],
            "resolved, a month a year ago": [
                f"/alerts/resolved?since={year}&until={(today - timedelta(days=335)).isoformat()}"
            ],
            "resolved, reason + who + since": [
                f"/alerts/resolved?reason=booked&who={members[0]}&since={month}"
            ],
        }
        lines = []
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(services, web)),
            base_url=ORIGIN,
            cookies={"aftercare_session": token},
        ) as client:
            for name, paths in pages.items():
                await measure(client, counter, paths, args.warmup)
                times, cpu, queries = await measure(client, counter, paths, args.requests)
                lines.append(_line(backend, name, times, cpu, queries))
        await engine.dispose()
    return lines


async def main(args: argparse.Namespace) -> None:
    rows: list[tuple[str, ...]] = []
    for backend in args.backends.split(","):
        try:
            rows += await bench_backend(backend, args)
        except DatabaseUnavailable as exc:
            print(f"{backend}: skipped, the server did not answer ({exc})", file=sys.stderr)
    print(
        f"\n{args.clients} clients, {args.checkins} check-ins, {args.alerts} alerts and "
        f"{args.resolved} resolved; {args.requests} requests per page after {args.warmup} "
        "warm-up\n"
    )
    header = (
        "backend",
        "page",
        "p50 ms",
        "p95 ms",
        "p95 CPU ms",
        "queries",
        f"p95 <= {BUDGET_MS:.0f} ms",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="postgres")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--alerts", type=int, default=5_000)
    parser.add_argument("--resolved", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
