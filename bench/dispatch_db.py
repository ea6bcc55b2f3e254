"""Databases for the dispatch bench: a temp SQLite file or a fresh PostgreSQL database, filled
with active clients in bulk (setup, not measured)."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.checkin.models import Checkin, CheckinKind
from bot.client.models import Client, ClientStatus, EndingType
from bot.config import normalize_database_url
from bot.database.core import SessionMaker, make_engine, make_sessionmaker
from bot.database.migrate import upgrade
from bot.outbox.models import OutboxMessage, OutboxStatus
from bot.screener.models import Administration, ScreenerAnswer, ScreenerPlan
from tests.factories import make_clinic, make_therapist

CHAT_BASE = 10_000_000
ROWS_PER_INSERT = 1_000


class DatabaseUnavailable(RuntimeError):
    """The PostgreSQL server did not answer."""


@asynccontextmanager
async def database_url(backend: str, postgres_url: str) -> AsyncIterator[str]:
    """An empty database URL for `backend`; the database is removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="aftercare-bench-") as folder:
            yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        return
    base = make_url(normalize_database_url(postgres_url))
    name = f"aftercare_bench_{secrets.token_hex(4)}"
    try:
        admin = await asyncpg.connect(
            host=base.host, port=base.port, user=base.username, password=base.password,
            database=base.database or "postgres", timeout=5,
        )  # fmt: skip
    except (OSError, asyncpg.PostgresError) as exc:
        raise DatabaseUnavailable(f"{type(exc).__name__}: {exc}") from exc
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def prepared_engine(url: str, clients: int) -> AsyncEngine:
    """A migrated database holding `clients` active clients with chat ids."""
    engine = make_engine(url)
    await upgrade(engine)
    sessionmaker = make_sessionmaker(engine)
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session)
        therapist = await make_therapist(session, clinic)
        clinic_id, therapist_id = clinic.id, therapist.id
    today = datetime.now(UTC).date()
    rows = [
        {
            "clinic_id": clinic_id,
            "therapist_id": therapist_id,
            "display_name": f"Client {n}",
            "pseudonym": f"B{n:08d}",
            "ending_date": today,
            "ending_type": EndingType.planned,
            "timezone": "Europe/London",
            "window_start": time(18),
            "window_end": time(20),
            "taper_template": "standard",
            "taper_offsets": [1, 3, 7, 14, 30, 60, 90],
            "adaptive_taper": True,
            "status": ClientStatus.active,
            "chat_id": CHAT_BASE + n,
        }
        for n in range(clients)
    ]
    async with sessionmaker.begin() as session:
        for start in range(0, len(rows), ROWS_PER_INSERT):
            await session.execute(insert(Client), rows[start : start + ROWS_PER_INSERT])
    return engine


async def make_due(engine: AsyncEngine, count: int, screeners: float = 0.0) -> set[int]:
    """Replace every check-in (and outbox row) with one manual check-in due now for each of the
    first `count` clients; returns their ids.

    With `screeners` (a share), they are taper check-ins and that share of the clients, spread
    evenly, have a PHQ in their screener plan and none sent yet: a PHQ-2 rides on theirs."""
    sessionmaker = make_sessionmaker(engine)
    due_at = datetime.now(UTC) - timedelta(minutes=1)
    async with sessionmaker.begin() as session:
        await session.execute(delete(OutboxMessage))
        await session.execute(delete(ScreenerAnswer))
        await session.execute(delete(Administration))
        await session.execute(delete(ScreenerPlan))
        await session.execute(delete(Checkin))
        client_ids = list(await session.scalars(select(Client.id).order_by(Client.id).limit(count)))
        kind = CheckinKind.taper if screeners else CheckinKind.manual
        rows = [
            {
                "client_id": client_id,
                "due_at": due_at,
                "kind": kind,
                "step": 0 if screeners else None,
            }
            for client_id in client_ids
        ]
        every = round(1 / screeners) if screeners else 0
        plans = [
            {"client_id": client_id, "families": "phq", "ending_totals": {}, "updated_at": due_at}
            for n, client_id in enumerate(client_ids)
            if every and n % every == 0
        ]
        for start in range(0, len(plans), ROWS_PER_INSERT):
            await session.execute(insert(ScreenerPlan), plans[start : start + ROWS_PER_INSERT])
        for start in range(0, len(rows), ROWS_PER_INSERT):
            await session.execute(insert(Checkin), rows[start : start + ROWS_PER_INSERT])
    if engine.dialect.name == "postgresql":
        # Fresh statistics, as autovacuum would give a long-running database.
        async with engine.connect() as connection:
            await connection.execute(text("ANALYZE"))
            await connection.commit()
    async with sessionmaker() as session:
        return set(await session.scalars(select(Checkin.id)))


async def screeners_sent(sessionmaker: SessionMaker) -> int:
    """How many screeners rode on the check-ins sent."""
    async with sessionmaker() as session:
        query = select(func.count()).where(Administration.sent_at.is_not(None))
        return int(await session.scalar(query) or 0)


async def status_counts(sessionmaker: SessionMaker) -> dict[str, int]:
    """How many check-ins are in each status."""
    async with sessionmaker() as session:
        rows = await session.execute(select(Checkin.status, func.count()).group_by(Checkin.status))
        return {str(status): n for status, n in rows.tuples()}


async def outbox_counts(sessionmaker: SessionMaker) -> dict[str, int]:
    """How many outbox rows are in each status, and "attempts": send attempts over all rows."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        counts = {str(status): n for status, n in rows.tuples()}
        counts["attempts"] = int(
            await session.scalar(select(func.sum(OutboxMessage.attempts))) or 0
        )
        return counts


async def unsent_outbox(sessionmaker: SessionMaker) -> int:
    """Outbox rows still pending or being sent."""
    async with sessionmaker() as session:
        unsent = (OutboxStatus.pending, OutboxStatus.sending)
        query = select(func.count()).where(OutboxMessage.status.in_(unsent))
        return int(await session.scalar(query) or 0)


async def last_sent_at(sessionmaker: SessionMaker) -> datetime | None:
    """When the last outbox row was recorded as sent."""
    async with sessionmaker() as session:
        return await session.scalar(select(func.max(OutboxMessage.sent_at)))
