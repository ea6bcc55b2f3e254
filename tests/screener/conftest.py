"""A linked client whose check-ins this test places itself, and a dispatch round at any time."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import delete, select

from bot.checkin import dispatch
from bot.checkin.models import Checkin, CheckinKind
from bot.client.models import Client
from bot.database.core import SessionMaker
from bot.screener import plans
from bot.screener.models import Administration
from bot.screener.plans import PlanChange
from tests.factories import make_linked_client
from tests.support import clock

CHAT = 31001
GROUP = -100_931


async def linked_client(
    sessionmaker: SessionMaker, change: PlanChange | None = None, *, now: datetime | None = None
) -> int:
    """An active client (ending today) with no check-ins planned; their screener plan if given."""
    now = now or clock.now()
    async with sessionmaker.begin() as session:
        client = await make_linked_client(session, chat_id=CHAT, now=now, staff_chat_id=GROUP)
        await session.execute(delete(Checkin).where(Checkin.client_id == client.id))
        if change is not None:
            await plans.change(session, client=client, change=change, now=now)
        return client.id


async def dispatch_at(
    sessionmaker: SessionMaker, client_id: int, at: datetime, kind: CheckinKind = CheckinKind.taper
) -> list[Administration]:
    """A check-in due at `at`, dispatched then; the screeners that rode on it."""
    async with sessionmaker.begin() as session:
        checkin = Checkin(client_id=client_id, due_at=at, kind=kind, step=0)
        session.add(checkin)
        await session.flush()
        await dispatch.queue_due(session, now=at, limit=10)
        checkin_id = checkin.id
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(Administration)
                .where(Administration.checkin_id == checkin_id)
                .order_by(Administration.id)
            )
        )


async def the_client(sessionmaker: SessionMaker, client_id: int) -> Client:
    async with sessionmaker() as session:
        found = await session.get(Client, client_id)
        assert found is not None
        return found


@pytest.fixture
def start() -> datetime:
    return clock.now()
