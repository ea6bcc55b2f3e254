"""Console bench: how fast the console's pages answer with a clinic's full load.

    .venv/bin/python bench/console.py                      # PostgreSQL, the issue's sizes
    .venv/bin/python bench/console.py --backends sqlite,postgres --requests 100

A fresh database (created and dropped) holds one clinic with 10,000 clients, 100,000 check-ins
and 5,000 alerts (half of them unresolved), bulk-inserted (setup, not timed). The console app runs
in-process over httpx's ASGITransport, signed in as duty staff, so each time is the server's own:
routing, the session and tenancy checks, the queries, the template, the audit line. Prints p50
and p95 per page, and how many SQL statements each request ran. Budget: p95 <= 100 ms.

The clinic admin's side (`admin_side`): 50,000 resolved alerts more over the past year (taken
and resolved, each with a resolution reason), then the response figures for 12 and 52 weeks.
The resolved list is not on this branch yet: it joins this side when it lands.

The therapist's side (`therapist_side`): the client list of all 10,000 clients (duty staff) and
of one therapist's 1,000, with filters and a name search, and a client with two years of weekly
check-ins: their page (taper preview) and their timeline (with the mood chart).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dispatch_db import DatabaseUnavailable, database_url
from bot.alert.handling_models import AlertHandling, HandlingStep, ResolutionReason
from bot.alert.models import Alert, AlertAction, AlertEvent, AlertStatus, AlertType, Severity
from bot.checkin.models import Checkin, CheckinKind, CheckinStatus
from bot.client.models import Client, ClientStatus, EndingType
from bot.clinic.models import Clinic
from bot.config import Settings
from bot.console import accounts, sessions
from bot.console.models import SessionStage
from bot.conversation.models import ClientMessage
from bot.database.core import make_engine, make_sessionmaker
from bot.database.migrate import upgrade
from bot.plan import service as plans
from bot.services import Services
from bot.web.app import create_app
from bot.web.settings import WebSettings
from tests.factories import example_plan, make_clinic, make_therapist

BUDGET_MS = 100.0
ROWS_PER_INSERT = 1_000
TYPES = list(AlertType)
SEVERITIES = [Severity.urgent, Severity.elevated, Severity.routine, Severity.routine]
ORIGIN = "http://console.bench"
URGENT_DEADLINE, DAY = timedelta(minutes=15), timedelta(days=1)


@dataclass(frozen=True)
class Sizes:
    clients: int
    checkins_per_client: int
    alerts: int


async def _chunks(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), ROWS_PER_INSERT):
        await session.execute(insert(model), rows[start : start + ROWS_PER_INSERT])


async def fill(services: Services, sizes: Sizes) -> tuple[int, list[int]]:
    """One clinic's load; returns the duty staff id and the unresolved alert ids."""
    now = services.now()
    rng = random.Random(7)
    async with services.sessionmaker.begin() as session:
        clinic = await make_clinic(session)
        therapists = [await make_therapist(session, clinic, f"Therapist {i}") for i in range(10)]
        duty = await accounts.add(
            session, clinic=clinic, name="Dee Duty", email="duty@bench.test", role="duty"
        )
        clients = [
            {
                "clinic_id": clinic.id,
                "therapist_id": therapists[i % 10].id,
                "display_name": f"Client {i}",
                "pseudonym": f"C-{i:06d}",
                "ending_date": date(2026, 1, 1),
                "ending_type": EndingType.planned,
                "timezone": "Europe/London",
                "window_start": datetime(2026, 1, 1, 18).time(),
                "window_end": datetime(2026, 1, 1, 20).time(),
                "taper_template": "standard",
                "taper_offsets": [1, 7, 14],
                "status": ClientStatus.active,
                "chat_id": 50_000_000 + i,
            }
            for i in range(sizes.clients)
        ]
        await _chunks(session, Client, clients)
        client_ids = list(await session.scalars(select(Client.id).order_by(Client.id)))
        checkins = [
            {
                "client_id": client_id,
                "due_at": now - timedelta(days=7 * k + 1),
                "status": CheckinStatus.answered if k % 3 else CheckinStatus.missed,
                "mood": rng.randint(1, 5) if k % 3 else None,
                "warning_signs": [],
                "note": "a few words" if k % 5 == 0 else None,
            }
            for client_id in client_ids
            for k in range(sizes.checkins_per_client)
        ]
        await _chunks(session, Checkin, checkins)
        alerts = []
        for n in range(sizes.alerts):
            status = [AlertStatus.open, AlertStatus.acknowledged, AlertStatus.resolved][n % 4 % 3]
            seen = now - timedelta(minutes=rng.randint(1, 60 * 24 * 30))
            alerts.append(
                {
                    "clinic_id": clinic.id,
                    "client_id": client_ids[n % len(client_ids)],
                    "owner_id": therapists[n % 10].id,
                    # Distinct (client, type) for every unresolved one: one open alert per kind.
                    "type": TYPES[(n // len(client_ids)) % len(TYPES)],
                    "severity": SEVERITIES[n % 4],
                    "status": status,
                    "evidence": f"bench alert {n}",
                    "count": 1,
                    "first_seen_at": seen,
                    "last_seen_at": seen,
                    "deadline_at": seen + timedelta(hours=rng.randint(1, 72)),
                    "acknowledged_by": "Dee Duty (console)" if status != AlertStatus.open else None,
                    "resolved_by": "Dee Duty (console)" if status == AlertStatus.resolved else None,
                    "resolution_note": "done" if status == AlertStatus.resolved else None,
                    "reminders_sent": 0,
                }
            )
        await _chunks(session, Alert, alerts)
        rows = (await session.execute(select(Alert.id, Alert.first_seen_at, Alert.status))).all()
        events = [
            {"alert_id": i, "at": at, "actor_label": "system", "action": AlertAction.created}
            for i, at, _ in rows
        ]
        await _chunks(session, AlertEvent, events)
        unresolved = [i for i, _, status in rows if status is not AlertStatus.resolved]
        return duty.id, unresolved


async def fill_resolved(services: Services, count: int) -> int:
    """`count` resolved alerts over the past year, with reasons; returns a clinic admin's id."""
    now = services.now()
    rng = random.Random(5)
    reasons = list(ResolutionReason)
    async with services.sessionmaker.begin() as session:
        clinic_id = await session.scalar(select(Client.clinic_id).limit(1))
        clients = list(await session.scalars(select(Client.id).order_by(Client.id)))
        admin = await accounts.add(
            session,
            clinic=await session.get(Clinic, clinic_id),
            name="Jo Admin",
            email="admin@bench.test",
            role="clinic_admin",
        )
        rows = []
        for n in range(count):
            seen = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365))
            severity = SEVERITIES[n % 4]
            taken = seen + timedelta(minutes=rng.lognormvariate(3, 1.2))
            rows.append(
                {
                    "clinic_id": clinic_id,
                    "client_id": clients[n % len(clients)],
                    "type": TYPES[n % len(TYPES)],
                    "severity": severity,
                    "status": AlertStatus.resolved,
                    "evidence": f"bench resolved {n}",
                    "count": 1,
                    "first_seen_at": seen,
                    "last_seen_at": seen,
                    "deadline_at": seen + (URGENT_DEADLINE if severity is Severity.urgent else DAY),
                    "acknowledged_at": taken,
                    "acknowledged_by": "Dee Duty (console)",
                    "resolved_at": taken + timedelta(minutes=rng.lognormvariate(4, 1.0)),
                    "resolved_by": "Dee Duty (console)",
                    "resolution_note": "done",
                    "reminders_sent": 0,
                }
            )
        await _chunks(session, Alert, rows)
        made = await session.execute(
            select(Alert.id, Alert.resolved_at).where(Alert.evidence.like("bench resolved %"))
        )
        handling = [
            {
                "alert_id": ident,
                "at": at,
                "actor_label": "Dee Duty (console)",
                "step": HandlingStep.resolved.value,
                "reason": reasons[ident % len(reasons)].value,
                "note": "done",
            }
            for ident, at in made
        ]
        await _chunks(session, AlertHandling, handling)
        admin_id = admin.id
    if services.engine.dialect.name == "postgresql":
        async with services.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
    return admin_id


