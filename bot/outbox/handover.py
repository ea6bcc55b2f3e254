"""A transaction whose outbox rows leave the moment it commits: this process's sender is handed
the rows it wrote (claimed inside the transaction), with no claim round of their own."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.database.core import SessionMaker
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage

if TYPE_CHECKING:
    from bot.outbox.drain import Drain


@contextlib.asynccontextmanager
async def writing(
    sessionmaker: SessionMaker,
    drain: Callable[[], Drain | None],
    now: Callable[[], datetime],
) -> AsyncIterator[AsyncSession]:
    """`async with writing(...) as session:` commits the body's work and hands its rows over.

    `drain` is looked up before and after: if the sender stopped meanwhile, the rows wait for
    the next one.
    """
    sender = drain()
    taken: list[OutboxMessage] = []
    async with sessionmaker.begin() as session:
        yield session
        if sender is not None:
            taken = await outbox.take_written(session, worker=sender.worker, now=now())
    if sender is None or not taken:
        return
    if drain() is sender:
        sender.adopt(taken)
        return
    async with sessionmaker.begin() as session:
        await outbox.release(session, rows=taken, worker=sender.worker)
