"""Claims made to look old by the database's own clock, the only one recovery reads."""

from __future__ import annotations

from sqlalchemy import update

from bot.database.clock import DatabaseAgo
from bot.database.core import SessionMaker
from bot.outbox.models import OutboxMessage


async def claimed_ago(sessionmaker: SessionMaker, *, worker: str, seconds: float) -> None:
    """The worker's claims (and its last heartbeat) as if made `seconds` ago."""
    async with sessionmaker.begin() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.claimed_by == worker)
            .values(claimed_at=DatabaseAgo("ago"))
            .execution_options(synchronize_session=False),
            {"ago": seconds},
        )