async def admin_side(
    services: Services,
    web: WebSettings,
    counter: list[int],
    args: argparse.Namespace,
    backend: str,
) -> list[tuple[str, ...]]:
    """The response figures over 50,000 resolved alerts, timed like the queue."""
    started = time.perf_counter()
    admin_id = await fill_resolved(services, args.resolved)
    print(f"{backend}: resolved alerts in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    async with services.sessionmaker.begin() as session:
        admin = await accounts.find(session, ref=str(admin_id))
        token, _ = sessions.start(
            session,
            staff=admin,
            stage=SessionStage.active,
            now=datetime.now(UTC),
            limits=web.session_limits,
            address="bench",
        )
    lines = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(services, web)),
        base_url=ORIGIN,
        cookies={"aftercare_session": token},
    ) as client:
        for name, paths in {
            "response figures, 12 weeks (admin)": ["/figures"],
            "response figures, 52 weeks (admin)": ["/figures?weeks=52"],
        }.items():
            await measure(client, counter, paths, args.warmup)
            times, queries = await measure(client, counter, paths, args.requests)
            lines.append(_line(backend, name, times, queries))
    return lines


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(
    client: httpx.AsyncClient, counter: list[int], paths: list[str], requests: int
) -> tuple[list[float], list[int]]:
    times, queries = [], []
    for n in range(requests):
        path = paths[n % len(paths)]
        counter[0] = 0
        started = time.perf_counter()
        response = await client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        queries.append(counter[0])
        assert response.status_code == 200, (path, response.status_code)
    return times, queries


