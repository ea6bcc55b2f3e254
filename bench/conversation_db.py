"""Data for the conversation bench: linked, consented clients with the example plan, and a clinic
whose staff group receives alerts (bulk setup, not measured)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.dispatch_db import prepared_engine
from bot.client.models import Client
from bot.clinic.models import Clinic
from bot.database.core import make_sessionmaker
from bot.plan.models import Plan
from tests.factories import example_plan

# A Telegram supergroup id: negative, and far from the clients' private chat ids.
STAFF_GROUP_CHAT = -1_001_234_567_890


@dataclass(frozen=True)
class Linked:
    """One client the bench plays: their private chat and the pseudonym staff alerts carry."""

    chat_id: int
    pseudonym: str


@dataclass(frozen=True)
class Prepared:
    engine: AsyncEngine
    clients: list[Linked]
    crisis_resources: str
    emergency_number: str
    staff_chat_id: int


async def prepared_conversation(url: str, clients: int) -> Prepared:
    """A migrated database with `clients` active, consented clients who each have the example
    plan, and the clinic's staff group linked; the caller disposes of the engine."""
    engine = await prepared_engine(url, clients)
    sessionmaker = make_sessionmaker(engine)
    content = example_plan().model_dump(mode="json")
    async with sessionmaker.begin() as session:
        await session.execute(update(Clinic).values(staff_chat_id=STAFF_GROUP_CHAT))
        await session.execute(update(Client).values(consented_at=datetime.now(UTC)))
        rows = (await session.execute(select(Client.id, Client.chat_id, Client.pseudonym))).all()
        await session.execute(
            insert(Plan), [{"client_id": client_id, "content": content} for client_id, _, _ in rows]
        )
        clinic = await session.scalar(select(Clinic).limit(1))
        assert clinic is not None
        resources, emergency = clinic.crisis_resources, clinic.emergency_number
    linked = [Linked(int(chat_id), pseudonym) for _, chat_id, pseudonym in rows]
    return Prepared(engine, linked, resources, emergency, STAFF_GROUP_CHAT)
