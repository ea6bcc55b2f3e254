"""What every CLI command shares: settings from the context, a database session, one-line errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import typer
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alert import links
from bot.config import Settings
from bot.database.core import make_engine, make_sessionmaker
from bot.database.migrate import alembic_config, current_revision

T = TypeVar("T")


class CliError(Exception):
    """Printed as one line on stderr; the command exits non-zero."""


def settings_of(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session in one transaction, on a database that is at the latest migration."""
    url = settings.resolved_database_url
    # Staff-group messages written from here link to the console like the bot's own.
    links.use_console(settings.web_public_url)
    engine = make_engine(url)
    try:
        if await current_revision(engine) != head_revision(url):
            raise CliError("the database is not up to date: run `aftercare db upgrade` first")
        async with make_sessionmaker(engine).begin() as session:
            yield session
    finally:
        await engine.dispose()