async def fill_two_years(services: Services) -> tuple[int, int]:
    """A client two years into aftercare: weekly check-ins, notes, messages and alerts.
    Returns the client's id and their therapist's."""
    now = services.now()
    rng = random.Random(3)
    async with services.sessionmaker.begin() as session:
        clinic_id, therapist_id = (
            await session.execute(select(Client.clinic_id, Client.therapist_id).limit(1))
        ).one()
        start = now - timedelta(days=730)
        client = Client(
            clinic_id=clinic_id,
            therapist_id=therapist_id,
            display_name="Two Years",
            pseudonym="C-TWOYRS",
            ending_date=start.date(),
            ending_type=EndingType.planned,
            timezone="Europe/London",
            window_start=datetime(2026, 1, 1, 18).time(),
            window_end=datetime(2026, 1, 1, 20).time(),
            taper_template="custom",
            taper_offsets=[7 * k for k in range(1, 60)],
            status=ClientStatus.active,
            chat_id=49_999_999,
            consented_at=start,
        )
        session.add(client)
        await session.flush()
        await plans.save(
            session, client_id=client.id, document=example_plan(), saved_by="bench", now=start
        )
        rows = []
        for week in range(104):
            due = start + timedelta(days=7 * week + 1)
            answered = week % 9 != 4
            rows.append(
                {
                    "client_id": client.id,
                    "due_at": due,
                    "kind": CheckinKind.taper,
                    "step": min(week, 58),
                    "status": CheckinStatus.answered if answered else CheckinStatus.missed,
                    "mood": rng.randint(1, 5) if answered else None,
                    "warning_signs": [rng.randint(0, 3)] if answered and week % 6 == 0 else [],
                    "answered_at": due + timedelta(minutes=30) if answered else None,
                    "note": "a few words about the week" if answered and week % 4 == 0 else None,
                }
            )
        await _chunks(session, Checkin, rows)
        messages = [
            {
                "client_id": client.id,
                "received_at": start + timedelta(days=5 * k + 2),
                "text": None if k < 100 else "ok this week",
                "text_purged_at": start if k < 100 else None,
                "intent": "greet",
                "confidence": 0.9,
                "risk": "none",
                "source": "embedded",
            }
            for k in range(140)
        ]
        await _chunks(session, ClientMessage, messages)
    if services.engine.dialect.name == "postgresql":
        # A bulk fill leaves no statistics yet; a running clinic's tables have them.
        async with services.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
    return client.id, therapist_id


