"""What the adapters (Telegram, scheduler, CLI) share: settings, the database, understanding."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot import wiring  # noqa: F401  (registers the outbox outcome handlers)
from bot.alert import links
from bot.config import Settings
from bot.database.core import SessionMaker, make_engine, make_sessionmaker
from bot.nlu.service import Understander, build_understander
from bot.outbox import handover

if TYPE_CHECKING:
    from bot.outbox.drain import Drain


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: SessionMaker
    understander: Understander
    # Tests move time forward by replacing this.
    now: Callable[[], datetime] = field(default=utcnow)
    # This process's outbox sender, while it runs: the inbound flow hands it its replies directly.
    outbox_drain: Drain | None = None
    # The language each chat's messages are read in, as its last message found it: saves a
    # query per message (bot/conversation/flow.py: reading_language).
    chat_languages: dict[int, str] = field(default_factory=dict)

    def writing(self) -> contextlib.AbstractAsyncContextManager[AsyncSession]:
        """A transaction whose outbox rows this process's sender takes the moment it commits."""
        return handover.writing(self.sessionmaker, lambda: self.outbox_drain, lambda: self.now())

    async def aclose(self) -> None:
        await self.understander.aclose()
        await self.engine.dispose()


def build_services(
    settings: Settings, *, understander: Understander | None = None, defer_nlu: bool = False
) -> Services:
    """With `defer_nlu` the model is read by `understander.load()` (the bot's start-up does it
    after the outbox sender is running, so a restart sends sooner)."""
    if understander is None and defer_nlu:
        understander = Understander.deferred(lambda: build_understander(settings))
    engine = make_engine(
        settings.resolved_database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )
    links.use_console(settings.web_public_url)
    return Services(
        settings=settings,
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        understander=understander or build_understander(settings),
    )
