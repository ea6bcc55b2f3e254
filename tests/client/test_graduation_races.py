"""Graduation with two processes on one database: each client graduates (one goodbye) once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.checkin.models import Checkin, CheckinStatus
from bot.client import graduation
from bot.client.models import Client, ClientStatus
from bot.database.core import SessionMaker, make_engine, make_sessionmaker
from tests.factories import make_client, make_clinic, make_therapist
from tests.support import clock

ROUNDS = 30


async def clients_at_the_end(
    sessionmaker: SessionMaker, count: int, *, offset: int, ready: bool = True
) -> list[int]:
    """Active clients whose taper is behind them: every check-in answered, the last 2 h ago.

    Not `ready`: the last check-in is still scheduled, so they must not graduate.
    """
    now = clock.now()
    async with sessionmaker.begin() as session:
        clinic = await make_clinic(session, name=f"Clinic {offset}")
        therapist = await make_therapist(session, clinic)
        ids = []
        for n in range(count):
            client = await make_client(session, therapist=therapist, now=now, name=f"C{n}")
            client.status = ClientStatus.active
            client.chat_id = 50_000 + offset + n
            last_step = len(client.taper_offsets) - 1
            await session.execute(
                update(Checkin)
                .where(Checkin.client_id == client.id)
                .values(status=CheckinStatus.answered, sent_at=now - timedelta(days=3))
            )
            await session.execute(
                update(Checkin)
                .where(Checkin.client_id == client.id, Checkin.step == last_step)
                .values(
                    sent_at=now - timedelta(hours=2),
                    status=CheckinStatus.answered if ready else CheckinStatus.scheduled,
                )
            )
            ids.append(client.id)
    return ids


async def graduate(sessionmaker: SessionMaker) -> list[int]:
    async with sessionmaker.begin() as session:
        graduates = await graduation.graduate_due(session, now=clock.now())
    return [g.client_id for g in graduates]


async def test_two_processes_never_graduate_a_client_twice(
    engine: AsyncEngine, database_url: str
) -> None:
    first = make_sessionmaker(engine)
    other_engine = make_engine(database_url)
    second = make_sessionmaker(other_engine)
    goodbyes: Counter[int] = Counter()
    expected: set[int] = set()
    not_ready = await clients_at_the_end(first, 2, offset=0, ready=False)
    try:
        for round in range(ROUNDS):
            expected |= set(await clients_at_the_end(first, 3, offset=(round + 1) * 100))
            a, b, c = await asyncio.gather(graduate(first), graduate(second), graduate(second))
            goodbyes.update(a + b + c)
            # Everyone ready so far has graduated, each exactly once.
            assert set(goodbyes) == expected, round
            assert set(goodbyes.values()) == {1}, goodbyes
    finally:
        await other_engine.dispose()
    assert await graduate(first) == []
    async with first() as session:
        for client_id in expected:
            client = await session.get(Client, client_id)
            assert client is not None and client.status is ClientStatus.completed
            assert client.graduated_at is not None
        for client_id in not_ready:
            client = await session.get(Client, client_id)
            assert client is not None and client.status is ClientStatus.active