async def therapist_side(
    services: Services,
    web: WebSettings,
    counter: list[int],
    args: argparse.Namespace,
    backend: str,
    duty_token: str,
) -> list[tuple[str, ...]]:
    """The client list and a long timeline, timed like the queue (see the module docstring)."""
    client_id, therapist_id = await fill_two_years(services)
    async with services.sessionmaker.begin() as session:
        therapist = await accounts.find(session, ref=str(therapist_id))
        token, row = sessions.start(
            session,
            staff=therapist,
            stage=SessionStage.active,
            now=datetime.now(UTC),
            limits=web.session_limits,
            address="bench",
        )
        csrf = row.csrf_token
    app = create_app(services, web)
    lines = []
    for who, cookie, pages in (
        (
            "duty",
            duty_token,
            {
                "clients, all 10,000 (needs attention)": ["/clients"],
                "clients, active only": ["/clients?status=active"],
                "clients, open alert only": ["/clients?alert=open"],
            },
        ),
        (
            "therapist",
            token,
            {
                "clients, a therapist's 1,000": ["/clients"],
                "client page, two years": [f"/clients/{client_id}"],
                "timeline, two years of check-ins": [f"/clients/{client_id}/timeline"],
            },
        ),
    ):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=ORIGIN,
            cookies={"aftercare_session": cookie},
        ) as client:
            for name, paths in pages.items():
                await measure(client, counter, paths, args.warmup)
                times, queries = await measure(client, counter, paths, args.requests)
                lines.append(_line(backend, f"{name} ({who})", times, queries))
            if who == "therapist":
                times, queries = await _search(client, counter, csrf, args)
                lines.append(_line(backend, "clients, name search (therapist)", times, queries))
    return lines


async def _search(
    client: httpx.AsyncClient, counter: list[int], csrf: str, args: argparse.Namespace
) -> tuple[list[float], list[int]]:
    times, queries = [], []
    for n in range(args.warmup + args.requests):
        counter[0] = 0
        started = time.perf_counter()
        response = await client.post(
            "/clients/search",
            data={"name": f"Client {n % 97}", "csrf_token": csrf},
            headers={"origin": ORIGIN, "hx-request": "true"},
        )
        assert response.status_code == 200, response.status_code
        if n >= args.warmup:
            times.append((time.perf_counter() - started) * 1000)
            queries.append(counter[0])
    return times, queries


def _line(backend: str, name: str, times: list[float], queries: list[int]) -> tuple[str, ...]:
    p95 = _percentile(times, 0.95)
    return (
        backend,
        name,
        f"{statistics.median(times):.1f}",
        f"{p95:.1f}",
        f"{statistics.median(queries):.0f}",
        "ok" if p95 <= BUDGET_MS else "OVER BUDGET",
    )


async def bench_backend(backend: str, args: argparse.Namespace) -> list[tuple[str, ...]]:
    sizes = Sizes(args.clients, args.checkins // args.clients, args.alerts)
    async with database_url(backend, args.postgres_url) as url:
        engine = make_engine(url)
        await upgrade(engine)
        settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        # The console needs no understanding of messages: no NLU model is loaded.
        services = Services(settings, engine, make_sessionmaker(engine), understander=None)  # type: ignore[arg-type]
        started = time.perf_counter()
        duty_id, unresolved = await fill(services, sizes)
        print(f"{backend}: filled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
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

        rng = random.Random(11)
        pages = {
            "queue": ["/alerts"],
            "queue, urgent only": ["/alerts?severity=urgent"],
            "queue live refresh": ["/alerts/live"],
            "alert page": [f"/alerts/{i}" for i in rng.sample(unresolved, 50)],
        }
        lines = []
        sides = args.sides.split(",")
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(services, web)),
            base_url=ORIGIN,
            cookies={"aftercare_session": token},
        ) as client:
            for name, paths in pages.items() if "queue" in sides else ():
                await measure(client, counter, paths, args.warmup)
                times, queries = await measure(client, counter, paths, args.requests)
                lines.append(_line(backend, name, times, queries))
        if "therapist" in sides:
            lines += await therapist_side(services, web, counter, args, backend, token)
        if "admin" in sides:
            lines += await admin_side(services, web, counter, args, backend)
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
        f"\n{args.clients} clients, {args.checkins} check-ins, {args.alerts} alerts "
        f"(+{args.resolved} resolved for the figures); "
        f"{args.requests} requests per page after {args.warmup} warm-up\n"
    )
    header = ("backend", "page", "p50 ms", "p95 ms", "queries", f"p95 <= {BUDGET_MS:.0f} ms")
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
    parser.add_argument("--sides", default="queue,therapist,admin", help="which pages to time")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
